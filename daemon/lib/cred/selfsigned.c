// SPDX-License-Identifier: GPL-2.0
/* The self-signed built-in certificate: see selfsigned.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "cred_internal.h"
#include "pem_take.h"
#include "selfsigned.h"

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static X509 *build_cert(EVP_PKEY *key, const char *cn, time_t now)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *serial = BN_new();
	int ok;

	ok = x && name && serial && X509_set_version(x, X509_VERSION_3) &&
	     BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
	     BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
	     X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
	     X509_time_adj_ex(X509_getm_notAfter(x), 20 * 365, 0, &now) &&
	     X509_set_pubkey(x, key) &&
	     add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
	     add_ext(x, NID_key_usage, "critical,digitalSignature,keyAgreement") &&
	     add_ext(x, NID_ext_key_usage, "serverAuth,clientAuth") &&
	     add_ext(x, NID_subject_key_identifier, "hash") &&
	     X509_sign(x, key, EVP_sha256());
	X509_NAME_free(name);
	BN_free(serial);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int cred_selfsigned_make(const char *cn, time_t now, char **cert_pem, size_t *cert_len,
			 char **key_pem, size_t *key_len, struct cred_error *err)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	BIO *cb = BIO_new(BIO_s_mem()), *kb = BIO_new(BIO_s_secmem());
	X509 *x = key ? build_cert(key, cn, now) : NULL;
	int ret;

	*cert_pem = *key_pem = NULL;
	if (!x || !cb || !kb || !PEM_write_bio_X509(cb, x) ||
	    !PEM_write_bio_PKCS8PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL)) {
		ret = cred_err_ssl(err, -EINVAL, "cannot make a self-signed certificate");
		goto out;
	}
	*cert_pem = cred_pem_take(cb, cert_len, 0);
	*key_pem = cred_pem_take(kb, key_len, 1);
	ret = *cert_pem && *key_pem ? 0 : cred_err(err, -ENOMEM, "out of memory");
out:
	if (ret) {
		free(*cert_pem);
		if (*key_pem)
			OPENSSL_secure_clear_free(*key_pem, *key_len + 1);
		*cert_pem = *key_pem = NULL;
	}
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(key);
	BIO_free(cb);
	BIO_free(kb);
	return ret;
}
