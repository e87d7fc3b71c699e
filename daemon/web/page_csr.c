// SPDX-License-Identifier: GPL-2.0
/*
 * Generate CSR: devcredd makes the key and the request (credctl csr). By
 * default the key stays in the device as a slot's pending key, and the
 * signed certificate is installed into that slot later without a key; or
 * the key is handed out, once, as a download. The request can be
 * downloaded as MAC.csr, as the phones name it.
 */
#include <stdio.h>
#include <string.h>

#include "common/names.h"
#include "change.h"
#include "html.h"

static const char *const web_subject_fields[][2] = {
	{ "cn", "Common name (required)" }, { "org", "Organization" },
	{ "email", "E-mail address" }, { "country", "Country (two letters, e.g. US)" },
	{ "state", "State or province" },
};

void web_page_csr(struct web_ctx *c)
{
	struct dc_out *o = &c->rs->body;
	size_t i;
	int s;

	web_page_begin(c, "Generate CSR");
	dc_out_printf(o, "<form method=\"post\" action=\"/csr\">\n");
	web_csrf_field(c);
	for (i = 0; i < ARRAY_SIZE(web_subject_fields); i++)
		dc_out_printf(o, "<label for=\"%s\">%s</label><input type=\"text\" id=\"%s\" name=\"%s\">\n",
			      web_subject_fields[i][0], web_subject_fields[i][1],
			      web_subject_fields[i][0], web_subject_fields[i][0]);
	dc_out_printf(o, "<label for=\"key_type\">Key type</label>");
	web_html_select(o, "key_type", dc_key_type_names, DC_KEY_TYPE_COUNT, NULL);
	dc_out_printf(o, "<label for=\"keep\">Private key</label><select name=\"keep\" id=\"keep\">");
	for (s = DEVCRED_SLOT_PLATFORM1; s < DEVCRED_SLOT_COUNT; s++)
		dc_out_printf(o, "<option value=\"%s\">kept in the device for %s</option>",
			      dc_slot_names[s], dc_slot_names[s]);
	dc_out_printf(o, "<option value=\"\">handed out: download it once</option></select>\n"
		      "<button type=\"submit\" id=\"generate\">Generate</button>\n</form>\n");
	web_page_end(c);
}

/* A subject field as credctl checks it; NULL when fine, else why. */
static const char *web_subject_problem(const char *label, const char *v, char *buf, size_t size)
{
	size_t i;

	if (strlen(v) > DC_PROTO_NAME_MAX) {
		snprintf(buf, size, "credctl: csr: %s is %zu bytes long; the limit is %u", label,
			 strlen(v), DC_PROTO_NAME_MAX);
		return buf;
	}
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			snprintf(buf, size, "credctl: csr: %s: control characters are not allowed in a subject",
				 label);
			return buf;
		}
	return NULL;
}

/* The form into @csr; NULL, or the problem (in @buf). */
static const char *web_csr_take(const struct web_form *f, struct dc_csr_request *csr, char *buf,
				size_t size)
{
	char *const dst[] = { csr->cn, csr->org, csr->email, csr->country, csr->state };
	const char *v, *why;
	size_t i;

	memset(csr, 0, sizeof(*csr));
	for (i = 0; i < ARRAY_SIZE(web_subject_fields); i++) {
		v = web_form_get(f, web_subject_fields[i][0]);
		if (!v)
			continue;
		why = web_subject_problem(web_subject_fields[i][0], v, buf, size);
		if (why)
			return why;
		snprintf(dst[i], DC_PROTO_NAME_MAX + 1, "%s", v);
	}
	v = web_form_get(f, "key_type");
	snprintf(csr->key_type, sizeof(csr->key_type), "%s", v ? v : "");
	v = web_form_get(f, "keep");
	snprintf(csr->keep_key, sizeof(csr->keep_key), "%s", v ? v : "");
	return NULL;
}

static void web_csr_done(struct web_ctx *c, const struct dc_csr_request *csr,
			 const struct web_answer *ans)
{
	struct dc_out *o = &c->rs->body;
	const char *name = ans->resp.file_name;

	web_html_note(c, "done", "CSR generation completed");
	dc_out_printf(o, "<p><a href=\"/csr/request\" id=\"csr-download\">Download ");
	web_html(o, name);
	dc_out_printf(o, ".csr</a></p>\n");
	if (dc_slot_by_name(csr->keep_key) >= 0)	/* a name of ours, safe to print */
		dc_out_printf(o, "<p id=\"key-kept\">The private key stays in the device as the pending "
			      "key of %s. Have the CSR signed, then install the certificate into %s "
			      "with a certificate URI and no key URI.</p>\n",
			      csr->keep_key, csr->keep_key);
	else
		dc_out_printf(o, "<p id=\"key-out\"><a href=\"/csr/key\">Download the private key</a>: "
			      "it is offered once, and kept nowhere in the device.</p>\n");
	dc_out_printf(o, "<pre id=\"csr\">");
	dc_out_write(o, (const char *)ans->resp.csr.data, ans->resp.csr.len);
	dc_out_printf(o, "</pre>\n");
}

void web_post_csr(struct web_ctx *c)
{
	struct dc_csr_request csr;
	struct web_answer ans = { 0 };
	char buf[512];
	const char *why = web_csr_take(&c->form, &csr, buf, sizeof(buf));
	int status = why ? DC_EXIT_USAGE : web_do_csr(c, &csr, &ans);

	if (status == DC_EXIT_DONE &&
	    web_session_keep_csr(c->rq->cookie, ans.resp.file_name,
				 (const char *)ans.resp.csr.data, ans.resp.csr.len,
				 ans.resp.csr_key.len ? (const char *)ans.resp.csr_key.data : NULL,
				 ans.resp.csr_key.len)) {
		snprintf(ans.err, sizeof(ans.err), "devcred-web: the session ended; log in again");
		status = DC_EXIT_FAILED;
	}
	c->rs->code = status == DC_EXIT_DONE ? 200 : status < 0 ? 502 : 400;
	web_page_begin(c, "Generate CSR");
	if (status == DC_EXIT_DONE)
		web_csr_done(c, &csr, &ans);
	else
		web_html_note(c, "error", why ? why : ans.err);
	web_page_end(c);
	web_answer_free(&ans);
}

/* The session's CSR (@key 0) or private key (@key 1) as a file. */
static void web_csr_download(struct web_ctx *c, int key)
{
	char name[64];

	if (web_session_csr(c->rq->cookie, key, name, sizeof(name), &c->rs->body))
		return web_message_page(c, 404, "Generate CSR",
					key ? "No private key to hand out: it was kept in the device, or downloaded already."
					    : "No CSR was generated in this session.");
	c->rs->code = 200;
	c->rs->secret = key;
	c->rs->type = key ? "application/x-pem-file" : "application/pkcs10";
	web_header(c->rs, "Content-Disposition", "attachment; filename=\"%s%s\"", name,
		   key ? "-private.key" : ".csr");
}

void web_page_csr_file(struct web_ctx *c)
{
	web_csr_download(c, 0);
}

void web_page_csr_key(struct web_ctx *c)
{
	web_csr_download(c, 1);
}
