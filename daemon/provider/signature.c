// SPDX-License-Identifier: GPL-2.0
/*
 * SIGNATURE for the provider's keys: RSA (PKCS#1 v1.5 and PSS) and ECDSA,
 * made by devcredd. The digest is computed here (EVP_DigestSign*, as TLS
 * signs) or given (EVP_PKEY_sign); devcredd gets the digest, the scheme and
 * the key's pin, and answers the signature (client.h).
 *
 * Only what devcredd signs is offered: SHA-256, SHA-384 and SHA-512
 * digests; no raw RSA (an RSA signature needs its digest's algorithm), no
 * verification (OpenSSL verifies with the certificate's key, in the
 * default provider) and no decryption.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "common/names.h"
#include "client.h"
#include "key.h"

/**
 * struct dp_sig - one signing operation
 * @prov: the provider
 * @key: its key (a reference held)
 * @rsa: an RSA signature (else ECDSA)
 * @pss: RSA-PSS (else PKCS#1 v1.5)
 * @md: the digest, DC_DIGEST_*, or -1 while none is set
 * @mgf1: PSS: MGF1's digest, or -1 for @md's
 * @salt_len: PSS: the salt's length, or RSA_PSS_SALTLEN_DIGEST, _MAX, _AUTO
 * @mdctx: EVP_DigestSign*: the digest being computed
 */
struct dp_sig {
	struct dp_prov *prov;
	struct dp_key *key;
	int rsa;
	int pss;
	int md;
	int mgf1;
	int salt_len;
	EVP_MD_CTX *mdctx;
};

/* OpenSSL's names of DC_DIGEST_*, and those it also accepts for them. */
static const char *const dp_md_names[DC_DIGEST_COUNT][3] = {
	[DC_DIGEST_SHA256] = { "SHA256", "SHA2-256", "SHA-256" },
	[DC_DIGEST_SHA384] = { "SHA384", "SHA2-384", "SHA-384" },
	[DC_DIGEST_SHA512] = { "SHA512", "SHA2-512", "SHA-512" },
};

/* The digest named @name, or -1 with the reason raised. */
static int dp_md_by_name(const struct dp_prov *prov, const char *name)
{
	int i, j;

	for (i = 0; i < DC_DIGEST_COUNT; i++)
		for (j = 0; j < 3; j++)
			if (!strcasecmp(name, dp_md_names[i][j]))
				return i;
	dp_raise(prov, DP_R_UNSUPPORTED,
		 "digest %s: devcredd signs SHA-256, SHA-384 and SHA-512 digests only", name);
	return -1;
}

static void *dp_sig_newctx(void *provctx, int rsa)
{
	struct dp_sig *s = OPENSSL_zalloc(sizeof(*s));

	if (!s) {
		dp_raise(provctx, DP_R_NO_MEMORY, "a signature");
		return NULL;
	}
	s->prov = provctx;
	s->rsa = rsa;
	s->md = -1;
	s->mgf1 = -1;
	s->salt_len = RSA_PSS_SALTLEN_AUTO;
	return s;
}

static void *dp_sig_newctx_rsa(void *provctx, const char *propq)
{
	(void)propq;
	return dp_sig_newctx(provctx, 1);
}

static void *dp_sig_newctx_ecdsa(void *provctx, const char *propq)
{
	(void)propq;
	return dp_sig_newctx(provctx, 0);
}

static void dp_sig_freectx(void *ctx)
{
	struct dp_sig *s = ctx;

	if (!s)
		return;
	dp_key_put(s->key);
	EVP_MD_CTX_free(s->mdctx);
	OPENSSL_clear_free(s, sizeof(*s));
}

static void *dp_sig_dupctx(void *ctx)
{
	struct dp_sig *s = ctx, *d = OPENSSL_memdup(s, sizeof(*s));

	if (!d) {
		dp_raise(s->prov, DP_R_NO_MEMORY, "a signature");
		return NULL;
	}
	d->mdctx = NULL;
	if (d->key)
		dp_key_get(d->key);
	if (s->mdctx && (!(d->mdctx = EVP_MD_CTX_new()) || !EVP_MD_CTX_copy_ex(d->mdctx, s->mdctx))) {
		dp_sig_freectx(d);
		return NULL;
	}
	return d;
}

