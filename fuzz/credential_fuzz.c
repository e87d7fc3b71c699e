// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the credential decoder (daemon/lib/cred/: cred_decode()
 * and what devcredd does with its result: cred_validate(), fingerprints,
 * the common name). It decodes what credctl forwards from any local user.
 *
 * Input: CERT [SEP KEY [SEP PASSPHRASE]], SEP being FUZZ_SEP below. Without
 * SEP it is certificate input alone (the single-file form or no key).
 *
 * Beyond the sanitizers, it checks the decoder's documented contract: a
 * listed return value, a message on failure, an empty OpenSSL error queue
 * after every call, and on success a normal form that decodes to itself.
 */
#define _GNU_SOURCE	/* memmem() */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "lib/cred/credential.h"

#define FUZZ_SEP	"\n~~devcred-fuzz~~\n"
#define FUZZ_NOW	((time_t)1767225600)	/* 2026-01-01, fixed: reproducible */

struct part {
	const uint8_t *p;
	size_t n;
};

/* Cuts @in at the first FUZZ_SEP: @in keeps what is before, @rest gets the rest. */
static int cut(struct part *in, struct part *rest)
{
	const uint8_t *s = memmem(in->p, in->n, FUZZ_SEP, sizeof(FUZZ_SEP) - 1);

	if (!s)
		return 0;
	rest->p = s + sizeof(FUZZ_SEP) - 1;
	rest->n = in->n - (size_t)(rest->p - in->p);
	in->n = (size_t)(s - in->p);
	return 1;
}

static void check_queue_empty(void)
{
	if (ERR_peek_error())
		abort();	/* the API promises an empty queue */
}

static int decode_ret_listed(int ret)
{
	switch (ret) {
	case 0: case -EINVAL: case -ENODATA: case -E2BIG: case -EBADMSG:
	case -ENOKEY: case -EKEYREJECTED: case -ENOMEM:
		return 1;
	}
	return 0;
}

static int validate_ret_listed(int ret)
{
	switch (ret) {
	case 0: case -EINVAL: case -ENOKEY: case -EKEYREJECTED: case -EKEYEXPIRED:
	case -ENOMEM:
		return 1;
	}
	return 0;
}

/* What devcredd shows of a stored certificate. */
static void describe_leaf(const struct credential *c)
{
	static const char *const digests[] = { "MD5", "SHA1", "SHA256" };
	char buf[3 * EVP_MAX_MD_SIZE];
	X509 *leaf = sk_X509_value(c->chain, 0);
	size_t i;

	if (!leaf)
		abort();	/* success means at least one certificate */
	for (i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
		if (cred_fingerprint(leaf, digests[i], buf, sizeof(buf)))
			abort();
	cred_common_name(leaf, buf, sizeof(buf));
	check_queue_empty();
}

/* The normal form (PEM chain, PKCS#8 key) must decode to itself. */
static void check_normal_form(const struct credential *c)
{
	struct credential again;
	struct cred_error err;

	if (strlen(c->cert_pem) != c->cert_pem_len ||
	    (c->key && strlen(c->key_pem) != c->key_pem_len))
		abort();
	if (cred_decode(&again, c->cert_pem, c->cert_pem_len, c->key_pem,
			c->key ? c->key_pem_len : 0, NULL, &err))
		abort();
	if (again.cert_pem_len != c->cert_pem_len ||
	    memcmp(again.cert_pem, c->cert_pem, c->cert_pem_len) ||
	    !again.key != !c->key ||
	    (c->key && (again.key_pem_len != c->key_pem_len ||
			memcmp(again.key_pem, c->key_pem, c->key_pem_len))))
		abort();
	cred_free(&again);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/*
	 * OpenSSL's one-time setup (error strings, default provider) would
	 * otherwise show up as leaks of the first input.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part cert = { data, size }, key = { NULL, 0 }, pass = { NULL, 0 };
	struct credential c;
	struct cred_error err;
	uint8_t *cbuf = NULL, *kbuf = NULL;
	char *passphrase = NULL;
	int ret, has_pass = 0;

	if (cut(&cert, &key))
		has_pass = cut(&key, &pass);
	if (has_pass) {
		/* As devcredd does: a NUL-terminated copy of the passphrase blob. */
		passphrase = malloc(pass.n + 1);
		if (!passphrase)
			goto out;
		memcpy(passphrase, pass.p, pass.n);
		passphrase[pass.n] = '\0';
	}
	/* Exact-size copies, so that ASan sees any read past an input. */
	cbuf = malloc(cert.n ? cert.n : 1);
	kbuf = malloc(key.n ? key.n : 1);
	if (!cbuf || !kbuf)
		goto out;
	memcpy(cbuf, cert.p, cert.n);
	if (key.n)
		memcpy(kbuf, key.p, key.n);

	ret = cred_decode(&c, cbuf, cert.n, kbuf, key.n, passphrase, &err);
	check_queue_empty();
	if (!decode_ret_listed(ret) || (ret && !err.msg[0]) ||
	    !memchr(err.msg, '\0', sizeof(err.msg)))
		abort();
	if (!ret) {
		describe_leaf(&c);
		check_normal_form(&c);
		/* devcredd's two ways: install, and install --force. */
		ret = cred_validate(&c, FUZZ_NOW, 0, &err);
		check_queue_empty();
		if (!validate_ret_listed(ret) || (ret && !err.msg[0]))
			abort();
		ret = cred_validate(&c, FUZZ_NOW, CRED_ALLOW_EXPIRED | CRED_REQUIRE_KEY, &err);
		check_queue_empty();
		if (!validate_ret_listed(ret) || (ret && !err.msg[0]))
			abort();
		cred_free(&c);
	}
out:
	free(cbuf);
	free(kbuf);
	if (passphrase) {
		OPENSSL_cleanse(passphrase, pass.n + 1);
		free(passphrase);
	}
	return 0;
}
