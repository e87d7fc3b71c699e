// SPDX-License-Identifier: GPL-2.0
/* The commands that only read: status, list, show, export, bindings. */
#include <errno.h>
#include <string.h>
#include <openssl/pem.h>

#include "common/names.h"
#include "lib/cred/info.h"
#include "lib/store/store.h"
#include "cmd.h"
#include "sealing.h"

int dd_cmd_status(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct devcred_info info;
	enum dd_cert_status st;
	char why[1024];
	int ret = dd_status_read(ctx->fd, ctx->trust, ctx->now, ctx->status_cache, &st, why,
				 sizeof(why));

	if (!ret)
		ret = store_info(ctx->fd, &info);
	if (ret)
		return dd_fail(ctx, "cannot read the built-in certificate: %s", strerror(-ret));
	if (req->flags & DC_REQ_JSON) {
		dc_out_printf(&ctx->out, "{\"device_certificate\": ");
		dc_out_json_str(&ctx->out, dd_status_text[st]);
		dc_out_printf(&ctx->out, ", \"state\": \"%s\", \"detail\": ", dd_status_id[st]);
		dc_out_json_str(&ctx->out, why);
		/* The device's MAC address, which the web UI shows beside it. */
		dc_out_printf(&ctx->out, ", \"mac\": ");
		dc_out_json_str(&ctx->out, ctx->mac && ctx->mac[0] ? ctx->mac : NULL);
		dc_out_printf(&ctx->out, ", \"keys_at_rest\": \"%s\", \"keys_at_rest_text\": ",
			      dd_keys_at_rest_id(info.flags));
		dc_out_json_str(&ctx->out, dd_keys_at_rest_text(info.flags));
		dc_out_printf(&ctx->out, "}\n");
	} else {
		dc_out_printf(&ctx->out, "Device Certificate: %s\nKeys at rest: %s\n",
			      dd_status_text[st], dd_keys_at_rest_text(info.flags));
	}
	return 0;
}

/* The state word of list: empty, present, pending-key or invalid. */
static const char *dd_slot_state(const struct devcred_slot_status *st, STACK_OF(X509) *chain)
{
	if (st->flags & DEVCRED_SLOT_INVALID)
		return "invalid";
	if (st->flags & DEVCRED_SLOT_PRESENT)
		return chain ? "present" : "invalid";
	return st->flags & DEVCRED_SLOT_PENDING_KEY ? "pending-key" : "empty";
}

static void dd_list_one(struct dd_ctx *ctx, unsigned int slot, int json, int first)
{
	struct devcred_slot_status st;
	struct cred_info ci = { .cn = "-", .not_after = "-" };
	STACK_OF(X509) *chain = NULL;
	struct store_blob cert = { 0 };
	const char *fault;

	if (store_slot_status(ctx->fd, slot, &st))
		return;
	fault = dd_key_fault(st.flags);
	if ((st.flags & DEVCRED_SLOT_PRESENT) && !store_read_cert(ctx->fd, slot, &cert))
		cred_parse_chain(cert.data, cert.len, &chain);
	if (chain)
		cred_info_get(sk_X509_value(chain, 0), &ci);
	if (json) {
		dc_out_printf(&ctx->out, "%s\n    {\"slot\": \"%s\", \"state\": \"%s\", \"origin\": \"%s\", \"common_name\": ",
			      first ? "" : ",", dc_slot_names[slot], dd_slot_state(&st, chain),
			      dc_origin_names[st.origin & 3]);
		dc_out_json_str(&ctx->out, chain ? ci.cn : NULL);
		dc_out_printf(&ctx->out, ", \"not_after\": ");
		dc_out_json_str(&ctx->out, chain ? ci.not_after : NULL);
		dc_out_printf(&ctx->out, ", \"cert_len\": %u, \"key_len\": %u, \"pending_key_len\": %u, \"reason\": ",
			      st.cert_len, st.key_len, st.pending_key_len);
		dc_out_json_str(&ctx->out, fault);
		dc_out_printf(&ctx->out, "}");
	} else {
		dc_out_printf(&ctx->out, "%-10s %-11s %-12s %-24s %-20s %6u %6u\n",
			      dc_slot_names[slot], dd_slot_state(&st, chain),
			      st.origin ? dc_origin_names[st.origin & 3] : "-",
			      ci.cn[0] ? ci.cn : "-", ci.not_after, st.cert_len, st.key_len);
	}
	sk_X509_pop_free(chain, X509_free);
	store_blob_free(&cert);
}

