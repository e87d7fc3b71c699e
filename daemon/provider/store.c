// SPDX-License-Identifier: GPL-2.0
/*
 * The STORE loader for devcred: URIs (uri.h). Opening one asks devcredd
 * what the key reference resolves to ("credential"); loading then hands
 * OpenSSL the certificate, its issuers (DER) and the private key as a
 * reference to a provider key (key.h), which OpenSSL gives back to the
 * provider's KEYMGMT (keymgmt.c, OSSL_FUNC_keymgmt_load). All of one
 * answer: the certificate and the key of one credential.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/store.h>

#include "client.h"
#include "key.h"
#include "uri.h"

/**
 * struct dp_store - an open URI
 * @prov: the provider
 * @uri: the URI
 * @expect: what the application wants, OSSL_STORE_INFO_* (0: anything)
 * @loaded: devcredd was asked
 * @chain: the chain it answered
 * @key: the key, when the caller may sign with it
 * @refusal: devcredd's reason when the caller may not
 * @next: the next object to hand out: 0 .. chain length - 1 the
 *	certificates, then the key
 */
struct dp_store {
	struct dp_prov *prov;
	struct dp_uri uri;
	int expect;
	int loaded;
	STACK_OF(X509) *chain;
	struct dp_key *key;
	char refusal[256];
	int next;
};

static void *dp_store_open(void *provctx, const char *uri)
{
	struct dp_prov *prov = provctx;
	struct dp_store *s;
	const char *why;

	s = OPENSSL_zalloc(sizeof(*s));
	if (!s) {
		dp_raise(prov, DP_R_NO_MEMORY, "%s", uri);
		return NULL;
	}
	s->prov = prov;
	if (!dp_uri_parse(uri, &s->uri, &why)) {
		dp_raise(prov, DP_R_BAD_URI, "'%.80s': %s", uri, why);
		OPENSSL_free(s);
		return NULL;
	}
	return s;
}

static const OSSL_PARAM *dp_store_settable(void *provctx)
{
	static const OSSL_PARAM params[] = {
		OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, NULL),
		OSSL_PARAM_END
	};

	(void)provctx;
	return params;
}

/* What the application is after; other search criteria do not narrow one credential. */
static int dp_store_set(void *ctx, const OSSL_PARAM params[])
{
	struct dp_store *s = ctx;
	const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_EXPECT);

	return !p || OSSL_PARAM_get_int(p, &s->expect);
}

/* Asks devcredd once: the chain, and the key when the caller may sign. */
static int dp_store_fetch(struct dp_store *s)
{
	struct dp_cred c;
	int ok;

	s->loaded = 1;
	if (!dp_credential(s->prov, s->uri.text, &c))
		return 0;
	s->chain = dp_chain_parse(s->prov, s->uri.text, c.chain, c.chain_len);
	ok = !!s->chain;
	if (ok && c.may_sign) {
		s->key = dp_key_from_cred(s->prov, s->uri.text, &c, sk_X509_value(s->chain, 0));
		ok = !!s->key;
	}
	snprintf(s->refusal, sizeof(s->refusal), "%s", c.refusal);
	dp_cred_free(&c);
	return ok;
}

/* Whether object @i (certificates, then the key) is one the URI and the application want. */
static int dp_store_wanted(const struct dp_store *s, int i)
{
	int key = i == sk_X509_num(s->chain);

	switch (s->uri.what) {
	case DP_OBJ_CERT:
		if (i != 0)
			return 0;
		break;
	case DP_OBJ_ISSUERS:
		if (i == 0 || key)
			return 0;
		break;
	case DP_OBJ_KEY:
		if (!key)
			return 0;
		break;
	default:
		break;
	}
	if (key)
		return !s->expect || s->expect == OSSL_STORE_INFO_PKEY;
	return !s->expect || s->expect == OSSL_STORE_INFO_CERT;
}

