// SPDX-License-Identifier: GPL-2.0
/*
 * The slots in kernel memory and the rules for changing them. A change of a
 * flash slot, of the bindings or of the platform profile settings becomes
 * visible only after its record is on
 * flash; until then, and if writing fails, the previous state stays.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "devcred.h"

const char *const devcred_slot_names[DEVCRED_SLOT_COUNT] = {
	"builtin", "platform1", "platform2",
	"app1", "app2", "app3", "app4", "app5", "app6",
};

const char *const devcred_op_names[DEVCRED_OP_COUNT] = {
	"802.1x", "syslog", "provisioning", "sip", "browser", "presence", "ldap",
};

static const char *const devcred_origin_names[] = {
	"none", "factory", "self-signed", "installed",
};

static bool devcred_is_flash(unsigned int slot)
{
	return slot < DEVCRED_FLASH_SLOTS;
}

static size_t devcred_slot_bytes(const struct devcred_cred *s)
{
	return (size_t)s->cert_len + s->key_len + s->pending_len;
}

void devcred_slot_free(struct devcred_cred *s)
{
	kvfree(s->cert);
	kvfree_sensitive(s->key, s->key_len);
	kvfree_sensitive(s->pending, s->pending_len);
	kvfree(s->sealed_key);
	kvfree(s->sealed_pending);
	memset(s, 0, sizeof(*s));
}

/*
 * Checks a blob length against the slot's limit before anything is copied
 * from userspace. @what names the blob in the log line.
 */
int devcred_check_blob_len(unsigned int slot, const char *what, u32 len, bool is_key)
{
	u32 max;

	if (devcred_is_flash(slot))
		max = is_key ? DEVCRED_FLASH_KEY_MAX : DEVCRED_FLASH_CERT_MAX;
	else
		max = devcred_app_blob_max;
	if (len <= max)
		return 0;
	pr_warn_ratelimited("%s: %s is %u bytes; %s slots hold at most %u\n",
			    devcred_slot_names[slot], what, len,
			    devcred_is_flash(slot) ? "flash" : "application", max);
	return -EFBIG;
}

/*
 * The platform state with flash slot @which as @repl and bindings @binding.
 * A sealed store's record holds the keys as sealed, which the slots keep
 * beside the keys in clear.
 */
void devcred_fill_rec_state(struct devcred *dc, struct devcred_rec_state *st,
			    int which, const struct devcred_cred *repl, const u8 *binding)
{
	bool sealed = dc->seal.kmk_len;
	const struct devcred_cred *s;
	int i;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = i == which ? repl : &dc->slot[i];
		st->slot[i] = (struct devcred_rec_blobs){
			.origin = s->origin,
			.cert = s->cert, .cert_len = s->cert_len,
			.key = sealed ? s->sealed_key : s->key,
			.key_len = sealed ? s->sealed_key_len : s->key_len,
			.pending = sealed ? s->sealed_pending : s->pending,
			.pending_len = sealed ? s->sealed_pending_len : s->pending_len,
			.generation = s->generation,
		};
	}
	memcpy(st->binding, binding, DEVCRED_OP_COUNT);
	st->profiles = dc->profiles;
	st->kmk = dc->seal.kmk;
	st->kmk_len = dc->seal.kmk_len;
	st->kek = dc->seal.kek;
	st->kek_len = dc->seal.kek_len;
	st->seal_flags = dc->seal.scrubbed ? DEVCRED_SEAL_SCRUBBED : 0;
	st->version = devcred_rec_version(st);
}

/*
 * Seals the keys of @repl, the next content of flash slot @slot, for its
 * generation, when the store is sealed: a changed slot's keys are always
 * sealed again, since the generation is part of what they are sealed to.
 * Its previous sealed keys are not reused.
 */
