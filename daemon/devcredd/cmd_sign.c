// SPDX-License-Identifier: GPL-2.0
/*
 * credential and sign: the devcred OpenSSL provider's requests. A program
 * opens devcred:op=sip (or devcred:slot=app3); the provider asks
 * "credential" for what that key reference resolves to (the slot, its
 * generation, the SHA-256 of its chain, the chain, and whether the caller
 * may sign), and later "sign" with a digest and that pin. devcredd signs
 * with the key it reads from the store, which never leaves it:
 *
 *	credential op=sip		-> app1, generation 42, stamp, chain
 *	sign op=sip app1 42 stamp rsa-pss sha256 salt 32 DIGEST -> signature
 *
 * A signature is made only while the reference still resolves to the slot,
 * generation and chain it was opened with: a handle never signs with a key
 * other than the one whose certificate the program loaded. After a rebind
 * or a new credential, the program opens the reference again.
 *
 * Who may sign: root, and whom CONFDIR/key-access names for the reference
 * (key_access.h). The key is read and checked in the loop; a worker
 * decodes it and signs (worker.h), so that no client waits for another's
 * signature.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/keyref.h"
#include "common/log.h"
#include "common/names.h"
#include "lib/cred/credential.h"
#include "lib/cred/secret.h"
#include "lib/cred/sign.h"
#include "lib/store/store.h"
#include "cmd.h"
#include "sealing.h"
#include "key_access.h"
#include "peer.h"

/**
 * struct dd_sign_work - one signature for a worker to make
 * @work: the worker's handle
 * @key: the private key as stored (secure heap)
 * @r: what to sign, and how (@r.digest points into @digest)
 * @digest: a copy of the digest
 * @sig: the signature, @sig_len bytes
 * @what: "op=sip (app1)", for the log
 * @ret: 0, or why the worker failed (@err)
 */
struct dd_sign_work {
	struct dd_work work;
	struct store_blob key;
	struct cred_sign_req r;
	uint8_t digest[DC_PROTO_DIGEST_MAX];
	uint8_t sig[CRED_SIG_MAX];
	size_t sig_len;
	char what[DC_PROTO_STR_MAX + 24];
	int ret;
	struct cred_error err;
};

/* @req's key reference, or a message saying what is wrong with it. */
static int dd_keyref(struct dd_ctx *ctx, const struct dc_request *req, struct dc_keyref *ref)
{
	const char *why;

	if (dc_keyref_parse(req->arg1, ref, &why))
		return dd_fail(ctx, "bad key reference '%s': %s (op=%s, or slot=%s)", req->arg1,
			       why, dc_op_list(), dc_slot_list());
	return 0;
}

/* The slot @ref names now: itself, or the slot its operation is bound to. */
static int dd_resolve(struct dd_ctx *ctx, const struct dc_keyref *ref, int *slot)
{
	struct devcred_bindings b;
	int ret;

	if (ref->kind == DC_KEYREF_SLOT) {
		*slot = ref->index;
		return 0;
	}
	ret = store_get_bindings(ctx->fd, &b);
	if (ret)
		return dd_fail(ctx, "cannot read the bindings: %s", strerror(-ret));
	*slot = b.slot[ref->index];
	return 0;
}

/* Whether the caller may sign with @ref's key (key_access.h). */
static int dd_caller_may_sign(struct dd_ctx *ctx, const struct dc_keyref *ref)
{
	struct dd_caller who = { .uid = ctx->uid, .gid = ctx->gid };
	struct dd_key_access none = { 0 };
	gid_t *groups = NULL;
	size_t n = 0;
	int ok;

	/* Root needs no look at its groups; nobody else gets past a failed one. */
	if (ctx->uid && ctx->peer_fd >= 0 && dd_peer_groups(ctx->peer_fd, &groups, &n))
		return 0;
	who.groups = groups;
	who.ngroups = n;
	ok = dd_key_access_allows(ctx->access ? ctx->access : &none, ref, &who);
	free(groups);
	return ok;
}

