// SPDX-License-Identifier: GPL-2.0
/*
 * The store's key-encryption key (KEK): loading it, which opens the sealed
 * keys; adopting a new one, which seals a store kept in clear (the
 * migration) or, in factory mode, replaces one that cannot be loaded; and
 * forgetting it. Documentation/devcred/key-sealing.rst describes the states
 * (clear, sealed, open) this file moves the store between.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "devcred.h"

/* Drops the KEK and its blobs: the store is in clear (after FORMAT) or gone. */
void devcred_seal_forget(struct devcred *dc)
{
	if (dc->seal.tfm)
		crypto_free_aead(dc->seal.tfm);
	dc->seal.tfm = NULL;
	kvfree(dc->seal.kmk);
	kvfree(dc->seal.kek);
	dc->seal.kmk = NULL;
	dc->seal.kek = NULL;
	dc->seal.kmk_len = 0;
	dc->seal.kek_len = 0;
	dc->seal.scrubbed = false;
}

/*
 * Erases every block but the current record's, then writes the state again
 * saying so (DEVCRED_SEAL_SCRUBBED). A cut before that record leaves the
 * flag clear, and the next attach does it all again.
 */
void devcred_seal_scrub(struct devcred *dc)
{
	struct devcred_rec_state st;

	lockdep_assert_held(&dc->lock);
	if (devcred_flash_scrub(dc))
		return;
	dc->seal.scrubbed = true;
	devcred_fill_rec_state(dc, &st, -1, NULL, dc->binding);
	if (devcred_flash_commit(dc, &st))
		dc->seal.scrubbed = false;
}

static void devcred_warn_blob_form(void)
{
	pr_warn_ratelimited("the key-encryption key's blobs are not in the form this store keeps (%s must be an encrypted key of 32 bytes under trusted:%s)\n",
			    DEVCRED_KEK_DESC, DEVCRED_KMK_DESC);
}

static void devcred_warn_not_ours(void)
{
	pr_warn_ratelimited("the key-encryption key in the keyring is not the one this store was sealed with\n");
}

/*
 * Reads the encrypted key's blob into @m, if not done yet, and checks it is
 * in the form a record may hold (record.c checks the same at attach).
 */
static int devcred_kek_complete(struct devcred_kek_material *m)
{
	int ret = devcred_kek_read_blob(m);

	if (!ret && devcred_rec_check_kek_blob(m->kek, m->kek_len)) {
		devcred_warn_blob_form();
		ret = -EKEYREJECTED;
	}
	return ret;
}

static bool devcred_seal_kmk_is(const struct devcred *dc, const struct devcred_kek_material *m)
{
	return m->kmk_len == dc->seal.kmk_len && !memcmp(m->kmk, dc->seal.kmk, m->kmk_len);
}

/* Both blobs of @m are the store's; @m must be complete (devcred_kek_complete()). */
static bool devcred_seal_is(const struct devcred *dc, const struct devcred_kek_material *m)
{
	return devcred_seal_kmk_is(dc, m) && m->kek_len == dc->seal.kek_len &&
	       !memcmp(m->kek, dc->seal.kek, m->kek_len);
}

/* The keys devcred_seal_try() opened, before the store takes them. */
struct devcred_opened {
	u8 *key[DEVCRED_FLASH_SLOTS];
	u8 *pending[DEVCRED_FLASH_SLOTS];
	int count;
};

static void devcred_opened_free(const struct devcred *dc, struct devcred_opened *o)
{
	int i;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		kvfree_sensitive(o->key[i], dc->slot[i].key_len);
		kvfree_sensitive(o->pending[i], dc->slot[i].pending_len);
	}
}

/* Opens one sealed key: NULL when there is none or it fails authentication. */
static u8 *devcred_open_one(struct crypto_aead *tfm, unsigned int slot, unsigned int kind,
			    const struct devcred_cred *s, int *err)
{
	const u8 *sealed = kind == DEVCRED_SEAL_KIND_KEY ? s->sealed_key : s->sealed_pending;
	u32 len = kind == DEVCRED_SEAL_KIND_KEY ? s->sealed_key_len : s->sealed_pending_len;
	u8 *key;

	if (!len)
		return NULL;
	key = devcred_open_key(tfm, slot, kind, s->generation, sealed, len);
	if (!IS_ERR(key))
		return key;
	if (PTR_ERR(key) != -EBADMSG)
		*err = PTR_ERR(key);
	return NULL;
}

