// SPDX-License-Identifier: GPL-2.0
/*
 * From a file's parameters to what it changes: which credentials it
 * installs and which operations it binds anew.
 *
 * Bindings follow the phones' TLS profiles. Each operation selects a
 * profile (default PlatformProfile1) and each profile names a credential
 * (default Builtin). An operation is bound anew when the file sets its
 * selection or the certificate of the profile it selects; the piece the
 * file does not set is what the files applied before set (the prior
 * settings), or its default. Operations the file does not touch keep their
 * binding. syslog has two selections; the device.* one wins whenever it is
 * given, in this file or an earlier one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/secret.h"
#include "config.h"
#include "pem.h"

#define NOT_SET	(-1)

const char *const config_cert_names[DEVCRED_SLOT_COUNT] = {
	[DEVCRED_SLOT_BUILTIN] = "Builtin",
	[DEVCRED_SLOT_PLATFORM1] = "Platform1", [DEVCRED_SLOT_PLATFORM2] = "Platform2",
	[DEVCRED_SLOT_APP1] = "Application1", [DEVCRED_SLOT_APP2] = "Application2",
	[DEVCRED_SLOT_APP3] = "Application3", [DEVCRED_SLOT_APP4] = "Application4",
	[DEVCRED_SLOT_APP5] = "Application5", [DEVCRED_SLOT_APP6] = "Application6",
};

const char *const config_profile_names[CONFIG_PROFILE_COUNT] = {
	"PlatformProfile1", "PlatformProfile2",
	"ApplicationProfile1", "ApplicationProfile2", "ApplicationProfile3",
	"ApplicationProfile4", "ApplicationProfile5", "ApplicationProfile6",
};

/* What the parameters say, before credentials are looked at. */
struct plan_state {
	const struct config_file *cfg;
	struct config_profiles prior;
	struct dc_out *err;
	struct dc_out *notes;
	int failed;
	int profile[CONFIG_PROFILE_COUNT];		/* slot, or NOT_SET */
	int profile_param[CONFIG_PROFILE_COUNT];	/* its parameter, or -1 */
	int select[DEVCRED_OP_COUNT];		/* profile, or NOT_SET */
	int select_param[DEVCRED_OP_COUNT];	/* its parameter, or -1 */
	int syslog_app;			/* sec.TLS.profileSelection.syslog, or NOT_SET */
	int syslog_app_param;
	int cert_param[DEVCRED_SLOT_COUNT];
	int key_param[DEVCRED_SLOT_COUNT];
};

__attribute__((format(printf, 2, 3)))
static void plan_error(struct plan_state *st, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dc_out_printf(st->err, "credctl: %s\n", msg);
	st->failed = -EINVAL;
}

/* The index of @value among the first @n of @names (any case), or -1. */
static int value_index(const char *const *names, int n, const char *value)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(names[i], value))
			return i;
	return -1;
}

/* "A, B or C" of the first @n names. */
static const char *value_list(const char *const *names, int n, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s",
				!i ? "" : i == n - 1 ? " or " : ", ", names[i]);
	return buf;
}

static const char *param_value(const struct plan_state *st, int i)
{
	return st->cfg->value[i];
}

/* Whether the gate (device.set or a .set parameter) @i reads "1". */
static int gate_on(const struct plan_state *st, int i)
{
	const char *v = param_value(st, i);

	return v && !strcmp(v, "1");
}

/* Gates are 0 or 1, nothing else. */
static void check_gates(struct plan_state *st)
{
	const char *v;
	size_t i;

	for (i = 0; i < config_param_count; i++) {
		v = param_value(st, i);
		if ((config_params[i].kind == CONFIG_PK_DEVICE_SET || config_params[i].kind == CONFIG_PK_SET) &&
		    v && strcmp(v, "0") && strcmp(v, "1"))
			plan_error(st, "%s is '%s'; permitted values are 0 and 1",
				      config_params[i].name, v);
	}
}

/*
 * Whether parameter @i takes effect: present and not empty, and for device.*
 * parameters both device.set and its own .set are "1".
 */
static int effective(struct plan_state *st, int i, int device_on)
{
	const struct config_param *p = &config_params[i];
	const char *v = param_value(st, i);

	if (!v)
		return 0;
	if (!v[0]) {
		dc_log(DC_LOG_DEBUG, "configuration: %s is empty: no change", p->name);
		return 0;
	}
	if (p->device && !device_on) {
		dc_log(DC_LOG_INFO, "configuration: %s ignored: device.set is not 1", p->name);
		dc_out_printf(st->notes, "credctl: %s ignored: device.set is not 1\n", p->name);
		return 0;
	}
	if (p->gate && !gate_on(st, config_param_find(p->gate))) {
		dc_log(DC_LOG_INFO, "configuration: %s ignored: %s is not 1", p->name, p->gate);
		dc_out_printf(st->notes, "credctl: %s ignored: %s is not 1\n", p->name, p->gate);
		return 0;
	}
	return 1;
}

