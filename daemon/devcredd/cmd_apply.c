// SPDX-License-Identifier: GPL-2.0
/*
 * credctl apply FILE: a provisioning configuration file, all or nothing.
 *
 * The file is parsed, every parameter value checked and every credential
 * decoded and checked against its slot before the first write; one problem
 * anywhere means nothing changes, and every problem is reported with its
 * parameter. Only a failure of the store itself can stop the writes half
 * way; the slots written by then are put back as they were.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/config/config.h"
#include "lib/config/master.h"
#include "lib/cred/credential.h"
#include "lib/cred/info.h"
#include "cmd.h"
#include "sealing.h"
#include "profiles.h"

/* What a slot held before the file was applied, to put it back. */
struct dd_apply_undo {
	int saved;
	unsigned int origin;
	struct store_blob cert;
	struct store_blob key;
};

struct dd_apply {
	struct dd_ctx *ctx;
	const char *source;
	const char *const *origin;
	struct config_plan plan;
	struct dd_prepared cred[DEVCRED_SLOT_COUNT];
	unsigned char have[DEVCRED_SLOT_COUNT];
	struct dd_apply_undo undo[DEVCRED_SLOT_COUNT];
	struct dc_out err;
	int problems;
};

/* Moves @from's lines to @to, each "credctl: X" made "credctl: PARAM: X". */
static void dd_take_errors(struct dc_out *to, struct dc_out *from, const char *param)
{
	const char *line = from->buf, *nl;
	static const char prefix[] = "credctl: ";

	while (line && line < from->buf + from->len) {
		nl = memchr(line, '\n', from->buf + from->len - line);
		if (!nl)
			nl = from->buf + from->len;
		if (!strncmp(line, prefix, sizeof(prefix) - 1))
			line += sizeof(prefix) - 1;
		dc_out_printf(to, "credctl: %s: %.*s\n", param, (int)(nl - line), line);
		line = nl + 1;
	}
	dc_out_free(from);
}

/* "FILE: " of parameter @name when the files were merged, else "". */
static const char *dd_apply_origin(const struct dd_apply *a, const char *name, char *buf,
				   size_t size)
{
	int i = name ? config_param_find(name) : -1;

	buf[0] = '\0';
	if (a->origin && i >= 0 && a->origin[i])
		snprintf(buf, size, "%s: ", a->origin[i]);
	return buf;
}

/* Decodes and checks the credential the file gives @slot. */
static void dd_apply_prepare(struct dd_apply *a, int slot)
{
	const struct config_plan_cred *pc = &a->plan.cred[slot];
	struct dd_cred_input in = {
		.cert = pc->cert, .cert_len = pc->cert_len,
		.key = pc->key, .key_len = pc->key_len,
	};
	struct dd_ctx sub = *a->ctx;
	char params[160 + CONFIG_MASTER_NAME_MAX], from[CONFIG_MASTER_NAME_MAX + 3];

	snprintf(params, sizeof(params), "%s%s%s%s",
		 dd_apply_origin(a, pc->cert_param, from, sizeof(from)), pc->cert_param,
		 pc->key_param ? ", " : "", pc->key_param ? pc->key_param : "");
	memset(&sub.err, 0, sizeof(sub.err));
	memset(&sub.out, 0, sizeof(sub.out));
	a->have[slot] = 1;
	if (dd_cred_prepare(&sub, slot, &in, &a->cred[slot])) {
		dd_take_errors(&a->err, &sub.err, params);
		a->problems++;
	}
	dc_out_free(&sub.out);
}

static int dd_apply_save(struct dd_apply *a, int slot)
{
	struct dd_apply_undo *u = &a->undo[slot];
	struct devcred_slot_status st;
	int ret = store_slot_status(a->ctx->fd, slot, &st);

	if (!ret)
		ret = store_read_slot(a->ctx->fd, slot, &u->cert, &u->key);
	u->origin = st.origin;
	u->saved = !ret;
	return ret;
}

/* Puts back the slots written before a failure, newest first. */
static void dd_apply_undo(struct dd_apply *a, int failed_slot)
{
	int slot, ret;

	for (slot = failed_slot - 1; slot >= 0; slot--) {
		struct dd_apply_undo *u = &a->undo[slot];

		if (!a->have[slot] || !u->saved)
			continue;
		ret = u->cert.len ? store_write(a->ctx->fd, slot, u->origin, u->cert.data,
						 u->cert.len, u->key.data, u->key.len, 0)
				  : store_erase(a->ctx->fd, slot);
		dc_log(ret ? DC_LOG_ERR : DC_LOG_WARN, "configuration %s: %s %s", a->source,
		       dc_slot_names[slot], ret ? "could not be put back as it was" :
		       "put back as it was");
	}
}