static int dd_refuse_use(struct dd_ctx *ctx, const struct dc_keyref *ref)
{
	char text[DC_KEYREF_MAX + 1];

	return dd_fail(ctx, "permission denied: uid %u may not sign with the key of %s (%s names who may)",
		       (unsigned int)ctx->uid, dc_keyref_text(ref, text),
		       ctx->access && ctx->access->path ? ctx->access->path : "the key access file");
}

/* @slot's chain and key, of one generation; the key when @key is not NULL. */
static int dd_read_cred(struct dd_ctx *ctx, const char *what, int slot, struct store_blob *cert,
			struct store_blob *key)
{
	struct store_blob none = { 0 };
	int ret = key ? store_read_slot(ctx->fd, slot, cert, key) :
			store_read_cert(ctx->fd, slot, cert);

	if (ret == -ENOENT || (!ret && (!cert->len || (key && !key->len))))
		ret = dd_fail(ctx, "%s: %s holds no credential", what, dc_slot_names[slot]);
	else if (ret == -ENOKEY)
		ret = dd_fail(ctx, "%s: the key of %s cannot be used: %s", what, dc_slot_names[slot],
			      dd_enokey_reason(ctx->fd, slot));
	else if (ret)
		ret = dd_fail(ctx, "%s: cannot read %s: %s", what, dc_slot_names[slot],
			      strerror(-ret));
	if (ret) {
		store_blob_free(cert);
		store_secret_free(key ? key : &none);
	}
	return ret;
}

int dd_cmd_credential(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct store_blob cert = { 0 };
	struct dc_keyref ref;
	int slot, ret;

	ret = dd_keyref(ctx, req, &ref) ?: dd_resolve(ctx, &ref, &slot) ?:
	      dd_read_cred(ctx, req->arg1, slot, &cert, NULL);
	if (ret)
		return ret;
	if (cred_stamp(cert.data, cert.len, ctx->reply.stamp)) {
		store_blob_free(&cert);
		return dd_fail(ctx, "%s: out of memory", req->arg1);
	}
	snprintf(ctx->reply.slot, sizeof(ctx->reply.slot), "%s", dc_slot_names[slot]);
	ctx->reply.generation = cert.generation;
	ctx->reply.chain = cert.data;	/* the reply owns it now */
	ctx->reply.chain_len = cert.len;
	ctx->reply.may_sign = dd_caller_may_sign(ctx, &ref);
	if (!ctx->reply.may_sign)
		dd_refuse_use(ctx, &ref);	/* why, for a program that wants the key */
	return 0;
}

/* The scheme asked for, checked: names known, lengths that fit. */
static int dd_sign_scheme(struct dd_ctx *ctx, const struct dc_key_use *u, struct cred_sign_req *r)
{
	int alg = dc_sig_alg_by_name(u->sig_alg), md = dc_digest_by_name(u->digest_alg);
	int mgf1 = u->mgf1_alg[0] ? dc_digest_by_name(u->mgf1_alg) : md;

	if (alg < 0)
		return dd_fail(ctx, "sign: unknown scheme '%s'; schemes are rsa-pkcs1, rsa-pss, ecdsa",
			       u->sig_alg);
	if (md < 0 || mgf1 < 0)
		return dd_fail(ctx, "sign: unknown digest '%s'; digests are sha256, sha384, sha512",
			       md < 0 ? u->digest_alg : u->mgf1_alg);
	if (u->digest.len != dc_digest_sizes[md])
		return dd_fail(ctx, "sign: a %s digest is %u bytes, not %zu", dc_digest_names[md],
			       dc_digest_sizes[md], u->digest.len);
	if (alg != DC_SIG_RSA_PSS && (u->salt_len || u->mgf1_alg[0]))
		return dd_fail(ctx, "sign: a salt length and an MGF1 digest are for rsa-pss only");
	*r = (struct cred_sign_req){ .alg = alg, .digest_alg = md, .mgf1_alg = mgf1,
				     .salt_len = u->salt_len };
	return 0;
}

/*
 * The key use still pinned: @ref resolves to the slot it was opened with,
 * whose generation and chain are those it was opened at.
 */