/* Records where slot @slot's certificate or key comes from. */
static void take_cred(struct plan_state *st, int i, int *where)
{
	const struct config_param *p = &config_params[i];

	if (where[p->arg] >= 0) {
		plan_error(st, "%s and %s both set the %s of %s; give one",
			      config_params[where[p->arg]].name, p->name,
			      p->kind == CONFIG_PK_CERT ? "certificate" : "private key",
			      dc_slot_names[p->arg]);
		return;
	}
	where[p->arg] = i;
}

/* Parameter @i's value among the first @n of @names, or -1 after saying so. */
static int take_enum(struct plan_state *st, int i, const char *const *names, int n)
{
	int v = value_index(names, n, param_value(st, i));
	char list[200];

	if (v < 0)
		plan_error(st, "%s is '%s'; permitted values are %s", config_params[i].name,
			      param_value(st, i), value_list(names, n, list, sizeof(list)));
	return v;
}

static void take_profile(struct plan_state *st, int i)
{
	const struct config_param *p = &config_params[i];
	/* Platform profiles name platform credentials only. */
	int slot = take_enum(st, i, config_cert_names,
				p->arg < CONFIG_PROFILE_APP1 ? DEVCRED_SLOT_APP1 : DEVCRED_SLOT_COUNT);

	if (slot < 0)
		return;
	st->profile[p->arg] = slot;
	st->profile_param[p->arg] = i;
}

static void take_select(struct plan_state *st, int i)
{
	const struct config_param *p = &config_params[i];
	/* device.* selections choose between the platform profiles. */
	int profile = take_enum(st, i, config_profile_names,
				   p->device ? CONFIG_PROFILE_APP1 : CONFIG_PROFILE_COUNT);

	if (profile < 0)
		return;
	/* The application's syslog selection is kept apart: the device.* one wins. */
	if (p->arg == DEVCRED_OP_SYSLOG && !p->device) {
		st->syslog_app = profile;
		st->syslog_app_param = i;
		return;
	}
	st->select[p->arg] = profile;
	st->select_param[p->arg] = i;
}

static void read_params(struct plan_state *st)
{
	int device_on = gate_on(st, config_param_find("device.set"));
	size_t i;

	check_gates(st);
	for (i = 0; i < config_param_count; i++) {
		if (config_params[i].kind == CONFIG_PK_DEVICE_SET || config_params[i].kind == CONFIG_PK_SET ||
		    !effective(st, i, device_on))
			continue;
		switch (config_params[i].kind) {
		case CONFIG_PK_CERT:
			take_cred(st, i, st->cert_param);
			break;
		case CONFIG_PK_KEY:
			take_cred(st, i, st->key_param);
			break;
		case CONFIG_PK_PROFILE:
			take_profile(st, i);
			break;
		default:
			take_select(st, i);
			break;
		}
	}
}

static int plan_cred(struct plan_state *st, struct config_plan *plan, int slot)
{
	int ci = st->cert_param[slot], ki = st->key_param[slot];
	const struct config_file *cfg = st->cfg;
	struct config_plan_cred *c = &plan->cred[slot];

	if (ci < 0 && ki >= 0) {
		plan_error(st, "%s gives a private key for %s but no certificate", config_params[ki].name,
			      dc_slot_names[slot]);
		return 0;
	}
	if (ci < 0)
		return 0;
	if (config_is_bare_pkcs7(cfg->value[ci], cfg->len[ci])) {
		/* the phones' line for this very mistake */
		dc_log(DC_LOG_WARN, "Could not decode cert chain, results 0");
		plan_error(st, "%s: could not decode the certificate chain: it is a PKCS#7 body without its lines; put -----BEGIN PKCS7----- before it and -----END PKCS7----- after it",
			      config_params[ci].name);
		return 0;
	}
	c->cert_param = config_params[ci].name;
	c->cert = config_pem_unfold(cfg->value[ci], cfg->len[ci], &c->cert_len);
	if (!c->cert)
		return -ENOMEM;
	if (ki < 0)
		return 0;	/* paired with the slot's pending key, if it has one */
	c->key_param = config_params[ki].name;
	c->key = config_pem_unfold(cfg->value[ki], cfg->len[ki], &c->key_len);
	return c->key ? 0 : -ENOMEM;
}

void config_profiles_init(struct config_profiles *p)
{
	memset(p->cert, NOT_SET, sizeof(p->cert));
	memset(p->select, NOT_SET, sizeof(p->select));
	p->syslog_app = NOT_SET;
}