static int dd_apply_writes(struct dd_apply *a)
{
	struct dd_ctx *ctx = a->ctx;
	struct cred_info ci;
	int slot, ret;

	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++) {
		if (!a->have[slot])
			continue;
		ret = dd_apply_save(a, slot);
		if (ret) {
			dd_fail(ctx, "%s: cannot read what it holds, to keep it in case the store fails: %s",
				dc_slot_names[slot], ret == -ENOKEY ?
				dd_enokey_reason(ctx->fd, slot) : strerror(-ret));
			dd_apply_undo(a, slot);
			return ret;
		}
		ret = dd_cred_store(ctx, slot, DEVCRED_ORIGIN_INSTALLED, &a->cred[slot]);
		if (ret) {
			dd_apply_undo(a, slot);
			return ret;
		}
		cred_info_get(sk_X509_value(a->cred[slot].cred.chain, 0), &ci);
		dc_out_printf(&ctx->out, "%s: installed '%s' from %s\n", dc_slot_names[slot], ci.cn,
			      a->plan.cred[slot].cert_param);
	}
	return 0;
}

/* Whether the file sets any TLS profile setting. */
static int dd_apply_sets_profiles(const struct dd_apply *a)
{
	return a->plan.profiles_set.cert_set | a->plan.profiles_set.select_set |
	       a->plan.profiles_set.syslog_app_set;
}

/*
 * The bindings, and the platform profile settings the file leaves, in one
 * DEVCRED_IOC_SET_BINDINGS: one record on flash, so that after a power cut
 * the store holds both as they were or both as the file says, never the
 * bindings of one file with the profile settings of another.
 */
static int dd_apply_bindings(struct dd_apply *a)
{
	struct devcred_bindings b = { .size = sizeof(b) }, now = { .size = sizeof(b) };
	struct dd_ctx *ctx = a->ctx;
	struct dd_profiles next;
	int op, ret;

	if (!a->plan.bind_mask && !(ctx->profiles && dd_apply_sets_profiles(a)))
		return 0;
	if (store_get_bindings(ctx->fd, &now))
		return dd_fail(ctx, "cannot read the bindings");
	b.mask = a->plan.bind_mask;
	memcpy(b.slot, a->plan.bind, sizeof(a->plan.bind));
	if (ctx->profiles && dd_apply_sets_profiles(a)) {
		/* The store's platform settings now, not those read at start. */
		dd_profiles_from_store(ctx->profiles, &now);
		next = *ctx->profiles;
		dd_profiles_take(&next, &a->plan, a->source);
		dd_profiles_platform(&next, &b);
	}
	ret = store_set_bindings(ctx->fd, &b);
	if (ret)
		return dd_fail(ctx, "the store refused the bindings: %s", strerror(-ret));
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		if (!(b.mask & (1u << op)))
			continue;
		if (b.slot[op] == now.slot[op])
			dc_out_printf(&ctx->out, "%s: %s (unchanged), from %s\n", dc_op_names[op],
				      dc_slot_names[b.slot[op]], a->plan.bind_param[op]);
		else
			dc_out_printf(&ctx->out, "%s: %s (was %s), from %s\n", dc_op_names[op],
				      dc_slot_names[b.slot[op]], dc_slot_names[now.slot[op]],
				      a->plan.bind_param[op]);
		dc_log(DC_LOG_INFO, "configuration %s: %s now uses %s", a->source, dc_op_names[op],
		       dc_slot_names[b.slot[op]]);
	}
	return 0;
}

/* Says what the file changed in the profile settings. */
static void dd_apply_profile_lines(struct dd_apply *a, const struct config_profiles *was)
{
	const struct config_plan *plan = &a->plan;
	struct dc_out *out = &a->ctx->out;
	int i;

	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		if (plan->profiles_set.cert_set & (1u << i))
			dc_out_printf(out, "%s: deviceCert %s (was %s)\n", config_profile_names[i],
				      config_cert_names[(int)plan->profiles.cert[i]],
				      was->cert[i] < 0 ? "Builtin, the default" :
				      config_cert_names[(int)was->cert[i]]);
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		if (plan->profiles_set.select_set & (1u << i))
			dc_out_printf(out, "%s: selects %s (was %s)\n", dc_op_names[i],
				      config_profile_names[(int)plan->profiles.select[i]],
				      was->select[i] < 0 ? "PlatformProfile1, the default" :
				      config_profile_names[(int)was->select[i]]);
	if (plan->profiles_set.syslog_app_set)
		dc_out_printf(out, "syslog: the application's selection is %s%s\n",
			      config_profile_names[(int)plan->profiles.syslog_app],
			      plan->profiles.select[DEVCRED_OP_SYSLOG] >= 0 ?
			      " (the device.* selection, given, wins)" : "");
}

/*
 * Takes the profile settings the file leaves; the store holds the platform
 * part already (dd_apply_bindings()). The store has changed by now: a
 * failure to write the files (the application part, the sources) is said,
 * not undone.
 */
static void dd_apply_profiles(struct dd_apply *a)
{
	struct dd_profiles *p = a->ctx->profiles;
	struct config_profiles was;

	if (!p || !dd_apply_sets_profiles(a))
		return;
	was = p->cur;
	dd_profiles_take(p, &a->plan, a->source);
	dd_apply_profile_lines(a, &was);
	if (dd_profiles_save(p))
		dc_out_printf(&a->ctx->err, "credctl: warning: the TLS profile settings could not be written (see the devcredd log); the application ones hold until devcredd stops\n");
}

