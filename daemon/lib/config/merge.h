/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several provisioning files read as one, the way a phone reads the
 * CONFIG_FILES of its master file: when a parameter appears in several,
 * the file listed first wins.
 */
#ifndef DEVCRED_CONFIG_MERGE_H
#define DEVCRED_CONFIG_MERGE_H

#include "config.h"

/*
 * Moves into @into every parameter of @from that @into does not have yet
 * (merge the files in their listed order: the first one's values stay);
 * what @into already has stays in @from, for config_file_free(). @into
 * may be all zero (then it is allocated here). @from's ignored count is
 * added. When @origin is not NULL, origin[i] = @name for each parameter i
 * taken, so that messages can say which file a value came from. Returns
 * the number of parameters taken, or -ENOMEM.
 */
int config_file_merge(struct config_file *into, struct config_file *from,
		      const char **origin, const char *name);

#endif /* DEVCRED_CONFIG_MERGE_H */
