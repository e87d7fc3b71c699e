// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor trust: the CA set a factory certificate verifies to, and the
 * fingerprints of the CAs that issue factory certificates. See trust.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "common/log.h"
#include "lib/cred/credential.h"
#include "trust.h"

/* "SHA1 aabb.." or "MD5 AA:BB:.." -> "SHA1 AA:BB:.."; -1 if malformed. */
static int dd_norm_thumbprint(const char *line, char *out, size_t outlen)
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

/* Logs why the trust could not be loaded; returns @err. */
__attribute__((format(printf, 2, 3)))
static int dd_trust_fail(int err, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dc_log(DC_LOG_ERR, "vendor trust: %s", msg);
	return err;
}

static int dd_load_thumbprints(struct dd_trust *t, const char *path)
{
	char line[256], norm[160];
	FILE *f = fopen(path, "r");
	int lineno = 0;
	char **p;

	if (!f)
		return errno == ENOENT ? 0 : dd_trust_fail(-errno, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n#")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (dd_norm_thumbprint(line, norm, sizeof(norm))) {
			fclose(f);
			return dd_trust_fail(-EINVAL, "%s:%d: expected \"MD5 <32 hex digits>\" or \"SHA1 <40 hex digits>\"",
					     path, lineno);
		}
		p = realloc(t->thumbprints, (t->count + 1) * sizeof(*p));
		if (!p || !(p[t->count] = strdup(norm))) {
			t->thumbprints = p ? p : t->thumbprints;
			fclose(f);
			return dd_trust_fail(-ENOMEM, "%s: out of memory", path);
		}
		t->thumbprints = p;
		t->count++;
	}
	fclose(f);
	return 0;
}

int dd_trust_load(struct dd_trust *t, const char *dir)
{
	char path[512];
	FILE *f;
	X509 *x;
	int n = 0;

	memset(t, 0, sizeof(*t));
	t->vendor = X509_STORE_new();
	if (!t->vendor)
		return dd_trust_fail(-ENOMEM, "out of memory");
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
		if (!n)
			return dd_trust_fail(-EINVAL, "%s: no PEM certificate in it", path);
		t->vendor_count = n;
	}
	snprintf(path, sizeof(path), "%s/factory-issuers", dir);
	return dd_load_thumbprints(t, path);
}

void dd_trust_free(struct dd_trust *t)
{
	size_t i;

	X509_STORE_free(t->vendor);
	for (i = 0; i < t->count; i++)
		free(t->thumbprints[i]);
	free(t->thumbprints);
	memset(t, 0, sizeof(*t));
}

static int dd_trusted_issuer(const struct dd_trust *t, const X509 *ca)
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

int dd_trust_verify(const struct credential *c, const struct dd_trust *t, time_t now,
		    char *why, size_t whylen)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_dup(c->chain);
	STACK_OF(X509) *verified;
	int ret = -EKEYREJECTED;

	snprintf(why, whylen, "out of memory");
	if (!ctx || !untrusted || !t->vendor)
		goto out;
	sk_X509_shift(untrusted);
	if (X509_STORE_CTX_init(ctx, t->vendor, sk_X509_value(c->chain, 0), untrusted) != 1)
		goto out;
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	if (X509_verify_cert(ctx) != 1) {
		snprintf(why, whylen, "its chain does not verify to the vendor CA set: %s",
			 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
		goto out;
	}
	verified = X509_STORE_CTX_get0_chain(ctx);
	if (sk_X509_num(verified) < 2 || (t->count && !dd_trusted_issuer(t, sk_X509_value(verified, 1)))) {
		snprintf(why, whylen, "the CA that issued it is not listed in factory-issuers");
		goto out;
	}
	ret = 0;
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
	return ret;
}

int dd_trust_is_factory(const struct credential *c, const struct dd_trust *t, time_t now)
{
	char why[256];

	return t->vendor_count && t->count && !dd_trust_verify(c, t, now, why, sizeof(why));
}
