// SPDX-License-Identifier: GPL-2.0
/*
 * The application: the route table, the gate each route is behind, login
 * and logout, and the answers the pages and the API share.
 *
 * Gates:
 *   open     anyone: the status page (what any local user may ask
 *            devcredd), the style sheet;
 *   login    the login form: a page saying how to set a password while
 *            none is set;
 *   session  the pages: a live session cookie (else GET goes to the login
 *            form and POST is refused), and on every POST the session's
 *            CSRF token and, when the browser sends one, an Origin naming
 *            this server;
 *   api      /api/v1: HTTP Basic as admin on every request (api.c).
 * Until a password is set, every gate but open answers 403 with how to set
 * one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/password.h"
#include "html.h"

enum web_gate { WEB_OPEN, WEB_LOGIN, WEB_SESSION, WEB_API };

/**
 * struct web_route - one path and method
 * @method: WEB_GET also answers HEAD; WEB_OTHER: any method (the API
 *	sorts them itself)
 * @path: the path; a segment "*" takes any one segment, which becomes
 *	the handler's @arg; a final "**" takes the rest
 * @gate: who may come in
 * @fn: the handler
 */
struct web_route {
	enum web_method method;
	const char *path;
	enum web_gate gate;
	web_handler fn;
};

static void web_page_login(struct web_ctx *c);
static void web_post_login(struct web_ctx *c);
static void web_post_logout(struct web_ctx *c);

static const struct web_route web_routes[] = {
	{ WEB_GET, "/", WEB_OPEN, web_page_status },
	{ WEB_GET, "/status", WEB_OPEN, web_page_status },
	{ WEB_GET, "/style.css", WEB_OPEN, web_page_css },
	{ WEB_GET, "/login", WEB_LOGIN, web_page_login },
	{ WEB_POST, "/login", WEB_LOGIN, web_post_login },
	{ WEB_POST, "/logout", WEB_SESSION, web_post_logout },
	{ WEB_GET, "/certificates", WEB_SESSION, web_page_certs },
	{ WEB_GET, "/certificates/*", WEB_SESSION, web_page_cert },
	{ WEB_GET, "/certificates/*/cert.pem", WEB_SESSION, web_page_cert_pem },
	{ WEB_GET, "/certificates/*/chain.pem", WEB_SESSION, web_page_chain_pem },
	{ WEB_GET, "/certificates/*/remove", WEB_SESSION, web_page_remove },
	{ WEB_POST, "/certificates/*/remove", WEB_SESSION, web_post_remove },
	{ WEB_GET, "/install", WEB_SESSION, web_page_install },
	{ WEB_POST, "/install", WEB_SESSION, web_post_install },
	{ WEB_GET, "/profiles", WEB_SESSION, web_page_profiles },
	{ WEB_POST, "/profiles", WEB_SESSION, web_post_profiles },
	{ WEB_GET, "/csr", WEB_SESSION, web_page_csr },
	{ WEB_POST, "/csr", WEB_SESSION, web_post_csr },
	{ WEB_GET, "/csr/request", WEB_SESSION, web_page_csr_file },
	{ WEB_GET, "/csr/key", WEB_SESSION, web_page_csr_key },
	{ WEB_OTHER, "/api/v1/**", WEB_API, web_api },
};

static const char *const web_method_names[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "?" };

void web_log_change(const struct web_ctx *c, int ok, const char *fmt, ...)
{
	char what[1024], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* What a client typed (a slot, a URI) never makes a line of its own. */
	for (p = what; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	dc_log(ok ? DC_LOG_INFO : DC_LOG_WARN, "web: %s: %s", c->rq->peer, what);
}

void web_redirect(struct web_ctx *c, const char *to)
{
	c->rs->code = 303;
	web_header(c->rs, "Location", "%s", to);
}

void web_message_page(struct web_ctx *c, int code, const char *title, const char *msg)
{
	c->rs->code = code;
	web_page_begin(c, title);
	web_html_note(c, code < 400 ? "done" : "error", msg);
	web_page_end(c);
}

struct json_object *web_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *j = tok ? json_tokener_parse_ex(tok, text, len) : NULL;

	if (!j || !json_object_is_type(j, json_type_object)) {
		snprintf(err, errlen, "devcred-web: devcredd's answer is not the JSON expected");
		json_object_put(j);
		j = NULL;
	}
	json_tokener_free(tok);
	return j;
}