static int devcred_seal_slot(struct devcred *dc, unsigned int slot, struct devcred_cred *repl)
{
	u8 *sealed;

	repl->sealed_key = NULL;
	repl->sealed_pending = NULL;
	repl->sealed_key_len = 0;
	repl->sealed_pending_len = 0;
	if (!devcred_is_flash(slot) || !dc->seal.kmk_len ||
	    (!repl->key_len && !repl->pending_len))
		return 0;
	if (!dc->seal.tfm || repl->key_fault) {
		pr_warn_ratelimited("%s: not changed: its keys are sealed and %s\n",
				    devcred_slot_names[slot], dc->seal.tfm ?
				    "one of them failed authentication; write a new credential" :
				    "the key-encryption key is not loaded (devcred-unseal)");
		return -ENOKEY;
	}
	if (repl->key_len) {
		sealed = devcred_seal_key(dc->seal.tfm, slot, DEVCRED_SEAL_KIND_KEY,
					  repl->generation, repl->key, repl->key_len);
		if (IS_ERR(sealed))
			return PTR_ERR(sealed);
		repl->sealed_key = sealed;
		repl->sealed_key_len = repl->key_len + DEVCRED_SEAL_OVERHEAD;
	}
	if (repl->pending_len) {
		sealed = devcred_seal_key(dc->seal.tfm, slot, DEVCRED_SEAL_KIND_PENDING,
					  repl->generation, repl->pending, repl->pending_len);
		if (IS_ERR(sealed)) {
			kvfree(repl->sealed_key);
			repl->sealed_key = NULL;
			repl->sealed_key_len = 0;
			return PTR_ERR(sealed);
		}
		repl->sealed_pending = sealed;
		repl->sealed_pending_len = repl->pending_len + DEVCRED_SEAL_OVERHEAD;
	}
	return 0;
}

/*
 * New key material for flash slot @slot: refused while the store's keys are
 * sealed and their key-encryption key is not loaded, and, where sealing is
 * required, while no key-encryption key is loaded at all.
 */
static int devcred_check_sealing(struct devcred *dc, unsigned int slot)
{
	if (!devcred_is_flash(slot) || dc->seal.tfm ||
	    (!dc->seal.kmk_len && !dc->seal.required))
		return 0;
	pr_warn_ratelimited("%s: key not written: %s and no key-encryption key is loaded (devcred-unseal)\n",
			    devcred_slot_names[slot], dc->seal.kmk_len ?
			    "the store's keys are sealed" : "sealing is required");
	return -ENOKEY;
}

/*
 * Makes @repl the content of @slot: on flash first for flash slots, then in
 * memory. Frees the blobs of the previous content that @repl does not reuse.
 */
static int devcred_replace_slot(struct devcred *dc, unsigned int slot,
				struct devcred_cred *repl)
{
	struct devcred_cred *s = &dc->slot[slot];
	struct devcred_rec_state st;
	int ret;

	lockdep_assert_held(&dc->lock);
	if (devcred_is_flash(slot)) {
		ret = devcred_seal_slot(dc, slot, repl);
		if (ret)
			return ret;
		devcred_fill_rec_state(dc, &st, slot, repl, dc->binding);
		ret = devcred_flash_commit(dc, &st);
		if (ret) {
			kvfree(repl->sealed_key);
			kvfree(repl->sealed_pending);
			/*
			 * The record may have reached the flash all the same:
			 * its keys' generation is never sealed to again.
			 */
			dc->generation++;
			return ret;
		}
	} else {
		dc->app_used = dc->app_used - devcred_slot_bytes(s) + devcred_slot_bytes(repl);
	}

	if (s->cert != repl->cert)
		kvfree(s->cert);
	if (s->key != repl->key && s->key != repl->pending)
		kvfree_sensitive(s->key, s->key_len);
	if (s->pending != repl->pending && s->pending != repl->key)
		kvfree_sensitive(s->pending, s->pending_len);
	kvfree(s->sealed_key);
	kvfree(s->sealed_pending);
	*s = *repl;
	dc->generation++;
	return 0;
}

/*
 * Whether @slot (-1: the bindings) may change now. Application slots live
 * in RAM: they may, whatever the flash. Flash slots and bindings live in
 * the flash record: they cannot change once the partition is gone, nor on
 * a read-only partition,
 * nor over a record of a later format version (a downgrade must not wipe
 * what a newer driver wrote), nor while the partition holds data but no
 * valid record - that state is left by DEVCRED_IOC_FORMAT or, on the
 * production line, in factory mode - since a write would replace what the
 * flash slots hold, unknown, with empty slots.
 */
