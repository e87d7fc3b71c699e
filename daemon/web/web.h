/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcred-web: what the HTTP side (server.c, libevent) and the application
 * (app.c and the pages, plain blocking code run in worker threads) hand each
 * other. The server copies what the application needs out of libevent's
 * request into a struct web_request, a worker fills a struct web_response,
 * and the server sends it: no libevent object is touched off the loop.
 */
#ifndef DEVCRED_WEB_H
#define DEVCRED_WEB_H

#include <stddef.h>

#include "common/output.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Request bodies over this are refused with 413 before they are read. */
#define WEB_BODY_MAX		(16 * 1024)
#define WEB_HEADERS_MAX		(8 * 1024)
/* A connection idle (or a request not coming in) this long is closed. */
#define WEB_TIMEOUT_S		30
/* Connections at once (--max-connections): a few browsers and scripts. */
#define WEB_CONNS_MAX		64
#define WEB_PEER_MAX		64	/* an IPv6 address and a port */

enum web_method { WEB_GET, WEB_HEAD, WEB_POST, WEB_PUT, WEB_DELETE, WEB_OTHER };

/**
 * struct web_request - one HTTP request, as the application sees it
 * @method: the method
 * @path: the path, not decoded ("/certificates/platform1")
 * @query: the query string, NULL when none
 * @body: the body, NUL-terminated (a copy: it may hold a passphrase, and
 *	is wiped when freed)
 * @body_len: its length
 * @cookie: the Cookie header, NULL when absent (likewise the next four)
 * @authorization: the Authorization header
 * @origin: the Origin header
 * @host: the Host header
 * @content_type: the Content-Type header
 * @peer: the client's address, for the throttle and the logs
 */
struct web_request {
	enum web_method method;
	char *path;
	char *query;
	char *body;
	size_t body_len;
	char *cookie;
	char *authorization;
	char *origin;
	char *host;
	char *content_type;
	char peer[WEB_PEER_MAX];
};

#define WEB_RESP_HEADERS	4

/**
 * struct web_response - the answer
 * @code: the HTTP status
 * @type: Content-Type
 * @body: the body
 * @secret: the body holds a private key: wiped when freed
 * @header_name: headers besides the ones every answer gets (server.c)
 * @header_value: their values, malloc'ed
 * @headers: how many
 */
struct web_response {
	int code;
	const char *type;
	struct dc_out body;
	int secret;
	const char *header_name[WEB_RESP_HEADERS];
	char *header_value[WEB_RESP_HEADERS];
	int headers;
};

/* Adds a header to @rs (printf-style value); silently dropped past the limit. */
void web_header(struct web_response *rs, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Wipes what may be secret and frees @rq's and @rs's allocations. */
void web_request_free(struct web_request *rq);
void web_response_free(struct web_response *rs);

/*
 * The application: answers @rq in @rs. Runs in a worker thread; may block
 * (devcredd, URI downloads, password hashes).
 */
void web_app_handle(const struct web_request *rq, struct web_response *rs);

#endif /* DEVCRED_WEB_H */