static int dp_sig_set_params(void *ctx, const OSSL_PARAM params[]);

/* The key to sign with: one of ours, with its private half in devcredd. */
static int dp_sig_init(struct dp_sig *s, void *keydata, const OSSL_PARAM params[])
{
	struct dp_key *k = keydata;

	if (k) {
		if (k->magic != DP_KEY_MAGIC || !k->handle || !k->pub)
			return dp_raise(s->prov, DP_R_UNSUPPORTED,
					"signing needs a key loaded from a devcred: URI");
		if (k->rsa != s->rsa)
			return dp_raise(s->prov, DP_R_UNSUPPORTED, "%s: %s signature with %s key",
					k->ref, s->rsa ? "an RSA" : "an ECDSA",
					k->rsa ? "an RSA" : "an EC");
		dp_key_put(s->key);
		s->key = dp_key_get(k);
	}
	if (!s->key)
		return dp_raise(s->prov, DP_R_UNSUPPORTED, "no key to sign with");
	return dp_sig_set_params(s, params);
}

static int dp_sig_sign_init(void *ctx, void *keydata, const OSSL_PARAM params[])
{
	return dp_sig_init(ctx, keydata, params);
}

/* The largest salt the key leaves room for with digest @md (RFC 8017, 9.1.1). */
static int dp_pss_max_salt(const struct dp_sig *s, int md)
{
	int bits = EVP_PKEY_get_bits(s->key->pub);
	int em_len = (bits - 1 + 7) / 8;

	return em_len - (int)dc_digest_sizes[md] - 2;
}

/* The signature's largest size, which OpenSSL asks for first. */
static size_t dp_sig_max(const struct dp_sig *s)
{
	return (size_t)EVP_PKEY_get_size(s->key->pub);
}

/* Asks devcredd to sign the digest @dgst of algorithm @md. */
static int dp_sig_request(struct dp_sig *s, int md, const unsigned char *dgst, unsigned char *sig,
			  size_t *siglen, size_t sigsize)
{
	struct dp_key *k = s->key;
	int salt = s->salt_len;
	struct dp_sign_args a = {
		.ref = k->ref, .slot = k->slot, .generation = k->generation, .stamp = k->stamp,
		.sig_alg = !s->rsa ? "ecdsa" : s->pss ? "rsa-pss" : "rsa-pkcs1",
		.digest_alg = dc_digest_names[md], .digest = dgst,
		.digest_len = dc_digest_sizes[md],
	};

	if (s->pss) {
		a.mgf1_alg = dc_digest_names[s->mgf1 >= 0 ? s->mgf1 : md];
		if (salt == RSA_PSS_SALTLEN_DIGEST)
			salt = dc_digest_sizes[md];
		else if (salt == RSA_PSS_SALTLEN_MAX || salt == RSA_PSS_SALTLEN_AUTO)
			salt = dp_pss_max_salt(s, md);
		if (salt < 0 || salt > dp_pss_max_salt(s, md))
			return dp_raise(s->prov, DP_R_UNSUPPORTED,
					"%s: a PSS salt of %d bytes does not fit a %d-bit key",
					k->ref, salt, EVP_PKEY_get_bits(k->pub));
		a.salt_len = salt;
	}
	*siglen = sigsize;
	if (!dp_sign(s->prov, &a, sig, siglen))
		return 0;
	/* An RSA signature is as long as the modulus, to the byte. */
	if (s->rsa && *siglen != dp_sig_max(s))
		return dp_raise(s->prov, DP_R_BAD_ANSWER, "%s: an RSA signature of %zu bytes from a %d-bit key",
				k->ref, *siglen, EVP_PKEY_get_bits(k->pub));
	return 1;
}