int devcred_check_writable(struct devcred *dc, int slot)
{
	lockdep_assert_held(&dc->lock);
	if (slot >= 0 && !devcred_is_flash(slot))
		return 0;
	if (!dc->mtd)
		return -ENODEV;
	if (dc->readonly) {
		pr_warn_ratelimited("refusing a write: the partition is read-only\n");
		return -EROFS;
	}
	if (dc->log.newer_version) {
		pr_warn_ratelimited("refusing a write: the store holds a record of format version %u, newer than this driver's %u\n",
				    dc->log.newer_version, DEVCRED_REC_VERSION);
		return -EROFS;
	}
	if (dc->log.damaged && !devcred_in_factory_mode()) {
		pr_warn_ratelimited("refusing a write: the partition holds no valid record; format it first (DEVCRED_IOC_FORMAT), or write in factory mode\n");
		return -EUCLEAN;
	}
	return 0;
}

/* Only factory mode may replace or remove a factory credential. */
static int devcred_check_factory(struct devcred *dc, unsigned int slot, const char *action)
{
	if (slot != DEVCRED_SLOT_BUILTIN || dc->slot[slot].origin != DEVCRED_ORIGIN_FACTORY ||
	    devcred_in_factory_mode())
		return 0;
	pr_warn_ratelimited("builtin: refusing to %s the factory certificate outside factory mode (module parameter factory_mode=1)\n",
			    action);
	return -EPERM;
}

/* The application store's budget, after @s grows or shrinks to @new_bytes. */
static int devcred_check_app_budget(struct devcred *dc, unsigned int slot,
				    const struct devcred_cred *s, size_t new_bytes)
{
	size_t used;

	if (devcred_is_flash(slot))
		return 0;
	used = dc->app_used - devcred_slot_bytes(s) + new_bytes;
	if (used <= devcred_app_store_max)
		return 0;
	pr_warn_ratelimited("%s: application store would hold %zu bytes; at most %u (module parameter app_store_max)\n",
			    devcred_slot_names[slot], used, devcred_app_store_max);
	return -ENOSPC;
}

static void devcred_log_write(struct devcred *dc, unsigned int slot, bool replaced)
{
	const struct devcred_cred *s = &dc->slot[slot];

	pr_info("%s: saved new %s credential: certificate %u bytes, key %u bytes; %s\n",
		devcred_slot_names[slot], devcred_origin_names[s->origin], s->cert_len,
		s->key_len, replaced ? "replaced the previous credential" :
		"no previous credential was stored");
}

/*
 * Stores @cert and @key (kvmalloc'ed, of the lengths in @w) in a slot. Takes
 * ownership of both, whatever the outcome. With DEVCRED_WRITE_USE_PENDING_KEY
 * the slot's pending key becomes the key and @key is NULL.
 */
int devcred_store_write(struct devcred *dc, const struct devcred_write *w, u8 *cert, u8 *key)
{
	bool use_pending = w->flags & DEVCRED_WRITE_USE_PENDING_KEY;
	bool check_gen = w->flags & DEVCRED_WRITE_EXPECT_GENERATION || w->expect_generation;
	struct devcred_cred *s = &dc->slot[w->slot];
	struct devcred_cred repl;
	bool replaced;
	int ret;

	mutex_lock(&dc->lock);
	ret = devcred_check_writable(dc, w->slot);
	if (!ret && check_gen && w->expect_generation != s->generation)
		ret = -EAGAIN;
	if (!ret)
		ret = devcred_check_factory(dc, w->slot, "replace");
	if (!ret && use_pending && !s->pending_len)
		ret = -ENOENT;
	if (!ret && !use_pending)
		ret = devcred_check_sealing(dc, w->slot);
	if (ret)
		goto out;

	repl = *s;
	repl.cert = cert;
	repl.cert_len = w->cert_len;
	repl.origin = w->origin;
	repl.generation = dc->generation + 1;
	if (use_pending) {
		repl.key = s->pending;
		repl.key_len = s->pending_len;
		repl.pending = NULL;
		repl.pending_len = 0;
	} else {
		repl.key = key;
		repl.key_len = w->key_len;
	}
	/*
	 * A key that failed authentication is replaced by the new one; a
	 * pending key that failed it is dropped with it.
	 */
	if (s->key_fault == DEVCRED_SLOT_KEY_CORRUPT && repl.key) {
		repl.key_fault = 0;
		if (!repl.pending) {
			repl.pending = NULL;
			repl.pending_len = 0;
		}
	}
	ret = devcred_check_app_budget(dc, w->slot, s, devcred_slot_bytes(&repl));
	if (ret)
		goto out;

	replaced = s->cert_len;
	ret = devcred_replace_slot(dc, w->slot, &repl);
	if (!ret) {
		cert = NULL;
		key = NULL;
		devcred_log_write(dc, w->slot, replaced);
	}
out:
	mutex_unlock(&dc->lock);
	kvfree(cert);
	kvfree_sensitive(key, w->key_len);
	return ret;
}