int config_profiles_profile(const struct config_profiles *p, int op)
{
	if (p->select[op] != NOT_SET)
		return p->select[op];
	if (op == DEVCRED_OP_SYSLOG && p->syslog_app != NOT_SET)
		return p->syslog_app;
	return CONFIG_PROFILE_PLATFORM1;
}

int config_profiles_slot(const struct config_profiles *p, int op)
{
	int profile = config_profiles_profile(p, op);

	return p->cert[profile] == NOT_SET ? DEVCRED_SLOT_BUILTIN : p->cert[profile];
}

/* The prior settings overlaid with the file's: what holds once it is applied. */
static void plan_profiles(const struct plan_state *st, struct config_plan *plan)
{
	int i;

	plan->profiles = st->prior;
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++) {
		if (st->profile[i] == NOT_SET)
			continue;
		plan->profiles.cert[i] = st->profile[i];
		plan->profiles_set.cert_set |= 1u << i;
	}
	for (i = 0; i < DEVCRED_OP_COUNT; i++) {
		if (st->select[i] == NOT_SET)
			continue;
		plan->profiles.select[i] = st->select[i];
		plan->profiles_set.select_set |= 1u << i;
	}
	if (st->syslog_app != NOT_SET) {
		plan->profiles.syslog_app = st->syslog_app;
		plan->profiles_set.syslog_app_set = 1;
	}
}

/* The selection parameter of this file that decides @op's profile, or -1. */
static int selected_by(const struct plan_state *st, const struct config_plan *plan, int op)
{
	if (st->select_param[op] >= 0)
		return st->select_param[op];
	/* the application's syslog selection, unless a device.* one is in effect */
	if (op == DEVCRED_OP_SYSLOG && plan->profiles.select[op] == NOT_SET)
		return st->syslog_app_param;
	return -1;
}

/* Binds operation @op if the file touches its profile selection or its profile. */
static void plan_binding(struct plan_state *st, struct config_plan *plan, int op)
{
	int profile = config_profiles_profile(&plan->profiles, op);
	int sel = selected_by(st, plan, op);
	int why = sel >= 0 ? sel : st->profile_param[profile];
	int slot = config_profiles_slot(&plan->profiles, op);

	if (why < 0)
		return;
	if (op < DEVCRED_OP_FLASH_ONLY_END && slot >= DEVCRED_SLOT_APP1) {
		plan_error(st, "%s: %s selects %s, whose certificate is %s; %s may only use Builtin, Platform1 or Platform2",
			      dc_op_names[op], sel >= 0 ? config_params[sel].name :
			      config_profiles_profile(&st->prior, op) != CONFIG_PROFILE_PLATFORM1 ?
			      "the selection in effect (an earlier file)" : "the default selection",
			      config_profile_names[profile], config_cert_names[slot], dc_op_names[op]);
		return;
	}
	plan->bind_mask |= 1u << op;
	plan->bind[op] = slot;
	plan->bind_param[op] = config_params[why].name;
}

int config_plan_make_on(const struct config_file *cfg, const struct config_profiles *prior,
			struct config_plan *plan, struct dc_out *err)
{
	struct plan_state st = { .cfg = cfg, .err = err, .notes = &plan->notes };
	int i, ret = 0;

	memset(plan, 0, sizeof(*plan));
	if (prior)
		st.prior = *prior;
	else
		config_profiles_init(&st.prior);
	for (i = 0; i < CONFIG_PROFILE_COUNT; i++)
		st.profile[i] = st.profile_param[i] = NOT_SET;
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		st.select[i] = st.select_param[i] = NOT_SET;
	st.syslog_app = st.syslog_app_param = NOT_SET;
	for (i = 0; i < DEVCRED_SLOT_COUNT; i++)
		st.cert_param[i] = st.key_param[i] = NOT_SET;
	read_params(&st);
	for (i = 0; i < DEVCRED_SLOT_COUNT && !ret; i++)
		ret = plan_cred(&st, plan, i);
	plan_profiles(&st, plan);
	for (i = 0; i < DEVCRED_OP_COUNT; i++)
		plan_binding(&st, plan, i);
	return ret ? ret : st.failed;
}

int config_plan_make(const struct config_file *cfg, struct config_plan *plan, struct dc_out *err)
{
	return config_plan_make_on(cfg, NULL, plan, err);
}

void config_plan_free(struct config_plan *plan)
{
	int i;

	for (i = 0; i < DEVCRED_SLOT_COUNT; i++) {
		cred_secret_free(plan->cred[i].cert, plan->cred[i].cert_len);
		cred_secret_free(plan->cred[i].key, plan->cred[i].key_len);
	}
	dc_out_free(&plan->notes);
	memset(plan, 0, sizeof(*plan));
}
