/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the command files. */
#ifndef DEVCRED_CMD_H
#define DEVCRED_CMD_H

#include "commands.h"
#include "device.h"

/* Puts one message on credctl's standard error; returns exit status 1. */
int dc_fail(struct dc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a slot's certificate and key; empty blobs when the slot is empty. */
int dc_read_slot(int fd, unsigned int slot, struct dc_blob *cert, struct dc_blob *key);

int dc_cmd_status(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_list(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_show(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_export(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_bindings(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_install(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_factory_install(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_remove(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_bind(struct dc_ctx *ctx, const struct dc_request *req);

#endif /* DEVCRED_CMD_H */
