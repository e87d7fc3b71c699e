// SPDX-License-Identifier: GPL-2.0
/*
 * KEYMGMT for the provider's RSA and EC keys (key.h). A key comes from the
 * STORE loader by reference (load) and from nowhere else: there is no
 * import. Were there one, OpenSSL would bring other providers' public keys
 * here (the first signature or keymgmt it fetches by name may be this
 * provider's) and verify with them here, which this provider does not do;
 * without it, it keeps them in their own provider. Comparing a certificate's
 * key with ours (X509_check_private_key, SSL_CTX_use_PrivateKey) exports our
 * public half to the certificate key's provider instead. The public half
 * answers every parameter; the private half is never exported: OpenSSL then
 * signs with the provider's SIGNATURE, which asks devcredd.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "key.h"

static void *dp_km_new_rsa(void *provctx)
{
	return dp_key_new(provctx, 1);
}

static void *dp_km_new_ec(void *provctx)
{
	return dp_key_new(provctx, 0);
}

static void dp_km_free(void *keydata)
{
	dp_key_put(keydata);
}

/* A reference from the STORE loader: the address of one of its keys. */
static void *dp_km_load(const void *reference, size_t size)
{
	struct dp_key *k;

	if (!reference || size != sizeof(k))
		return NULL;
	memcpy(&k, reference, sizeof(k));
	if (!k || k->magic != DP_KEY_MAGIC)
		return NULL;
	return dp_key_get(k);
}

static int dp_km_has(const void *keydata, int selection)
{
	const struct dp_key *k = keydata;

	if (!k)
		return 0;
	if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && !k->handle)
		return 0;
	if ((selection & (OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)) &&
	    !k->pub)
		return 0;
	return 1;
}

/* Two keys match when their public halves do: the private half is that of the certificate's key. */
static int dp_km_match(const void *keydata1, const void *keydata2, int selection)
{
	const struct dp_key *a = keydata1, *b = keydata2;

	(void)selection;
	return a && b && a->pub && b->pub && a->rsa == b->rsa && EVP_PKEY_eq(a->pub, b->pub) == 1;
}

static const OSSL_PARAM dp_rsa_public[] = {
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM dp_ec_public[] = {
	OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
	OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM *dp_km_rsa_types(int selection)
{
	return selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY ? dp_rsa_public : NULL;
}

static const OSSL_PARAM *dp_km_ec_types(int selection)
{
	return selection & OSSL_KEYMGMT_SELECT_KEYPAIR ? dp_ec_public : NULL;
}

/* The public half only: a request that includes the private half fails. */
static int dp_km_export(void *keydata, int selection, OSSL_CALLBACK *cb, void *cbarg)
{
	struct dp_key *k = keydata;
	OSSL_PARAM *params = NULL;
	int ok;

	if (!k || !k->pub || (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY))
		return 0;
	if (EVP_PKEY_todata(k->pub, EVP_PKEY_PUBLIC_KEY, &params) != 1)
		return 0;
	ok = cb(params, cbarg);
	OSSL_PARAM_free(params);
	return ok;
}

/*
 * Sizes, security bits, the group, the public numbers: the certificate's
 * key answers. A handle answers its pin too (DC_KEY_PARAM_PIN).
 */
static int dp_km_get_params(void *keydata, OSSL_PARAM params[])
{
	struct dp_key *k = keydata;
	OSSL_PARAM *p = OSSL_PARAM_locate(params, DC_KEY_PARAM_PIN);
	char pin[DC_KEY_PIN_MAX];

	if (!k || !k->pub)
		return 0;
	if (p && k->handle && (!dp_key_pin(k, pin, sizeof(pin)) ||
			       !OSSL_PARAM_set_utf8_string(p, pin)))
		return 0;
	return EVP_PKEY_get_params(k->pub, params);
}

static const OSSL_PARAM *dp_km_rsa_gettable(void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, NULL),
		OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, NULL),
		OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, NULL),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
		OSSL_PARAM_utf8_string(DC_KEY_PARAM_PIN, NULL, 0),
		OSSL_PARAM_END
	};

	(void)provctx;
	return params;
}

static const OSSL_PARAM *dp_km_ec_gettable(void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, NULL),
		OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, NULL),
		OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, NULL),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, NULL, 0),
		OSSL_PARAM_utf8_string(DC_KEY_PARAM_PIN, NULL, 0),
		OSSL_PARAM_END
	};

	(void)provctx;
	return params;
}

static const char *dp_km_rsa_operation(int operation_id)
{
	return operation_id == OSSL_OP_SIGNATURE ? "RSA" : NULL;
}

static const char *dp_km_ec_operation(int operation_id)
{
	return operation_id == OSSL_OP_SIGNATURE ? "ECDSA" : NULL;
}

/* Keys never change: a duplicate is another reference. */
static void *dp_km_dup(const void *keydata, int selection)
{
	(void)selection;
	return dp_key_get((struct dp_key *)keydata);
}

#define DP_KEYMGMT_COMMON \
	{ OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))dp_km_free }, \
	{ OSSL_FUNC_KEYMGMT_LOAD, (void (*)(void))dp_km_load }, \
	{ OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))dp_km_has }, \
	{ OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))dp_km_match }, \
	{ OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))dp_km_export }, \
	{ OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))dp_km_get_params }, \
	{ OSSL_FUNC_KEYMGMT_DUP, (void (*)(void))dp_km_dup }

const OSSL_DISPATCH dp_rsa_keymgmt_functions[] = {
	{ OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))dp_km_new_rsa },
	{ OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))dp_km_rsa_types },
	{ OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))dp_km_rsa_gettable },
	{ OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))dp_km_rsa_operation },
	DP_KEYMGMT_COMMON,
	{ 0, NULL }
};

const OSSL_DISPATCH dp_ec_keymgmt_functions[] = {
	{ OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))dp_km_new_ec },
	{ OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))dp_km_ec_types },
	{ OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))dp_km_ec_gettable },
	{ OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))dp_km_ec_operation },
	DP_KEYMGMT_COMMON,
	{ 0, NULL }
};
