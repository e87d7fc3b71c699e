// SPDX-License-Identifier: GPL-2.0
/* The client certificate through the devcred provider: see client_cert.h. */
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include "client_cert.h"
#include "provider/prov.h"	/* the provider's reasons, DP_R_* */

/**
 * struct uri_client_cert - an opened credential
 * @uri: the URI it was opened by, for messages
 * @cert: the certificate
 * @issuers: the chain above it, as devcredd keeps it
 * @key: the key: the certificate's public half and a handle on devcredd
 * @failed: why installing it into a connection failed, "" if it did not
 */
struct uri_client_cert {
	char uri[128];
	X509 *cert;
	STACK_OF(X509) *issuers;
	EVP_PKEY *key;
	char failed[512];
};

/*
 * The reason OpenSSL's error queue holds, then the queue emptied: the
 * first entry with text (the provider's words: devcredd's refusal, its
 * socket), else the first entry's reason. Returns the provider's reason
 * (DP_R_*) when the entry is the devcred provider's, else 0.
 */
static int ossl_reason(char *buf, size_t size)
{
	const char *data = NULL, *lib;
	unsigned long e, first = 0, chosen = 0;
	int flags;

	buf[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags))) {
		if (!first)
			first = e;
		if (!buf[0] && data && (flags & ERR_TXT_STRING) && data[0]) {
			snprintf(buf, size, "%s", data);
			chosen = e;
		}
	}
	if (!buf[0] && first) {
		ERR_error_string_n(first, buf, size);
		chosen = first;
	}
	if (!buf[0])
		snprintf(buf, size, "no reason given");
	lib = chosen ? ERR_lib_error_string(chosen) : NULL;
	return lib && !strcmp(lib, DP_NAME) ? ERR_GET_REASON(chosen) : 0;
}

/* What to do about the provider's @reason for @keyuri, into @buf. */
static void remedy(int reason, const char *keyuri, char *buf, size_t size)
{
	const char *op = strncmp(keyuri, "devcred:op=", 11) ? "OPERATION" : keyuri + 11;

	if (reason == DP_R_NOT_ALLOWED)
		snprintf(buf, size, "grant this user the key in the key access file (key-access in the configuration folder, /etc/devcred: \"op=%s user:NAME\")",
			 op);
	else if (reason == DP_R_NO_DAEMON)
		snprintf(buf, size, "start devcredd");
	else
		snprintf(buf, size, "bind a credential to it (credctl bind %s SLOT)", op);
}

/*
 * "default" and "devcred" in the default library context, once. Loading
 * any provider explicitly stops OpenSSL from loading "default" by itself
 * (OSSL_PROVIDER-default(7)), and libcurl's handshake needs it; it goes
 * first, as OpenSSL takes the first EC keymgmt it finds to tell the TLS
 * groups it can use (the admin guide, "The provider").
 */
static int load_providers(char *err, size_t errlen)
{
	static OSSL_PROVIDER *dflt, *devcred;
	char why[256];

	if (devcred)
		return 0;
	if (!dflt)
		dflt = OSSL_PROVIDER_load(NULL, "default");
	if (!dflt) {
		ossl_reason(why, sizeof(why));
		snprintf(err, errlen, "OpenSSL's default provider cannot be loaded: %s", why);
		return -1;
	}
	devcred = OSSL_PROVIDER_load(NULL, "devcred");
	if (!devcred) {
		ossl_reason(why, sizeof(why));
		snprintf(err, errlen, "the devcred OpenSSL provider, which presents the client certificate, cannot be loaded (devcred.so in OpenSSL's modules folder): %s; or send no client certificate with --no-client-cert",
			 why);
		return -1;
	}
	return 0;
}

/* One object from the store into @c: the first certificate, the others, the key. */
static int take(struct uri_client_cert *c, OSSL_STORE_INFO *info)
{
	X509 *x;

	switch (OSSL_STORE_INFO_get_type(info)) {
	case OSSL_STORE_INFO_CERT:
		x = OSSL_STORE_INFO_get1_CERT(info);
		if (!x)
			return -1;
		if (!c->cert) {
			c->cert = x;
			return 0;
		}
		if (sk_X509_push(c->issuers, x) > 0)
			return 0;
		X509_free(x);
		return -1;
	case OSSL_STORE_INFO_PKEY:
		if (c->key)
			return 0;
		c->key = OSSL_STORE_INFO_get1_PKEY(info);
		return c->key ? 0 : -1;
	default:
		return 0;
	}
}

/*
 * The store's objects into @c; when the key is not among them, -1 with
 * the reason in @why and the provider's in @reason.
 */
