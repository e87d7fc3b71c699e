/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signatures made with a stored key for another program (the devcred
 * OpenSSL provider asks devcredd for them): the OpenSSL work apart from
 * the rules of who may ask. Like csr.h, it touches nothing but its
 * arguments: devcredd runs it in a worker thread.
 */
#ifndef DEVCRED_CRED_SIGN_H
#define DEVCRED_CRED_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "common/names.h"

struct cred_error;

/* The longest signature made: RSA 4096. */
#define CRED_SIG_MAX	512

/**
 * struct cred_sign_req - one signature to make
 * @alg: the scheme, DC_SIG_*
 * @digest_alg: the digest's algorithm, DC_DIGEST_*
 * @mgf1_alg: DC_SIG_RSA_PSS: MGF1's digest, DC_DIGEST_*
 * @salt_len: DC_SIG_RSA_PSS: the salt's length in bytes
 * @digest: the digest, dc_digest_sizes[@digest_alg] bytes
 */
struct cred_sign_req {
	enum dc_sig_alg alg;
	enum dc_digest digest_alg;
	enum dc_digest mgf1_alg;
	unsigned int salt_len;
	const uint8_t *digest;
};

/**
 * cred_sign() - sign a digest with a key in PEM
 * @key_pem, @key_len: the private key as the store keeps it (PKCS#8 PEM)
 * @r: what to sign, and how
 * @sig: CRED_SIG_MAX bytes for the signature
 * @sig_len: its length, out
 * @err: the message on failure; may be NULL
 *
 * Refuses a scheme the key cannot make (RSA schemes with an EC key and the
 * reverse) and a PSS salt longer than the key leaves room for. The decoded
 * key is freed (and wiped) before it returns.
 *
 * Return: 0; -EINVAL for a scheme that does not fit the key; -EBADMSG for
 * a key that does not decode; -EIO when OpenSSL fails to sign; -ENOMEM.
 */
int cred_sign(const char *key_pem, size_t key_len, const struct cred_sign_req *r, uint8_t *sig,
	      size_t *sig_len, struct cred_error *err);

/* The SHA-256 of @len bytes at @data in @out (32 bytes): a chain's stamp. */
int cred_stamp(const void *data, size_t len, uint8_t out[32]);

#endif /* DEVCRED_CRED_SIGN_H */
