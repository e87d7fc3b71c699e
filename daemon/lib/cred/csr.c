// SPDX-License-Identifier: GPL-2.0
/* Keys and certificate signing requests: see csr.h. */
#include <errno.h>
#include <stdlib.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cred_internal.h"
#include "csr.h"
#include "info.h"
#include "pem_take.h"

/**
 * struct cred_key_params - how OpenSSL makes a key type of common/names.h
 * @algorithm: OpenSSL's name for it
 * @bits: RSA modulus size; 0 for EC
 * @curve: EC curve; NULL for RSA
 */
struct cred_key_params {
	const char *algorithm;
	size_t bits;
	const char *curve;
};

static const struct cred_key_params key_params[DC_KEY_TYPE_COUNT] = {
	[DC_KEY_RSA2048] = { "RSA", 2048, NULL },
	[DC_KEY_RSA3072] = { "RSA", 3072, NULL },
	[DC_KEY_EC_P256] = { "EC", 0, "P-256" },
};

int cred_keygen(enum dc_key_type type, EVP_PKEY **key, struct cred_error *err)
{
	const struct cred_key_params *p;

	if ((unsigned int)type >= DC_KEY_TYPE_COUNT)
		return cred_err(err, -EINVAL, "unknown key type %d", type);
	p = &key_params[type];
	*key = p->curve ? EVP_PKEY_Q_keygen(NULL, NULL, p->algorithm, p->curve)
			: EVP_PKEY_Q_keygen(NULL, NULL, p->algorithm, p->bits);
	if (!*key)
		return cred_err_ssl(err, -EIO, "cannot make a %s key", dc_key_type_names[type]);
	return 0;
}

int cred_key_pem(EVP_PKEY *key, char **pem, size_t *len, struct cred_error *err)
{
	BIO *bio = BIO_new(BIO_s_secmem());

	*pem = NULL;
	if (bio && PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		*pem = cred_pem_take(bio, len, 1);
	BIO_free(bio);
	return *pem ? 0 : cred_err_ssl(err, -ENOMEM, "cannot write the key as PEM");
}

int cred_san_make(const char *text, X509_EXTENSION **ext, struct cred_error *err)
{
	GENERAL_NAMES *names;
	X509V3_CTX ctx;
	int i, type = GEN_DNS;

	/* No configuration database: "dirName:section" fails, it does not crash. */
	X509V3_set_ctx(&ctx, NULL, NULL, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	*ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, text);
	if (!*ext)
		return cred_err_ssl(err, -EINVAL, "'%s' is not a subjectAltName list such as DNS:phone.example,IP:192.0.2.1,email:ops@example.com",
				    text);
	names = X509V3_EXT_d2i(*ext);
	for (i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		type = sk_GENERAL_NAME_value(names, i)->type;
		if (type != GEN_DNS && type != GEN_IPADD && type != GEN_EMAIL)
			break;
	}
	GENERAL_NAMES_free(names);
	if (names && (type == GEN_DNS || type == GEN_IPADD || type == GEN_EMAIL))
		return 0;
	X509_EXTENSION_free(*ext);
	*ext = NULL;
	return cred_err(err, -EINVAL, "'%s': name %d is neither DNS:, IP: nor email:, the names a device's TLS peers check",
			text, i + 1);
}

int cred_csr_make(EVP_PKEY *key, const X509_NAME *subject, X509_EXTENSION *san, char **pem,
		  size_t *len, char *digest, struct cred_error *err)
{
	X509_REQ *req = X509_REQ_new();
	BIO *bio = BIO_new(BIO_s_mem());
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	int ok;

	*pem = NULL;
	ok = req && bio && exts && X509_REQ_set_version(req, X509_REQ_VERSION_1) &&
	     X509_REQ_set_subject_name(req, subject) && X509_REQ_set_pubkey(req, key) &&
	     (!san || (sk_X509_EXTENSION_push(exts, san) && X509_REQ_add_extensions(req, exts))) &&
	     X509_REQ_sign(req, key, EVP_sha256()) > 0 && PEM_write_bio_X509_REQ(bio, req) &&
	     X509_REQ_digest(req, EVP_sha256(), md, &md_len) &&
	     OPENSSL_buf2hexstr_ex(digest, CRED_FP_LEN, NULL, md, md_len, ':');
	if (ok)
		*pem = cred_pem_take(bio, len, 0);
	X509_REQ_free(req);
	BIO_free(bio);
	sk_X509_EXTENSION_free(exts);	/* @san stays the caller's */
	return *pem ? 0 : cred_err_ssl(err, -EIO, "cannot make the request");
}
