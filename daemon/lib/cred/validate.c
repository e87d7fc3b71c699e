// SPDX-License-Identifier: GPL-2.0
/*
 * cred_validate(): the key is a private key and matches the leaf, the
 * chain is in order with good signatures, and every certificate is within
 * its validity window.
 */
#include <errno.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "cred_internal.h"

/* EVP_PKEY_private_check(): the private components are there and sane. */
static bool has_private(EVP_PKEY *key)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	bool ok = ctx && EVP_PKEY_private_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok;
}

/* The digest to sign with: NULL for keys that take none (Ed25519). */
static const char *sign_digest(EVP_PKEY *key, char *buf, size_t len)
{
	if (EVP_PKEY_get_default_digest_name(key, buf, len) <= 0 ||
	    !strcmp(buf, "UNDEF"))
		return NULL;
	return buf;
}

static const unsigned char probe[] = "devcred: does this key match?";

/* @key's signature of probe[] in *@sig (to OPENSSL_free()); false if none. */
static bool sign(EVP_PKEY *key, const char *md, unsigned char **sig,
		 size_t *siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	*sig = NULL;
	ok = ctx &&
	     EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key, NULL) == 1 &&
	     EVP_DigestSign(ctx, NULL, siglen, probe, sizeof(probe)) == 1 &&
	     (*sig = OPENSSL_malloc(*siglen)) &&
	     EVP_DigestSign(ctx, *sig, siglen, probe, sizeof(probe)) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static bool verify(EVP_PKEY *pub, const char *md, const unsigned char *sig,
		   size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	ok = ctx &&
	     EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, pub, NULL) == 1 &&
	     EVP_DigestVerify(ctx, sig, siglen, probe, sizeof(probe)) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* A signature round trip: @key signs, the leaf's @pub must verify it. */
static int sign_verify(EVP_PKEY *key, EVP_PKEY *pub, const char *name,
		       struct cred_error *err)
{
	unsigned char *sig;
	size_t siglen = 0;
	char buf[64];
	const char *md = sign_digest(key, buf, sizeof(buf));
	int ret = 0;

	if (!sign(key, md, &sig, &siglen))
		ret = cred_err_ssl(err, -EINVAL,
				   "the private key cannot sign (checking it against the certificate '%s')",
				   name);
	else if (!verify(pub, md, sig, siglen))
		ret = cred_err_ssl(err, -EKEYREJECTED,
				   "private key does not match the certificate '%s': a signature made with it does not verify",
				   name);
	OPENSSL_free(sig);
	return ret;
}

static int check_key(EVP_PKEY *key, X509 *leaf, struct cred_error *err)
{
	EVP_PKEY *pub = X509_get0_pubkey(leaf);
	char name[256];

	cred_describe(leaf, name, sizeof(name));
	if (!pub)
		return cred_err_ssl(err, -EINVAL,
				    "cannot read the public key of the certificate '%s'",
				    name);
	if (!has_private(key))
		return cred_err(err, -EINVAL,
				"the key is a public key (it has no private components); the private key is needed");
	if (X509_check_private_key(leaf, key) != 1)
		return cred_err_ssl(err, -EKEYREJECTED,
				    "private key does not match the certificate '%s' (their public keys differ)",
				    name);
	return sign_verify(key, pub, name, err);
}

static int check_link(STACK_OF(X509) *chain, int i, struct cred_error *err)
{
	X509 *x = sk_X509_value(chain, i), *issuer = sk_X509_value(chain, i + 1);
	char a[256], b[256];
	int rc = X509_check_issued(issuer, x);

	cred_describe(x, a, sizeof(a));
	cred_describe(issuer, b, sizeof(b));
	if (rc != X509_V_OK)
		return cred_err(err, -EINVAL,
				"the chain is not leaf first: certificate %d ('%s') is not issued by certificate %d ('%s'), which follows it: %s",
				i + 1, a, i + 2, b, X509_verify_cert_error_string(rc));
	if (X509_verify(x, X509_get0_pubkey(issuer)) != 1)
		return cred_err_ssl(err, -EINVAL,
				    "the signature of certificate %d ('%s') does not verify with the key of its issuer, certificate %d ('%s')",
				    i + 1, a, i + 2, b);
	return 0;
}

static void format_time(const ASN1_TIME *t, time_t now, char *buf, size_t len)
{
	struct tm tm;

	if (t ? !ASN1_TIME_to_tm(t, &tm) : !gmtime_r(&now, &tm))
		snprintf(buf, len, "(unreadable time)");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static int check_time(X509 *x, int i, time_t now, struct cred_error *err)
{
	const ASN1_TIME *nb = X509_get0_notBefore(x), *na = X509_get0_notAfter(x);
	int before = X509_cmp_time(nb, &now), after = X509_cmp_time(na, &now);
	char name[256], when[64], at[64];

	cred_describe(x, name, sizeof(name));
	format_time(NULL, now, at, sizeof(at));
	if (!before || !after)
		return cred_err_ssl(err, -EINVAL,
				    "certificate %d ('%s') has an unreadable validity date",
				    i + 1, name);
	format_time(before > 0 ? nb : na, 0, when, sizeof(when));
	if (before > 0)
		return cred_err(err, -EKEYEXPIRED,
				"certificate %d ('%s') is not yet valid: not before %s (now is %s)",
				i + 1, name, when, at);
	if (after < 0)
		return cred_err(err, -EKEYEXPIRED,
				"certificate %d ('%s') expired on %s (now is %s)",
				i + 1, name, when, at);
	return 0;
}

int cred_validate(const struct credential *c, time_t now, unsigned int flags,
		  struct cred_error *err)
{
	int i, n, ret = 0;

	if (err)
		err->msg[0] = '\0';
	if (!c)
		return cred_err(err, -EINVAL, "no credential given");
	if (flags & ~CRED_VALIDATE_FLAGS)
		return cred_err(err, -EINVAL, "unknown validation flags 0x%x",
				flags & ~CRED_VALIDATE_FLAGS);
	n = c->chain ? sk_X509_num(c->chain) : 0;
	if (n <= 0)
		return cred_err(err, -EINVAL, "the credential has no certificate");
	if (c->key)
		ret = check_key(c->key, sk_X509_value(c->chain, 0), err);
	else if (flags & CRED_REQUIRE_KEY)
		ret = cred_err(err, -ENOKEY,
			       "no private key given; the certificate needs its private key");
	for (i = 0; !ret && i + 1 < n; i++)
		ret = check_link(c->chain, i, err);
	for (i = 0; !ret && !(flags & CRED_ALLOW_EXPIRED) && i < n; i++)
		ret = check_time(sk_X509_value(c->chain, i), i, now, err);
	ERR_clear_error();
	return ret;
}
