// SPDX-License-Identifier: GPL-2.0
/* TLS with the credential bound now: see tls.h. */
#include <string.h>
#include <openssl/err.h>

#include "common/log.h"
#include "lib/cred/info.h"
#include "tls.h"

#define WEB_TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL"

/* The last failure logged, so that each is logged once, not per handshake. */
static char web_tls_last_err[512];

static int web_tls_cert_cb(SSL *ssl, void *arg)
{
	struct web_cred_source *src = arg;
	char err[512], cn[256];
	const struct web_cred *c;
	int changed;

	c = web_cred_current(src, &changed, err, sizeof(err));
	if (!c) {
		if (strcmp(err, web_tls_last_err)) {
			dc_log(DC_LOG_ERR, "tls: no credential to serve, handshakes fail: %s", err);
			snprintf(web_tls_last_err, sizeof(web_tls_last_err), "%s", err);
		}
		return 0;
	}
	web_tls_last_err[0] = '\0';
	if (changed) {
		cred_text_safe(c->cn, cn, sizeof(cn));
		dc_log(DC_LOG_INFO, "tls: serving %s (CN %s) from the next handshake on", c->version,
		       cn);
	}
	/* SSL_use_cert_and_key() takes its own references: @c may go. */
	if (SSL_use_cert_and_key(ssl, c->cert, c->key, c->chain, 1) != 1) {
		dc_log(DC_LOG_ERR, "tls: cannot use %s: %s", c->version,
		       ERR_reason_error_string(ERR_peek_last_error()));
		ERR_clear_error();
		return 0;
	}
	return 1;
}

SSL_CTX *web_tls_ctx(struct web_cred_source *src)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx ||
	    !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, WEB_TLS12_CIPHERS) ||
	    !SSL_CTX_set_num_tickets(ctx, 0)) {
		dc_log(DC_LOG_ERR, "tls: cannot set up: %s",
		       ERR_reason_error_string(ERR_peek_last_error()));
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_cert_cb(ctx, web_tls_cert_cb, src);
	return ctx;
}