/* Under the table: why each invalid slot's key cannot be used, and keys in clear. */
static void dd_list_notes(struct dd_ctx *ctx, const struct devcred_info *info)
{
	struct devcred_slot_status st;
	unsigned int slot;

	for (slot = 0; slot < DEVCRED_FLASH_SLOTS; slot++)
		if (!store_slot_status(ctx->fd, slot, &st) && dd_key_fault(st.flags))
			dc_out_printf(&ctx->out, "note: %s is invalid: %s\n", dc_slot_names[slot],
				      dd_key_fault(st.flags));
	if (info->flags & DEVCRED_INFO_KEYS_CLEAR)
		dc_out_printf(&ctx->out, "note: private keys are not encrypted on flash (no key-encryption key: see devcred-unseal(8))\n");
}

int dd_cmd_list(struct dd_ctx *ctx, const struct dc_request *req)
{
	int json = req->flags & DC_REQ_JSON;
	struct devcred_info info;
	unsigned int slot;
	int ret = store_info(ctx->fd, &info);

	if (ret)
		return dd_fail(ctx, "cannot read the store: %s", strerror(-ret));

	if (json)
		dc_out_printf(&ctx->out, "{\"slots\": [");
	else
		dc_out_printf(&ctx->out, "%-10s %-11s %-12s %-24s %-20s %6s %6s\n", "SLOT", "STATE",
			      "ORIGIN", "COMMON NAME", "NOT AFTER", "CERT", "KEY");
	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++)
		dd_list_one(ctx, slot, json, slot == 0);
	if (json)
		dc_out_printf(&ctx->out, "\n], \"keys_at_rest\": \"%s\"}\n",
			      dd_keys_at_rest_id(info.flags));
	else
		dd_list_notes(ctx, &info);
	return 0;
}

static void dd_show_json(struct dd_ctx *ctx, const char *slot, const struct cred_info *ci,
			 STACK_OF(X509) *chain, const char *fault)
{
	const char *fields[][2] = {
		{ "subject", ci->subject }, { "issuer", ci->issuer }, { "common_name", ci->cn },
		{ "serial", ci->serial }, { "not_before", ci->not_before },
		{ "not_after", ci->not_after }, { "key", ci->key_type }, { "md5", ci->md5 },
		{ "sha1", ci->sha1 }, { "sha256", ci->sha256 },
	};
	struct cred_info link;
	size_t i;
	int n;

	dc_out_printf(&ctx->out, "{\"slot\": \"%s\", \"invalid\": ", slot);
	dc_out_json_str(&ctx->out, fault);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		dc_out_printf(&ctx->out, ", \"%s\": ", fields[i][0]);
		dc_out_json_str(&ctx->out, fields[i][1]);
	}
	dc_out_printf(&ctx->out, ", \"chain\": [");
	for (n = 0; n < sk_X509_num(chain); n++) {
		cred_info_get(sk_X509_value(chain, n), &link);
		dc_out_printf(&ctx->out, "%s{\"subject\": ", n ? ", " : "");
		dc_out_json_str(&ctx->out, link.subject);
		dc_out_printf(&ctx->out, ", \"issuer\": ");
		dc_out_json_str(&ctx->out, link.issuer);
		dc_out_printf(&ctx->out, "}");
	}
	dc_out_printf(&ctx->out, "]}\n");
}

static void dd_show_text(struct dd_ctx *ctx, const char *slot, const struct cred_info *ci,
			 STACK_OF(X509) *chain, const char *fault)
{
	struct cred_info link;
	int n;

	dc_out_printf(&ctx->out, "Slot:         %s\n", slot);
	if (fault)
		dc_out_printf(&ctx->out, "State:        invalid: %s\n", fault);
	dc_out_printf(&ctx->out,
		      "Subject:      %s\nIssuer:       %s\nCommon name:  %s\n"
		      "Serial:       %s\nNot before:   %s\nNot after:    %s\nKey:          %s\n"
		      "MD5:          %s\nSHA1:         %s\nSHA256:       %s\nChain:        %d certificate%s\n",
		      ci->subject, ci->issuer, ci->cn, ci->serial, ci->not_before,
		      ci->not_after, ci->key_type, ci->md5, ci->sha1, ci->sha256,
		      sk_X509_num(chain), sk_X509_num(chain) == 1 ? "" : "s");
	for (n = 0; n < sk_X509_num(chain); n++) {
		cred_info_get(sk_X509_value(chain, n), &link);
		dc_out_printf(&ctx->out, "  %d: %s (issuer %s)\n", n, link.subject, link.issuer);
	}
}

