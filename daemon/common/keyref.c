// SPDX-License-Identifier: GPL-2.0
/* Key references, "op=OPERATION" and "slot=SLOT": see keyref.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "keyref.h"
#include "names.h"

int dc_keyref_parse(const char *s, struct dc_keyref *ref, const char **why)
{
	const char *reason;
	int i = -ENOENT;

	if (!strncmp(s, "op=", 3)) {
		ref->kind = DC_KEYREF_OP;
		i = dc_op_by_name(s + 3);
		reason = "unknown operation after op=";
	} else if (!strncmp(s, "slot=", 5)) {
		ref->kind = DC_KEYREF_SLOT;
		i = dc_slot_by_name(s + 5);
		reason = "unknown slot after slot=";
	} else {
		reason = "neither op=OPERATION nor slot=SLOT";
	}
	if (why)
		*why = i < 0 ? reason : NULL;
	if (i < 0)
		return -EINVAL;
	ref->index = i;
	return 0;
}

const char *dc_keyref_text(const struct dc_keyref *ref, char buf[DC_KEYREF_MAX + 1])
{
	int op = ref->kind == DC_KEYREF_OP;
	int n = op ? DEVCRED_OP_COUNT : DEVCRED_SLOT_COUNT;
	const char *name = ref->index < 0 || ref->index >= n ? "?" :
			   op ? dc_op_names[ref->index] : dc_slot_names[ref->index];

	snprintf(buf, DC_KEYREF_MAX + 1, "%s=%s", op ? "op" : "slot", name);
	return buf;
}