int devcred_store_erase(struct devcred *dc, unsigned int slot)
{
	struct devcred_cred repl = { 0 };
	int ret;

	mutex_lock(&dc->lock);
	ret = devcred_check_writable(dc, slot);
	if (!ret)
		ret = devcred_check_factory(dc, slot, "erase");
	/* Erasing an empty slot changes nothing and costs no flash write. */
	if (!ret && devcred_slot_bytes(&dc->slot[slot])) {
		repl.generation = dc->generation + 1;
		ret = devcred_replace_slot(dc, slot, &repl);
		if (!ret)
			pr_info("%s: credential removed\n", devcred_slot_names[slot]);
	}
	mutex_unlock(&dc->lock);
	return ret;
}

/* Keeps @key (kvmalloc'ed; NULL with @len 0 drops it) as the pending key. */
int devcred_store_set_pending(struct devcred *dc, unsigned int slot, u8 *key, u32 len)
{
	struct devcred_cred *s = &dc->slot[slot];
	struct devcred_cred repl;
	int ret;

	mutex_lock(&dc->lock);
	ret = devcred_check_writable(dc, slot);
	if (ret || (!len && !s->pending_len))
		goto out;
	if (len)
		ret = devcred_check_sealing(dc, slot);
	if (ret)
		goto out;
	repl = *s;
	repl.pending = key;
	repl.pending_len = len;
	repl.generation = dc->generation + 1;
	/* The pending key was the part that failed authentication: it goes. */
	if (s->key_fault == DEVCRED_SLOT_KEY_CORRUPT && (s->key || !s->key_len))
		repl.key_fault = 0;
	ret = devcred_check_app_budget(dc, slot, s, devcred_slot_bytes(&repl));
	if (!ret)
		ret = devcred_replace_slot(dc, slot, &repl);
	if (!ret) {
		key = NULL;
		pr_info("%s: %s pending private key\n", devcred_slot_names[slot],
			len ? "stored a" : "dropped the");
	}
out:
	mutex_unlock(&dc->lock);
	kvfree_sensitive(key, len);
	return ret;
}

/*
 * The bindings in @mask become @slot, and the platform profile settings
 * @profiles unless it is NULL: one record, so that a power cut leaves all
 * of them as they were or all as asked.
 */
int devcred_store_set_bindings(struct devcred *dc, u32 mask, const u8 *slot,
			       const struct devcred_rec_profiles *profiles)
{
	struct devcred_rec_state st;
	u8 binding[DEVCRED_OP_COUNT];
	int op, ret;

	mutex_lock(&dc->lock);
	ret = devcred_check_writable(dc, -1);
	if (ret)
		goto out;
	memcpy(binding, dc->binding, sizeof(binding));
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		if (mask & BIT(op))
			binding[op] = slot[op];
	if (!memcmp(binding, dc->binding, sizeof(binding)) &&
	    (!profiles || !memcmp(profiles, &dc->profiles, sizeof(*profiles))))
		goto out;

	devcred_fill_rec_state(dc, &st, -1, NULL, binding);
	if (profiles) {
		st.profiles = *profiles;
		st.version = devcred_rec_version(&st);
	}
	ret = devcred_flash_commit(dc, &st);
	if (ret)
		goto out;
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		if (binding[op] != dc->binding[op])
			pr_info("%s now uses %s (was %s)\n", devcred_op_names[op],
				devcred_slot_names[binding[op]],
				devcred_slot_names[dc->binding[op]]);
	if (memcmp(&st.profiles, &dc->profiles, sizeof(st.profiles)))
		pr_info("platform profile settings changed\n");
	memcpy(dc->binding, binding, sizeof(binding));
	dc->profiles = st.profiles;
	dc->generation++;
out:
	mutex_unlock(&dc->lock);
	return ret;
}

