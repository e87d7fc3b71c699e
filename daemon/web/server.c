// SPDX-License-Identifier: GPL-2.0
/* The HTTP side: see server.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "common/log.h"
#include "pool.h"
#include "server.h"

/*
 * Every answer's headers: HTTPS only from now on, nothing from elsewhere
 * (no script at all: the pages need none), never framed, never kept.
 */
static const char *const web_security_headers[][2] = {
	{ "Strict-Transport-Security", "max-age=31536000" },
	{ "Content-Security-Policy",
	  "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" },
	{ "X-Frame-Options", "DENY" },
	{ "X-Content-Type-Options", "nosniff" },
	/*
	 * Not "no-referrer": under it a browser sends "Origin: null" with
	 * every form, and the origin check of app.c could not tell our own
	 * pages' posts from anyone's.
	 */
	{ "Referrer-Policy", "same-origin" },
	{ "Cache-Control", "no-store" },
};

static SSL_CTX *web_ssl_ctx;
static struct timeval web_deadline;

/*
 * Open connections and their cap. evhttp 2.1 accepts without limit, each
 * connection a descriptor and buffers; at the cap the listener pauses
 * (clients wait in the kernel's queue, then are refused by it) and
 * resumes when one closes. The slowloris deadline below bounds how long
 * any connection can hold its place.
 */
static int web_conns, web_max_conns;
static struct evconnlistener *web_listener;

static void web_conns_add(int delta)
{
	int was_full = web_conns >= web_max_conns;

	web_conns += delta;
	if (!web_listener || was_full == (web_conns >= web_max_conns))
		return;
	if (web_conns >= web_max_conns) {
		evconnlistener_disable(web_listener);
		dc_log(DC_LOG_WARN, "%d connections open, the cap: new ones wait until one closes",
		       web_conns);
	} else {
		evconnlistener_enable(web_listener);
		dc_log(DC_LOG_INFO, "%d connections open: accepting again", web_conns);
	}
}

/*
 * When a connection's TLS cannot be made. evhttp takes a NULL bufferevent
 * from the callback as "no TLS" and serves the connection in plain HTTP:
 * never that. The loop is stopped before the connection is read, and the
 * server exits 1 (init and systemd start it again).
 */
static struct event_base *web_base;
static int web_broken;

/*
 * A connection's deadline. evhttp's own timeout restarts at every byte
 * read, so a client that sends its request a byte at a time (slowloris)
 * would hold the connection, and a descriptor, for as long as it liked.
 * Every connection gets one deadline for the handshake and a whole
 * request, started again when an answer has gone out (for the next
 * request on a kept-alive connection) and stopped while a worker answers.
 * When it passes, the socket is shut down: evhttp sees the end of the
 * stream and frees the connection as for any client that left. It lives
 * as long as the connection's SSL (its ex_data), which the bufferevent
 * frees.
 */
struct web_conn {
	struct event *deadline;
	struct bufferevent *bev;
};

static int web_conn_index = -1;

static void web_conn_expired(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *wc = arg;

	(void)fd;
	(void)what;
	dc_log(DC_LOG_DEBUG, "connection closed: no whole request in %ld s",
	       (long)web_deadline.tv_sec);
	shutdown(bufferevent_getfd(wc->bev), SHUT_RDWR);
}

static void web_conn_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
			  void *argp)
{
	struct web_conn *wc = ptr;

	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	if (wc) {
		event_free(wc->deadline);
		free(wc);
		web_conns_add(-1);
	}
}

/* The deadline of @req's connection: started (@on) or stopped. */
static void web_conn_deadline(struct evhttp_request *req, int on)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
	struct web_conn *wc = ssl ? SSL_get_ex_data(ssl, web_conn_index) : NULL;

	if (!wc)
		return;
	if (on)
		evtimer_add(wc->deadline, &web_deadline);
	else
		evtimer_del(wc->deadline);
}

void web_header(struct web_response *rs, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;

	if (rs->headers >= WEB_RESP_HEADERS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0)
		v = NULL;
	va_end(ap);
	if (!v)
		return;
	rs->header_name[rs->headers] = name;
	rs->header_value[rs->headers++] = v;
}

