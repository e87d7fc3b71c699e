/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A key of the provider (the KEYMGMT's keydata): the public half, from the
 * certificate, and for a key loaded from a URI the handle on its private
 * half: the key reference and the pin devcredd signs under (the slot, its
 * generation, its chain's SHA-256). Keys never change once made and are
 * shared by counting references (OpenSSL duplicates and caches them).
 */
#ifndef DEVCRED_PROVIDER_KEY_H
#define DEVCRED_PROVIDER_KEY_H

#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/keyref.h"
#include "common/proto.h"
#include "prov.h"

struct dp_cred;

/**
 * struct dp_key - a key
 * @magic: DP_KEY_MAGIC, checked where OpenSSL hands back a reference
 * @refs: references held
 * @prov: the provider
 * @pub: the public half (the child library context's), NULL in an empty key
 * @rsa: an RSA key (else EC)
 * @handle: devcredd holds the private half (a key loaded from a URI)
 * @ref: the key reference, "op=sip"
 * @slot: the pin: the slot, its generation, its chain's stamp
 * @generation: see @slot
 * @stamp: see @slot
 */
struct dp_key {
	uint32_t magic;
	int refs;
	const struct dp_prov *prov;
	EVP_PKEY *pub;
	int rsa;
	int handle;
	char ref[DC_KEYREF_MAX + 1];
	char slot[DC_PROTO_STR_MAX + 1];
	uint64_t generation;
	uint8_t stamp[DC_PROTO_STAMP_LEN];
};

#define DP_KEY_MAGIC	0x64636b79u	/* "dcky" */

/* An empty key of type @rsa (KEYMGMT new: nothing can fill it), or NULL. */
struct dp_key *dp_key_new(const struct dp_prov *prov, int rsa);

/*
 * The handle on @ref's key as @c resolves it, its public half from @leaf;
 * NULL with the reason raised (a key the provider does not take).
 */
struct dp_key *dp_key_from_cred(const struct dp_prov *prov, const char *ref,
				const struct dp_cred *c, X509 *leaf);

/*
 * Whether @pub is a key the provider takes (RSA 2048 to 4096 bits, EC
 * P-256 or P-384) and which; 1 with *@rsa set, or 0 with the reason raised.
 */
int dp_key_check(const struct dp_prov *prov, const char *what, EVP_PKEY *pub, int *rsa);

/*
 * The pin of handle @k as DC_KEY_PARAM_PIN gives it, in @buf of @size
 * bytes (DC_KEY_PIN_MAX is room enough); 1, or 0 when it does not fit.
 */
int dp_key_pin(const struct dp_key *k, char *buf, size_t size);

struct dp_key *dp_key_get(struct dp_key *k);
void dp_key_put(struct dp_key *k);

/* The longest chain taken (devcredd keeps 1 to 16). */
#define DP_CHAIN_MAX	16

/*
 * The chain as certificates of the provider's library context, leaf
 * first; NULL with the reason raised.
 */
STACK_OF(X509) *dp_chain_parse(const struct dp_prov *prov, const char *ref, const char *pem,
			       size_t len);

#endif /* DEVCRED_PROVIDER_KEY_H */
