// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON API under /api/v1, for scripts: the documents credctl --json
 * prints, and the changes as PUT, DELETE and POST. HTTP Basic as admin on
 * every request but GET status (which anyone may ask, as of devcredd);
 * failures are 4xx with {"error": "the message credctl would print"}.
 *
 *   GET    /api/v1/status            credctl status --json
 *   GET    /api/v1/slots             credctl list --json
 *   GET    /api/v1/slots/SLOT        credctl show SLOT --json
 *   GET    /api/v1/bindings          credctl bindings --json
 *   PUT    /api/v1/bindings/OP       {"slot": S}; answers the bindings
 *   PUT    /api/v1/slots/SLOT        {"bundle": URI} or {"cert": URI[, "key": URI]}
 *                                    [, "passphrase": P][, "force": true];
 *                                    answers the slot as show
 *   DELETE /api/v1/slots/SLOT        204
 *   POST   /api/v1/csr               {"cn": CN[, "org", "email", "country",
 *                                    "state", "key_type", "keep_key": SLOT]};
 *                                    answers {"file_name", "csr"[, "private_key"]}
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/names.h"
#include "change.h"

#define WEB_API_MSG_MAX	2048

struct web_api_route {
	enum web_method method;
	const char *path;	/* after /api/v1/; "*" is one segment */
	int open;		/* no login needed */
	void (*fn)(struct web_ctx *c, struct json_object *body);
};

static void web_api_error(struct web_ctx *c, int code, const char *msg)
{
	c->rs->code = code;
	c->rs->type = "application/json";
	dc_out_free(&c->rs->body);
	dc_out_printf(&c->rs->body, "{\"error\": ");
	dc_out_json_str(&c->rs->body, msg);
	dc_out_printf(&c->rs->body, "}\n");
}

/* HTTP status for credctl's exit status: refusals are the client's, 4xx. */
static int web_api_code(int status)
{
	return status < 0 ? 503 : 400;
}

/* A credctl --json document from devcredd, as the answer. */
static void web_api_doc(struct web_ctx *c, const char *verb, const char *arg, int code)
{
	struct dc_request req;
	struct web_answer ans;
	int status;

	web_request_init(&req, verb, arg, DC_REQ_JSON);
	status = web_ask(&req, &ans);
	if (status != DC_EXIT_DONE) {
		web_api_error(c, web_api_code(status), ans.err);
	} else {
		c->rs->code = code;
		c->rs->type = "application/json";
		dc_out_write(&c->rs->body, (const char *)ans.resp.out.data, ans.resp.out.len);
	}
	web_answer_free(&ans);
}

