// SPDX-License-Identifier: GPL-2.0
/*
 * The pages that only read: Status, Certificates, one certificate, its PEM
 * downloads. Each asks devcredd what credctl would ask (status, list,
 * show, export) and shows the answer; every field is HTML-escaped.
 */
#include <stdio.h>
#include <string.h>

#include "common/names.h"
#include "ask.h"
#include "html.h"

/* A string member of @j, NULL when absent or not a string. */
static const char *web_jstr(struct json_object *j, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(j, key, &v) && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

/*
 * Asks devcredd @verb (with --json) about @slot and parses the answer;
 * NULL with the failure page made.
 */
static struct json_object *web_ask_json(struct web_ctx *c, const char *title, const char *verb,
					const char *slot)
{
	struct dc_request req;
	struct web_answer ans;
	struct json_object *j = NULL;

	web_request_init(&req, verb, slot, DC_REQ_JSON);
	if (web_ask(&req, &ans) == DC_EXIT_DONE)
		j = web_json_parse((const char *)ans.resp.out.data, ans.resp.out.len, ans.err,
				   sizeof(ans.err));
	if (!j)
		web_message_page(c, 502, title, ans.err);
	web_answer_free(&ans);
	return j;
}

void web_page_status(struct web_ctx *c)
{
	struct json_object *j = web_ask_json(c, "Status", "status", NULL);
	struct dc_out *o = &c->rs->body;
	const char *detail;

	if (!j)
		return;
	web_page_begin(c, "Status");
	dc_out_printf(o, "<p class=\"status\" id=\"device-certificate\">Device Certificate: ");
	web_html(o, web_jstr(j, "device_certificate"));
	/* devcredd's words, as credctl status prints them under it. */
	dc_out_printf(o, "</p>\n<p class=\"status\" id=\"keys-at-rest\">Keys at rest: ");
	web_html(o, web_jstr(j, "keys_at_rest_text") ? web_jstr(j, "keys_at_rest_text") : "unknown");
	dc_out_printf(o, "</p>\n<table>\n<tr><th>MAC address</th><td class=\"mono\" id=\"mac\">");
	web_html(o, web_jstr(j, "mac") ? web_jstr(j, "mac") : "unknown");
	dc_out_printf(o, "</td></tr>\n");
	detail = web_jstr(j, "detail");
	if (detail && detail[0]) {
		dc_out_printf(o, "<tr><th>Why</th><td id=\"detail\">");
		web_html(o, detail);
		dc_out_printf(o, "</td></tr>\n");
	}
	dc_out_printf(o, "</table>\n");
	if (!c->session)
		dc_out_printf(o, "<p><a href=\"/login\">Log in</a> to manage the certificates.</p>\n");
	web_page_end(c);
	json_object_put(j);
}

void web_page_certs(struct web_ctx *c)
{
	static const char *const cols[] = { "state", "origin", "common_name", "not_after" };
	struct json_object *j = web_ask_json(c, "Certificates", "list", NULL), *slots, *s;
	struct dc_out *o = &c->rs->body;
	size_t i, k;

	if (!j)
		return;
	web_page_begin(c, "Certificates");
	dc_out_printf(o, "<table id=\"slots\">\n<tr><th>Slot</th><th>State</th><th>Origin</th>"
		      "<th>Common name</th><th>Not after</th><th>Certificate bytes</th>"
		      "<th>Key bytes</th></tr>\n");
	if (json_object_object_get_ex(j, "slots", &slots) &&
	    json_object_is_type(slots, json_type_array)) {
		for (i = 0; i < json_object_array_length(slots); i++) {
			s = json_object_array_get_idx(slots, i);
			dc_out_printf(o, "<tr><td><a href=\"/certificates/");
			web_html(o, web_jstr(s, "slot"));
			dc_out_printf(o, "\">");
			web_html(o, web_jstr(s, "slot"));
			dc_out_printf(o, "</a></td>");
			for (k = 0; k < ARRAY_SIZE(cols); k++) {
				dc_out_printf(o, "<td>");
				web_html(o, web_jstr(s, cols[k]) ? web_jstr(s, cols[k]) : "-");
				dc_out_printf(o, "</td>");
			}
			dc_out_printf(o, "<td>%d</td><td>%d</td></tr>\n",
				      json_object_get_int(json_object_object_get(s, "cert_len")),
				      json_object_get_int(json_object_object_get(s, "key_len")));
		}
	}
	dc_out_printf(o, "</table>\n<p><a href=\"/install\">Install a credential</a></p>\n");
	web_page_end(c);
	json_object_put(j);
}

/* The slot of the path, known; else the 404 page made and NULL. */
static const char *web_slot_arg(struct web_ctx *c)
{
	char msg[256];

	if (dc_slot_by_name(c->arg) >= 0)
		return c->arg;
	snprintf(msg, sizeof(msg), "credctl: unknown slot '%s'; slots are %s", c->arg,
		 dc_slot_list());
	web_message_page(c, 404, "Certificates", msg);
	return NULL;
}

static void web_cert_chain(struct dc_out *o, struct json_object *j)
{
	struct json_object *chain, *link;
	size_t i;

	dc_out_printf(o, "<h3>Chain</h3>\n<ol id=\"chain\" start=\"0\">\n");
	if (json_object_object_get_ex(j, "chain", &chain) &&
	    json_object_is_type(chain, json_type_array)) {
		for (i = 0; i < json_object_array_length(chain); i++) {
			link = json_object_array_get_idx(chain, i);
			dc_out_printf(o, "<li>");
			web_html(o, web_jstr(link, "subject"));
			dc_out_printf(o, " <i>(issuer ");
			web_html(o, web_jstr(link, "issuer"));
			dc_out_printf(o, ")</i></li>\n");
		}
	}
	dc_out_printf(o, "</ol>\n");
}

void web_page_cert(struct web_ctx *c)
{
	static const char *const rows[][2] = {
		{ "subject", "Subject" }, { "issuer", "Issuer" }, { "common_name", "Common name" },
		{ "serial", "Serial" }, { "not_before", "Not before" },
		{ "not_after", "Not after" }, { "key", "Key" }, { "md5", "MD5" },
		{ "sha1", "SHA1" }, { "sha256", "SHA256" },
	};
	const char *slot = web_slot_arg(c);
	struct json_object *j = slot ? web_ask_json(c, slot, "show", slot) : NULL;
	struct dc_out *o = &c->rs->body;
	size_t i;

	if (!j)
		return;
	web_page_begin(c, slot);
	dc_out_printf(o, "<table id=\"certificate\">\n");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		dc_out_printf(o, "<tr><th>%s</th><td id=\"%s\"%s>", rows[i][1], rows[i][0],
			      i >= 7 ? " class=\"mono\"" : "");
		web_html(o, web_jstr(j, rows[i][0]));
		dc_out_printf(o, "</td></tr>\n");
	}
	dc_out_printf(o, "</table>\n");
	web_cert_chain(o, j);
	dc_out_printf(o, "<p>Download: <a href=\"/certificates/%s/cert.pem\" id=\"cert-pem\">certificate (PEM)</a> | "
		      "<a href=\"/certificates/%s/chain.pem\" id=\"chain-pem\">chain (PEM)</a></p>\n",
		      slot, slot);
	if (dc_slot_by_name(slot) != DEVCRED_SLOT_BUILTIN)
		dc_out_printf(o, "<p><a href=\"/certificates/%s/remove\" id=\"remove\">Remove this credential...</a></p>\n",
			      slot);
	web_page_end(c);
	json_object_put(j);
}

/* export SLOT [--chain]: the PEM, as a file to save. */
static void web_export(struct web_ctx *c, uint32_t flags, const char *what)
{
	const char *slot = web_slot_arg(c);
	struct dc_request req;
	struct web_answer ans;

	if (!slot)
		return;
	web_request_init(&req, "export", slot, flags);
	if (web_ask(&req, &ans) != DC_EXIT_DONE) {
		web_message_page(c, 404, slot, ans.err);
	} else {
		c->rs->code = 200;
		c->rs->type = "application/x-pem-file";
		web_header(c->rs, "Content-Disposition", "attachment; filename=\"%s-%s.pem\"", slot,
			   what);
		dc_out_write(&c->rs->body, (const char *)ans.resp.out.data, ans.resp.out.len);
	}
	web_answer_free(&ans);
}

void web_page_cert_pem(struct web_ctx *c)
{
	web_export(c, 0, "cert");
}

void web_page_chain_pem(struct web_ctx *c)
{
	web_export(c, DC_REQ_CHAIN, "chain");
}