/*
 * Opens every sealed key of the store with @tfm into @o, changing nothing
 * yet: whether the KEK is the store's may still be in question.
 */
static int devcred_seal_try(const struct devcred *dc, struct crypto_aead *tfm,
			    struct devcred_opened *o)
{
	int i, err = 0;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < DEVCRED_FLASH_SLOTS && !err; i++) {
		o->key[i] = devcred_open_one(tfm, i, DEVCRED_SEAL_KIND_KEY, &dc->slot[i], &err);
		o->pending[i] = devcred_open_one(tfm, i, DEVCRED_SEAL_KIND_PENDING, &dc->slot[i],
						 &err);
		o->count += !!o->key[i] + !!o->pending[i];
	}
	if (err)
		devcred_opened_free(dc, o);
	return err;
}

static void devcred_log_altered(unsigned int slot, const char *what)
{
	pr_err("%s: the sealed %s failed authentication: it was altered on flash; the slot is invalid until it is written again\n",
	       devcred_slot_names[slot], what);
}

/*
 * The store takes the keys of @o and @tfm as its AEAD. A sealed key that did
 * not open failed authentication under the store's own KEK: it was altered
 * on flash, and its slot is invalid (DEVCRED_SLOT_KEY_CORRUPT); the others
 * work.
 */
static void devcred_seal_take(struct devcred *dc, struct crypto_aead *tfm,
			      struct devcred_opened *o)
{
	struct devcred_cred *s;
	bool bad_key, bad_pending;
	int i, failed = 0;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = &dc->slot[i];
		s->key = o->key[i];
		s->pending = o->pending[i];
		bad_key = s->sealed_key_len && !s->key;
		bad_pending = s->sealed_pending_len && !s->pending;
		if (bad_key)
			devcred_log_altered(i, "private key");
		if (bad_pending)
			devcred_log_altered(i, "pending key");
		failed += bad_key + bad_pending;
		s->key_fault = bad_key || bad_pending ? DEVCRED_SLOT_KEY_CORRUPT : 0;
	}
	dc->seal.tfm = tfm;
	dc->generation++;
	pr_info("key-encryption key loaded: %d sealed key%s opened%s\n", o->count,
		o->count == 1 ? "" : "s", failed ? ", some failed authentication" : "");
}

/*
 * Loads @m, keyed into @tfm, as the KEK of a sealed store. The trusted
 * key's blob must be the store's. Then a sealed key that opens proves the
 * rest: its GCM tag verifies only under the 32 bytes it was sealed with,
 * the ones the store's encrypted key's blob holds, so that blob is neither
 * read back nor compared (its key type encrypts it anew at each read).
 * When no sealed key opens (the store holds none, or every one was
 * altered) nothing proves the key, and the blob is compared as before.
 */
static int devcred_seal_load(struct devcred *dc, struct devcred_kek_material *m,
			     struct crypto_aead *tfm)
{
	struct devcred_opened o;
	int ret;

	if (!devcred_seal_kmk_is(dc, m)) {
		devcred_warn_not_ours();
		return -EKEYREJECTED;
	}
	if (dc->seal.tfm) {
		/* Loaded already: the same key again changes nothing. */
		ret = devcred_kek_complete(m);
		if (!ret && !devcred_seal_is(dc, m)) {
			devcred_warn_not_ours();
			ret = -EKEYREJECTED;
		}
		return ret;
	}
	ret = devcred_seal_try(dc, tfm, &o);
	if (ret)
		return ret;
	if (!o.count) {
		ret = devcred_kek_complete(m);
		if (!ret && !devcred_seal_is(dc, m)) {
			devcred_warn_not_ours();
			ret = -EKEYREJECTED;
		}
		if (ret)
			return ret;
	}
	devcred_seal_take(dc, tfm, &o);
	return 0;
}

/*
 * Makes @m the store's KEK with one record: every key sealed (the
 * migration of a store in clear), or, replacing a KEK that cannot be
 * loaded (factory mode), the slots whose keys stayed sealed written empty.
 * Takes the blobs of @m on success.
 */
