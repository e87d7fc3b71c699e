// SPDX-License-Identifier: GPL-2.0
/*
 * What a command answers: one message when it fails (dd_fail()), and the
 * parts besides text (a CSR and its key). See commands.h and cmd.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "commands.h"

int dd_fail(struct dd_ctx *ctx, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ctx->err.len)
		dc_out_printf(&ctx->err, "%s: %s\n", ctx->prefix ? ctx->prefix : "credctl", msg);
	return -EINVAL;
}

void dd_reply_to(const struct dd_reply *r, struct dc_response *resp)
{
	resp->csr = (struct dc_buf){ (const uint8_t *)r->csr, r->csr ? r->csr_len : 0 };
	resp->csr_key = (struct dc_buf){ (const uint8_t *)r->key, r->key ? r->key_len : 0 };
	snprintf(resp->file_name, sizeof(resp->file_name), "%s", r->file_name);
	snprintf(resp->slot, sizeof(resp->slot), "%s", r->slot);
	if (r->slot[0]) {
		resp->generation = r->generation;
		resp->stamp = (struct dc_buf){ r->stamp, sizeof(r->stamp) };
		resp->may_sign = r->may_sign;
	}
	resp->chain = (struct dc_buf){ (const uint8_t *)r->chain, r->chain ? r->chain_len : 0 };
	resp->signature = (struct dc_buf){ r->signature, r->signature ? r->signature_len : 0 };
}

void dd_reply_free(struct dd_reply *r)
{
	free(r->csr);
	if (r->key)
		OPENSSL_secure_clear_free(r->key, r->key_len + 1);
	free(r->chain);
	free(r->signature);
	memset(r, 0, sizeof(*r));
}

int dd_answer_encode(struct dd_ctx *ctx, uint32_t status, uint8_t **msg, size_t *len)
{
	struct dc_response resp = {
		.status = status,
		.out = { (const uint8_t *)ctx->out.buf, ctx->out.len },
		.err = { (const uint8_t *)ctx->err.buf, ctx->err.len },
	};
	const char *why = "out of memory: the answer would be incomplete";
	char text[256];
	int ret = 0;

	if (!ctx->out.failed && !ctx->err.failed) {
		dd_reply_to(&ctx->reply, &resp);
		ret = dc_response_encode(&resp, msg, len);
		if (!ret)
			return 0;
		why = ret == -EINVAL ? "it is longer than devcredd can send (DC_PROTO_TEXT_MAX)" :
				       strerror(-ret);
	}
	/* The client hears why, not a closed connection; nothing else goes. */
	dc_log(DC_LOG_ERR, "cannot send an answer of status %u: %s", status, why);
	snprintf(text, sizeof(text), "devcredd: cannot send the answer: %s%s\n", why,
		 status ? "" : " (the command itself was done)");
	resp = (struct dc_response){
		.status = DC_EXIT_FAILED,
		.err = { (const uint8_t *)text, strlen(text) },
	};
	return dc_response_encode(&resp, msg, len);
}
