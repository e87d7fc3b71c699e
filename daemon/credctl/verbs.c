// SPDX-License-Identifier: GPL-2.0
/*
 * The commands devcredd runs and answers in text: the checks the verb table
 * cannot express, and the request each sends. Every rule about
 * certificates and slots is the daemon's; these only check the command
 * line and read the inputs.
 */
#include <stdio.h>
#include <string.h>

#include "common/names.h"
#include "credctl.h"
#include "input.h"

/*
 * "cert.pem, https://host/key.pem" for the daemon's log: where each input
 * came from, URIs without their password, printable, cut to the limit.
 */
static void set_source(struct dc_request *req, const char *const *inputs, size_t count)
{
	char *s = req->source, buf[URI_MAX];
	const char *where;
	size_t i, n = 0;

	for (i = 0; i < count; i++) {
		if (!inputs[i] || n >= DC_PROTO_SOURCE_MAX)
			continue;
		where = strcmp(inputs[i], "-") ? ctl_input_label(inputs[i], buf, sizeof(buf)) : "stdin";
		n += snprintf(s + n, DC_PROTO_SOURCE_MAX + 1 - n, "%s%s", n ? ", " : "", where);
	}
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}

static int read_inputs(const struct ctl_args *a, struct dc_request *req)
{
	const char *inputs[] = { a->value[OPT_BUNDLE], a->value[OPT_CERT], a->value[OPT_KEY],
				 a->value[OPT_PASS] };
	int stdin_uses = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(inputs); i++)
		stdin_uses += inputs[i] && !strcmp(inputs[i], "-");
	if (stdin_uses > 1)
		return ctl_usage_error(a->verb, "only one input may be - (standard input)");
	if ((a->value[OPT_BUNDLE] && ctl_input_read(a->value[OPT_BUNDLE], &a->fetch, &req->cert)) ||
	    (a->value[OPT_CERT] && ctl_input_read(a->value[OPT_CERT], &a->fetch, &req->cert)) ||
	    (a->value[OPT_KEY] && ctl_input_read(a->value[OPT_KEY], &a->fetch, &req->key)) ||
	    (a->value[OPT_PASS] && ctl_input_read_passphrase(a->value[OPT_PASS], &req->passphrase)))
		return DC_EXIT_FAILED;
	set_source(req, inputs, ARRAY_SIZE(inputs));
	return 0;
}

static int check_slot(const struct ctl_args *a, const char *name)
{
	if (dc_slot_by_name(name) < 0)
		return ctl_usage_error(a->verb, "unknown slot '%s'; slots are %s", name,
				       dc_slot_list());
	return 0;
}

static void set_flags(const struct ctl_args *a, struct dc_request *req)
{
	req->flags |= a->seen & O(OPT_JSON) ? DC_REQ_JSON : 0;
	req->flags |= a->seen & O(OPT_FORCE) ? DC_REQ_FORCE : 0;
	req->flags |= a->seen & O(OPT_CHAIN) ? DC_REQ_CHAIN : 0;
	req->flags |= a->seen & O(OPT_BUNDLE) ? DC_REQ_BUNDLE : 0;
}

int ctl_prepare_plain(const struct ctl_args *a, struct dc_request *req)
{
	set_flags(a, req);
	return 0;
}

int ctl_prepare_slot(const struct ctl_args *a, struct dc_request *req)
{
	int ret = check_slot(a, a->argv[0]);

	if (ret)
		return ret;
	snprintf(req->arg1, sizeof(req->arg1), "%s", a->argv[0]);
	return ctl_prepare_plain(a, req);
}

int ctl_prepare_install(const struct ctl_args *a, struct dc_request *req)
{
	int bundle = !!a->value[OPT_BUNDLE], cert = !!a->value[OPT_CERT];
	int ret = ctl_prepare_slot(a, req);

	if (ret)
		return ret;
	if (bundle == cert)
		return ctl_usage_error(a->verb, "give either --bundle FILE or --cert FILE%s",
				   bundle ? ", not both" : "");
	if (bundle && a->value[OPT_KEY])
		return ctl_usage_error(a->verb, "--key goes with --cert; a --bundle holds the key");
	return read_inputs(a, req);
}

int ctl_prepare_bind(const struct ctl_args *a, struct dc_request *req)
{
	int ret;

	if (dc_op_by_name(a->argv[0]) < 0)
		return ctl_usage_error(a->verb, "unknown operation '%s'; operations are %s",
				       a->argv[0], dc_op_list());
	ret = check_slot(a, a->argv[1]);
	if (ret)
		return ret;
	snprintf(req->arg1, sizeof(req->arg1), "%s", a->argv[0]);
	snprintf(req->arg2, sizeof(req->arg2), "%s", a->argv[1]);
	return ctl_prepare_plain(a, req);
}

int ctl_prepare_factory(const struct ctl_args *a, struct dc_request *req)
{
	if (!a->value[OPT_CERT] || !a->value[OPT_KEY])
		return ctl_usage_error(a->verb, "needs --cert FILE and --key FILE");
	set_flags(a, req);
	return read_inputs(a, req);
}

/* The configuration file's bytes go as the certificate input does. */
int ctl_prepare_apply(const struct ctl_args *a, struct dc_request *req)
{
	int ret = ctl_input_read(a->argv[0], &a->fetch, &req->cert);

	if (ret)
		return ret;
	set_source(req, (const char *const *)a->argv, 1);
	return 0;
}