static int devcred_seal_adopt(struct devcred *dc, struct devcred_kek_material *m,
			      struct crypto_aead *tfm)
{
	struct devcred_cred next[DEVCRED_FLASH_SLOTS];
	struct devcred_rec_state st;
	struct devcred_seal old = dc->seal;
	struct devcred_cred *s;
	int i, ret = 0, emptied = 0;

	memset(next, 0, sizeof(next));
	for (i = 0; i < DEVCRED_FLASH_SLOTS && !ret; i++) {
		s = &dc->slot[i];
		next[i] = *s;
		next[i].sealed_key = NULL;
		next[i].sealed_pending = NULL;
		next[i].sealed_key_len = 0;
		next[i].sealed_pending_len = 0;
		if (s->key_fault) {
			/* Keys no KEK here can open: the slot goes. */
			memset(&next[i], 0, sizeof(next[i]));
			next[i].generation = dc->generation + 1;
			emptied++;
			continue;
		}
		if (s->key_len) {
			next[i].sealed_key = devcred_seal_key(tfm, i, DEVCRED_SEAL_KIND_KEY,
							      s->generation, s->key, s->key_len);
			if (IS_ERR(next[i].sealed_key)) {
				ret = PTR_ERR(next[i].sealed_key);
				next[i].sealed_key = NULL;
				break;
			}
			next[i].sealed_key_len = s->key_len + DEVCRED_SEAL_OVERHEAD;
		}
		if (s->pending_len) {
			next[i].sealed_pending = devcred_seal_key(tfm, i, DEVCRED_SEAL_KIND_PENDING,
								  s->generation, s->pending,
								  s->pending_len);
			if (IS_ERR(next[i].sealed_pending)) {
				ret = PTR_ERR(next[i].sealed_pending);
				next[i].sealed_pending = NULL;
				break;
			}
			next[i].sealed_pending_len = s->pending_len + DEVCRED_SEAL_OVERHEAD;
		}
	}
	if (!ret) {
		dc->seal.kmk = m->kmk;
		dc->seal.kek = m->kek;
		dc->seal.kmk_len = m->kmk_len;
		dc->seal.kek_len = m->kek_len;
		/* The records before a migration hold keys in clear. */
		if (!old.kmk_len)
			dc->seal.scrubbed = false;
		/* The record as it will be: the slots of next[], the new blobs. */
		devcred_fill_rec_state(dc, &st, -1, NULL, dc->binding);
		for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
			st.slot[i].origin = next[i].origin;
			st.slot[i].cert = next[i].cert;
			st.slot[i].cert_len = next[i].cert_len;
			st.slot[i].key = next[i].sealed_key;
			st.slot[i].key_len = next[i].sealed_key_len;
			st.slot[i].pending = next[i].sealed_pending;
			st.slot[i].pending_len = next[i].sealed_pending_len;
			st.slot[i].generation = next[i].generation;
		}
		/*
		 * To a fresh block, so that no record in clear stays beside
		 * the sealed one; the blocks holding those are erased next.
		 */
		if (!old.kmk_len)
			devcred_flash_next_block(dc);
		ret = devcred_flash_commit(dc, &st);
		if (ret)
			dc->seal = old;
	}
	if (ret) {
		for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
			kvfree(next[i].sealed_key);
			kvfree(next[i].sealed_pending);
		}
		return ret;
	}

	kvfree(old.kmk);
	kvfree(old.kek);
	m->kmk = NULL;
	m->kek = NULL;
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = &dc->slot[i];
		if (s->key_fault) {
			devcred_slot_free(s);
			*s = next[i];
			continue;
		}
		kvfree(s->sealed_key);
		kvfree(s->sealed_pending);
		s->sealed_key = next[i].sealed_key;
		s->sealed_pending = next[i].sealed_pending;
		s->sealed_key_len = next[i].sealed_key_len;
		s->sealed_pending_len = next[i].sealed_pending_len;
	}
	dc->seal.tfm = tfm;
	dc->generation++;
	/* The sealed record is the current one: failing here loses nothing. */
	if (!dc->seal.scrubbed)
		devcred_seal_scrub(dc);
	if (old.kmk_len)
		pr_warn("factory mode: a new key-encryption key replaced the one this store was sealed with; %d slot%s that could not be opened %s emptied\n",
			emptied, emptied == 1 ? "" : "s", emptied == 1 ? "was" : "were");
	else
		pr_info("private keys are sealed now: record seq %llu holds every private key encrypted under the key-encryption key\n",
			dc->log.seq);
	return 0;
}

