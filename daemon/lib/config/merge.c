// SPDX-License-Identifier: GPL-2.0
/*
 * Merging parsed files: see merge.h. Values are moved, never copied: a
 * private key stays in the one secure-heap buffer config_parse() made.
 */
#include <errno.h>
#include <stdlib.h>

#include "merge.h"

int config_file_merge(struct config_file *into, struct config_file *from,
		      const char **origin, const char *name)
{
	size_t i;
	int taken = 0;

	if (!into->value) {
		into->value = calloc(config_param_count, sizeof(*into->value));
		into->len = calloc(config_param_count, sizeof(*into->len));
		if (!into->value || !into->len)
			return -ENOMEM;
	}
	for (i = 0; i < config_param_count; i++) {
		if (!from->value[i] || into->value[i])
			continue;
		into->value[i] = from->value[i];
		into->len[i] = from->len[i];
		from->value[i] = NULL;
		from->len[i] = 0;
		if (origin)
			origin[i] = name;
		taken++;
	}
	into->ignored += from->ignored;
	return taken;
}