/* EVP_PKEY_sign: the caller computed the digest. */
static int dp_sig_sign(void *ctx, unsigned char *sig, size_t *siglen, size_t sigsize,
		       const unsigned char *tbs, size_t tbslen)
{
	struct dp_sig *s = ctx;
	int md = s->md, i;

	if (!s->key)
		return dp_raise(s->prov, DP_R_UNSUPPORTED, "no key to sign with");
	if (!sig) {
		*siglen = dp_sig_max(s);
		return 1;
	}
	/* ECDSA signs any digest: its length says which (SHA-256, -384, -512). */
	for (i = 0; md < 0 && !s->rsa && i < DC_DIGEST_COUNT; i++)
		if (tbslen == dc_digest_sizes[i])
			md = i;
	if (md < 0)
		return dp_raise(s->prov, DP_R_UNSUPPORTED,
				"%s: set the digest's algorithm (SHA-256, -384, -512): devcredd signs no raw data",
				s->key->ref);
	if (tbslen != dc_digest_sizes[md])
		return dp_raise(s->prov, DP_R_UNSUPPORTED, "%s: a %s digest is %u bytes, not %zu",
				s->key->ref, dc_digest_names[md], dc_digest_sizes[md], tbslen);
	return dp_sig_request(s, md, tbs, sig, siglen, sigsize);
}

/* EVP_DigestSign*: the digest is computed here, from the child library context. */
static int dp_sig_digest_sign_init(void *ctx, const char *mdname, void *keydata,
				   const OSSL_PARAM params[])
{
	struct dp_sig *s = ctx;
	EVP_MD *md;
	int ok;

	if (!dp_sig_init(s, keydata, params))
		return 0;
	if (mdname && mdname[0])
		s->md = dp_md_by_name(s->prov, mdname);
	else if (s->md < 0)
		s->md = DC_DIGEST_SHA256;
	if (s->md < 0)
		return 0;
	md = EVP_MD_fetch(s->prov->libctx, dp_md_names[s->md][0], DP_OTHERS);
	if (!s->mdctx)
		s->mdctx = EVP_MD_CTX_new();
	ok = md && s->mdctx && EVP_DigestInit_ex2(s->mdctx, md, NULL);
	EVP_MD_free(md);
	if (!ok)
		return dp_raise(s->prov, DP_R_UNSUPPORTED,
				"%s: no %s digest (load the default provider too)", s->key->ref,
				dp_md_names[s->md][0]);
	return 1;
}

static int dp_sig_digest_sign_update(void *ctx, const unsigned char *data, size_t len)
{
	struct dp_sig *s = ctx;

	return s->mdctx && EVP_DigestUpdate(s->mdctx, data, len);
}

static int dp_sig_digest_sign_final(void *ctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
	struct dp_sig *s = ctx;
	unsigned char dgst[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int ok;

	if (!s->mdctx || !s->key)
		return dp_raise(s->prov, DP_R_UNSUPPORTED, "no digest being signed");
	if (!sig) {
		*siglen = dp_sig_max(s);
		return 1;
	}
	if (!EVP_DigestFinal_ex(s->mdctx, dgst, &len) || len != dc_digest_sizes[s->md])
		return dp_raise(s->prov, DP_R_UNSUPPORTED, "%s: the digest failed", s->key->ref);
	ok = dp_sig_request(s, s->md, dgst, sig, siglen, sigsize);
	OPENSSL_cleanse(dgst, sizeof(dgst));
	return ok;
}

/* The padding: an integer (RSA_PKCS1_*) or its name, as OpenSSL passes either. */
static int dp_sig_set_pad(struct dp_sig *s, const OSSL_PARAM *p)
{
	const char *name = NULL;
	int pad = 0;

	if (p->data_type == OSSL_PARAM_UTF8_STRING) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
			return 0;
		pad = !strcmp(name, OSSL_PKEY_RSA_PAD_MODE_PKCSV15) ? RSA_PKCS1_PADDING :
		      !strcmp(name, OSSL_PKEY_RSA_PAD_MODE_PSS) ? RSA_PKCS1_PSS_PADDING : 0;
	} else if (!OSSL_PARAM_get_int(p, &pad)) {
		return 0;
	}
	if (!s->rsa || (pad != RSA_PKCS1_PADDING && pad != RSA_PKCS1_PSS_PADDING))
		return dp_raise(s->prov, DP_R_UNSUPPORTED,
				"padding %s: devcredd signs RSA PKCS#1 v1.5 and PSS only",
				name ? name : "(number)");
	s->pss = pad == RSA_PKCS1_PSS_PADDING;
	return 1;
}

