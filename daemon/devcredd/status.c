// SPDX-License-Identifier: GPL-2.0
/*
 * Status of the built-in certificate. Nothing here trusts a remembered
 * flag (such as the slot's origin): the answer comes from the certificate
 * and key themselves, so the phones' two known wrong displays - a
 * self-signed certificate shown as factory after a downgrade, factory
 * certificates of a newer issuing CA shown as self-signed - cannot happen.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "lib/cred/credential.h"
#include "status.h"

const char *const dc_status_text[] = {
	[DC_STATUS_NOT_INSTALLED] = "Not Installed",
	[DC_STATUS_FACTORY] = "Factory Installed",
	[DC_STATUS_INSTALLED] = "Installed",
	[DC_STATUS_SELF_SIGNED] = "Self-signed",
	[DC_STATUS_INVALID] = "Invalid",
};

/* "SHA1 aabb.." or "MD5 AA:BB:.." -> "SHA1 AA:BB:.."; -1 if malformed. */
static int dc_norm_thumbprint(const char *line, char *out, size_t outlen)
{
	char alg[8], hex[160];
	size_t n = 0, i, want;
	int len;

	if (sscanf(line, "%7s %159s", alg, hex) != 2)
		return -1;
	if (!strcmp(alg, "MD5"))
		want = 16;
	else if (!strcmp(alg, "SHA1"))
		want = 20;
	else
		return -1;
	len = snprintf(out, outlen, "%s ", alg);
	for (i = 0; hex[i]; i++) {
		if (hex[i] == ':')
			continue;
		if (!isxdigit((unsigned char)hex[i]) || (size_t)len + 3 >= outlen)
			return -1;
		len += snprintf(out + len, outlen - len, "%s%c", n && !(n % 2) ? ":" : "",
				toupper((unsigned char)hex[i]));
		n++;
	}
	return n == 2 * want ? 0 : -1;
}

static int dc_load_thumbprints(struct dc_trust *t, const char *path, char *err, size_t errlen)
{
	char line[256], norm[160];
	FILE *f = fopen(path, "r");
	int lineno = 0;
	char **p;

	if (!f)
		return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n#")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (dc_norm_thumbprint(line, norm, sizeof(norm))) {
			snprintf(err, errlen, "%s:%d: expected \"MD5 <32 hex digits>\" or \"SHA1 <40 hex digits>\"",
				 path, lineno);
			fclose(f);
			return -1;
		}
		p = realloc(t->thumbprints, (t->count + 1) * sizeof(*p));
		if (!p || !(p[t->count] = strdup(norm))) {
			t->thumbprints = p ? p : t->thumbprints;
			fclose(f);
			return -1;
		}
		t->thumbprints = p;
		t->count++;
	}
	fclose(f);
	return 0;
}

int dc_trust_load(struct dc_trust *t, const char *dir, char *err, size_t errlen)
{
	char path[512];
	FILE *f;
	X509 *x;
	int n = 0;

	memset(t, 0, sizeof(*t));
	t->vendor = X509_STORE_new();
	if (!t->vendor)
		return -1;
	snprintf(path, sizeof(path), "%s/vendor-ca.pem", dir);
	f = fopen(path, "r");
	if (f) {
		while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
			X509_STORE_add_cert(t->vendor, x);
			X509_free(x);
			n++;
		}
		fclose(f);
		ERR_clear_error();
		if (!n) {
			snprintf(err, errlen, "%s: no PEM certificate in it", path);
			return -1;
		}
	}
	snprintf(path, sizeof(path), "%s/factory-issuers", dir);
	return dc_load_thumbprints(t, path, err, errlen);
}

void dc_trust_free(struct dc_trust *t)
{
	size_t i;

	X509_STORE_free(t->vendor);
	for (i = 0; i < t->count; i++)
		free(t->thumbprints[i]);
	free(t->thumbprints);
	memset(t, 0, sizeof(*t));
}

static int dc_trusted_issuer(const struct dc_trust *t, const X509 *ca)
{
	static const char *const algs[] = { "MD5", "SHA1" };
	char fp[EVP_MAX_MD_SIZE * 3 + 8], line[EVP_MAX_MD_SIZE * 3 + 16];
	size_t i, a;

	for (a = 0; a < 2; a++) {
		if (cred_fingerprint(ca, algs[a], fp, sizeof(fp)))
			continue;
		snprintf(line, sizeof(line), "%s %s", algs[a], fp);
		for (i = 0; i < t->count; i++)
			if (!strcmp(t->thumbprints[i], line))
				return 1;
	}
	return 0;
}

/* The chain verifies to the vendor set and its issuing CA is listed. */
static int dc_is_factory(const struct credential *c, const struct dc_trust *t, time_t now)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_dup(c->chain);
	STACK_OF(X509) *verified;
	int ok = 0;

	if (!ctx || !untrusted || !t->vendor)
		goto out;
	sk_X509_shift(untrusted);
	if (X509_STORE_CTX_init(ctx, t->vendor, sk_X509_value(c->chain, 0), untrusted) != 1)
		goto out;
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	if (X509_verify_cert(ctx) != 1)
		goto out;
	verified = X509_STORE_CTX_get0_chain(ctx);
	ok = sk_X509_num(verified) > 1 && dc_trusted_issuer(t, sk_X509_value(verified, 1));
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
	return ok;
}

/*
 * Issuer equal to subject, and the certificate's own key verifies its
 * signature. (X509_check_issued() would also demand keyCertSign usage,
 * which a device certificate has no reason to carry.)
 */
static int dc_self_signed(X509 *leaf)
{
	int ret = !X509_NAME_cmp(X509_get_subject_name(leaf), X509_get_issuer_name(leaf)) &&
		  X509_verify(leaf, X509_get0_pubkey(leaf)) == 1;

	ERR_clear_error();
	return ret;
}

enum dc_cert_status dc_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dc_trust *t,
				      time_t now, char *why, size_t whylen)
{
	struct cred_error err = { "" };
	struct credential c;
	enum dc_cert_status st;

	if (damaged) {
		snprintf(why, whylen, "the flash store holds no valid record");
		return DC_STATUS_INVALID;
	}
	if (!cert_len || strspn(cert, " \t\r\n") == cert_len) {
		snprintf(why, whylen, "no certificate stored");
		return DC_STATUS_NOT_INSTALLED;
	}
	if (cred_decode(&c, cert, cert_len, key, key_len, NULL, &err) ||
	    cred_validate(&c, now, CRED_REQUIRE_KEY, &err)) {
		snprintf(why, whylen, "%s", err.msg);
		cred_free(&c);
		return DC_STATUS_INVALID;
	}
	if (dc_self_signed(sk_X509_value(c.chain, 0)))
		st = DC_STATUS_SELF_SIGNED;
	else if (dc_is_factory(&c, t, now))
		st = DC_STATUS_FACTORY;
	else
		st = DC_STATUS_INSTALLED;
	snprintf(why, whylen, "%s", dc_status_text[st]);
	cred_free(&c);
	return st;
}