static int load(struct uri_client_cert *c, const char *keyuri, char *why, size_t size,
		int *reason)
{
	OSSL_STORE_CTX *store;
	OSSL_STORE_INFO *info;
	int ret = 0;

	ERR_clear_error();
	store = OSSL_STORE_open_ex(keyuri, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	if (!store) {
		*reason = ossl_reason(why, size);
		return -1;
	}
	while (!ret && !OSSL_STORE_eof(store)) {
		info = OSSL_STORE_load(store);
		if (!info) {
			if (OSSL_STORE_error(store))
				break;
			continue;
		}
		ret = take(c, info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(store);
	if (!ret && c->cert && c->key) {
		ERR_clear_error();
		return 0;
	}
	*reason = ossl_reason(why, size);
	if (!c->cert && !strcmp(why, "no reason given"))
		snprintf(why, size, "devcredd gave no certificate");
	return -1;
}

struct uri_client_cert *uri_client_cert_open(const char *keyuri, char *err, size_t errlen)
{
	struct uri_client_cert *c;
	char why[512], fix[192];
	int reason = 0;

	if (load_providers(err, errlen))
		return NULL;
	c = OPENSSL_zalloc(sizeof(*c));
	if (c)
		c->issuers = sk_X509_new_null();
	if (!c || !c->issuers) {
		uri_client_cert_free(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(c->uri, sizeof(c->uri), "%s", keyuri);
	if (!load(c, keyuri, why, sizeof(why), &reason))
		return c;
	remedy(reason, keyuri, fix, sizeof(fix));
	snprintf(err, errlen, "the client certificate %s cannot be used: %s; %s, or send no client certificate with --no-client-cert",
		 keyuri, why, fix);
	uri_client_cert_free(c);
	return NULL;
}

/* libcurl's CURLOPT_SSL_CTX_FUNCTION: @c into the context of a new connection. */
static CURLcode install(CURL *h, void *sslctx, void *arg)
{
	struct uri_client_cert *c = arg;
	SSL_CTX *ctx = sslctx;
	char why[192];

	(void)h;
	ERR_clear_error();
	if (SSL_CTX_use_certificate(ctx, c->cert) == 1 && SSL_CTX_use_PrivateKey(ctx, c->key) == 1 &&
	    SSL_CTX_set1_chain(ctx, c->issuers) == 1)
		return CURLE_OK;
	ossl_reason(why, sizeof(why));
	snprintf(c->failed, sizeof(c->failed), "the client certificate %s cannot be used: %s",
		 c->uri, why);
	return CURLE_SSL_CERTPROBLEM;
}

int uri_client_cert_attach(const struct uri_curl *lc, CURL *h, struct uri_client_cert *c,
			   char *err, size_t errlen)
{
	curl_version_info_data *v = lc->version_info(CURLVERSION_NOW);

	/* The callback's context is an OpenSSL SSL_CTX only with that backend. */
	if (!v || !v->ssl_version || strncmp(v->ssl_version, "OpenSSL/3", 9) ||
	    lc->easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, install) ||
	    lc->easy_setopt(h, CURLOPT_SSL_CTX_DATA, c)) {
		snprintf(err, errlen, "a client certificate through the devcred provider needs libcurl with OpenSSL 3; this one has %s (or send none with --no-client-cert)",
			 v && v->ssl_version ? v->ssl_version : "no TLS");
		return -1;
	}
	return 0;
}

/* @name as RFC 2253 text into @buf. */
static void name_text(const X509_NAME *name, char *buf, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	buf[0] = '\0';
	if (b && X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0)
		n = BIO_read(b, buf, (int)size - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(b);
}

void uri_client_cert_hint(const struct uri_client_cert *c, char *err, size_t errlen)
{
	char subject[256], issuer[256];
	size_t n = strlen(err);

	if (c->failed[0]) {
		snprintf(err, errlen, "%s", c->failed);
		return;
	}
	name_text(X509_get_subject_name(c->cert), subject, sizeof(subject));
	name_text(X509_get_issuer_name(c->cert), issuer, sizeof(issuer));
	snprintf(err + n, errlen - n, "; credctl presented the client certificate of %s, \"%s\" issued by \"%s\", which the server may not accept (or --no-client-cert to send none)",
		 c->uri, subject, issuer);
}

void uri_client_cert_free(struct uri_client_cert *c)
{
	if (!c)
		return;
	X509_free(c->cert);
	sk_X509_pop_free(c->issuers, X509_free);
	EVP_PKEY_free(c->key);
	OPENSSL_free(c);
}
