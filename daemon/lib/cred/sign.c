// SPDX-License-Identifier: GPL-2.0
/* Signatures with a stored key: see sign.h. */
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "cred_internal.h"
#include "sign.h"

/* OpenSSL's names of DC_DIGEST_*. */
static const char *const cred_md_names[DC_DIGEST_COUNT] = {
	[DC_DIGEST_SHA256] = "SHA256",
	[DC_DIGEST_SHA384] = "SHA384",
	[DC_DIGEST_SHA512] = "SHA512",
};

/* The key, decoded from the normal form the store keeps. */
static int cred_sign_key(const char *pem, size_t len, EVP_PKEY **key, struct cred_error *err)
{
	BIO *b = BIO_new_mem_buf(pem, len);

	*key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!*key)
		return cred_err_ssl(err, b ? -EBADMSG : -ENOMEM,
				    "the stored private key does not decode");
	return 0;
}

/* The scheme's parameters on @pctx, once it is set up for signing. */
static int cred_sign_setup(EVP_PKEY_CTX *pctx, EVP_PKEY *key, const struct cred_sign_req *r,
			   struct cred_error *err)
{
	int rsa = EVP_PKEY_is_a(key, "RSA");
	const char *md = cred_md_names[r->digest_alg];

	if (rsa != (r->alg != DC_SIG_ECDSA))
		return cred_err(err, -EINVAL, "%s asked of %s key", dc_sig_alg_names[r->alg],
				rsa ? "an RSA" : EVP_PKEY_is_a(key, "EC") ? "an EC" : "a");
	if (r->alg == DC_SIG_RSA_PSS &&
	    r->salt_len + dc_digest_sizes[r->digest_alg] + 2 > (unsigned int)EVP_PKEY_get_size(key))
		return cred_err(err, -EINVAL,
				"a PSS salt of %u bytes does not fit a %d-bit key with %s",
				r->salt_len, EVP_PKEY_get_bits(key), dc_digest_names[r->digest_alg]);
	if (EVP_PKEY_CTX_set_signature_md(pctx, EVP_get_digestbyname(md)) <= 0)
		return cred_err_ssl(err, -EINVAL, "cannot sign a %s digest", md);
	if (!rsa)
		return 0;
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, r->alg == DC_SIG_RSA_PSS ?
					 RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) <= 0)
		return cred_err_ssl(err, -EINVAL, "cannot set the RSA padding");
	if (r->alg == DC_SIG_RSA_PSS &&
	    (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, r->salt_len) <= 0 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_get_digestbyname(cred_md_names[r->mgf1_alg])) <= 0))
		return cred_err_ssl(err, -EINVAL, "cannot set the PSS parameters");
	return 0;
}

int cred_sign(const char *key_pem, size_t key_len, const struct cred_sign_req *r, uint8_t *sig,
	      size_t *sig_len, struct cred_error *err)
{
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *key = NULL;
	int ret;

	if (err)
		err->msg[0] = '\0';
	if (r->alg >= DC_SIG_ALG_COUNT || r->digest_alg >= DC_DIGEST_COUNT ||
	    r->mgf1_alg >= DC_DIGEST_COUNT)
		return cred_err(err, -EINVAL, "invalid arguments");
	ret = cred_sign_key(key_pem, key_len, &key, err);
	if (!ret) {
		pctx = EVP_PKEY_CTX_new(key, NULL);
		ret = pctx && EVP_PKEY_sign_init(pctx) > 0 ? 0 :
		      cred_err_ssl(err, -ENOMEM, "cannot set up the signature");
	}
	if (!ret)
		ret = cred_sign_setup(pctx, key, r, err);
	if (!ret && (size_t)EVP_PKEY_get_size(key) > CRED_SIG_MAX)
		ret = cred_err(err, -EINVAL, "a %d-bit key makes signatures over %d bytes",
			       EVP_PKEY_get_bits(key), CRED_SIG_MAX);
	*sig_len = CRED_SIG_MAX;
	if (!ret && EVP_PKEY_sign(pctx, sig, sig_len, r->digest,
				  dc_digest_sizes[r->digest_alg]) <= 0)
		ret = cred_err_ssl(err, -EIO, "%s signature failed", dc_sig_alg_names[r->alg]);
	if (ret)
		*sig_len = 0;
	EVP_PKEY_CTX_free(pctx);
	/* OpenSSL clears private key components as it frees them. */
	EVP_PKEY_free(key);
	ERR_clear_error();
	return ret;
}

int cred_stamp(const void *data, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != 32) {
		ERR_clear_error();
		return -ENOMEM;
	}
	return 0;
}
