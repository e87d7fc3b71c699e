/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP side of devcred-web: libevent's evhttp, each connection a
 * bufferevent_openssl that this server makes (evhttp_set_bevcb), so that
 * the server owns every connection's SSL and with it the choice of
 * certificate (tls.h). evhttp parses the requests, within the limits of
 * web.h (headers, body: 413, idle time); the application answers them in
 * worker threads (pool.h); every answer gets the security headers here.
 */
#ifndef DEVCRED_WEB_SERVER_H
#define DEVCRED_WEB_SERVER_H

#include <openssl/ssl.h>

/**
 * struct web_server_opts - what serving takes
 * @listen_fd: the listening socket (bound, listening, non-blocking)
 * @tls: the context every connection's SSL is made from
 * @timeout_s: how long a connection may take to deliver a request, or
 *	stay idle between two (WEB_TIMEOUT_S unless set)
 * @max_conns: connections at once (WEB_CONNS_MAX unless set); at the cap
 *	the server stops accepting, and new clients wait in the kernel's
 *	listen queue until one closes
 */
struct web_server_opts {
	int listen_fd;
	SSL_CTX *tls;
	int timeout_s;
	int max_conns;
};

/* Serves until SIGTERM or SIGINT; 0, or -1 with the reason logged. */
int web_serve(const struct web_server_opts *o);

#endif /* DEVCRED_WEB_SERVER_H */