static int dd_check_pin(struct dd_ctx *ctx, const struct dc_request *req, int slot,
			const struct store_blob *cert)
{
	const struct dc_key_use *u = &req->use;
	uint8_t stamp[DC_PROTO_STAMP_LEN];

	if (strcmp(dc_slot_names[slot], u->slot))
		return dd_fail(ctx, "%s is bound to %s now, no longer to %s whose certificate this key was opened with: open devcred:%s again",
			       req->arg1, dc_slot_names[slot], u->slot, req->arg1);
	if (cred_stamp(cert->data, cert->len, stamp))
		return dd_fail(ctx, "%s: out of memory", req->arg1);
	if (cert->generation != u->generation)
		return dd_fail(ctx, "%s: %s changed since this key was opened (generation %llu, now %llu): open devcred:%s again",
			       req->arg1, u->slot, (unsigned long long)u->generation,
			       (unsigned long long)cert->generation, req->arg1);
	/* A generation used again (app slots start afresh when the module is reloaded). */
	if (u->stamp.len != sizeof(stamp) || memcmp(stamp, u->stamp.data, sizeof(stamp)))
		return dd_fail(ctx, "%s: %s holds another chain than the one this key was opened with: open devcred:%s again",
			       req->arg1, u->slot, req->arg1);
	return 0;
}

/* In a worker: the signature; nothing else is touched. */
static void dd_sign_run(struct dd_work *work)
{
	struct dd_sign_work *w = (struct dd_sign_work *)work;

	w->ret = cred_sign(w->key.data, w->key.len, &w->r, w->sig, &w->sig_len, &w->err);
	store_secret_free(&w->key);	/* not kept a moment longer than needed */
}

static int dd_sign_finish(struct dd_work *work, struct dd_ctx *ctx)
{
	struct dd_sign_work *w = (struct dd_sign_work *)work;

	if (w->ret)
		return dd_fail(ctx, "%s: %s", w->what, w->err.msg);
	ctx->reply.signature = malloc(w->sig_len);
	if (!ctx->reply.signature)
		return dd_fail(ctx, "%s: out of memory", w->what);
	memcpy(ctx->reply.signature, w->sig, w->sig_len);
	ctx->reply.signature_len = w->sig_len;
	dc_log(DC_LOG_DEBUG, "uid %u pid %d: signed with %s: %s, %s", (unsigned int)ctx->uid,
	       (int)ctx->pid, w->what, dc_sig_alg_names[w->r.alg],
	       dc_digest_names[w->r.digest_alg]);
	return 0;
}

static void dd_sign_free(struct dd_work *work)
{
	struct dd_sign_work *w = (struct dd_sign_work *)work;

	store_secret_free(&w->key);
	cred_secret_zero(w, sizeof(*w));
	free(w);
}

int dd_cmd_sign(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct store_blob cert = { 0 }, key = { 0 };
	struct cred_sign_req r;
	struct dd_sign_work *w;
	struct dc_keyref ref;
	int slot, ret;

	ret = dd_keyref(ctx, req, &ref) ?: dd_sign_scheme(ctx, &req->use, &r);
	if (ret)
		return ret;
	if (!dd_caller_may_sign(ctx, &ref))
		return dd_refuse_use(ctx, &ref);
	ret = dd_resolve(ctx, &ref, &slot) ?: dd_read_cred(ctx, req->arg1, slot, &cert, &key);
	if (!ret)
		ret = dd_check_pin(ctx, req, slot, &cert);
	store_blob_free(&cert);
	w = ret ? NULL : calloc(1, sizeof(*w));
	if (!w) {
		store_secret_free(&key);
		return ret ?: dd_fail(ctx, "%s: out of memory", req->arg1);
	}
	w->key = key;	/* the work owns it now */
	w->r = r;
	memcpy(w->digest, req->use.digest.data, req->use.digest.len);
	w->r.digest = w->digest;
	snprintf(w->what, sizeof(w->what), "%s (%s)", req->arg1, dc_slot_names[slot]);
	w->work = (struct dd_work){ .run = dd_sign_run, .finish = dd_sign_finish,
				    .free = dd_sign_free };
	ctx->work = &w->work;
	return 0;
}