int web_path_match(const char *pattern, const char *path, char *arg, size_t argsize)
{
	size_t n;

	arg[0] = '\0';
	while (*pattern && *path) {
		if (!strcmp(pattern, "**"))
			return 1;
		if (*pattern == '*') {
			n = strcspn(path, "/");
			if (!n || n >= argsize)
				return 0;
			memcpy(arg, path, n);
			arg[n] = '\0';
			path += n;
			pattern++;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return !*pattern && !*path;
}

/* The route for @rq: *@wrong_method set when only the method does not fit. */
static const struct web_route *web_route_find(struct web_ctx *c, int *wrong_method)
{
	enum web_method m = c->rq->method == WEB_HEAD ? WEB_GET : c->rq->method;
	const struct web_route *r;

	*wrong_method = 0;
	for (r = web_routes; r < web_routes + ARRAY_SIZE(web_routes); r++) {
		if (!web_path_match(r->path, c->rq->path, c->arg, sizeof(c->arg)))
			continue;
		if (r->method == m || r->method == WEB_OTHER)
			return r;
		*wrong_method = 1;
	}
	return NULL;
}

static void web_no_password_page(struct web_ctx *c, enum web_pw_state st, const char *why)
{
	c->rs->code = 403;
	web_page_begin(c, "No administrator password");
	if (st == WEB_PW_BROKEN)
		web_html_note(c, "error", why);
	dc_out_printf(&c->rs->body,
		      "<p id=\"setup\">No administrator password is set, so only the "
		      "<a href=\"/\">status page</a> is served. Set one on the device, as root:</p>\n"
		      "<pre>printf '%%s\\n' 'NEW PASSWORD' | credctl web-password</pre>\n"
		      "<p>(%u to %u bytes) and log in as <b>%s</b>.</p>\n",
		      DC_PASSWORD_MIN, DC_PASSWORD_MAX, DC_WEB_USER);
	web_page_end(c);
}

/* The login form, with @msg above it (an error) unless NULL. */
static void web_login_form(struct web_ctx *c, const char *msg)
{
	struct dc_out *o = &c->rs->body;

	web_page_begin(c, "Log in");
	if (msg)
		web_html_note(c, "error", msg);
	dc_out_printf(o, "<form method=\"post\" action=\"/login\">\n"
		      "<label for=\"user\">User</label><input type=\"text\" id=\"user\" name=\"user\" value=\"%s\" autocomplete=\"username\">\n"
		      "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" autofocus>\n"
		      "<br><button type=\"submit\" id=\"login\">Log in</button>\n</form>\n",
		      DC_WEB_USER);
	web_page_end(c);
}

static void web_page_login(struct web_ctx *c)
{
	if (c->session)
		web_redirect(c, "/");
	else
		web_login_form(c, NULL);
}

static void web_too_many(struct web_ctx *c, int wait)
{
	char msg[256];

	web_header(c->rs, "Retry-After", "%d", wait);
	snprintf(msg, sizeof(msg),
		 "Too many failed logins from %s: %d in %d seconds. Try again in %d seconds.",
		 c->rq->peer, WEB_FAILS_MAX, WEB_FAILS_WINDOW_S, wait);
	web_log_change(c, 0, "login refused: throttled for %d s", wait);
	web_message_page(c, 429, "Log in", msg);
}

static void web_post_login(struct web_ctx *c)
{
	const char *user = web_form_get(&c->form, "user");
	const char *pw = web_form_get(&c->form, "password");
	char token[WEB_TOKEN_LEN + 1], csrf[WEB_TOKEN_LEN + 1];
	int wait = web_throttle_wait(c->rq->peer), ok;

	if (wait)
		return web_too_many(c, wait);
	ok = web_auth_login(c->rq->peer, user ? user : "", pw ? pw : "", pw ? strlen(pw) : 0);
	if (ok != 1 || web_session_new(token, csrf)) {
		web_log_change(c, 0, "login refused: %s", ok == 1 ? "no session" : "wrong user or password");
		c->rs->code = 401;
		return web_login_form(c, "Wrong user or password.");
	}
	web_log_change(c, 1, "login: %s", DC_WEB_USER);
	web_header(c->rs, "Set-Cookie",
		   WEB_SESSION_COOKIE "=%s; Path=/; Max-Age=%d; Secure; HttpOnly; SameSite=Strict",
		   token, WEB_SESSION_MAX_S);
	explicit_bzero(token, sizeof(token));
	explicit_bzero(csrf, sizeof(csrf));
	web_redirect(c, "/");
}

static void web_post_logout(struct web_ctx *c)
{
	web_session_end(c->rq->cookie);
	web_log_change(c, 1, "logout");
	web_header(c->rs, "Set-Cookie",
		   WEB_SESSION_COOKIE "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
	web_redirect(c, "/login");
}

/*
 * A browser names the page a POST comes from in Origin: it must be this
 * server (a page elsewhere cannot make the browser post here, with or
 * without the token). Clients that send none (curl) rely on the token.
 */
int web_origin_ok(const struct web_request *rq)
{
	const char *o = rq->origin;

	return !o || (rq->host && !strncmp(o, "https://", 8) && !strcmp(o + 8, rq->host));
}

/* A POST's form: parsed into @c->form; 0, or -1 with the answer made. */
static int web_take_form(struct web_ctx *c)
{
	const char *type = c->rq->content_type;

	if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
		web_message_page(c, 415, "Unsupported form",
				 "Forms are sent as application/x-www-form-urlencoded.");
		return -1;
	}
	if (web_form_parse(c->rq->body, &c->form)) {
		web_message_page(c, 400, "Malformed form", "The form's fields do not decode.");
		return -1;
	}
	return 0;
}

/* Checks a session page's gate; 0 to go on, -1 when answered. */
static int web_session_gate(struct web_ctx *c)
{
	const char *token;

	if (!c->session) {
		if (c->rq->method == WEB_GET || c->rq->method == WEB_HEAD)
			web_redirect(c, "/login");
		else
			web_message_page(c, 403, "Log in first",
					 "This needs a session: log in again (sessions end after 15 minutes idle).");
		return -1;
	}
	if (c->rq->method != WEB_POST)
		return 0;
	token = web_form_get(&c->form, "csrf");
	if (!token || !web_token_equal(token, c->csrf) || !web_origin_ok(c->rq)) {
		web_log_change(c, 0, "POST %s refused: %s", c->rq->path,
			       web_origin_ok(c->rq) ? "no valid CSRF token" : "from another origin");
		web_message_page(c, 403, "Refused",
				 "The form did not come from this server's pages (CSRF token or origin wrong); nothing was changed. Reload the page and try again.");
		return -1;
	}
	return 0;
}

static void web_not_found(struct web_ctx *c, int wrong_method)
{
	if (!strncmp(c->rq->path, "/api/", 5)) {
		c->rs->code = wrong_method ? 405 : 404;
		c->rs->type = "application/json";
		dc_out_printf(&c->rs->body, "{\"error\": \"%s\"}\n",
			      wrong_method ? "method not allowed" : "no such resource");
		return;
	}
	if (wrong_method)
		return web_message_page(c, 405, "Method not allowed",
					"This page does not take that method.");
	web_message_page(c, 404, "Not found", "There is no such page.");
}

void web_app_handle(const struct web_request *rq, struct web_response *rs)
{
	struct web_ctx c = { .rq = rq, .rs = rs };
	const struct web_route *r;
	enum web_pw_state st;
	char why[256];
	int wrong;

	r = web_route_find(&c, &wrong);
	dc_log(DC_LOG_DEBUG, "web: %s: %s %s", rq->peer, web_method_names[rq->method], rq->path);
	if (r && r->gate != WEB_API)
		c.session = web_session_find(rq->cookie, c.csrf);
	if (!r) {
		web_not_found(&c, wrong);
	} else if (r->gate == WEB_OPEN || r->gate == WEB_API) {
		r->fn(&c);
	} else if ((st = web_auth_state(why, sizeof(why))) != WEB_PW_SET) {
		web_no_password_page(&c, st, why);
	} else if ((rq->method != WEB_POST || !web_take_form(&c)) &&
		   (r->gate == WEB_LOGIN || !web_session_gate(&c))) {
		r->fn(&c);
	}
	web_form_free(&c.form);
	explicit_bzero(c.csrf, sizeof(c.csrf));
}
