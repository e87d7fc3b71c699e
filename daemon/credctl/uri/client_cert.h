/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client certificate of https transfers: a credential devcredd keeps,
 * opened by its devcred provider URI (devcred:op=provisioning), its
 * private key a handle on which devcredd signs. The key's bytes never
 * reach this process, and no key.pem is read.
 *
 * libcurl 7.88 cannot take a provider's key URI, so the credential goes
 * into the SSL_CTX that libcurl's OpenSSL backend makes for each
 * connection, from CURLOPT_SSL_CTX_FUNCTION. libcurl (opened with dlopen)
 * and credctl share the one libssl and libcrypto of the system, so the
 * providers loaded here into the default library context are those the
 * handshake uses. A libcurl with another TLS backend is refused.
 *
 * The credential is opened before the transfer, and each transfer opens it
 * again: a refusal (the key access file does not grant this user the key,
 * devcredd is down, nothing is bound) is known before any connection, and
 * a rebinding is seen by the next transfer (never a certificate of one
 * binding with the key of another).
 */
#ifndef CREDCTL_URI_CLIENT_CERT_H
#define CREDCTL_URI_CLIENT_CERT_H

#include <stddef.h>

#include "curl_dl.h"

struct uri_client_cert;

/*
 * Opens @keyuri (a devcred provider URI) through the providers "default"
 * and "devcred": the certificate, its issuers and the key. Returns the
 * credential, or NULL with the reason in @err: the provider's own words
 * (devcredd's refusal, devcredd not running, nothing bound) and the ways
 * out (the key access file, --no-client-cert).
 */
struct uri_client_cert *uri_client_cert_open(const char *keyuri, char *err, size_t errlen);

/*
 * Has @lc's handle @h present @c on its TLS connections. Returns 0, or -1
 * with the reason in @err (a libcurl without the OpenSSL backend).
 */
int uri_client_cert_attach(const struct uri_curl *lc, CURL *h, struct uri_client_cert *c,
			   char *err, size_t errlen);

/*
 * After a failed transfer that presented @c: what was presented, as a
 * hint appended to @err ("credctl presented ... issued by ...").
 */
void uri_client_cert_hint(const struct uri_client_cert *c, char *err, size_t errlen);

void uri_client_cert_free(struct uri_client_cert *c);

#endif /* CREDCTL_URI_CLIENT_CERT_H */