static u8 *devcred_dup(const u8 *blob, u32 len)
{
	return len ? kvmemdup(blob, len, GFP_KERNEL) : NULL;
}

/*
 * Copies the flash slots out of a parsed record. A sealed record's keys are
 * kept as sealed: they are opened when the key-encryption key is loaded.
 */
static int devcred_store_adopt(struct devcred *dc, const struct devcred_rec_state *st)
{
	bool sealed = st->kmk_len;
	const struct devcred_rec_blobs *b;
	struct devcred_cred *s;
	int i;

	if (sealed) {
		dc->seal.kmk = devcred_dup(st->kmk, st->kmk_len);
		dc->seal.kek = devcred_dup(st->kek, st->kek_len);
		if (!dc->seal.kmk || !dc->seal.kek)
			return -ENOMEM;
		dc->seal.kmk_len = st->kmk_len;
		dc->seal.kek_len = st->kek_len;
		dc->seal.scrubbed = st->seal_flags & DEVCRED_SEAL_SCRUBBED;
	}
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		b = &st->slot[i];
		s = &dc->slot[i];
		s->origin = b->origin;
		s->generation = b->generation;
		dc->generation = max(dc->generation, b->generation);
		s->cert_len = b->cert_len;
		s->cert = devcred_dup(b->cert, b->cert_len);
		if (b->cert_len && !s->cert)
			return -ENOMEM;
		if (sealed) {
			s->sealed_key_len = b->key_len;
			s->sealed_pending_len = b->pending_len;
			s->key_len = b->key_len ? b->key_len - DEVCRED_SEAL_OVERHEAD : 0;
			s->pending_len = b->pending_len ?
					 b->pending_len - DEVCRED_SEAL_OVERHEAD : 0;
			s->key_fault = b->key_len || b->pending_len ? DEVCRED_SLOT_KEY_SEALED : 0;
			s->sealed_key = devcred_dup(b->key, b->key_len);
			s->sealed_pending = devcred_dup(b->pending, b->pending_len);
			if ((b->key_len && !s->sealed_key) ||
			    (b->pending_len && !s->sealed_pending))
				return -ENOMEM;
			continue;
		}
		s->key_len = b->key_len;
		s->pending_len = b->pending_len;
		s->key = devcred_dup(b->key, b->key_len);
		s->pending = devcred_dup(b->pending, b->pending_len);
		if ((b->key_len && !s->key) || (b->pending_len && !s->pending))
			return -ENOMEM;
	}
	memcpy(dc->binding, st->binding, sizeof(dc->binding));
	dc->profiles = st->profiles;
	return 0;
}

static void devcred_log_summary(struct devcred *dc)
{
	const struct devcred_log *log = &dc->log;
	const struct devcred_cred *s;
	int i;

	if (log->newer_version)
		pr_err("record seq %llu at block %u offset %#x has format version %u, newer than this driver's %u: the store is read-only; load a driver that reads it, or format the store in factory mode\n",
		       log->seq, log->cur_block, log->rec_off, log->newer_version,
		       DEVCRED_REC_VERSION);
	else if (log->seq)
		pr_info("loaded record seq %llu from block %u offset %#x; %u damaged record%s skipped\n",
			log->seq, log->cur_block, log->rec_off, log->skipped,
			log->skipped == 1 ? "" : "s");
	else if (log->damaged)
		pr_err("no valid record: the flash slots are invalid (%u damaged record%s); they cannot change until the store is formatted, or in factory mode\n",
		       log->skipped, log->skipped == 1 ? "" : "s");
	else
		pr_info("no record yet: the store is empty\n");

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = &dc->slot[i];
		if (s->cert_len)
			pr_info("%s: %s certificate length %u, key length %u%s\n",
				devcred_slot_names[i], devcred_origin_names[s->origin],
				s->cert_len, s->key_len, s->pending_len ? ", pending key" : "");
		else
			pr_info("%s: not available%s\n", devcred_slot_names[i],
				s->pending_len ? " (pending key awaits its certificate)" : "");
	}
	pr_info("app1-app6: not available (kept in RAM, empty after boot)\n");
	if (log->newer_version || log->damaged)
		return;
	if (!dc->seal.kmk_len && dc->seal.required)
		pr_info("private keys are stored unencrypted on mtd%u; sealing is required: new keys are refused until a key-encryption key is loaded\n",
			dc->mtd_index);
	else if (!dc->seal.kmk_len)
		pr_info("private keys are stored unencrypted on mtd%u\n", dc->mtd_index);
	else
		pr_info("private keys are sealed on mtd%u; they open when the key-encryption key is loaded (devcred-unseal)\n",
			dc->mtd_index);
}

