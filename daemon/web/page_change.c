// SPDX-License-Identifier: GPL-2.0
/*
 * The pages that change the store: Install, TLS Profiles, Remove (with a
 * confirmation step). Each form is a POST carrying the session's CSRF
 * token (app.c checks it); the change itself is change.c's.
 */
#include <stdio.h>
#include <string.h>

#include "common/names.h"
#include "change.h"
#include "html.h"

#define WEB_MSG_MAX	2048

/* The slots install takes: all but builtin (devcredd refuses it anyway). */
static const char *const *web_install_slots = dc_slot_names + 1;
#define WEB_INSTALL_SLOTS	(DEVCRED_SLOT_COUNT - 1)

static void web_text_input(struct dc_out *o, const char *name, const char *label,
			   const char *type, const char *value)
{
	dc_out_printf(o, "<label for=\"%s\">%s</label><input type=\"%s\" id=\"%s\" name=\"%s\" value=\"",
		      name, label, type, name, name);
	web_html(o, value);
	dc_out_printf(o, "\">\n");
}

/* The install form, filled with @f's values (not the passphrase) when given. */
static void web_install_form(struct web_ctx *c, const struct web_form *f)
{
	struct dc_out *o = &c->rs->body;
	const char *slot = f ? web_form_get(f, "slot") : NULL;

	dc_out_printf(o, "<p>Give a URI (http, https or tftp) of a bundle, one PEM file with the "
		      "certificate (or chain) and its private key, or a URI of the certificate "
		      "(PEM, PEM chain, PKCS#7 or DER) and one of its key. Without a key URI, "
		      "the certificate pairs with the key a CSR kept in that slot. The device "
		      "fetches them itself.</p>\n<form method=\"post\" action=\"/install\">\n");
	web_csrf_field(c);
	dc_out_printf(o, "<label for=\"slot\">Slot</label>");
	web_html_select(o, "slot", web_install_slots, WEB_INSTALL_SLOTS, slot);
	web_text_input(o, "bundle", "Bundle URI", "url", f ? web_form_get(f, "bundle") : NULL);
	web_text_input(o, "cert", "or certificate URI", "url", f ? web_form_get(f, "cert") : NULL);
	web_text_input(o, "key", "and key URI (optional)", "url", f ? web_form_get(f, "key") : NULL);
	web_text_input(o, "passphrase", "Key passphrase (optional)", "password", NULL);
	dc_out_printf(o, "<label><input type=\"checkbox\" name=\"force\" value=\"1\"%s> Accept an "
		      "expired or not yet valid certificate</label>\n"
		      "<button type=\"submit\" id=\"install\">Install</button>\n</form>\n",
		      f && web_form_get(f, "force") ? " checked" : "");
}

void web_page_install(struct web_ctx *c)
{
	web_page_begin(c, "Install");
	web_install_form(c, NULL);
	web_page_end(c);
}

void web_post_install(struct web_ctx *c)
{
	const struct web_form *f = &c->form;
	struct web_install in = {
		.slot = web_form_get(f, "slot") ? web_form_get(f, "slot") : "",
		.bundle = web_form_nonempty(f, "bundle"),
		.cert = web_form_nonempty(f, "cert"),
		.key = web_form_nonempty(f, "key"),
		.passphrase = web_form_nonempty(f, "passphrase"),
		.force = !!web_form_get(f, "force"),
	};
	char msg[WEB_MSG_MAX];
	int status = web_do_install(c, &in, msg, sizeof(msg));

	c->rs->code = status == DC_EXIT_DONE ? 200 : status < 0 ? 502 : 400;
	web_page_begin(c, "Install");
	web_html_note(c, status == DC_EXIT_DONE ? "done" : "error", msg);
	if (status == DC_EXIT_DONE && dc_slot_by_name(in.slot) >= 0)
		dc_out_printf(&c->rs->body, "<p><a href=\"/certificates/%s\">Show %s</a></p>\n",
			      in.slot, in.slot);
	web_install_form(c, status == DC_EXIT_DONE ? NULL : f);
	web_page_end(c);
}