/* Member @key of @body as a string: 0 (absent: *@out NULL), or -1 (answered). */
static int web_api_str(struct web_ctx *c, struct json_object *body, const char *key,
		       const char **out)
{
	struct json_object *v;
	char msg[128];

	*out = NULL;
	if (!body || !json_object_object_get_ex(body, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(msg, sizeof(msg), "\"%s\" must be a string", key);
		web_api_error(c, 400, msg);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

/* Every member of @body is one of @keys (NULL-terminated); else answered, -1. */
static int web_api_known(struct web_ctx *c, struct json_object *body, const char *const *keys)
{
	const char *const *k;
	char msg[256];

	if (!body)
		return 0;
	json_object_object_foreach(body, key, val) {
		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			snprintf(msg, sizeof(msg), "unknown field \"%.64s\"", key);
			web_api_error(c, 400, msg);
			return -1;
		}
	}
	return 0;
}

static int web_api_slot(struct web_ctx *c)
{
	char msg[256];

	if (dc_slot_by_name(c->arg) >= 0)
		return 0;
	snprintf(msg, sizeof(msg), "credctl: unknown slot '%s'; slots are %s", c->arg,
		 dc_slot_list());
	web_api_error(c, 404, msg);
	return -1;
}

static void web_api_status(struct web_ctx *c, struct json_object *body)
{
	(void)body;
	web_api_doc(c, "status", NULL, 200);
}

static void web_api_slots(struct web_ctx *c, struct json_object *body)
{
	(void)body;
	web_api_doc(c, "list", NULL, 200);
}

static void web_api_show(struct web_ctx *c, struct json_object *body)
{
	(void)body;
	if (!web_api_slot(c))
		web_api_doc(c, "show", c->arg, 200);
}

static void web_api_bindings(struct web_ctx *c, struct json_object *body)
{
	(void)body;
	web_api_doc(c, "bindings", NULL, 200);
}

static void web_api_bind(struct web_ctx *c, struct json_object *body)
{
	static const char *const keys[] = { "slot", NULL };
	char msg[WEB_API_MSG_MAX];
	const char *slot;
	int status;

	if (dc_op_by_name(c->arg) < 0) {
		snprintf(msg, sizeof(msg), "credctl: unknown operation '%s'; operations are %s",
			 c->arg, dc_op_list());
		return web_api_error(c, 404, msg);
	}
	if (web_api_known(c, body, keys) || web_api_str(c, body, "slot", &slot))
		return;
	if (!slot || dc_slot_by_name(slot) < 0) {
		snprintf(msg, sizeof(msg), "credctl: unknown slot '%s'; slots are %s",
			 slot ? slot : "", dc_slot_list());
		return web_api_error(c, 400, msg);
	}
	status = web_do_bind(c, c->arg, slot, msg, sizeof(msg));
	if (status != DC_EXIT_DONE)
		return web_api_error(c, web_api_code(status), msg);
	web_api_doc(c, "bindings", NULL, 200);
}

static void web_api_install(struct web_ctx *c, struct json_object *body)
{
	static const char *const keys[] = { "bundle", "cert", "key", "passphrase", "force", NULL };
	struct web_install in = { .slot = c->arg };
	struct json_object *force;
	char msg[WEB_API_MSG_MAX];
	int status;

	if (web_api_slot(c) || web_api_known(c, body, keys) ||
	    web_api_str(c, body, "bundle", &in.bundle) || web_api_str(c, body, "cert", &in.cert) ||
	    web_api_str(c, body, "key", &in.key) ||
	    web_api_str(c, body, "passphrase", &in.passphrase))
		return;
	if (json_object_object_get_ex(body, "force", &force)) {
		if (!json_object_is_type(force, json_type_boolean))
			return web_api_error(c, 400, "\"force\" must be true or false");
		in.force = json_object_get_boolean(force);
	}
	status = web_do_install(c, &in, msg, sizeof(msg));
	if (status != DC_EXIT_DONE)
		return web_api_error(c, web_api_code(status), msg);
	web_api_doc(c, "show", c->arg, 200);
}

static void web_api_remove(struct web_ctx *c, struct json_object *body)
{
	char msg[WEB_API_MSG_MAX];
	int status;

	(void)body;
	if (web_api_slot(c))
		return;
	status = web_do_remove(c, c->arg, msg, sizeof(msg));
	if (status != DC_EXIT_DONE)
		return web_api_error(c, web_api_code(status), msg);
	c->rs->code = 204;
}

/* @b (text, not NUL-terminated; maybe a key) as a JSON string. */
static void web_json_bytes(struct dc_out *o, const struct dc_buf *b)
{
	char *s = strndup((const char *)b->data, b->len);

	if (!s) {
		o->failed = 1;
		return;
	}
	dc_out_json_str(o, s);
	explicit_bzero(s, b->len);
	free(s);
}

static void web_api_csr_answer(struct web_ctx *c, const struct web_answer *ans)
{
	struct dc_out *o = &c->rs->body;

	c->rs->code = 200;
	c->rs->type = "application/json";
	c->rs->secret = !!ans->resp.csr_key.len;
	dc_out_printf(o, "{\"file_name\": ");
	dc_out_json_str(o, ans->resp.file_name);
	dc_out_printf(o, ", \"csr\": ");
	web_json_bytes(o, &ans->resp.csr);
	if (ans->resp.csr_key.len) {
		dc_out_printf(o, ", \"private_key\": ");
		web_json_bytes(o, &ans->resp.csr_key);
	}
	dc_out_printf(o, "}\n");
}

static void web_api_csr(struct web_ctx *c, struct json_object *body)
{
	static const struct {
		const char *key;
		size_t off;
		size_t max;
	} fields[] = {
		{ "cn", offsetof(struct dc_csr_request, cn), DC_PROTO_NAME_MAX },
		{ "org", offsetof(struct dc_csr_request, org), DC_PROTO_NAME_MAX },
		{ "email", offsetof(struct dc_csr_request, email), DC_PROTO_NAME_MAX },
		{ "country", offsetof(struct dc_csr_request, country), DC_PROTO_NAME_MAX },
		{ "state", offsetof(struct dc_csr_request, state), DC_PROTO_NAME_MAX },
		{ "key_type", offsetof(struct dc_csr_request, key_type), DC_PROTO_STR_MAX },
		{ "keep_key", offsetof(struct dc_csr_request, keep_key), DC_PROTO_STR_MAX },
	};
	const char *keys[ARRAY_SIZE(fields) + 1] = { NULL };
	struct dc_csr_request csr = { 0 };
	struct web_answer ans = { 0 };
	const char *v;
	char msg[256];
	size_t i;
	int status;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		keys[i] = fields[i].key;
	if (web_api_known(c, body, keys))
		return;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (web_api_str(c, body, fields[i].key, &v))
			return;
		if (v && strlen(v) > fields[i].max) {
			snprintf(msg, sizeof(msg), "credctl: csr: %s is %zu bytes long; the limit is %zu",
				 fields[i].key, strlen(v), fields[i].max);
			return web_api_error(c, 400, msg);
		}
		if (v)
			memcpy((char *)&csr + fields[i].off, v, strlen(v) + 1);
	}
	status = web_do_csr(c, &csr, &ans);
	if (status != DC_EXIT_DONE)
		web_api_error(c, web_api_code(status), ans.err);
	else
		web_api_csr_answer(c, &ans);
	web_answer_free(&ans);
}

static const struct web_api_route web_api_routes[] = {
	{ WEB_GET, "status", 1, web_api_status },
	{ WEB_GET, "slots", 0, web_api_slots },
	{ WEB_GET, "slots/*", 0, web_api_show },
	{ WEB_PUT, "slots/*", 0, web_api_install },
	{ WEB_DELETE, "slots/*", 0, web_api_remove },
	{ WEB_GET, "bindings", 0, web_api_bindings },
	{ WEB_PUT, "bindings/*", 0, web_api_bind },
	{ WEB_POST, "csr", 0, web_api_csr },
};

/* The route for @c; NULL with the 404 or 405 answered. */
static const struct web_api_route *web_api_find(struct web_ctx *c)
{
	enum web_method m = c->rq->method == WEB_HEAD ? WEB_GET : c->rq->method;
	const char *rest = c->rq->path + strlen("/api/v1/");
	const struct web_api_route *r;
	int wrong = 0;

	for (r = web_api_routes; r < web_api_routes + ARRAY_SIZE(web_api_routes); r++) {
		if (!web_path_match(r->path, rest, c->arg, sizeof(c->arg)))
			continue;
		if (r->method == m)
			return r;
		wrong = 1;
	}
	web_api_error(c, wrong ? 405 : 404, wrong ? "method not allowed" : "no such resource");
	return NULL;
}

/* Content-Type: application/json, with or without parameters. */
static int web_api_is_json(const struct web_request *rq)
{
	const char *t = rq->content_type;
	size_t n = strlen("application/json");

	return t && !strncasecmp(t, "application/json", n) && (!t[n] || t[n] == ';' || t[n] == ' ');
}

/* Checks HTTP Basic; 0 to go on, -1 when answered. */
static int web_api_gate(struct web_ctx *c)
{
	char why[256];
	int wait, ok;

	if (web_auth_state(why, sizeof(why)) != WEB_PW_SET)
		return web_api_error(c, 403,
				     "no administrator password is set: set one on the device with 'credctl web-password'"),
		       -1;
	wait = web_throttle_wait(c->rq->peer);
	if (wait) {
		web_log_change(c, 0, "API refused: throttled for %d s", wait);
		web_header(c->rs, "Retry-After", "%d", wait);
		return web_api_error(c, 429, "too many failed logins from this address; try again later"), -1;
	}
	ok = web_auth_basic(c->rq->peer, c->rq->authorization);
	if (ok == 1)
		return 0;
	if (c->rq->authorization)
		web_log_change(c, 0, "API refused: wrong user or password");
	web_header(c->rs, "WWW-Authenticate", "Basic realm=\"devcred\", charset=\"UTF-8\"");
	return web_api_error(c, 401, "HTTP Basic authentication as admin needed"), -1;
}

void web_api(struct web_ctx *c)
{
	const struct web_api_route *r = web_api_find(c);
	struct json_object *body = NULL;
	char err[256];

	if (!r || (!r->open && web_api_gate(c)))
		return;
	/*
	 * A browser holding the Basic credentials sends them with whatever a
	 * page elsewhere makes it send: a form (text/plain can carry a JSON
	 * body) or a script's request (it names its Origin). Only JSON, from
	 * no page or from this server's, is taken.
	 */
	if (r->method != WEB_GET && !web_origin_ok(c->rq)) {
		web_log_change(c, 0, "API %s refused: from another origin", c->rq->path);
		return web_api_error(c, 403, "requests from another origin are refused");
	}
	if ((c->rq->method == WEB_PUT || c->rq->method == WEB_POST) && !web_api_is_json(c->rq))
		return web_api_error(c, 415, "the body must be application/json");
	if (c->rq->method == WEB_PUT || c->rq->method == WEB_POST) {
		body = web_json_parse(c->rq->body, c->rq->body_len, err, sizeof(err));
		if (!body)
			return web_api_error(c, 400, "the body is not a JSON object");
	}
	r->fn(c, body);
	json_object_put(body);
}
