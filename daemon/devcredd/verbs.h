/* SPDX-License-Identifier: GPL-2.0 */
/* Running a request: the verb table's side. */
#ifndef DEVCRED_DD_VERBS_H
#define DEVCRED_DD_VERBS_H

#include <errno.h>

#include "common/proto.h"
#include "commands.h"

/* dd_run_request(): a worker is to finish the request (ctx->work). */
#define DD_DEFERRED	(-EINPROGRESS)

/*
 * Runs @req with @ctx: checks its verb and arguments, that the peer may
 * run it, then runs it. Returns credctl's exit status, DC_EXIT_*, or
 * DD_DEFERRED when the command left slow work in ctx->work: run it (in a
 * worker), then dd_finish_request().
 */
int dd_run_request(struct dd_ctx *ctx, const struct dc_request *req);

/*
 * Finishes a deferred request once its work ran, or with @cancelled (a
 * negative errno) without it; frees the work. Returns the exit status.
 */
int dd_finish_request(struct dd_ctx *ctx, int cancelled);

/* dd_run_request() with any slow work done in the calling thread. */
int dd_run_request_now(struct dd_ctx *ctx, const struct dc_request *req);

#endif /* DEVCRED_DD_VERBS_H */