/*
 * DEVCRED_KEK_NEW: @m becomes the store's KEK (the migration of a store in
 * clear; in factory mode, the replacement of one that cannot be loaded),
 * both blobs read and compared; the store's own KEK is just loaded.
 */
static int devcred_seal_new(struct devcred *dc, struct devcred_kek_material *m,
			    struct crypto_aead *tfm)
{
	int ret = devcred_kek_complete(m);

	if (ret)
		return ret;
	if (dc->seal.kmk_len && devcred_seal_is(dc, m))
		return devcred_seal_load(dc, m, tfm);
	if (dc->seal.kmk_len && (dc->seal.tfm || !devcred_in_factory_mode())) {
		pr_warn_ratelimited("the store is sealed already; %s\n", dc->seal.tfm ?
				    "its key-encryption key is loaded" :
				    "a new key-encryption key replaces its own only in factory mode");
		return -EEXIST;
	}
	ret = devcred_check_writable(dc, -1);
	if (!ret)
		ret = devcred_seal_adopt(dc, m, tfm);
	return ret;
}

/*
 * DEVCRED_IOC_LOAD_KEK: finds the KEK in the caller's keyrings, then opens
 * the store's sealed keys with it, or with DEVCRED_KEK_NEW makes it the
 * store's.
 */
int devcred_store_load_kek(struct devcred *dc, u32 flags)
{
	struct devcred_kek_material m;
	struct crypto_aead *tfm;
	int ret;

	ret = devcred_kek_find(&m);
	if (ret) {
		if (ret == -ENOKEY || ret == -EKEYREVOKED || ret == -EKEYEXPIRED)
			pr_warn_ratelimited("no usable key-encryption key: the keys %s (encrypted) and %s (trusted) must be in the caller's keyrings (%d)\n",
					    DEVCRED_KEK_DESC, DEVCRED_KMK_DESC, ret);
		return ret;
	}
	if (devcred_rec_check_kmk_blob(m.kmk, m.kmk_len)) {
		devcred_warn_blob_form();
		devcred_kek_release(&m);
		return -EKEYREJECTED;
	}
	tfm = devcred_seal_tfm(m.key, sizeof(m.key));
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		pr_warn_ratelimited("no gcm(aes) in this kernel (%d): keys cannot be sealed\n",
				    ret);
		devcred_kek_release(&m);
		return ret == -ENOENT ? -EOPNOTSUPP : ret;
	}

	mutex_lock(&dc->lock);
	if (!dc->mtd) {
		ret = -ENODEV;
	} else if (flags & DEVCRED_KEK_NEW) {
		ret = devcred_seal_new(dc, &m, tfm);
	} else if (dc->seal.kmk_len) {
		ret = devcred_seal_load(dc, &m, tfm);
	} else {
		pr_warn_ratelimited("the store has no key-encryption key yet: adopt one (DEVCRED_KEK_NEW)\n");
		ret = -ENOENT;
	}
	/* Taken by the store, or not. */
	if (dc->seal.tfm == tfm)
		tfm = NULL;
	mutex_unlock(&dc->lock);
	if (tfm)
		crypto_free_aead(tfm);
	devcred_kek_release(&m);
	return ret;
}

/* DEVCRED_IOC_READ_SEAL: a copy of one stored blob. */
int devcred_store_read_seal(struct devcred *dc, u32 which, u8 **blob, u32 *len)
{
	const u8 *src;
	int ret = 0;

	mutex_lock(&dc->lock);
	src = which == DEVCRED_SEAL_KMK ? dc->seal.kmk : dc->seal.kek;
	*len = which == DEVCRED_SEAL_KMK ? dc->seal.kmk_len : dc->seal.kek_len;
	*blob = NULL;
	if (!dc->mtd)
		ret = -ENODEV;
	else if (!*len)
		ret = -ENOENT;
	else
		*blob = kmemdup(src, *len, GFP_KERNEL);
	if (!ret && !*blob)
		ret = -ENOMEM;
	mutex_unlock(&dc->lock);
	return ret;
}
