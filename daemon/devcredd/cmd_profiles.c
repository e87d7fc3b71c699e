// SPDX-License-Identifier: GPL-2.0
/*
 * credctl profiles: the TLS profile settings in effect (profiles.h), each
 * with where it came from, and what each operation uses by them beside
 * what it is bound to (credctl bind changes the binding alone).
 */
#include <string.h>

#include "common/names.h"
#include "cmd.h"
#include "profiles.h"

/* Where setting @from came from: the file, or the default. */
static const char *dd_from(const char *from)
{
	return from[0] ? from : "default";
}

/* Profile @i's deviceCert and operation @op's profile, defaults included. */
static const char *dd_cert_name(const struct config_profiles *c, int i)
{
	return config_cert_names[c->cert[i] < 0 ? DEVCRED_SLOT_BUILTIN : c->cert[i]];
}

static const char *dd_select_name(const struct config_profiles *c, int op)
{
	return config_profile_names[config_profiles_profile(c, op)];
}

static const char *dd_kept(const struct dd_profiles *p, int op, int i)
{
	return dd_profiles_is_platform(p, op, i) ? "across reboots" : "until reboot";
}

/*
 * Whether operation @i's selection was given, and by which file: syslog's
 * is the application's while no device.* one is.
 */
static int dd_select_given(const struct dd_profiles *p, int i, const char **from)
{
	int app = i == DEVCRED_OP_SYSLOG && p->cur.select[i] < 0 && p->cur.syslog_app >= 0;

	*from = dd_from(app ? p->syslog_app_from : p->select_from[i]);
	return p->cur.select[i] >= 0 || app;
}

static void dd_profiles_text(struct dd_ctx *ctx, const struct dd_profiles *p,
			     const struct devcred_bindings *b)
{
	const struct config_profiles *c = &p->cur;
	const char *from;
	int i, given;

	dc_out_printf(&ctx->out, "%-20s %-13s %-15s %s\n", "PROFILE", "DEVICECERT", "KEPT", "FROM");
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		dc_out_printf(&ctx->out, "%-20s %-13s %-15s %s\n", config_profile_names[i],
			      dd_cert_name(c, i),
			      c->cert[i] < 0 ? "-" : dd_kept(p, 0, i), dd_from(p->cert_from[i]));
	dc_out_printf(&ctx->out, "\n%-13s %-20s %-10s %-10s %-15s %s\n", "OPERATION", "PROFILE",
		      "USES", "BOUND TO", "KEPT", "FROM");
	for (i = 0; i < DEVCRED_OP_COUNT; i++) {
		given = dd_select_given(p, i, &from);
		dc_out_printf(&ctx->out, "%-13s %-20s %-10s %-10s %-15s %s\n", dc_op_names[i],
			      dd_select_name(c, i),
			      dc_slot_names[config_profiles_slot(c, i)], dc_slot_names[b->slot[i]],
			      given ? dd_kept(p, 1, i) : "-", from);
	}
}


static void dd_profiles_json(struct dd_ctx *ctx, const struct dd_profiles *p,
			     const struct devcred_bindings *b)
{
	const struct config_profiles *c = &p->cur;
	struct dc_out *o = &ctx->out;
	const char *from;
	int i;

	dc_out_printf(o, "{\"profiles\": [");
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++) {
		dc_out_printf(o, "%s\n    {\"profile\": \"%s\", \"device_cert\": \"%s\", \"kept\": \"%s\", \"from\": ",
			      i ? "," : "", config_profile_names[i],
			      dd_cert_name(c, i),
			      c->cert[i] < 0 ? "default" :
			      dd_profiles_is_platform(p, 0, i) ? "flash" : "ram");
		dc_out_json_str(o, dd_from(p->cert_from[i]));
		dc_out_printf(o, "}");
	}
	dc_out_printf(o, "\n], \"operations\": [");
	for (i = 0; i < DEVCRED_OP_COUNT; i++) {
		dc_out_printf(o, "%s\n    {\"operation\": \"%s\", \"profile\": \"%s\", \"uses\": \"%s\", \"bound_to\": \"%s\", \"kept\": \"%s\", \"from\": ",
			      i ? "," : "", dc_op_names[i],
			      dd_select_name(c, i),
			      dc_slot_names[config_profiles_slot(c, i)], dc_slot_names[b->slot[i]],
			      !dd_select_given(p, i, &from) ? "default" :
			      dd_profiles_is_platform(p, 1, i) ? "flash" : "ram");
		dc_out_json_str(o, from);
		dc_out_printf(o, "}");
	}
	dc_out_printf(o, "\n]}\n");
}

int dd_cmd_profiles(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct devcred_bindings b;
	int ret;

	if (!ctx->profiles)
		return dd_fail(ctx, "profiles: this devcredd keeps no TLS profile settings");
	ret = store_get_bindings(ctx->fd, &b);
	if (ret)
		return dd_fail(ctx, "cannot read the bindings: %s", strerror(-ret));
	if (req->flags & DC_REQ_JSON)
		dd_profiles_json(ctx, ctx->profiles, &b);
	else
		dd_profiles_text(ctx, ctx->profiles, &b);
	return 0;
}
