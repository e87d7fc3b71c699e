// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change the store: install, factory-install, remove,
 * format,
 * bind. Input is decoded and checked completely before anything is written;
 * a refusal leaves the store as it was.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/credential.h"
#include "lib/cred/info.h"
#include "lib/cred/secret.h"
#include "builtin.h"
#include "cmd.h"
#include "profiles.h"
#include "sealing.h"
#include "seed_log.h"

/* The limit of each blob of @slot, from the kernel. */
static int dd_check_caps(struct dd_ctx *ctx, int slot, size_t cert_len, size_t key_len)
{
	struct devcred_info info;
	int flash = slot < DEVCRED_FLASH_SLOTS;
	const char *kind = slot == DEVCRED_SLOT_BUILTIN ? "the builtin slot holds" :
			   flash ? "platform slots hold" : "application slots hold";
	size_t cmax, kmax;

	if (store_info(ctx->fd, &info))
		return 0;	/* the write will say */
	cmax = flash ? info.flash_cert_max : info.app_blob_max;
	kmax = flash ? info.flash_key_max : info.app_blob_max;
	if (cert_len > cmax)
		return dd_fail(ctx, "%s: certificate is %zu bytes; %s at most %zu",
			       dc_slot_names[slot], cert_len, kind, cmax);
	if (key_len > kmax) {
		dd_seed_log_key_too_big(slot, key_len, kmax);
		return dd_fail(ctx, "%s: private key is %zu bytes; %s at most %zu",
			       dc_slot_names[slot], key_len, kind, kmax);
	}
	return 0;
}

/* What a refused write means to an administrator. */
static int dd_write_failed(struct dd_ctx *ctx, int slot, int err)
{
	const char *name = dc_slot_names[slot];

	switch (err) {
	case -EPERM:
		return dd_fail(ctx, "%s holds a factory certificate; replacing or removing it needs factory mode (devcred module parameter factory_mode=1)",
			       name);
	case -EAGAIN:
		return dd_fail(ctx, "%s changed while this command ran; nothing was written, try again",
			       name);
	case -EROFS:
		return dd_fail(ctx, "%s: the credential partition is read-only", name);
	case -ENOSPC:
		return dd_fail(ctx, "%s: the application store is full (devcred module parameter app_store_max)",
			       name);
	case -ENOENT:
		return dd_fail(ctx, "%s: no pending private key to pair the certificate with", name);
	case -ENOKEY:
		return dd_fail(ctx, "%s: key not written: %s", name, dd_enokey_reason(ctx->fd, -1));
	default:
		return dd_fail(ctx, "%s: the store refused the write: %s", name, strerror(-err));
	}
}

static void dd_log_saved(int slot, const struct credential *c, int replaced)
{
	struct cred_info ci;

	cred_info_get(sk_X509_value(c->chain, 0), &ci);
	dd_seed_log_saved(slot, &ci, replaced);
	dc_log(DC_LOG_INFO, "saving new credential in %s: common name '%s', MD5 fingerprint %s; %s",
	       dc_slot_names[slot], ci.cn, ci.md5,
	       replaced ? "replaced the previous credential" : "no previous credential was stored");
	dc_log(DC_LOG_DEBUG, "%s: subject %s, issuer %s, serial %s, valid %s to %s, key %s, SHA256 %s",
	       dc_slot_names[slot], ci.subject, ci.issuer, ci.serial, ci.not_before, ci.not_after,
	       ci.key_type, ci.sha256);
}

/* The certificate of @c must belong to the slot's pending key. */
static int dd_check_pending(struct dd_ctx *ctx, int slot, const struct credential *c)
{
	struct cred_error err = { .msg = "" };
	struct store_blob pending = { 0 };
	struct credential pair;
	int ret = store_read_key(ctx->fd, slot, 1, &pending);

	if (ret == -ENOENT)
		return dd_fail(ctx, "%s: no private key given, and no pending key from 'credctl csr --keep-key %s'",
			       dc_slot_names[slot], dc_slot_names[slot]);
	if (ret)
		return dd_write_failed(ctx, slot, ret);
	ret = cred_decode(&pair, c->cert_pem, c->cert_pem_len, pending.data, pending.len, NULL,
			  &err) ||
	      cred_validate(&pair, ctx->now, CRED_REQUIRE_KEY | CRED_ALLOW_EXPIRED, &err);
	store_secret_free(&pending);
	cred_free(&pair);
	if (ret)
		return dd_fail(ctx, "%s: the certificate does not belong to the pending key: %s",
			       dc_slot_names[slot], err.msg);
	return 0;
}