static void web_free_str(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void web_request_free(struct web_request *rq)
{
	if (rq->body)
		explicit_bzero(rq->body, rq->body_len);
	free(rq->body);
	web_free_str(rq->authorization);
	web_free_str(rq->cookie);
	free(rq->path);
	free(rq->query);
	free(rq->origin);
	free(rq->host);
	free(rq->content_type);
	memset(rq, 0, sizeof(*rq));
}

void web_response_free(struct web_response *rs)
{
	int i;

	if (rs->body.buf && rs->secret)
		explicit_bzero(rs->body.buf, rs->body.len);
	dc_out_free(&rs->body);
	for (i = 0; i < rs->headers; i++)
		free(rs->header_value[i]);
	memset(rs, 0, sizeof(*rs));
}

/* A connection: its own SSL, made to accept, from the one context; its deadline. */
static struct bufferevent *web_new_conn(struct event_base *base, void *arg)
{
	struct web_conn *wc = calloc(1, sizeof(*wc));
	SSL *ssl = SSL_new(web_ssl_ctx);
	struct bufferevent *bev = NULL;

	(void)arg;
	if (wc)
		wc->deadline = evtimer_new(base, web_conn_expired, wc);
	if (!ssl || !wc || !wc->deadline || !SSL_set_ex_data(ssl, web_conn_index, wc)) {
		if (wc && wc->deadline)
			event_free(wc->deadline);
		free(wc);
		SSL_free(ssl);
		goto broken;
	}
	/* From here on the SSL owns @wc (web_conn_free), and counts in web_conns. */
	web_conns_add(1);
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE);
	/*
	 * On failure libevent (2.1.9 and later, Debian's 2.1.12) has freed the
	 * SSL, which BEV_OPT_CLOSE_ON_FREE gave it, and @wc with it: not here.
	 */
	if (!bev)
		goto broken;
	wc->bev = bev;
	evtimer_add(wc->deadline, &web_deadline);
	/* Browsers often close without close_notify; that is not an error here. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
broken:
	dc_log(DC_LOG_ERR, "cannot make a connection's TLS (out of memory): stopping rather than let it be answered in plain HTTP");
	web_broken = 1;
	event_base_loopbreak(web_base);
	return NULL;
}

static char *web_dup_header(struct evkeyvalq *h, const char *name)
{
	const char *v = evhttp_find_header(h, name);

	return v ? strdup(v) : NULL;
}

static enum web_method web_method_of(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET: return WEB_GET;
	case EVHTTP_REQ_HEAD: return WEB_HEAD;
	case EVHTTP_REQ_POST: return WEB_POST;
	case EVHTTP_REQ_PUT: return WEB_PUT;
	case EVHTTP_REQ_DELETE: return WEB_DELETE;
	default: return WEB_OTHER;
	}
}

/* What the application needs of @req, copied into @rq; 0 or -ENOMEM. */
static int web_copy_request(struct evhttp_request *req, struct web_request *rq)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	char *addr = NULL;
	ev_uint16_t port = 0;

	rq->method = web_method_of(req);
	rq->path = strdup(path && path[0] ? path : "/");
	rq->query = query ? strdup(query) : NULL;
	rq->cookie = web_dup_header(h, "Cookie");
	rq->authorization = web_dup_header(h, "Authorization");
	rq->origin = web_dup_header(h, "Origin");
	rq->host = web_dup_header(h, "Host");
	rq->content_type = web_dup_header(h, "Content-Type");
	rq->body_len = evbuffer_get_length(in);
	rq->body = malloc(rq->body_len + 1);
	if (rq->body) {
		evbuffer_remove(in, rq->body, rq->body_len);
		rq->body[rq->body_len] = '\0';
	}
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &addr, &port);
	snprintf(rq->peer, sizeof(rq->peer), "%s", addr ? addr : "?");
	return rq->path && rq->body ? 0 : -ENOMEM;
}

/* The body's bytes go out by reference and are wiped when sent. */
static void web_body_done(const void *data, size_t len, void *arg)
{
	if (arg)
		explicit_bzero((void *)data, len);
	free((void *)data);
}

