// SPDX-License-Identifier: GPL-2.0
/*
 * The credential through the devcred provider: see tls_cred.h. The store
 * URI devcred:op=OP gives the certificate, its issuers and the private key
 * as a handle (daemon/provider/store.c), all from one answer of devcredd's,
 * so they belong together; each handshake's signature is made by devcredd,
 * under the access /etc/devcred/key-access grants this process's user.
 * The handle's pin (the slot, its generation, its chain's SHA-256) names
 * the version: what devcredd answered, whatever it managed to publish.
 */
#include <stdio.h>
#include <openssl/err.h>
#include <openssl/store.h>

#include "common/keyref.h"
#include "tls_cred.h"

/* An OpenSSL failure into @err, prefixed with @what; -1. */
static int web_prov_fail(const char *what, char *err, size_t errlen)
{
	const char *data = NULL;
	int flags = 0;
	unsigned long e = ERR_peek_last_error_data(&data, &flags);

	snprintf(err, errlen, "%s: %s%s%s", what, e ? ERR_reason_error_string(e) : "nothing found",
		 data && (flags & ERR_TXT_STRING) && *data ? ": " : "",
		 data && (flags & ERR_TXT_STRING) ? data : "");
	ERR_clear_error();
	return -1;
}

int web_cred_load_provider(const char *op, struct web_cred *c, char *err, size_t errlen)
{
	char uri[64];
	OSSL_STORE_CTX *st;
	OSSL_STORE_INFO *info;
	X509 *x;

	snprintf(uri, sizeof(uri), "devcred:op=%s", op);
	/* The key's methods from the provider that holds the handle. */
	st = OSSL_STORE_open_ex(uri, NULL, "?provider=devcred", NULL, NULL, NULL, NULL, NULL);
	if (!st)
		return web_prov_fail(uri, err, errlen);
	c->chain = sk_X509_new_null();
	while (c->chain && !OSSL_STORE_eof(st) && (info = OSSL_STORE_load(st))) {
		switch (OSSL_STORE_INFO_get_type(info)) {
		case OSSL_STORE_INFO_CERT:
			x = OSSL_STORE_INFO_get1_CERT(info);
			/* The leaf first, then its issuers (store.c's order). */
			if (!c->cert)
				c->cert = x;
			else if (!x || !sk_X509_push(c->chain, x))
				X509_free(x);
			break;
		case OSSL_STORE_INFO_PKEY:
			if (!c->key)
				c->key = OSSL_STORE_INFO_get1_PKEY(info);
			break;
		default:
			break;
		}
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(st);
	if (!c->cert || !c->chain)
		return web_prov_fail(uri, err, errlen);
	if (!c->key)
		return web_prov_fail(uri, err, errlen);
	if (!EVP_PKEY_get_utf8_string_param(c->key, DC_KEY_PARAM_PIN, c->version,
					    sizeof(c->version), NULL)) {
		ERR_clear_error();
		snprintf(err, errlen, "%s: the key names no credential (" DC_KEY_PARAM_PIN
			 "): not the devcred provider's handle", uri);
		return -1;
	}
	ERR_clear_error();
	return 0;
}