static int dp_store_give_cert(struct dp_store *s, X509 *x, OSSL_CALLBACK *cb, void *arg)
{
	int type = OSSL_OBJECT_CERT, len, ok;
	unsigned char *der = NULL;
	OSSL_PARAM params[3];

	len = i2d_X509(x, &der);
	if (len <= 0)
		return dp_raise(s->prov, DP_R_NO_MEMORY, "%s: a certificate", s->uri.text);
	params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, der, len);
	params[2] = OSSL_PARAM_construct_end();
	ok = cb(params, arg);
	OPENSSL_free(der);
	return ok;
}

static int dp_store_give_key(struct dp_store *s, OSSL_CALLBACK *cb, void *arg)
{
	int type = OSSL_OBJECT_PKEY;
	struct dp_key *k = s->key;
	OSSL_PARAM params[4];

	if (!k)
		return dp_raise(s->prov, DP_R_NOT_ALLOWED, "%s: %s", s->uri.text,
				s->refusal[0] ? s->refusal : "devcredd does not let this user sign with its key");
	params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE,
						     k->rsa ? "RSA" : "EC", 0);
	/* The key's address: keymgmt.c's load takes its own reference. */
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, &k, sizeof(k));
	params[3] = OSSL_PARAM_construct_end();
	return cb(params, arg);
}

static int dp_store_load(void *ctx, OSSL_CALLBACK *object_cb, void *object_cbarg,
			 OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
	struct dp_store *s = ctx;
	int i;

	(void)pw_cb;
	(void)pw_cbarg;
	if (!s->loaded && !dp_store_fetch(s)) {
		s->next = -1;	/* at its end: nothing more will come */
		return 0;
	}
	while (s->next >= 0 && s->next <= sk_X509_num(s->chain)) {
		i = s->next++;
		if (!dp_store_wanted(s, i))
			continue;
		if (i < sk_X509_num(s->chain))
			return dp_store_give_cert(s, sk_X509_value(s->chain, i), object_cb,
						  object_cbarg);
		return dp_store_give_key(s, object_cb, object_cbarg);
	}
	return 0;
}

static int dp_store_eof(void *ctx)
{
	const struct dp_store *s = ctx;
	int i;

	if (!s->loaded)
		return 0;
	if (s->next < 0)
		return 1;
	for (i = s->next; i <= sk_X509_num(s->chain); i++)
		if (dp_store_wanted(s, i))
			return 0;
	return 1;
}

static int dp_store_close(void *ctx)
{
	struct dp_store *s = ctx;

	sk_X509_pop_free(s->chain, X509_free);
	dp_key_put(s->key);
	OPENSSL_clear_free(s, sizeof(*s));
	return 1;
}

/*
 * A key OpenSSL wants in another provider's keymgmt: refused. Its public
 * half alone there would be a key that cannot sign, and OpenSSL (3.0.x,
 * crypto/store/store_result.c) then falls back to this provider's keymgmt,
 * which takes the reference itself (keymgmt.c's load).
 */
static int dp_store_export(void *ctx, const void *reference, size_t size,
			   OSSL_CALLBACK *export_cb, void *export_cbarg)
{
	(void)ctx;
	(void)reference;
	(void)size;
	(void)export_cb;
	(void)export_cbarg;
	return 0;
}

const OSSL_DISPATCH dp_store_functions[] = {
	{ OSSL_FUNC_STORE_OPEN, (void (*)(void))dp_store_open },
	{ OSSL_FUNC_STORE_SETTABLE_CTX_PARAMS, (void (*)(void))dp_store_settable },
	{ OSSL_FUNC_STORE_SET_CTX_PARAMS, (void (*)(void))dp_store_set },
	{ OSSL_FUNC_STORE_LOAD, (void (*)(void))dp_store_load },
	{ OSSL_FUNC_STORE_EOF, (void (*)(void))dp_store_eof },
	{ OSSL_FUNC_STORE_CLOSE, (void (*)(void))dp_store_close },
	{ OSSL_FUNC_STORE_EXPORT_OBJECT, (void (*)(void))dp_store_export },
	{ 0, NULL }
};