static void web_send(struct evhttp_request *req, struct web_response *rs)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(web_security_headers); i++)
		evhttp_add_header(h, web_security_headers[i][0], web_security_headers[i][1]);
	evhttp_add_header(h, "Content-Type", rs->type ? rs->type : "text/plain; charset=utf-8");
	for (n = 0; n < rs->headers; n++)
		evhttp_add_header(h, rs->header_name[n], rs->header_value[n]);
	if (b && rs->body.len && !rs->body.failed &&
	    !evbuffer_add_reference(b, rs->body.buf, rs->body.len, web_body_done,
				    rs->secret ? (void *)1 : NULL))
		rs->body = (struct dc_out){ 0 };	/* the buffer owns it now */
	evhttp_send_reply(req, rs->body.failed ? 500 : rs->code, NULL, b);
	if (b)
		evbuffer_free(b);
}

static void web_refuse_busy(struct evhttp_request *req)
{
	struct web_response rs = { .code = 503 };

	web_header(&rs, "Retry-After", "5");
	dc_out_printf(&rs.body, "devcred-web is busy; try again in a few seconds\n");
	web_send(req, &rs);
	web_response_free(&rs);
}

static void web_on_request(struct evhttp_request *req, void *arg)
{
	struct web_job *job = calloc(1, sizeof(*job));

	(void)arg;
	web_conn_deadline(req, 0);
	if (!job || web_copy_request(req, &job->rq) || web_pool_queue(job)) {
		if (job)
			web_request_free(&job->rq);
		free(job);
		web_refuse_busy(req);
		web_conn_deadline(req, 1);
		return;
	}
	job->owner = req;
}

static void web_on_answers(evutil_socket_t fd, short what, void *arg)
{
	struct web_job *job;

	(void)fd;
	(void)what;
	(void)arg;
	/* A request whose client left is freed by the reply (libevent's rule). */
	while ((job = web_pool_done())) {
		web_conn_deadline(job->owner, 1);
		web_send(job->owner, &job->rs);
		web_response_free(&job->rs);
		web_request_free(&job->rq);
		free(job);
	}
}

static void web_on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	dc_log(DC_LOG_INFO, "signal %d: stopping", (int)sig);
	event_base_loopbreak(arg);
}

int web_serve(const struct web_server_opts *o)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = base ? evhttp_new(base) : NULL;
	struct event *answers = NULL, *term = NULL, *intr = NULL;
	struct evhttp_bound_socket *bound = NULL;
	int pfd, ret = -1;

	web_ssl_ctx = o->tls;
	web_base = base;
	web_deadline.tv_sec = o->timeout_s;
	web_max_conns = o->max_conns ? o->max_conns : WEB_CONNS_MAX;
	web_conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, web_conn_free);
	pfd = web_pool_start();
	if (!http || pfd < 0 || web_conn_index < 0) {
		dc_log(DC_LOG_ERR, "cannot set up the server: %s",
		       pfd < 0 ? strerror(-pfd) : "out of memory");
		goto out;
	}
	evhttp_set_bevcb(http, web_new_conn, NULL);
	evhttp_set_gencb(http, web_on_request, NULL);
	evhttp_set_max_body_size(http, WEB_BODY_MAX);
	evhttp_set_max_headers_size(http, WEB_HEADERS_MAX);
	evhttp_set_timeout(http, o->timeout_s);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
				   EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
	answers = event_new(base, pfd, EV_READ | EV_PERSIST, web_on_answers, NULL);
	term = evsignal_new(base, SIGTERM, web_on_signal, base);
	intr = evsignal_new(base, SIGINT, web_on_signal, base);
	if (!answers || !term || !intr || event_add(answers, NULL) || event_add(term, NULL) ||
	    event_add(intr, NULL) ||
	    !(bound = evhttp_accept_socket_with_handle(http, o->listen_fd))) {
		dc_log(DC_LOG_ERR, "cannot set up the server's events");
		goto out;
	}
	web_listener = evhttp_bound_socket_get_listener(bound);
	ret = event_base_dispatch(base) < 0 || web_broken ? -1 : 0;
	web_listener = NULL;
out:
	if (answers)
		event_free(answers);
	if (term)
		event_free(term);
	if (intr)
		event_free(intr);
	if (http)
		evhttp_free(http);
	if (base)
		event_base_free(base);
	return ret;
}
