/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the command files. */
#ifndef DEVCRED_CMD_H
#define DEVCRED_CMD_H

#include "commands.h"
#include "lib/store/store.h"

/* Puts one message on credctl's standard error; returns exit status 1. */
int dc_fail(struct dc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a slot's certificate and key; empty blobs when the slot is empty. */
int dc_read_slot(int fd, unsigned int slot, struct dc_blob *cert, struct dc_blob *key);

/**
 * struct dc_cred_input - a credential as given, for dc_cred_prepare()
 * @cert: certificate input (PEM, PKCS#7, DER, or a bundle with the key)
 * @cert_len: its length
 * @key: key input, NULL when in @cert or absent (then the slot's pending
 *	key from an on-device CSR is used)
 * @key_len: its length
 * @passphrase: NUL-terminated, for an encrypted key; NULL if none
 * @force: accept a certificate outside its validity period
 */
struct dc_cred_input {
	const void *cert;
	size_t cert_len;
	const void *key;
	size_t key_len;
	const char *passphrase;
	int force;
};

struct credential;

/*
 * Decodes and checks a credential for @slot as install does: validity,
 * the key matching the certificate (or the slot's pending key), the slot's
 * size limits. Returns 0, or 1 with the reason in ctx->err; @c must be
 * freed with cred_free() either way.
 */
int dc_cred_prepare(struct dc_ctx *ctx, int slot, const struct dc_cred_input *in,
		    struct credential *c);
/* Writes a prepared credential to @slot and logs it; 0 or 1 (ctx->err). */
int dc_cred_store(struct dc_ctx *ctx, int slot, unsigned int origin, const struct credential *c);

int dc_cmd_status(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_list(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_show(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_export(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_bindings(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_install(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_factory_install(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_remove(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_bind(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_csr(struct dc_ctx *ctx, const struct dc_request *req);
int dc_cmd_apply(struct dc_ctx *ctx, const struct dc_request *req);

#endif /* DEVCRED_CMD_H */