int dd_cred_prepare(struct dd_ctx *ctx, int slot, const struct dd_cred_input *in,
		    struct dd_prepared *p)
{
	struct cred_error err = { .msg = "" };
	struct credential *c = &p->cred;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = store_slot_status(ctx->fd, slot, &p->was);
	if (ret)
		return dd_fail(ctx, "cannot read %s: %s", dc_slot_names[slot], strerror(-ret));
	ret = cred_decode(c, in->cert, in->cert_len, in->key_len ? in->key : NULL, in->key_len,
			  in->passphrase, &err);
	if (ret && err.no_cert)
		dc_log(DC_LOG_WARN, "Could not decode cert chain, results 0");
	if (!ret)
		ret = cred_validate(c, ctx->now, in->force ? CRED_ALLOW_EXPIRED : 0, &err);
	if (ret)
		return dd_fail(ctx, "%s: %s", dc_slot_names[slot], err.msg);
	ret = dd_check_caps(ctx, slot, c->cert_pem_len, c->key_pem_len);
	if (!ret && !c->key)
		ret = dd_check_pending(ctx, slot, c);
	return ret;
}

int dd_cred_store(struct dd_ctx *ctx, int slot, unsigned int origin, const struct dd_prepared *p)
{
	const struct credential *c = &p->cred;
	int ret;

	/* 0 is "do not compare" to the kernel; a slot never changed has it. */
	if (c->key)
		ret = store_write(ctx->fd, slot, origin, c->cert_pem, c->cert_pem_len, c->key_pem,
				  c->key_pem_len, p->was.generation);
	else
		ret = store_write_with_pending(ctx->fd, slot, origin, c->cert_pem,
					       c->cert_pem_len, p->was.generation);
	if (ret)
		return dd_write_failed(ctx, slot, ret);
	dd_log_saved(slot, c, p->was.flags & DEVCRED_SLOT_PRESENT);
	return 0;
}

void dd_save_failed(struct dd_ctx *ctx)
{
	dc_out_printf(&ctx->err, "%s: Failed to save certificate\n",
		      ctx->prefix ? ctx->prefix : "credctl");
}

/* A NUL-terminated copy of the passphrase in secure memory, or NULL. */
static char *dd_passphrase(const struct dc_request *req)
{
	if (!req->passphrase.len)
		return NULL;
	return cred_secret_dup(req->passphrase.data, req->passphrase.len);
}

/* A factory credential must be one the vendor CA set vouches for, when there is one. */
static int dd_check_factory(struct dd_ctx *ctx, const struct credential *c)
{
	char why[512];

	if (!ctx->trust->vendor_count) {
		dc_log(DC_LOG_WARN, "factory-install: no vendor CA set (vendor-ca.pem) to check the factory credential against");
		return 0;
	}
	if (dd_trust_verify(c, ctx->trust, ctx->now, why, sizeof(why)))
		return dd_fail(ctx, "builtin: not a factory credential: %s (vendor-ca.pem, factory-issuers in the configuration folder)",
			       why);
	return 0;
}

static int dd_install(struct dd_ctx *ctx, const struct dc_request *req, int slot,
		      unsigned int origin)
{
	int bundle = req->flags & DC_REQ_BUNDLE;
	struct dd_cred_input in = {
		.cert = req->cert.data, .cert_len = req->cert.len,
		.key = bundle ? NULL : req->key.data, .key_len = bundle ? 0 : req->key.len,
		.passphrase = dd_passphrase(req), .force = req->flags & DC_REQ_FORCE,
	};
	struct dd_prepared p;
	int ret;

	ret = dd_cred_prepare(ctx, slot, &in, &p);
	cred_secret_free((char *)in.passphrase, req->passphrase.len);
	if (!ret && origin == DEVCRED_ORIGIN_FACTORY)
		ret = dd_check_factory(ctx, &p.cred);
	if (!ret)
		ret = dd_cred_store(ctx, slot, origin, &p);
	if (!ret && ctx->pub)
		dd_publish_written(ctx->pub, ctx->fd, slot, &p.cred);
	if (!ret)
		dc_out_printf(&ctx->out, "%s: credential installed\n", dc_slot_names[slot]);
	else
		dd_save_failed(ctx);
	cred_free(&p.cred);
	return ret;
}

int dd_cmd_install(struct dd_ctx *ctx, const struct dc_request *req)
{
	int slot = dc_slot_by_name(req->arg1);

	if (slot == DEVCRED_SLOT_BUILTIN)
		return dd_fail(ctx, "install takes platform1, platform2 or app1 to app6; the built-in certificate is written with factory-install");
	if (!req->cert.len)
		return dd_fail(ctx, "%s: no certificate given (--cert FILE or --bundle FILE)", req->arg1);
	return dd_install(ctx, req, slot, DEVCRED_ORIGIN_INSTALLED);
}

