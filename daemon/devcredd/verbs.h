/* SPDX-License-Identifier: GPL-2.0 */
/* Running a request: the verb table's side. */
#ifndef DEVCRED_DD_VERBS_H
#define DEVCRED_DD_VERBS_H

#include "common/proto.h"
#include "commands.h"

/*
 * Runs @req with @ctx: checks its verb and arguments, that the peer may
 * run it, then runs it. Returns credctl's exit status, DC_EXIT_*.
 */
int dd_run_request(struct dd_ctx *ctx, const struct dc_request *req);

#endif /* DEVCRED_DD_VERBS_H */
