// SPDX-License-Identifier: GPL-2.0
/* The pages' HTML: see html.h. */
#include <string.h>

#include "html.h"

void web_html(struct dc_out *o, const char *s)
{
	size_t n;

	for (; s && *s; s += n) {
		n = strcspn(s, "&<>\"'");
		dc_out_write(o, s, n);
		switch (s[n]) {
		case '&': dc_out_write(o, "&amp;", 5); break;
		case '<': dc_out_write(o, "&lt;", 4); break;
		case '>': dc_out_write(o, "&gt;", 4); break;
		case '"': dc_out_write(o, "&quot;", 6); break;
		case '\'': dc_out_write(o, "&#39;", 5); break;
		default: continue;
		}
		n++;
	}
}

static const char *const web_nav[][2] = {
	{ "/", "Status" },
	{ "/certificates", "Certificates" },
	{ "/install", "Install" },
	{ "/profiles", "TLS Profiles" },
	{ "/csr", "Generate CSR" },
};

void web_page_begin(struct web_ctx *c, const char *title)
{
	struct dc_out *o = &c->rs->body;
	size_t i;

	if (!c->rs->code)
		c->rs->code = 200;
	c->rs->type = "text/html; charset=utf-8";
	dc_out_printf(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
	web_html(o, title);
	dc_out_printf(o, " - devcred</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n"
		      "</head>\n<body>\n<header>\n<h1>devcred Web Configuration Utility</h1>\n<nav>\n");
	for (i = 0; i < ARRAY_SIZE(web_nav); i++)
		dc_out_printf(o, "<a href=\"%s\">%s</a>\n", web_nav[i][0], web_nav[i][1]);
	if (c->session) {
		dc_out_printf(o, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
		web_csrf_field(c);
		dc_out_printf(o, "<button type=\"submit\">Log out</button></form>\n");
	}
	dc_out_printf(o, "</nav>\n</header>\n<main>\n<h2>");
	web_html(o, title);
	dc_out_printf(o, "</h2>\n");
}

void web_page_end(struct web_ctx *c)
{
	dc_out_printf(&c->rs->body, "</main>\n</body>\n</html>\n");
}

void web_csrf_field(struct web_ctx *c)
{
	dc_out_printf(&c->rs->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", c->csrf);
}

void web_html_note(struct web_ctx *c, const char *cls, const char *msg)
{
	dc_out_printf(&c->rs->body, "<p class=\"%s\">", cls);
	web_html(&c->rs->body, msg);
	dc_out_printf(&c->rs->body, "</p>\n");
}

void web_html_select(struct dc_out *o, const char *name, const char *const *names, int n,
		     const char *selected)
{
	int i;

	dc_out_printf(o, "<select name=\"%s\" id=\"%s\">", name, name);
	for (i = 0; i < n; i++)
		dc_out_printf(o, "<option%s>%s</option>",
			      selected && !strcmp(selected, names[i]) ? " selected" : "", names[i]);
	dc_out_printf(o, "</select>");
}

static const char web_css[] =
	"body { font-family: sans-serif; margin: 0; color: #222; background: #f6f7f9; }\n"
	"header { background: #1f3b5a; color: #fff; padding: 0.6em 1.2em; }\n"
	"header h1 { font-size: 1.2em; margin: 0 0 0.4em 0; }\n"
	"nav a { color: #fff; margin-right: 1.2em; text-decoration: none; }\n"
	"nav a:hover { text-decoration: underline; }\n"
	"form.inline { display: inline; }\n"
	"main { padding: 0.5em 1.2em 2em 1.2em; }\n"
	"table { border-collapse: collapse; background: #fff; }\n"
	"th, td { border: 1px solid #ccd; padding: 0.3em 0.6em; text-align: left; }\n"
	"th { background: #e8ecf2; }\n"
	"td.mono, pre, .mono { font-family: monospace; }\n"
	"pre { background: #fff; border: 1px solid #ccd; padding: 0.6em; overflow-x: auto; }\n"
	"label { display: block; margin-top: 0.6em; }\n"
	"input[type=text], input[type=url], input[type=password] { width: 32em; }\n"
	"button { margin-top: 0.8em; }\n"
	".error { color: #a00; font-weight: bold; }\n"
	".done { color: #060; font-weight: bold; }\n"
	".status { font-size: 1.3em; }\n";

void web_page_css(struct web_ctx *c)
{
	c->rs->code = 200;
	c->rs->type = "text/css; charset=utf-8";
	dc_out_write(&c->rs->body, web_css, sizeof(web_css) - 1);
}
