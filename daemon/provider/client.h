/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provider's two requests to devcredd, over its socket and nothing
 * else: "credential" when a URI is opened, "sign" for each signature. Each
 * is one connection. What devcredd answers is checked here before the
 * rest of the provider uses it (dp_take_*(), which the fuzz target drives).
 */
#ifndef DEVCRED_PROVIDER_CLIENT_H
#define DEVCRED_PROVIDER_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"
#include "prov.h"

/**
 * struct dp_cred - what a key reference resolves to
 * @slot: the slot, NUL-terminated
 * @generation: its generation
 * @stamp: the SHA-256 of its chain
 * @chain: the chain, PEM, leaf first, NUL-terminated (OPENSSL_malloc'ed)
 * @chain_len: its length
 * @may_sign: the caller may sign with its key
 * @refusal: why not, devcredd's words (NUL-terminated; "" when it may)
 */
struct dp_cred {
	char slot[DC_PROTO_STR_MAX + 1];
	uint64_t generation;
	uint8_t stamp[DC_PROTO_STAMP_LEN];
	char *chain;
	size_t chain_len;
	int may_sign;
	char refusal[256];
};

/**
 * struct dp_sign_args - one signature to ask for
 * @ref: the key reference, "op=sip"
 * @slot: the pin: the slot, its generation, its chain's stamp
 * @generation: see @slot
 * @stamp: see @slot
 * @sig_alg: "rsa-pkcs1", "rsa-pss" or "ecdsa"
 * @digest_alg: "sha256", "sha384" or "sha512"
 * @mgf1_alg: rsa-pss: MGF1's digest
 * @salt_len: rsa-pss: the salt's length
 * @digest: the digest, @digest_len bytes
 */
struct dp_sign_args {
	const char *ref;
	const char *slot;
	uint64_t generation;
	const uint8_t *stamp;
	const char *sig_alg;
	const char *digest_alg;
	const char *mgf1_alg;
	unsigned int salt_len;
	const uint8_t *digest;
	size_t digest_len;
};

/* "credential REF": 1 and @out filled (free with dp_cred_free()), or 0. */
int dp_credential(const struct dp_prov *prov, const char *ref, struct dp_cred *out);
void dp_cred_free(struct dp_cred *c);

/* "sign": 1 and the signature in @sig (*@sig_len in: room, out: length), or 0. */
int dp_sign(const struct dp_prov *prov, const struct dp_sign_args *a, uint8_t *sig,
	    size_t *sig_len);

/*
 * devcredd's answer @msg of @len bytes, to "credential" (@ref for the
 * messages) and to "sign": 1 and the result, or 0 with the reason raised.
 */
int dp_take_credential(const struct dp_prov *prov, const char *ref, const uint8_t *msg,
		       size_t len, struct dp_cred *out);
int dp_take_signature(const struct dp_prov *prov, const char *ref, const uint8_t *msg,
		      size_t len, uint8_t *sig, size_t *sig_len);

#endif /* DEVCRED_PROVIDER_CLIENT_H */
