// SPDX-License-Identifier: GPL-2.0
/*
 * cred_decode(): raw input to a struct credential in normal form (PEM chain
 * leaf first, unencrypted PKCS#8 key), and cred_free().
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "cred_internal.h"

static int check_size(const struct cred_input *in, struct cred_error *err)
{
	size_t i;

	if (!in->len)
		return cred_err(err, -ENODATA, "%s is empty", in->what);
	if (in->len > CRED_INPUT_MAX)
		return cred_err(err, -E2BIG,
				"%s is %zu bytes; at most %d bytes (CRED_INPUT_MAX) are accepted",
				in->what, in->len, CRED_INPUT_MAX);
	for (i = 0; i < in->len && isspace(in->buf[i]); i++)
		;
	if (i == in->len)
		return cred_err(err, -ENODATA, "%s is empty (only whitespace)",
				in->what);
	return 0;
}

static int scan_certs(struct cred_input *in, struct cred_error *err)
{
	int ret;

	in->certs = sk_X509_new_null();
	if (!in->certs)
		return cred_err_ssl(err, -ENOMEM, "%s: out of memory", in->what);
	ret = cred_input_is_pem(in) ? cred_pem_scan(in, err) : cred_der_scan(in, err);
	if (!ret && sk_X509_num(in->certs) > CRED_CHAIN_MAX)
		return cred_err(err, -E2BIG,
				"%s holds %d certificates; at most %d (CRED_CHAIN_MAX) are accepted",
				in->what, sk_X509_num(in->certs), CRED_CHAIN_MAX);
	if (ret || sk_X509_num(in->certs) > 0)
		return ret;
	if (in->has_key)
		return cred_err(err, -EINVAL,
				"%s holds a private key but no certificate; give the certificate (PEM, DER or PKCS#7) as certificate input",
				in->what);
	return cred_err(err, -EINVAL, "%s holds no certificate", in->what);
}

/* The key from the key input, or from the certificate input's key block. */
static int decode_key(EVP_PKEY **key, const struct cred_input *cert,
		      struct cred_input *in, const char *passphrase,
		      struct cred_error *err)
{
	int ret;

	if (!in->len && !cert->has_key)
		return 0;
	if (!in->len)
		return cred_key_decode(key, cert, cert->buf + cert->key_start,
				       cert->key_end - cert->key_start, true,
				       passphrase, err);
	if (cert->has_key)
		return cred_err(err, -EINVAL,
				"two private keys: the certificate input holds one at byte offset %zu and a key input was given too; give one",
				cert->key_start);
	ret = check_size(in, err);
	if (ret)
		return ret;
	if (!cred_input_is_pem(in))
		return cred_key_decode(key, in, in->buf, in->len, false,
				       passphrase, err);
	ret = cred_pem_scan(in, err);
	if (!ret && !in->has_key)
		ret = cred_err(err, -EINVAL, "%s holds no private key", in->what);
	if (ret)
		return ret;
	return cred_key_decode(key, in, in->buf + in->key_start,
			       in->key_end - in->key_start, true, passphrase, err);
}

static int chain_to_pem(struct credential *c, struct cred_error *err)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n = 0;
	int i, ok = !!b;

	for (i = 0; ok && i < sk_X509_num(c->chain); i++)
		ok = PEM_write_bio_X509(b, sk_X509_value(c->chain, i));
	if (ok)
		n = BIO_get_mem_data(b, &p);
	if (n > 0)
		c->cert_pem = malloc(n + 1);
	if (c->cert_pem) {
		memcpy(c->cert_pem, p, n);
		c->cert_pem[n] = '\0';
		c->cert_pem_len = n;
	}
	BIO_free(b);
	if (!c->cert_pem)
		return cred_err_ssl(err, -ENOMEM, "cannot write the certificates as PEM");
	return 0;
}

/* Unencrypted PKCS#8, through a secure-memory BIO cleared when freed. */
static int key_to_pem(struct credential *c, struct cred_error *err)
{
	BIO *b = BIO_new(BIO_s_secmem());
	char *p = NULL;
	long n = 0;

	if (b && PEM_write_bio_PKCS8PrivateKey(b, c->key, NULL, NULL, 0, NULL, NULL))
		n = BIO_get_mem_data(b, &p);
	if (n > 0)
		c->key_pem = cred_secret_dup(p, n);
	if (c->key_pem)
		c->key_pem_len = n;
	BIO_free(b);
	if (!c->key_pem)
		return cred_err_ssl(err, -ENOMEM, "cannot write the private key as PKCS#8 PEM");
	return 0;
}

int cred_decode(struct credential *out, const void *cert_buf, size_t cert_len,
		const void *key_buf, size_t key_len, const char *passphrase,
		struct cred_error *err)
{
	struct cred_input cert = { .what = "certificate input", .buf = cert_buf,
				   .len = cert_len };
	struct cred_input key = { .what = "key input", .buf = key_buf,
				  .len = key_len };
	int ret;

	if (err) {
		err->msg[0] = '\0';
		err->no_cert = 0;
	}
	if (!out || (!cert_buf && cert_len) || (!key_buf && key_len))
		return cred_err(err, -EINVAL, "invalid arguments");
	memset(out, 0, sizeof(*out));
	ret = check_size(&cert, err);
	if (!ret)
		ret = scan_certs(&cert, err);
	if (ret && err)
		err->no_cert = !cert.certs || !sk_X509_num(cert.certs);
	if (!ret)
		ret = decode_key(&out->key, &cert, &key, passphrase, err);
	if (!ret)
		ret = cred_chain_order(cert.certs, err);
	if (!ret) {
		out->chain = cert.certs;
		cert.certs = NULL;
		ret = chain_to_pem(out, err);
	}
	if (!ret && out->key)
		ret = key_to_pem(out, err);
	sk_X509_pop_free(cert.certs, X509_free);
	if (ret)
		cred_free(out);
	ERR_clear_error();
	return ret;
}

void cred_free(struct credential *c)
{
	if (!c)
		return;
	sk_X509_pop_free(c->chain, X509_free);
	/* OpenSSL clears private key components as it frees them. */
	EVP_PKEY_free(c->key);
	free(c->cert_pem);
	cred_secret_free(c->key_pem, c->key_pem_len);
	memset(c, 0, sizeof(*c));
}