/* The PSS salt's length: a number, or "digest", "max", "auto". */
static int dp_sig_set_salt(struct dp_sig *s, const OSSL_PARAM *p)
{
	const char *name;
	int len;

	if (p->data_type == OSSL_PARAM_UTF8_STRING) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
			return 0;
		if (!strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST))
			len = RSA_PSS_SALTLEN_DIGEST;
		else if (!strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_MAX))
			len = RSA_PSS_SALTLEN_MAX;
		else if (!strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO))
			len = RSA_PSS_SALTLEN_AUTO;
		else
			len = atoi(name);
	} else if (!OSSL_PARAM_get_int(p, &len)) {
		return 0;
	}
	/* OpenSSL's special lengths are negative: digest -1, auto -2, max -3. */
	if (len < 0 && len != RSA_PSS_SALTLEN_DIGEST && len != RSA_PSS_SALTLEN_AUTO &&
	    len != RSA_PSS_SALTLEN_MAX)
		return dp_raise(s->prov, DP_R_UNSUPPORTED,
				"PSS salt length %d: a number of bytes, digest, max or auto", len);
	s->salt_len = len;
	return 1;
}

static int dp_sig_set_params(void *ctx, const OSSL_PARAM params[])
{
	struct dp_sig *s = ctx;
	const OSSL_PARAM *p;
	const char *name;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST);
	if (p && (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
		  (s->md = dp_md_by_name(s->prov, name)) < 0))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
	if (p && !dp_sig_set_pad(s, p))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
	if (p && !dp_sig_set_salt(s, p))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
	if (p && (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
		  (s->mgf1 = dp_md_by_name(s->prov, name)) < 0))
		return 0;
	return 1;
}

static const OSSL_PARAM *dp_sig_rsa_settable(void *ctx, void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
		OSSL_PARAM_END
	};

	(void)ctx;
	(void)provctx;
	return params;
}

static const OSSL_PARAM *dp_sig_ecdsa_settable(void *ctx, void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
		OSSL_PARAM_END
	};

	(void)ctx;
	(void)provctx;
	return params;
}

static int dp_sig_get_params(void *ctx, OSSL_PARAM params[])
{
	struct dp_sig *s = ctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST);
	if (p && s->md >= 0 && !OSSL_PARAM_set_utf8_string(p, dp_md_names[s->md][0]))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
	if (p && s->rsa && !(p->data_type == OSSL_PARAM_INTEGER ?
			     OSSL_PARAM_set_int(p, s->pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) :
			     OSSL_PARAM_set_utf8_string(p, s->pss ? OSSL_PKEY_RSA_PAD_MODE_PSS :
							OSSL_PKEY_RSA_PAD_MODE_PKCSV15)))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
	return !p || !s->pss || p->data_type != OSSL_PARAM_INTEGER ||
	       OSSL_PARAM_set_int(p, s->salt_len);
}

static const OSSL_PARAM *dp_sig_gettable(void *ctx, void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
		OSSL_PARAM_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL),
		OSSL_PARAM_END
	};

	(void)ctx;
	(void)provctx;
	return params;
}

#define DP_SIGNATURE_COMMON \
	{ OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))dp_sig_freectx }, \
	{ OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))dp_sig_dupctx }, \
	{ OSSL_FUNC_SIGNATURE_SIGN_INIT, (void (*)(void))dp_sig_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_SIGN, (void (*)(void))dp_sig_sign }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, (void (*)(void))dp_sig_digest_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, (void (*)(void))dp_sig_digest_sign_update }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, (void (*)(void))dp_sig_digest_sign_final }, \
	{ OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))dp_sig_set_params }, \
	{ OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))dp_sig_get_params }, \
	{ OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, (void (*)(void))dp_sig_gettable }

const OSSL_DISPATCH dp_rsa_signature_functions[] = {
	{ OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))dp_sig_newctx_rsa },
	{ OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, (void (*)(void))dp_sig_rsa_settable },
	DP_SIGNATURE_COMMON,
	{ 0, NULL }
};

const OSSL_DISPATCH dp_ecdsa_signature_functions[] = {
	{ OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))dp_sig_newctx_ecdsa },
	{ OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, (void (*)(void))dp_sig_ecdsa_settable },
	DP_SIGNATURE_COMMON,
	{ 0, NULL }
};
