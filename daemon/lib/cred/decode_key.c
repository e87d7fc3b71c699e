// SPDX-License-Identifier: GPL-2.0
/*
 * Private key decoding with OSSL_DECODER: PKCS#8 (plain or encrypted),
 * traditional RSA/EC keys (plain or legacy-encrypted PEM), PEM or DER.
 * The passphrase comes only from the caller: the callback never prompts.
 */
#include <errno.h>
#include <string.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "cred_internal.h"

struct pass_state {
	const char *passphrase;
	bool asked;		/* the key is encrypted */
	bool too_long;		/* the passphrase did not fit */
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass_state *ps = u;
	size_t n;

	(void)rwflag;
	ps->asked = true;
	if (!ps->passphrase)
		return -1;
	n = strlen(ps->passphrase);
	if (size < 0 || n > (size_t)size) {
		ps->too_long = true;
		return -1;
	}
	memcpy(buf, ps->passphrase, n);
	return (int)n;
}

/* A DER SubjectPublicKeyInfo where a private key was expected? */
static bool is_public_der(const unsigned char *p, size_t n)
{
	EVP_PKEY *pub;

	ERR_set_mark();
	pub = d2i_PUBKEY(NULL, &p, (long)n);
	ERR_pop_to_mark();
	EVP_PKEY_free(pub);
	return !!pub;
}

static int decode_error(const struct cred_input *in, const struct pass_state *ps,
			const unsigned char *p, size_t n, size_t at, bool pem,
			struct cred_error *err)
{
	if (ps->too_long)
		return cred_err(err, -EINVAL,
				"%s: the passphrase is too long for OpenSSL's PEM reader",
				in->what);
	if (ps->asked && !ps->passphrase)
		return cred_err(err, -ENOKEY,
				"%s: private key is encrypted; give --passphrase-file",
				in->what);
	if (ps->asked)
		return cred_err_ssl(err, -EKEYREJECTED,
				    "%s: cannot decrypt the private key at byte offset %zu: wrong passphrase (or a damaged key)",
				    in->what, at);
	if (!pem && is_public_der(p, n))
		return cred_err(err, -EINVAL,
				"%s: this is a DER public key; the private key is needed",
				in->what);
	return cred_err_ssl(err, -EBADMSG,
			    "%s: the private key at byte offset %zu does not decode",
			    in->what, at);
}

int cred_key_decode(EVP_PKEY **key, const struct cred_input *in,
		    const unsigned char *p, size_t n, bool pem,
		    const char *passphrase, struct cred_error *err)
{
	struct pass_state ps = { .passphrase = passphrase };
	const unsigned char *start = p;
	size_t len = n;
	size_t at = (size_t)(p - in->buf);
	OSSL_DECODER_CTX *dctx;
	int ok;

	*key = NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(key, pem ? "PEM" : "DER", NULL,
					     NULL, EVP_PKEY_KEYPAIR, NULL, NULL);
	if (!dctx || !OSSL_DECODER_CTX_set_pem_password_cb(dctx, pass_cb, &ps)) {
		OSSL_DECODER_CTX_free(dctx);
		return cred_err_ssl(err, -ENOMEM, "%s: cannot set up the key decoder",
				    in->what);
	}
	ok = OSSL_DECODER_from_data(dctx, &p, &n);
	OSSL_DECODER_CTX_free(dctx);
	if (!ok || !*key) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return decode_error(in, &ps, start, len, at, pem, err);
	}
	if (!pem && n) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return cred_err(err, -EBADMSG,
				"%s: trailing data at byte offset %zu (%zu bytes after the DER key); remove it",
				in->what, in->len - n, n);
	}
	ERR_clear_error();
	return 0;
}
