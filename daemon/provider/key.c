// SPDX-License-Identifier: GPL-2.0
/* The provider's keys, and the chains they come with: see key.h. */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "client.h"
#include "key.h"

struct dp_key *dp_key_new(const struct dp_prov *prov, int rsa)
{
	struct dp_key *k = OPENSSL_zalloc(sizeof(*k));

	if (!k) {
		dp_raise(prov, DP_R_NO_MEMORY, "a key");
		return NULL;
	}
	k->magic = DP_KEY_MAGIC;
	k->refs = 1;
	k->prov = prov;
	k->rsa = rsa;
	return k;
}

int dp_key_check(const struct dp_prov *prov, const char *what, EVP_PKEY *pub, int *rsa)
{
	char group[32] = "";
	int bits = EVP_PKEY_get_bits(pub);

	*rsa = EVP_PKEY_is_a(pub, "RSA");
	if (*rsa) {
		if (bits >= 2048 && bits <= 4096)
			return 1;
		return dp_raise(prov, DP_R_UNSUPPORTED_KEY,
				"%s: an RSA key of %d bits; the devcred provider takes 2048 to 4096",
				what, bits);
	}
	if (EVP_PKEY_is_a(pub, "EC") &&
	    EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					   NULL) &&
	    (!strcmp(group, "prime256v1") || !strcmp(group, "secp384r1")))
		return 1;
	ERR_clear_error();
	return dp_raise(prov, DP_R_UNSUPPORTED_KEY,
			"%s: a %s key%s%s; the devcred provider takes RSA (2048 to 4096 bits) and EC P-256 or P-384",
			what, EVP_PKEY_get0_type_name(pub) ? EVP_PKEY_get0_type_name(pub) : "unknown",
			group[0] ? " on " : "", group);
}

struct dp_key *dp_key_from_cred(const struct dp_prov *prov, const char *ref,
				const struct dp_cred *c, X509 *leaf)
{
	EVP_PKEY *pub = X509_get_pubkey(leaf);
	struct dp_key *k;
	int rsa;

	if (!pub) {
		dp_raise(prov, DP_R_BAD_ANSWER, "%s: the certificate's public key does not decode", ref);
		return NULL;
	}
	if (!dp_key_check(prov, ref, pub, &rsa) || !(k = dp_key_new(prov, rsa))) {
		EVP_PKEY_free(pub);
		return NULL;
	}
	k->pub = pub;
	k->handle = 1;
	snprintf(k->ref, sizeof(k->ref), "%s", ref);
	memcpy(k->slot, c->slot, sizeof(k->slot));
	k->generation = c->generation;
	memcpy(k->stamp, c->stamp, sizeof(k->stamp));
	return k;
}

int dp_key_pin(const struct dp_key *k, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s:%llu:", k->slot, (unsigned long long)k->generation);
	size_t i;

	if (n < 0 || (size_t)n + 2 * sizeof(k->stamp) >= size)
		return 0;
	for (i = 0; i < sizeof(k->stamp); i++)
		snprintf(buf + n + 2 * i, 3, "%02x", k->stamp[i]);
	return 1;
}

struct dp_key *dp_key_get(struct dp_key *k)
{
	__atomic_add_fetch(&k->refs, 1, __ATOMIC_RELAXED);
	return k;
}

void dp_key_put(struct dp_key *k)
{
	if (!k || __atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL))
		return;
	EVP_PKEY_free(k->pub);
	OPENSSL_clear_free(k, sizeof(*k));
}

STACK_OF(X509) *dp_chain_parse(const struct dp_prov *prov, const char *ref, const char *pem,
			       size_t len)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	int end = 0;
	X509 *x;

	/* The application's errors stay; ours are dropped for one message. */
	ERR_set_mark();
	while (chain && b && sk_X509_num(chain) <= DP_CHAIN_MAX) {
		x = X509_new_ex(prov->libctx, DP_OTHERS);
		if (!x || !PEM_read_bio_X509(b, &x, NULL, NULL)) {
			/* Reading stops at the end of the PEM, and nowhere else. */
			end = x && ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE;
			X509_free(x);
			break;
		}
		if (!sk_X509_push(chain, x)) {
			X509_free(x);
			break;
		}
	}
	ERR_pop_to_mark();
	BIO_free(b);
	if (!end || !sk_X509_num(chain)) {
		sk_X509_pop_free(chain, X509_free);
		dp_raise(prov, DP_R_BAD_ANSWER,
			 "%s: the chain devcredd sent does not decode (or holds over %d certificates)",
			 ref, DP_CHAIN_MAX);
		return NULL;
	}
	return chain;
}