/* The stored chain of a slot, or a failure message. */
static STACK_OF(X509) *dd_slot_chain(struct dd_ctx *ctx, int slot)
{
	struct store_blob cert = { 0 };
	STACK_OF(X509) *chain;
	int ret = store_read_cert(ctx->fd, slot, &cert);

	if (ret) {
		dd_fail(ctx, ret == -ENOENT ? "%s: no certificate stored" :
			"%s: cannot read the certificate: %s", dc_slot_names[slot], strerror(-ret));
		return NULL;
	}
	cred_parse_chain(cert.data, cert.len, &chain);
	if (!chain)
		dd_fail(ctx, "%s: the stored certificate does not parse", dc_slot_names[slot]);
	store_blob_free(&cert);
	return chain;
}

int dd_cmd_show(struct dd_ctx *ctx, const struct dc_request *req)
{
	int slot = dc_slot_by_name(req->arg1);
	struct devcred_slot_status st;
	const char *fault = NULL;
	struct cred_info ci;
	STACK_OF(X509) *chain = dd_slot_chain(ctx, slot);

	if (!chain)
		return -EINVAL;
	/* A certificate whose key is sealed or corrupt is shown, and said unusable. */
	if (!store_slot_status(ctx->fd, slot, &st))
		fault = dd_key_fault(st.flags);
	cred_info_get(sk_X509_value(chain, 0), &ci);
	if (req->flags & DC_REQ_JSON)
		dd_show_json(ctx, req->arg1, &ci, chain, fault);
	else
		dd_show_text(ctx, req->arg1, &ci, chain, fault);
	sk_X509_pop_free(chain, X509_free);
	return 0;
}

int dd_cmd_export(struct dd_ctx *ctx, const struct dc_request *req)
{
	STACK_OF(X509) *chain = dd_slot_chain(ctx, dc_slot_by_name(req->arg1));
	int n, last, ret = 0;
	BIO *b;
	char *data;
	long len;

	if (!chain)
		return -EINVAL;
	b = BIO_new(BIO_s_mem());
	last = req->flags & DC_REQ_CHAIN ? sk_X509_num(chain) : 1;
	for (n = 0; b && n < last; n++)
		PEM_write_bio_X509(b, sk_X509_value(chain, n));
	len = b ? BIO_get_mem_data(b, &data) : 0;
	if (len > 0)
		dc_out_write(&ctx->out, data, len);
	else
		ret = dd_fail(ctx, "%s: cannot write the certificate as PEM", req->arg1);
	BIO_free(b);
	sk_X509_pop_free(chain, X509_free);
	return ret;
}

int dd_cmd_bindings(struct dd_ctx *ctx, const struct dc_request *req)
{
	int json = req->flags & DC_REQ_JSON;
	struct devcred_bindings b;
	int op, ret = store_get_bindings(ctx->fd, &b);

	if (ret)
		return dd_fail(ctx, "cannot read the bindings: %s", strerror(-ret));
	if (json)
		dc_out_printf(&ctx->out, "{\"bindings\": [");
	else
		dc_out_printf(&ctx->out, "%-13s %-10s %s\n", "OPERATION", "SLOT", "AVAILABLE");
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		int avail = !(b.unavailable & (1u << op));

		if (json)
			dc_out_printf(&ctx->out, "%s\n    {\"operation\": \"%s\", \"slot\": \"%s\", \"available\": %s}",
				      op ? "," : "", dc_op_names[op], dc_slot_names[b.slot[op]],
				      avail ? "true" : "false");
		else
			dc_out_printf(&ctx->out, "%-13s %-10s %s\n", dc_op_names[op],
				      dc_slot_names[b.slot[op]], avail ? "yes" : "no (slot empty)");
	}
	if (json)
		dc_out_printf(&ctx->out, "\n]}\n");
	return 0;
}
