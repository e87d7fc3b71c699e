/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the command files. */
#ifndef DEVCRED_CMD_H
#define DEVCRED_CMD_H

#include "lib/cred/credential.h"
#include "lib/store/store.h"
#include "commands.h"

/**
 * struct dd_cred_input - a credential as given, for dd_cred_prepare()
 * @cert: certificate input (PEM, PKCS#7, DER, or a bundle with the key)
 * @cert_len: its length
 * @key: key input, NULL when in @cert or absent (then the slot's pending
 *	key from an on-device CSR is used)
 * @key_len: its length
 * @passphrase: NUL-terminated, for an encrypted key; NULL if none
 * @force: accept a certificate outside its validity period
 */
struct dd_cred_input {
	const void *cert;
	size_t cert_len;
	const void *key;
	size_t key_len;
	const char *passphrase;
	int force;
};

/**
 * struct dd_prepared - a credential decoded and checked for a slot
 * @cred: the credential, in normal form
 * @was: the slot as it was when the preparing began: its generation is
 *	what the write expects (compare and swap), so that a change made
 *	meanwhile by another writer is not overwritten unseen
 */
struct dd_prepared {
	struct credential cred;
	struct devcred_slot_status was;
};

/*
 * Decodes and checks a credential for @slot as install does: validity,
 * the key matching the certificate (or the slot's pending key), the slot's
 * size limits. Returns 0, or a negative errno with the reason in ctx->err;
 * @p->cred must be freed with cred_free() either way.
 */
int dd_cred_prepare(struct dd_ctx *ctx, int slot, const struct dd_cred_input *in,
		    struct dd_prepared *p);
/*
 * Writes a prepared credential to @slot, if the slot did not change since
 * it was prepared, and logs it; 0 or -errno (ctx->err).
 */
int dd_cred_store(struct dd_ctx *ctx, int slot, unsigned int origin, const struct dd_prepared *p);

/*
 * Adds the phones' "Failed to save certificate" to the client's message,
 * after the reason: an install, or a file giving a certificate, failed.
 */
void dd_save_failed(struct dd_ctx *ctx);

struct config_file;
/*
 * Applies parsed parameters all or nothing (cmd_apply.c): plans them,
 * checks every credential, writes, binds, and puts back what it wrote if
 * the store fails half way. @source names the input in messages and the
 * log; @origin, when not NULL, names the file each parameter came from
 * (config_file_merge()), for the messages. 0, or a negative errno with
 * the reasons in ctx->err.
 */
int dd_apply_config(struct dd_ctx *ctx, const char *source, const struct config_file *cfg,
		    const char *const *origin);

/* The commands: 0, or a negative errno with the reason in ctx->err. */
int dd_cmd_status(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_list(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_show(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_export(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_bindings(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_profiles(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_install(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_factory_install(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_remove(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_format(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_bind(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_csr(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_apply(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_apply_files(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_credential(struct dd_ctx *ctx, const struct dc_request *req);
int dd_cmd_sign(struct dd_ctx *ctx, const struct dc_request *req);

#endif /* DEVCRED_CMD_H */
