/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pages' HTML: every text that did not come from this program (a
 * certificate's fields, devcredd's messages, what a client sent) goes
 * through web_html() and is shown as text, never read as markup. No
 * script, no inline style (the Content-Security-Policy allows neither):
 * one style sheet, /style.css, served from here.
 */
#ifndef DEVCRED_WEB_HTML_H
#define DEVCRED_WEB_HTML_H

#include "app.h"

/* @s, HTML-escaped (& < > " '), into @o; "" for NULL. */
void web_html(struct dc_out *o, const char *s);

/*
 * The page's start: doctype, title, the navigation (with the logout button
 * when @c has a session) and the <h2> heading; then the caller's content,
 * then web_page_end(). The answer becomes 200 text/html unless @c's code is
 * set already.
 */
void web_page_begin(struct web_ctx *c, const char *title);
void web_page_end(struct web_ctx *c);

/* <input type="hidden" name="csrf" ...> for @c's forms. */
void web_csrf_field(struct web_ctx *c);

/* A paragraph of class @cls ("error", "done") holding @msg, escaped. */
void web_html_note(struct web_ctx *c, const char *cls, const char *msg);

/* <select name=NAME> of @names (count @n), @selected chosen. */
void web_html_select(struct dc_out *o, const char *name, const char *const *names, int n,
		     const char *selected);

/* GET /style.css */
void web_page_css(struct web_ctx *c);

#endif /* DEVCRED_WEB_HTML_H */