/*
 * factory-install writes a credential nobody can replace outside factory
 * mode: it is for the production line alone (root, factory mode) and, when
 * the device has a vendor CA set, for what that set vouches for.
 */
int dd_cmd_factory_install(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct devcred_info info;
	int ret;

	if (!req->cert.len || !req->key.len)
		return dd_fail(ctx, "factory-install needs --cert FILE and --key FILE");
	ret = store_info(ctx->fd, &info);
	if (ret)
		return dd_fail(ctx, "cannot read the store: %s", strerror(-ret));
	if (!(info.flags & DEVCRED_INFO_FACTORY_MODE))
		return dd_fail(ctx, "factory-install needs factory mode, the production line's: load the devcred module with factory_mode=1, or write 1 to /sys/module/devcred/parameters/factory_mode");
	return dd_install(ctx, req, DEVCRED_SLOT_BUILTIN, DEVCRED_ORIGIN_FACTORY);
}

int dd_cmd_remove(struct dd_ctx *ctx, const struct dc_request *req)
{
	int slot = dc_slot_by_name(req->arg1);
	int ret;

	if (slot == DEVCRED_SLOT_BUILTIN)
		return dd_fail(ctx, "remove takes platform1, platform2 or app1 to app6; the built-in certificate stays");
	ret = store_erase(ctx->fd, slot);
	if (ret)
		return dd_write_failed(ctx, slot, ret);
	dc_log(DC_LOG_INFO, "%s: credential removed", req->arg1);
	dc_out_printf(&ctx->out, "%s: removed\n", req->arg1);
	return 0;
}

/*
 * format starts a damaged store afresh: the flash slots empty, every
 * operation on builtin, which then gets the self-signed certificate again.
 * The kernel refuses it while any record is readable (outside factory
 * mode), so it cannot serve to wipe a store that works.
 */
int dd_cmd_format(struct dd_ctx *ctx, const struct dc_request *req)
{
	int ret = store_format(ctx->fd);

	(void)req;
	switch (ret) {
	case 0:
		break;
	case -EEXIST:
		return dd_fail(ctx, "format: the store holds a readable record, so it is not damaged; empty slots with remove instead (formatting a working store needs factory mode)");
	case -EROFS:
		return dd_fail(ctx, "format: the credential partition is read-only");
	case -ENODEV:
		return dd_fail(ctx, "format: the credential partition is gone");
	case -EIO:
		return dd_fail(ctx, "format: the flash failed while erasing (the kernel log says where); the store may be partly erased: run format again");
	default:
		return dd_fail(ctx, "format: the store refused it: %s", strerror(-ret));
	}
	dc_log(DC_LOG_WARN, "the store was formatted: flash slots empty, every operation on builtin");
	dc_out_printf(&ctx->out, "formatted: the flash slots are empty and every operation uses builtin\n");
	/*
	 * The format emptied the platform profile settings too: forget them
	 * here, or the next apply would write them back with its own.
	 */
	if (ctx->profiles) {
		struct devcred_bindings b = { .size = sizeof(b) };

		if (!store_get_bindings(ctx->fd, &b)) {
			dd_profiles_from_store(ctx->profiles, &b);
			dd_profiles_save(ctx->profiles);	/* logs a failure */
		}
	}
	if (ctx->mac && ctx->mac[0] && !dd_ensure_builtin(ctx->fd, ctx->mac))
		dc_out_printf(&ctx->out, "builtin: a new self-signed certificate for %s\n", ctx->mac);
	return 0;
}

int dd_cmd_bind(struct dd_ctx *ctx, const struct dc_request *req)
{
	int op = dc_op_by_name(req->arg1), slot = dc_slot_by_name(req->arg2);
	struct devcred_bindings b;
	int ret = store_bind(ctx->fd, op, slot);

	if (ret == -EXDEV)
		return dd_fail(ctx, "%s may only use builtin, platform1 or platform2, not %s: it runs before the application, and application slots live in RAM",
			       req->arg1, req->arg2);
	if (ret)
		return dd_write_failed(ctx, slot, ret);
	dc_log(DC_LOG_INFO, "%s now uses %s", req->arg1, req->arg2);
	dc_out_printf(&ctx->out, "%s now uses %s\n", req->arg1, req->arg2);
	if (!store_get_bindings(ctx->fd, &b) && (b.unavailable & (1u << op)))
		dc_out_printf(&ctx->out, "note: %s is empty, so %s has no credential until one is installed there\n",
			      req->arg2, req->arg1);
	return 0;
}
