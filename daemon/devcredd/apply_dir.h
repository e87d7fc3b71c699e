/* SPDX-License-Identifier: GPL-2.0 */
/* Provisioning files applied when devcredd starts. */
#ifndef DEVCRED_APPLY_DIR_H
#define DEVCRED_APPLY_DIR_H

#include "commands.h"

/*
 * Applies every .xml file of @dir in name order, each all or nothing, as
 * "credctl apply" would with @ctx (which must allow changes); logs what
 * each did or why it was refused. A missing @dir is not an error.
 */
void dd_apply_dir(struct dd_ctx *ctx, const char *dir);

#endif /* DEVCRED_APPLY_DIR_H */