/*
 * Corrected bitflips in the current record warn of a decaying block: write
 * the same state again; devcred_flash_attach() made sure it goes to another
 * block. A power cut meanwhile leaves the old copy current.
 */
static void devcred_store_relocate(struct devcred *dc)
{
	u32 block = dc->log.cur_block;
	u64 seq = dc->log.seq;
	struct devcred_rec_state st;
	int ret = -EROFS;

	if (!dc->readonly) {
		devcred_fill_rec_state(dc, &st, -1, NULL, dc->binding);
		ret = devcred_flash_commit(dc, &st);
	}
	if (ret)
		pr_warn("block %u: corrected bitflips in record seq %llu; rewriting it failed (%d), it stays there\n",
			block, seq, ret);
	else
		pr_warn("block %u: corrected bitflips in record seq %llu; rewrote it to block %d as seq %llu\n",
			block, seq, dc->log.cur_block, dc->log.seq);
}

/* Reads the flash slots and bindings from the partition. */
static int devcred_store_attach(struct devcred *dc)
{
	struct devcred_rec_state st;
	u8 *buf;
	int ret, rewrite;

	lockdep_assert_held(&dc->lock);
	rewrite = devcred_flash_attach(dc, &st, &buf);
	ret = rewrite < 0 ? rewrite : 0;
	if (!ret && buf)
		ret = devcred_store_adopt(dc, &st);
	kvfree_sensitive(buf, DEVCRED_REC_MAX);
	if (!ret)
		devcred_log_summary(dc);
	if (!ret && rewrite > 0)
		devcred_store_relocate(dc);
	/* A cut during the erasing that followed sealing: erase again. */
	if (!ret && dc->seal.kmk_len && !dc->seal.scrubbed && !dc->readonly)
		devcred_seal_scrub(dc);
	return ret;
}

/* Loads the flash slots and bindings from the partition at attach. */
int devcred_store_load(struct devcred *dc)
{
	int ret;

	mutex_lock(&dc->lock);
	ret = devcred_store_attach(dc);
	mutex_unlock(&dc->lock);
	return ret;
}

/*
 * Erases the partition, leaving empty flash slots and every operation on
 * builtin; application slots stay. Refused while a readable record is
 * there (of this format version or a later one), except in factory mode:
 * this is for leaving the damaged state, not for wiping a store.
 */
int devcred_store_format(struct devcred *dc)
{
	int ret, i;

	mutex_lock(&dc->lock);
	if (!dc->mtd) {
		ret = -ENODEV;
		goto out;
	}
	if (dc->readonly) {
		pr_warn_ratelimited("refusing to format: the partition is read-only\n");
		ret = -EROFS;
		goto out;
	}
	if (dc->log.seq && !devcred_in_factory_mode()) {
		pr_warn_ratelimited("refusing to format: the store holds a readable record (seq %llu); erase its slots instead, or format in factory mode\n",
				    dc->log.seq);
		ret = -EEXIST;
		goto out;
	}
	ret = devcred_flash_format(dc);
	if (ret == -ESHUTDOWN)
		goto out;
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++)
		devcred_slot_free(&dc->slot[i]);
	devcred_seal_forget(dc);
	memset(dc->binding, 0, sizeof(dc->binding));
	memset(&dc->profiles, 0, sizeof(dc->profiles));
	dc->generation++;
	/* What the flash holds now, also when some block could not be erased. */
	i = devcred_store_attach(dc);
	ret = ret ?: i;
	if (ret && ret != -ENOMEM)
		ret = -EIO;
out:
	mutex_unlock(&dc->lock);
	return ret;
}

void devcred_store_free(struct devcred *dc)
{
	int i;

	for (i = 0; i < DEVCRED_SLOT_COUNT; i++)
		devcred_slot_free(&dc->slot[i]);
	dc->app_used = 0;
	devcred_seal_forget(dc);
}
