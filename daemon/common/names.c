// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "names.h"

const char *const dc_slot_names[DEVCRED_SLOT_COUNT] = {
	"builtin", "platform1", "platform2",
	"app1", "app2", "app3", "app4", "app5", "app6",
};

const char *const dc_op_names[DEVCRED_OP_COUNT] = {
	"802.1x", "syslog", "provisioning", "sip", "browser", "presence", "ldap",
};

const char *const dc_origin_names[4] = { "none", "factory", "self-signed", "installed" };

static int dc_lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int dc_slot_by_name(const char *name)
{
	return dc_lookup(dc_slot_names, DEVCRED_SLOT_COUNT, name);
}

int dc_op_by_name(const char *name)
{
	return dc_lookup(dc_op_names, DEVCRED_OP_COUNT, name);
}

const char *dc_slot_list(void)
{
	return "builtin, platform1, platform2, app1, app2, app3, app4, app5, app6";
}

const char *dc_op_list(void)
{
	return "802.1x, syslog, provisioning, sip, browser, presence, ldap";
}