static int dd_apply_checked(struct dd_apply *a, const struct config_file *cfg)
{
	struct dd_ctx *ctx = a->ctx;
	int slot, ret;

	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++)
		if (a->plan.cred[slot].cert)
			dd_apply_prepare(a, slot);
	if (a->problems) {
		dc_out_write(&ctx->err, a->err.buf, a->err.len);
		dc_out_printf(&ctx->err, "credctl: %s: not applied; nothing was changed\n", a->source);
		return -EINVAL;
	}
	if (!a->plan.bind_mask && !memchr(a->have, 1, sizeof(a->have)) &&
	    !dd_apply_sets_profiles(a)) {
		dc_out_printf(&ctx->out, "nothing to change: no devcred parameter takes effect (%zu others ignored)\n",
			      cfg->ignored);
		dc_out_write(&ctx->err, a->plan.notes.buf, a->plan.notes.len);
		return 0;
	}
	ret = dd_apply_writes(a);
	if (!ret) {
		ret = dd_apply_bindings(a);
		if (ret)
			dd_apply_undo(a, DEVCRED_SLOT_COUNT);
	}
	if (ret) {
		dc_out_printf(&ctx->err, "credctl: %s: not applied; the slots it had written were put back (see the devcredd log)\n",
			      a->source);
		return ret;
	}
	dd_apply_profiles(a);
	/* what did not take effect, and why */
	dc_out_write(&ctx->err, a->plan.notes.buf, a->plan.notes.len);
	return ret;
}

/* Whether @cfg gives any certificate (in effect or not). */
static int dd_file_gives_cert(const struct config_file *cfg)
{
	size_t i;

	for (i = 0; cfg->value && i < config_param_count; i++)
		if (config_params[i].kind == CONFIG_PK_CERT && cfg->value[i] && cfg->value[i][0])
			return 1;
	return 0;
}

/*
 * Each "credctl: X" line of @from naming a merged parameter made
 * "credctl: FILE: X", so that the user knows which file to fix.
 */
static void dd_apply_plan_errors(struct dd_apply *a, const struct dc_out *from)
{
	static const char prefix[] = "credctl: ";
	const char *line = from->buf, *nl;
	char where[CONFIG_MASTER_NAME_MAX + 3];
	const char *name;
	size_t i;

	while (line && line < from->buf + from->len) {
		nl = memchr(line, '\n', from->buf + from->len - line);
		if (!nl)
			nl = from->buf + from->len;
		where[0] = '\0';
		for (i = 0; a->origin && i < config_param_count && !where[0]; i++) {
			name = config_params[i].name;
			if (a->origin[i] && memmem(line, nl - line, name, strlen(name)))
				dd_apply_origin(a, name, where, sizeof(where));
		}
		if (!strncmp(line, prefix, sizeof(prefix) - 1))
			line += sizeof(prefix) - 1;
		dc_out_printf(&a->ctx->err, "credctl: %s%.*s\n", where, (int)(nl - line), line);
		line = nl + 1;
	}
}

int dd_apply_config(struct dd_ctx *ctx, const char *source, const struct config_file *cfg,
		    const char *const *origin)
{
	struct dd_apply a = { .ctx = ctx, .source = source, .origin = origin };
	int slot, ret;

	ret = config_plan_make_on(cfg, ctx->profiles ? &ctx->profiles->cur : NULL, &a.plan, &a.err);
	if (ret == -ENOMEM) {
		ret = dd_fail(ctx, "apply: out of memory; nothing was changed");
	} else if (ret) {
		dd_apply_plan_errors(&a, &a.err);
		dc_out_printf(&ctx->err, "credctl: %s: not applied; nothing was changed\n", a.source);
		ret = -EINVAL;
	} else {
		ret = dd_apply_checked(&a, cfg);
	}
	if (!ret)
		dc_log(DC_LOG_INFO, "configuration %s applied", a.source);
	else if (dd_file_gives_cert(cfg))
		dd_save_failed(ctx);
	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++) {
		cred_free(&a.cred[slot].cred);
		store_blob_free(&a.undo[slot].cert);
		store_secret_free(&a.undo[slot].key);
	}
	config_plan_free(&a.plan);
	dc_out_free(&a.err);
	return ret;
}

int dd_cmd_apply(struct dd_ctx *ctx, const struct dc_request *req)
{
	const char *source = req->source[0] ? req->source : "(unnamed)";
	struct dc_out err = { 0 };
	struct config_file cfg;
	int ret;

	if (!req->cert.len)
		return dd_fail(ctx, "apply: no configuration file given");
	ret = config_parse(&cfg, (const char *)req->cert.data, req->cert.len, &err);
	if (ret == -ENOMEM) {
		ret = dd_fail(ctx, "apply: out of memory; nothing was changed");
	} else if (ret) {
		dc_out_write(&ctx->err, err.buf, err.len);
		dc_out_printf(&ctx->err, "credctl: %s: not applied; nothing was changed\n", source);
	} else {
		ret = dd_apply_config(ctx, source, &cfg, NULL);
	}
	config_file_free(&cfg);
	dc_out_free(&err);
	return ret;
}
