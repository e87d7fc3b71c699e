// SPDX-License-Identifier: GPL-2.0
/*
 * The verb table: which commands exist, which arguments they take, which
 * change the store (root or the admin group only), and the helpers they
 * share.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lib/cred/info.h"
#include "cmd.h"
#include "common/log.h"
#include "common/names.h"

enum dc_arg { DC_ARG_NONE, DC_ARG_SLOT, DC_ARG_OP_SLOT };

struct dc_verb {
	const char *name;
	int (*run)(struct dc_ctx *ctx, const struct dc_request *req);
	enum dc_arg args;
	int changes;
	unsigned int flags;	/* DC_REQ_* the verb accepts */
};

static const struct dc_verb dc_verbs[] = {
	{ "status", dc_cmd_status, DC_ARG_NONE, 0, DC_REQ_JSON },
	{ "list", dc_cmd_list, DC_ARG_NONE, 0, DC_REQ_JSON },
	{ "show", dc_cmd_show, DC_ARG_SLOT, 0, DC_REQ_JSON },
	{ "export", dc_cmd_export, DC_ARG_SLOT, 0, DC_REQ_CHAIN },
	{ "bindings", dc_cmd_bindings, DC_ARG_NONE, 0, DC_REQ_JSON },
	{ "install", dc_cmd_install, DC_ARG_SLOT, 1, DC_REQ_FORCE | DC_REQ_BUNDLE },
	{ "remove", dc_cmd_remove, DC_ARG_SLOT, 1, 0 },
	{ "bind", dc_cmd_bind, DC_ARG_OP_SLOT, 1, 0 },
	{ "factory-install", dc_cmd_factory_install, DC_ARG_NONE, 1, 0 },
	{ "csr", dc_cmd_csr, DC_ARG_NONE, 1, 0 },
	{ "apply", dc_cmd_apply, DC_ARG_NONE, 1, 0 },
};

int dc_fail(struct dc_ctx *ctx, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ctx->err.len)
		dc_out_printf(&ctx->err, "credctl: %s\n", msg);
	return 1;
}

int dc_read_slot(int fd, unsigned int slot, struct dc_blob *cert, struct dc_blob *key)
{
	int ret = dc_dev_read_cert(fd, slot, cert);

	if (ret == -ENOENT)
		return 0;
	if (!ret)
		ret = dc_dev_read_key(fd, slot, 0, key);
	if (ret) {
		dc_blob_free(cert);
		dc_free_secret(key);
	}
	return ret == -ENOENT ? 0 : ret;
}

/* Usage errors are credctl's to catch; these only guard the daemon. */
static int dc_check_args(struct dc_ctx *ctx, const struct dc_verb *v,
			 const struct dc_request *req)
{
	if (req->flags & ~v->flags)
		return dc_fail(ctx, "%s: unexpected options", v->name) + 1;
	switch (v->args) {
	case DC_ARG_SLOT:
		if (dc_slot_by_name(req->arg1) < 0)
			return dc_fail(ctx, "unknown slot '%s'; slots are %s", req->arg1,
				       dc_slot_list()) + 1;
		return req->arg2[0] ? dc_fail(ctx, "%s: too many arguments", v->name) + 1 : 0;
	case DC_ARG_OP_SLOT:
		if (dc_op_by_name(req->arg1) < 0)
			return dc_fail(ctx, "unknown operation '%s'; operations are %s",
				       req->arg1, dc_op_list()) + 1;
		if (dc_slot_by_name(req->arg2) < 0)
			return dc_fail(ctx, "unknown slot '%s'; slots are %s", req->arg2,
				       dc_slot_list()) + 1;
		return 0;
	default:
		return req->arg1[0] ? dc_fail(ctx, "%s: too many arguments", v->name) + 1 : 0;
	}
}

int dc_run_request(struct dc_ctx *ctx, const struct dc_request *req)
{
	const struct dc_verb *v = NULL;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(dc_verbs) / sizeof(dc_verbs[0]); i++)
		if (!strcmp(dc_verbs[i].name, req->verb))
			v = &dc_verbs[i];
	if (!v)
		return dc_fail(ctx, "unknown command '%s'", req->verb) + 1;
	ret = dc_check_args(ctx, v, req);
	if (ret)
		return ret;
	if (v->changes && !ctx->admin)
		return dc_fail(ctx, "permission denied: '%s' changes the store; run it as root%s%s",
			       v->name, ctx->admin_group[0] ? " or as a member of group " : "",
			       ctx->admin_group);
	return v->run(ctx, req);
}
