// SPDX-License-Identifier: GPL-2.0
/*
 * The verb table: which commands exist, which arguments they take, which
 * change the store (root or the admin group only).
 */
#include <errno.h>
#include <string.h>

#include "common/names.h"
#include "cmd.h"
#include "verbs.h"

enum dd_arg { DD_ARG_NONE, DD_ARG_SLOT, DD_ARG_OP_SLOT, DD_ARG_KEYREF };

/* Who may run a verb. */
enum dd_who {
	DD_ANYONE,	/* reads */
	DD_ADMIN,	/* changes: root or the admin group */
	DD_ROOT,	/* the factory credential, format: root alone */
};

struct dd_verb {
	const char *name;
	int (*run)(struct dd_ctx *ctx, const struct dc_request *req);
	enum dd_arg args;
	enum dd_who who;
	unsigned int flags;	/* DC_REQ_* the verb accepts */
};

static const struct dd_verb dd_verbs[] = {
	{ "status", dd_cmd_status, DD_ARG_NONE, DD_ANYONE, DC_REQ_JSON },
	{ "list", dd_cmd_list, DD_ARG_NONE, DD_ANYONE, DC_REQ_JSON },
	{ "show", dd_cmd_show, DD_ARG_SLOT, DD_ANYONE, DC_REQ_JSON },
	{ "export", dd_cmd_export, DD_ARG_SLOT, DD_ANYONE, DC_REQ_CHAIN },
	{ "bindings", dd_cmd_bindings, DD_ARG_NONE, DD_ANYONE, DC_REQ_JSON },
	{ "profiles", dd_cmd_profiles, DD_ARG_NONE, DD_ANYONE, DC_REQ_JSON },
	{ "install", dd_cmd_install, DD_ARG_SLOT, DD_ADMIN, DC_REQ_FORCE | DC_REQ_BUNDLE },
	{ "remove", dd_cmd_remove, DD_ARG_SLOT, DD_ADMIN, 0 },
	{ "bind", dd_cmd_bind, DD_ARG_OP_SLOT, DD_ADMIN, 0 },
	{ "factory-install", dd_cmd_factory_install, DD_ARG_NONE, DD_ROOT, 0 },
	{ "format", dd_cmd_format, DD_ARG_NONE, DD_ROOT, 0 },
	{ "csr", dd_cmd_csr, DD_ARG_NONE, DD_ADMIN, 0 },
	{ "apply", dd_cmd_apply, DD_ARG_NONE, DD_ADMIN, 0 },
	{ "apply-files", dd_cmd_apply_files, DD_ARG_NONE, DD_ADMIN, 0 },
	/* The devcred provider's: who may sign is the key access file's to say. */
	{ "credential", dd_cmd_credential, DD_ARG_KEYREF, DD_ANYONE, 0 },
	{ "sign", dd_cmd_sign, DD_ARG_KEYREF, DD_ANYONE, 0 },
};

/* Usage errors are credctl's to catch; these only guard the daemon. */
static int dd_check_args(struct dd_ctx *ctx, const struct dd_verb *v,
			 const struct dc_request *req)
{
	if (req->flags & ~v->flags)
		return dd_fail(ctx, "%s: unexpected options", v->name);
	switch (v->args) {
	case DD_ARG_SLOT:
		if (dc_slot_by_name(req->arg1) < 0)
			return dd_fail(ctx, "unknown slot '%s'; slots are %s", req->arg1,
				       dc_slot_list());
		return req->arg2[0] ? dd_fail(ctx, "%s: too many arguments", v->name) : 0;
	case DD_ARG_OP_SLOT:
		if (dc_op_by_name(req->arg1) < 0)
			return dd_fail(ctx, "unknown operation '%s'; operations are %s",
				       req->arg1, dc_op_list());
		if (dc_slot_by_name(req->arg2) < 0)
			return dd_fail(ctx, "unknown slot '%s'; slots are %s", req->arg2,
				       dc_slot_list());
		return 0;
	case DD_ARG_KEYREF:
		/* The command names what is wrong with the reference itself. */
		return req->arg2[0] ? dd_fail(ctx, "%s: too many arguments", v->name) : 0;
	default:
		return req->arg1[0] ? dd_fail(ctx, "%s: too many arguments", v->name) : 0;
	}
}

int dd_run_request(struct dd_ctx *ctx, const struct dc_request *req)
{
	const struct dd_verb *v = NULL;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(dd_verbs) / sizeof(dd_verbs[0]); i++)
		if (!strcmp(dd_verbs[i].name, req->verb))
			v = &dd_verbs[i];
	if (!v) {
		dd_fail(ctx, "unknown command '%s'", req->verb);
		return DC_EXIT_USAGE;
	}
	if (v->args == DD_ARG_KEYREF)
		ctx->prefix = "devcred";
	if (dd_check_args(ctx, v, req))
		return DC_EXIT_USAGE;
	if (v->who == DD_ADMIN && !ctx->admin)
		ret = dd_fail(ctx, "permission denied: '%s' changes the store; run it as root%s%s",
			      v->name, ctx->admin_group[0] ? " or as a member of group " : "",
			      ctx->admin_group);
	else if (v->who == DD_ROOT && ctx->uid)
		ret = dd_fail(ctx, "permission denied: '%s' writes the factory credential, which nobody can replace afterwards: only root may, in factory mode",
			      v->name);
	else
		ret = v->run(ctx, req);
	if (!ret && ctx->work)
		return DD_DEFERRED;
	return ret ? DC_EXIT_FAILED : DC_EXIT_DONE;
}

int dd_finish_request(struct dd_ctx *ctx, int cancelled)
{
	struct dd_work *w = ctx->work;
	int ret = cancelled ? cancelled : w->finish(w, ctx);

	w->free(w);
	ctx->work = NULL;
	return ret ? DC_EXIT_FAILED : DC_EXIT_DONE;
}

int dd_run_request_now(struct dd_ctx *ctx, const struct dc_request *req)
{
	int status = dd_run_request(ctx, req);

	if (status != DD_DEFERRED)
		return status;
	ctx->work->run(ctx->work);
	return dd_finish_request(ctx, 0);
}
