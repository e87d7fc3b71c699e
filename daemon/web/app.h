/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The application's parts: the route table and its gates (app.c), the
 * pages (page_*.c), the API (api.c), and what they share.
 */
#ifndef DEVCRED_WEB_APP_H
#define DEVCRED_WEB_APP_H

#include <json-c/json.h>

#include "auth.h"
#include "form.h"
#include "web.h"

/**
 * struct web_ctx - one request being answered
 * @rq: the request
 * @rs: the answer
 * @arg: the path's parameter (a slot, an operation), "" when none
 * @session: the request came with a live session (pages)
 * @csrf: that session's CSRF token, for the forms
 * @cookie_token: that session's cookie, to reach what it keeps
 * @form: a POST's fields
 */
struct web_ctx {
	const struct web_request *rq;
	struct web_response *rs;
	char arg[64];
	int session;
	char csrf[WEB_TOKEN_LEN + 1];
	struct web_form form;
};

/* A page handler, or an API one. */
typedef void (*web_handler)(struct web_ctx *c);

/* app.c: answers shared by the pages and the API. */
void web_redirect(struct web_ctx *c, const char *to);
/* A page with a title and one message (HTML-escaped), with status @code. */
void web_message_page(struct web_ctx *c, int code, const char *title, const char *msg);
/* Logs a change: "web: ADDRESS: WHAT: RESULT". */
void web_log_change(const struct web_ctx *c, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Whether @path matches @pattern, whose "*" segment takes any one segment
 * of the path (copied into @arg) and whose final "**" takes the rest.
 */
int web_path_match(const char *pattern, const char *path, char *arg, size_t argsize);

/*
 * Whether a request that changes something may come from where it says:
 * no Origin (not a browser), or this server's own.
 */
int web_origin_ok(const struct web_request *rq);

/* Parses devcredd's JSON answer; NULL with @err set when it does not parse. */
struct json_object *web_json_parse(const char *text, size_t len, char *err, size_t errlen);

/* page_view.c */
void web_page_status(struct web_ctx *c);
void web_page_certs(struct web_ctx *c);
void web_page_cert(struct web_ctx *c);
void web_page_cert_pem(struct web_ctx *c);
void web_page_chain_pem(struct web_ctx *c);

/* page_change.c */
void web_page_install(struct web_ctx *c);
void web_post_install(struct web_ctx *c);
void web_page_profiles(struct web_ctx *c);
void web_post_profiles(struct web_ctx *c);
void web_page_remove(struct web_ctx *c);
void web_post_remove(struct web_ctx *c);

/* page_csr.c */
void web_page_csr(struct web_ctx *c);
void web_post_csr(struct web_ctx *c);
void web_page_csr_file(struct web_ctx *c);
void web_page_csr_key(struct web_ctx *c);

/* api.c */
void web_api(struct web_ctx *c);

#endif /* DEVCRED_WEB_APP_H */
