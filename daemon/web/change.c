// SPDX-License-Identifier: GPL-2.0
/*
 * The changes, for the pages and the API alike: install, bind, remove and
 * csr, asked of devcredd as credctl asks them. devcredd applies every rule
 * (slot kinds, the platform slots' caps, which operations may use which
 * slot) and words every refusal; these add only what credctl's command
 * line checks (one input form, URIs fetched here) and log each change with
 * the client's address.
 */
#include <stdio.h>
#include <string.h>

#include "common/names.h"
#include "ask.h"
#include "change.h"

/* Copies devcredd's output, one line, or its failure into @msg. */
static int web_result(int status, struct web_answer *ans, char *msg, size_t size)
{
	if (status == DC_EXIT_DONE) {
		size_t n = ans->resp.out.len;

		while (n && ans->resp.out.data[n - 1] == '\n')
			n--;
		snprintf(msg, size, "%.*s", (int)n, (const char *)ans->resp.out.data);
	} else {
		snprintf(msg, size, "%s", ans->err);
	}
	return status;
}

/* "web ADDRESS: URI, URI" for devcredd's log, within its limit. */
static void web_source(const struct web_ctx *c, const struct web_install *in, char *out)
{
	const char *uris[] = { in->bundle, in->cert, in->key };
	char shown[DC_PROTO_SOURCE_MAX + 1];
	size_t i, n;

	n = snprintf(out, DC_PROTO_SOURCE_MAX + 1, "web %s:", c->rq->peer);
	for (i = 0; i < ARRAY_SIZE(uris) && n < DC_PROTO_SOURCE_MAX; i++) {
		if (!uris[i])
			continue;
		web_uri_display(uris[i], shown, sizeof(shown));
		n += snprintf(out + n, DC_PROTO_SOURCE_MAX + 1 - n, " %s", shown);
	}
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

/* The checks of credctl install's command line, worded for URIs. */
static const char *web_install_problem(const struct web_install *in)
{
	if (dc_slot_by_name(in->slot) < 0)
		return NULL;	/* devcredd names the slots */
	if (!in->bundle && !in->cert)
		return "credctl: install: give either a bundle URI or a certificate URI";
	if (in->bundle && in->cert)
		return "credctl: install: give either a bundle URI or a certificate URI, not both";
	if (in->bundle && in->key)
		return "credctl: install: a key URI goes with a certificate URI; a bundle holds the key";
	return NULL;
}

int web_do_install(const struct web_ctx *c, const struct web_install *in, char *msg, size_t size)
{
	const char *problem = web_install_problem(in);
	struct dc_request req;
	struct web_answer ans = { 0 };
	struct dc_buf cert = { 0 }, key = { 0 };
	char err[WEB_ERR_MAX];
	int status = DC_EXIT_USAGE;

	if (problem) {
		snprintf(msg, size, "%s", problem);
		goto out;
	}
	status = DC_EXIT_FAILED;
	if (web_fetch(in->bundle ? in->bundle : in->cert, &cert, err) ||
	    (in->key && web_fetch(in->key, &key, err))) {
		snprintf(msg, size, "%s", err);
		goto out;
	}
	web_request_init(&req, "install", in->slot,
			 (in->bundle ? DC_REQ_BUNDLE : 0) | (in->force ? DC_REQ_FORCE : 0));
	req.cert = cert;
	req.key = key;
	if (in->passphrase)
		req.passphrase = (struct dc_buf){ (const uint8_t *)in->passphrase,
						  strlen(in->passphrase) };
	web_source(c, in, req.source);
	status = web_result(web_ask(&req, &ans), &ans, msg, size);
	web_answer_free(&ans);
out:
	web_fetch_free(&cert);
	web_fetch_free(&key);
	web_log_change(c, status == DC_EXIT_DONE, "install %s: %s", in->slot, msg);
	return status;
}

int web_do_bind(const struct web_ctx *c, const char *op, const char *slot, char *msg,
		size_t size)
{
	struct dc_request req;
	struct web_answer ans;
	int status;

	web_request_init(&req, "bind", op, 0);
	snprintf(req.arg2, sizeof(req.arg2), "%s", slot);
	status = web_result(web_ask(&req, &ans), &ans, msg, size);
	web_answer_free(&ans);
	web_log_change(c, status == DC_EXIT_DONE, "bind %s %s: %s", op, slot, msg);
	return status;
}

int web_do_remove(const struct web_ctx *c, const char *slot, char *msg, size_t size)
{
	struct dc_request req;
	struct web_answer ans;
	int status;

	web_request_init(&req, "remove", slot, 0);
	status = web_result(web_ask(&req, &ans), &ans, msg, size);
	web_answer_free(&ans);
	web_log_change(c, status == DC_EXIT_DONE, "remove %s: %s", slot, msg);
	return status;
}

int web_do_csr(const struct web_ctx *c, const struct dc_csr_request *csr, struct web_answer *ans)
{
	struct dc_request req;
	int status;

	web_request_init(&req, "csr", NULL, 0);
	req.csr = *csr;
	status = web_ask(&req, ans);
	if (status == DC_EXIT_DONE && !ans->resp.csr.len) {
		snprintf(ans->err, sizeof(ans->err), "credctl: devcredd answered without a CSR");
		status = DC_EXIT_FAILED;
	}
	web_log_change(c, status == DC_EXIT_DONE, "csr for CN %s, %s key%s%s: %s", csr->cn,
		       csr->key_type[0] ? csr->key_type : dc_key_type_names[0],
		       csr->keep_key[0] ? " kept for " : " handed out",
		       csr->keep_key, status == DC_EXIT_DONE ? "done" : ans->err);
	return status;
}
