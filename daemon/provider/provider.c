// SPDX-License-Identifier: GPL-2.0
/*
 * The devcred OpenSSL provider: its entry point and what it offers. See
 * prov.h and README.md. OSSL_provider_init() is its only exported symbol
 * (provider.map); everything else is reached through the tables here.
 *
 *	openssl s_client -provider devcred -provider default \
 *		-cert devcred:op=provisioning -key devcred:op=provisioning ...
 */
#define _GNU_SOURCE	/* secure_getenv */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "common/paths.h"
#include "prov.h"

#define DP_VERSION	"1.0"

/* OSSL_ALGORITHM names: the key types' must be OpenSSL's own for TLS to know them. */
static const OSSL_ALGORITHM dp_stores[] = {
	{ DP_NAME, "provider=devcred", dp_store_functions, "devcred:op=OPERATION, devcred:slot=SLOT" },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM dp_keymgmts[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", "provider=devcred", dp_rsa_keymgmt_functions,
	  "an RSA key devcredd signs with" },
	{ "EC:id-ecPublicKey:1.2.840.10045.2.1", "provider=devcred", dp_ec_keymgmt_functions,
	  "an EC key devcredd signs with" },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM dp_signatures[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", "provider=devcred", dp_rsa_signature_functions,
	  "RSA PKCS#1 v1.5 and PSS signatures made by devcredd" },
	{ "ECDSA", "provider=devcred", dp_ecdsa_signature_functions,
	  "ECDSA signatures made by devcredd" },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ITEM dp_reasons[] = {
	{ DP_R_BAD_URI, "not a devcred URI" },
	{ DP_R_NO_DAEMON, "devcredd cannot be reached" },
	{ DP_R_REFUSED, "devcredd refused" },
	{ DP_R_BAD_ANSWER, "bad answer from devcredd" },
	{ DP_R_UNSUPPORTED_KEY, "unsupported key" },
	{ DP_R_UNSUPPORTED, "not supported by the devcred provider" },
	{ DP_R_NO_MEMORY, "out of memory" },
	{ DP_R_NOT_ALLOWED, "not allowed to sign with this key" },
	{ 0, NULL }
};

int dp_raise_at(const struct dp_prov *prov, const char *file, int line, const char *func,
		enum dp_reason reason, const char *fmt, ...)
{
	va_list ap;

	if (!prov || !prov->new_error || !prov->vset_error)
		return 0;
	prov->new_error(prov->core);
	if (prov->set_error_debug)
		prov->set_error_debug(prov->core, file, line, func);
	va_start(ap, fmt);
	prov->vset_error(prov->core, reason, fmt, ap);
	va_end(ap);
	return 0;
}

static const OSSL_PARAM *dp_gettable_params(void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, NULL, 0),
		OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, NULL, 0),
		OSSL_PARAM_END
	};

	(void)provctx;
	return params;
}

static int dp_get_params(void *provctx, OSSL_PARAM params[])
{
	const struct dp_prov *prov = provctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, "devcred: keys that stay in devcredd"))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, DP_VERSION))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, prov->socket))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
	return !p || OSSL_PARAM_set_int(p, 1);
}

static const OSSL_ALGORITHM *dp_query(void *provctx, int operation_id, int *no_cache)
{
	(void)provctx;
	*no_cache = 0;
	switch (operation_id) {
	case OSSL_OP_STORE:
		return dp_stores;
	case OSSL_OP_KEYMGMT:
		return dp_keymgmts;
	case OSSL_OP_SIGNATURE:
		return dp_signatures;
	}
	return NULL;
}

static const OSSL_ITEM *dp_reason_strings(void *provctx)
{
	(void)provctx;
	return dp_reasons;
}

static void dp_teardown(void *provctx)
{
	struct dp_prov *prov = provctx;

	OSSL_LIB_CTX_free(prov->libctx);
	OPENSSL_clear_free(prov, sizeof(*prov));
}

static const OSSL_DISPATCH dp_functions[] = {
	{ OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))dp_teardown },
	{ OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))dp_gettable_params },
	{ OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))dp_get_params },
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))dp_query },
	{ OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, (void (*)(void))dp_reason_strings },
	{ 0, NULL }
};

/*
 * The socket: openssl.cnf's "socket = PATH" in the provider's section,
 * else $DEVCRED_SOCKET (not for set-uid programs: secure_getenv), else
 * devcredd's default.
 */
static void dp_find_socket(struct dp_prov *prov, OSSL_FUNC_core_get_params_fn *get_params)
{
	char *configured = NULL;
	const char *path = NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_ptr("socket", &configured, 0),
		OSSL_PARAM_END
	};

	if (get_params && get_params(prov->core, params) && configured && configured[0])
		path = configured;
	if (!path)
		path = secure_getenv("DEVCRED_SOCKET");
	if (!path || !path[0])
		path = DC_SOCKET_PATH;
	snprintf(prov->socket, sizeof(prov->socket), "%s", path);
}

/* Built with -fvisibility=hidden: the one symbol OpenSSL looks up is made visible here. */
__attribute__((visibility("default")))
int OSSL_provider_init(const OSSL_CORE_HANDLE *core, const OSSL_DISPATCH *in,
		       const OSSL_DISPATCH **out, void **provctx)
{
	OSSL_FUNC_core_get_params_fn *get_params = NULL;
	struct dp_prov *prov = OPENSSL_zalloc(sizeof(*prov));
	const OSSL_DISPATCH *f;

	if (!prov)
		return 0;
	prov->core = core;
	for (f = in; f->function_id; f++) {
		switch (f->function_id) {
		case OSSL_FUNC_CORE_GET_PARAMS:
			get_params = OSSL_FUNC_core_get_params(f);
			break;
		case OSSL_FUNC_CORE_NEW_ERROR:
			prov->new_error = OSSL_FUNC_core_new_error(f);
			break;
		case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
			prov->set_error_debug = OSSL_FUNC_core_set_error_debug(f);
			break;
		case OSSL_FUNC_CORE_VSET_ERROR:
			prov->vset_error = OSSL_FUNC_core_vset_error(f);
			break;
		}
	}
	/* A child of the application's: its default provider makes digests and public keys. */
	prov->libctx = OSSL_LIB_CTX_new_child(core, in);
	dp_find_socket(prov, get_params);
	if (!prov->libctx) {
		OPENSSL_free(prov);
		return 0;
	}
	*out = dp_functions;
	*provctx = prov;
	return 1;
}
