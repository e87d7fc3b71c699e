/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLS side of devcred-web: one SSL_CTX whose certificate callback
 * (SSL_CTX_set_cert_cb) picks the credential bound to the operation now,
 * at every handshake. A new binding, or a new credential in the bound
 * slot, is served from the next connection on, without a restart; a
 * connection already open keeps the credential it was made with (its SSL
 * holds its own references), and is not cut.
 *
 * TLS 1.2 and 1.3 only; in 1.2, ECDHE with AEAD ciphers only. No session
 * is resumed (no tickets, no session cache): a resumed session would skip
 * the certificate, and with it the credential bound now.
 */
#ifndef DEVCRED_WEB_TLS_H
#define DEVCRED_WEB_TLS_H

#include <openssl/ssl.h>

#include "tls_cred.h"

/* The context for every connection; NULL with the reason logged. */
SSL_CTX *web_tls_ctx(struct web_cred_source *src);

#endif /* DEVCRED_WEB_TLS_H */