/* The profiles page with @msg (class @cls) above the table, when not NULL. */
static void web_profiles(struct web_ctx *c, const char *cls, const char *msg)
{
	struct dc_request req;
	struct web_answer ans;
	struct json_object *j = NULL, *b, *row, *v;
	struct dc_out *o = &c->rs->body;
	const char *op, *slot;
	size_t i;

	web_request_init(&req, "bindings", NULL, DC_REQ_JSON);
	if (web_ask(&req, &ans) == DC_EXIT_DONE)
		j = web_json_parse((const char *)ans.resp.out.data, ans.resp.out.len, ans.err,
				   sizeof(ans.err));
	web_page_begin(c, "TLS Profiles");
	if (msg)
		web_html_note(c, cls, msg);
	if (!j || !json_object_object_get_ex(j, "bindings", &b)) {
		web_html_note(c, "error", ans.err);
		goto out;
	}
	dc_out_printf(o, "<p>The credential each TLS operation uses. 802.1X, syslog and "
		      "provisioning run before the application and may use builtin, platform1 "
		      "or platform2 only.</p>\n<table id=\"bindings\">\n"
		      "<tr><th>Operation</th><th>Slot</th><th>Available</th><th>Use</th></tr>\n");
	for (i = 0; i < json_object_array_length(b); i++) {
		row = json_object_array_get_idx(b, i);
		op = json_object_get_string(json_object_object_get(row, "operation"));
		slot = json_object_get_string(json_object_object_get(row, "slot"));
		if (!op || !slot || dc_op_by_name(op) < 0)
			continue;
		v = json_object_object_get(row, "available");
		dc_out_printf(o, "<tr id=\"op-%s\"><td>%s</td><td class=\"slot\">", op, op);
		web_html(o, slot);
		dc_out_printf(o, "</td><td>%s</td><td><form method=\"post\" action=\"/profiles\" class=\"inline\">",
			      json_object_get_boolean(v) ? "yes" : "no (slot empty)");
		web_csrf_field(c);
		dc_out_printf(o, "<input type=\"hidden\" name=\"operation\" value=\"%s\">", op);
		web_html_select(o, "slot", dc_slot_names,
				dc_op_by_name(op) < DEVCRED_OP_FLASH_ONLY_END ? DEVCRED_FLASH_SLOTS :
										DEVCRED_SLOT_COUNT,
				slot);
		dc_out_printf(o, " <button type=\"submit\">Apply</button></form></td></tr>\n");
	}
	dc_out_printf(o, "</table>\n");
out:
	web_page_end(c);
	json_object_put(j);
	web_answer_free(&ans);
}

void web_page_profiles(struct web_ctx *c)
{
	web_profiles(c, NULL, NULL);
}

void web_post_profiles(struct web_ctx *c)
{
	const char *op = web_form_get(&c->form, "operation");
	const char *slot = web_form_get(&c->form, "slot");
	char msg[WEB_MSG_MAX];
	int status;

	if (!op || dc_op_by_name(op) < 0) {
		snprintf(msg, sizeof(msg), "credctl: unknown operation '%s'; operations are %s",
			 op ? op : "", dc_op_list());
		status = DC_EXIT_USAGE;
	} else if (!slot || dc_slot_by_name(slot) < 0) {
		snprintf(msg, sizeof(msg), "credctl: unknown slot '%s'; slots are %s",
			 slot ? slot : "", dc_slot_list());
		status = DC_EXIT_USAGE;
	} else {
		status = web_do_bind(c, op, slot, msg, sizeof(msg));
	}
	c->rs->code = status == DC_EXIT_DONE ? 200 : status < 0 ? 502 : 400;
	web_profiles(c, status == DC_EXIT_DONE ? "done" : "error", msg);
}

/* The slot of the path if it may be removed; else the page made and NULL. */
static const char *web_removable(struct web_ctx *c)
{
	int slot = dc_slot_by_name(c->arg);

	if (slot > DEVCRED_SLOT_BUILTIN)
		return c->arg;
	web_message_page(c, 404, "Remove",
			 slot < 0 ? "credctl: unknown slot" :
			 "credctl: remove takes platform1, platform2 or app1 to app6; the built-in certificate stays");
	return NULL;
}

void web_page_remove(struct web_ctx *c)
{
	const char *slot = web_removable(c);
	struct dc_out *o = &c->rs->body;

	if (!slot)
		return;
	web_page_begin(c, "Remove a credential");
	dc_out_printf(o, "<p>Remove the certificate and private key in <b>%s</b>? Operations bound "
		      "to it have no credential until another is installed there or they are "
		      "bound elsewhere. This cannot be undone.</p>\n"
		      "<form method=\"post\" action=\"/certificates/%s/remove\">", slot, slot);
	web_csrf_field(c);
	dc_out_printf(o, "<button type=\"submit\" id=\"confirm\">Remove %s</button> "
		      "<a href=\"/certificates/%s\">Cancel</a></form>\n", slot, slot);
	web_page_end(c);
}

void web_post_remove(struct web_ctx *c)
{
	const char *slot = web_removable(c);
	char msg[WEB_MSG_MAX];
	int status;

	if (!slot)
		return;
	status = web_do_remove(c, slot, msg, sizeof(msg));
	c->rs->code = status == DC_EXIT_DONE ? 200 : status < 0 ? 502 : 400;
	web_page_begin(c, "Remove a credential");
	web_html_note(c, status == DC_EXIT_DONE ? "done" : "error", msg);
	dc_out_printf(&c->rs->body, "<p><a href=\"/certificates\">Certificates</a></p>\n");
	web_page_end(c);
}
