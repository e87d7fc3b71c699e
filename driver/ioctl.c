// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl interface of /dev/devcred. The dispatcher classifies each
 * command first (argument size, whether it modifies the store, whether it
 * needs CAP_SYS_ADMIN), copies the argument in once and hands a kernel copy
 * to the handler: validate, lock (in store.c), act, copy out.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "devcred.h"

union devcred_ioctl_arg {
	u32 size;
	struct devcred_info info;
	struct devcred_slot_status status;
	struct devcred_blob blob;
	struct devcred_write write;
	struct devcred_erase erase;
	struct devcred_bindings bindings;
	struct devcred_pending_key pending;
	struct devcred_format format;
	struct devcred_seal_blob seal;
	struct devcred_kek kek;
};

/* The first version of struct devcred_bindings ends where the profiles start. */
static_assert(offsetof(struct devcred_bindings, profile_cert) == DEVCRED_BINDINGS_SIZE_VER0);

/*
 * Locks @dc for a reader of @slot (-1: the bindings), or fails with -ENODEV
 * once the partition is gone and what is asked for lived on it: the
 * application slots live in RAM and stay.
 */
static int devcred_lock_present(struct devcred *dc, int slot)
{
	mutex_lock(&dc->lock);
	if (dc->mtd || (slot >= DEVCRED_FLASH_SLOTS && slot < DEVCRED_SLOT_COUNT))
		return 0;
	mutex_unlock(&dc->lock);
	return -ENODEV;
}

/*
 * A slot number from userspace, bounds-checked; clamped again under
 * speculation before it indexes anything. -1 when out of range.
 */
static int devcred_user_slot(u32 slot)
{
	if (slot >= DEVCRED_SLOT_COUNT)
		return -1;
	return array_index_nospec(slot, DEVCRED_SLOT_COUNT);
}

/*
 * Keys are known to be in clear when the store holds no sealing section and
 * its record was read: not on a damaged store, one of a newer format, or
 * one whose partition is gone.
 */
static bool devcred_keys_clear(const struct devcred *dc)
{
	return !dc->seal.kmk_len && dc->mtd && !dc->log.damaged && !dc->log.newer_version;
}

static int devcred_info(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_info *info = &arg->info;
	const struct devcred_log *log = &dc->log;

	mutex_lock(&dc->lock);
	info->abi_version = DEVCRED_ABI_VERSION;
	info->slot_count = DEVCRED_SLOT_COUNT;
	info->op_count = DEVCRED_OP_COUNT;
	info->flags = (dc->readonly || log->newer_version ? DEVCRED_INFO_READONLY : 0) |
		      (devcred_in_factory_mode() ? DEVCRED_INFO_FACTORY_MODE : 0) |
		      (log->damaged ? DEVCRED_INFO_DAMAGED : 0) |
		      (log->newer_version ? DEVCRED_INFO_NEWER_FORMAT : 0) |
		      (dc->mtd ? 0 : DEVCRED_INFO_GONE) |
		      (devcred_keys_clear(dc) ? DEVCRED_INFO_KEYS_CLEAR : 0) |
		      (dc->seal.tfm ? DEVCRED_INFO_KEK_LOADED : 0) |
		      (dc->seal.required ? DEVCRED_INFO_SEALING_REQUIRED : 0);
	info->flash_cert_max = DEVCRED_FLASH_CERT_MAX;
	info->flash_key_max = DEVCRED_FLASH_KEY_MAX;
	info->app_blob_max = devcred_app_blob_max;
	info->app_store_max = devcred_app_store_max;
	info->app_store_used = dc->app_used;
	info->mtd_index = dc->mtd_index;
	info->erase_size = dc->erase_size;
	info->write_size = dc->write_size;
	info->part_size = dc->part_size;
	info->blocks = log->blocks;
	info->bad_blocks = log->bad_blocks;
	info->record_block = log->cur_block < 0 ? U32_MAX : log->cur_block;
	info->record_offset = log->rec_off;
	info->skipped_records = log->skipped;
	info->sequence = log->seq;
	info->generation = dc->generation;
	info->erases = log->erases;
	info->bytes_written = log->bytes_written;
	mutex_unlock(&dc->lock);
	return 0;
}

static int devcred_slot_status(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_slot_status *st = &arg->status;
	int slot = devcred_user_slot(st->slot);
	const struct devcred_cred *s;
	int ret = 0;

	if (slot < 0 || st->reserved)
		return -EINVAL;

	ret = devcred_lock_present(dc, slot);
	if (ret)
		return ret;
	s = &dc->slot[slot];
	st->flags = (slot < DEVCRED_FLASH_SLOTS ? DEVCRED_SLOT_FLASH : 0) |
		    (s->cert_len ? DEVCRED_SLOT_PRESENT : 0) |
		    (s->pending_len ? DEVCRED_SLOT_PENDING_KEY : 0) |
		    (slot < DEVCRED_FLASH_SLOTS &&
		     (dc->log.damaged || dc->log.newer_version) ? DEVCRED_SLOT_INVALID : 0) |
		    (s->key_fault ? DEVCRED_SLOT_INVALID | s->key_fault : 0);
	st->origin = s->origin;
	st->cert_len = s->cert_len;
	st->key_len = s->key_len;
	st->pending_key_len = s->pending_len;
	st->generation = s->generation;
	mutex_unlock(&dc->lock);
	return ret;
}

/*
 * Copies a blob out; a buffer too small gets -ENOSPC and the length needed.
 * The blob is copied to userspace from a private copy after unlocking: the
 * store lock is taken under mtd_table_mutex, and a user buffer that stalls
 * (userfaultfd, a slow mapping) must not hold up MTD device changes.
 */
static int devcred_read_blob(struct devcred *dc, struct devcred_blob *b, bool key)
{
	int slot = devcred_user_slot(b->slot);
	const struct devcred_cred *s;
	const u8 *data;
	u8 *copy = NULL;
	u32 len;
	int ret = 0;

	if (slot < 0 || b->flags & ~(key ? DEVCRED_READ_PENDING : 0))
		return -EINVAL;

	ret = devcred_lock_present(dc, slot);
	if (ret)
		return ret;
	s = &dc->slot[slot];
	if (!key) {
		data = s->cert;
		len = s->cert_len;
	} else if (b->flags & DEVCRED_READ_PENDING) {
		data = s->pending;
		len = s->pending_len;
	} else {
		data = s->key;
		len = s->key_len;
	}
	if (!len) {
		ret = -ENOENT;
	} else if (!data || (key && s->key_fault)) {
		/*
		 * Sealed and not opened (DEVCRED_SLOT_KEY_SEALED), or a slot
		 * one of whose sealed keys failed authentication
		 * (DEVCRED_SLOT_KEY_CORRUPT): the slot was tampered with, and
		 * an invalid slot gives no key at all.
		 */
		ret = -ENOKEY;
	} else if (b->len < len) {
		ret = -ENOSPC;
	} else {
		copy = kvmemdup(data, len, GFP_KERNEL);
		if (!copy)
			ret = -ENOMEM;
	}
	if (!ret || ret == -ENOSPC) {
		b->len = len;
		b->generation = s->generation;
	}
	mutex_unlock(&dc->lock);

	if (copy && copy_to_user(u64_to_user_ptr(b->data), copy, len))
		ret = -EFAULT;
	kvfree_sensitive(copy, len);
	return ret;
}

static int devcred_read_cert(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	return devcred_read_blob(dc, &arg->blob, false);
}

static int devcred_read_key(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	return devcred_read_blob(dc, &arg->blob, true);
}

/*
 * Copies a blob in, once, after its length passed the slot's limit. Not
 * vmemdup_user(): when the copy faults halfway, what was copied of a key
 * is zeroized before the buffer is freed.
 */
static u8 *devcred_copy_blob(unsigned int slot, const char *what, u64 uptr, u32 len,
			     bool is_key)
{
	int ret = devcred_check_blob_len(slot, what, len, is_key);
	u8 *buf;

	if (ret)
		return ERR_PTR(ret);
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(uptr), len)) {
		kvfree_sensitive(buf, len);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

static int devcred_write_slot(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_write *w = &arg->write;
	bool use_pending = w->flags & DEVCRED_WRITE_USE_PENDING_KEY;
	int slot = devcred_user_slot(w->slot);
	u8 *cert, *key = NULL;

	if (slot < 0 ||
	    w->flags & ~(DEVCRED_WRITE_USE_PENDING_KEY | DEVCRED_WRITE_EXPECT_GENERATION) ||
	    devcred_check_origin(slot, w->origin) || !w->cert_len ||
	    (use_pending ? w->key_len || w->key : !w->key_len))
		return -EINVAL;
	w->slot = slot;

	cert = devcred_copy_blob(w->slot, "certificate", w->cert, w->cert_len, false);
	if (IS_ERR(cert))
		return PTR_ERR(cert);
	if (!use_pending) {
		key = devcred_copy_blob(w->slot, "private key", w->key, w->key_len, true);
		if (IS_ERR(key)) {
			kvfree(cert);
			return PTR_ERR(key);
		}
	}
	return devcred_store_write(dc, w, cert, key);
}

static int devcred_erase_slot(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_erase *e = &arg->erase;
	int slot = devcred_user_slot(e->slot);

	if (slot < 0 || e->flags || e->reserved)
		return -EINVAL;
	return devcred_store_erase(dc, slot);
}

static int devcred_set_pending_key(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_pending_key *p = &arg->pending;
	int slot = devcred_user_slot(p->slot);
	u8 *key = NULL;

	if (slot < 0 || p->flags || (!p->key_len && p->key))
		return -EINVAL;
	if (p->key_len) {
		key = devcred_copy_blob(slot, "pending private key", p->key, p->key_len, true);
		if (IS_ERR(key))
			return PTR_ERR(key);
	}
	return devcred_store_set_pending(dc, slot, key, p->key_len);
}

static int devcred_get_bindings(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_bindings *b = &arg->bindings;
	int op, ret = 0;

	if (b->mask || b->reserved)
		return -EINVAL;

	ret = devcred_lock_present(dc, -1);
	if (ret)
		return ret;
	memset(b->slot, 0, sizeof(b->slot));
	b->unavailable = 0;
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		b->slot[op] = dc->binding[op];
		if (!dc->slot[b->slot[op]].cert_len)
			b->unavailable |= BIT(op);
	}
	BUILD_BUG_ON(sizeof(b->profile_cert) != sizeof(dc->profiles.cert) ||
		     sizeof(b->profile_select) != sizeof(dc->profiles.select));
	memcpy(b->profile_cert, dc->profiles.cert, sizeof(b->profile_cert));
	memcpy(b->profile_select, dc->profiles.select, sizeof(b->profile_select));
	mutex_unlock(&dc->lock);
	return ret;
}

/*
 * The platform profile settings of a SET_BINDINGS: NULL without
 * DEVCRED_BIND_PROFILES, when they must be zero; an ERR_PTR when they are
 * out of range or the caller's structure predates them.
 */
static const struct devcred_rec_profiles *
devcred_user_profiles(const struct devcred_bindings *b, struct devcred_rec_profiles *p)
{
	memcpy(p->cert, b->profile_cert, sizeof(p->cert));
	memcpy(p->select, b->profile_select, sizeof(p->select));
	if (!(b->mask & DEVCRED_BIND_PROFILES))
		return memchr_inv(p, 0, sizeof(*p)) ? ERR_PTR(-EINVAL) : NULL;
	if (b->size < sizeof(*b) || devcred_check_profiles(p))
		return ERR_PTR(-EINVAL);
	return p;
}

static int devcred_set_bindings(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_bindings *b = &arg->bindings;
	const struct devcred_rec_profiles *profiles;
	struct devcred_rec_profiles p;
	int op, ret;

	if (b->mask & ~((BIT(DEVCRED_OP_COUNT) - 1) | DEVCRED_BIND_PROFILES) || b->unavailable ||
	    b->reserved || b->slot[DEVCRED_OP_COUNT])
		return -EINVAL;
	profiles = devcred_user_profiles(b, &p);
	if (IS_ERR(profiles))
		return PTR_ERR(profiles);
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		if (!(b->mask & BIT(op))) {
			if (b->slot[op])
				return -EINVAL;
			continue;
		}
		ret = devcred_check_binding(op, b->slot[op]);
		if (ret == -EINVAL)
			return ret;
		b->slot[op] = array_index_nospec(b->slot[op], DEVCRED_SLOT_COUNT);
		if (ret == -EXDEV)
			pr_warn_ratelimited("%s may only use builtin, platform1 or platform2, not %s\n",
					    devcred_op_names[op], devcred_slot_names[b->slot[op]]);
		if (ret)
			return ret;
	}
	return devcred_store_set_bindings(dc, b->mask, b->slot, profiles);
}

static int devcred_format(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	if (arg->format.flags)
		return -EINVAL;
	return devcred_store_format(dc);
}

static int devcred_read_seal(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	struct devcred_seal_blob *sb = &arg->seal;
	u8 *blob;
	u32 len;
	int ret;

	if ((sb->which != DEVCRED_SEAL_KMK && sb->which != DEVCRED_SEAL_KEK) || sb->reserved)
		return -EINVAL;
	ret = devcred_store_read_seal(dc, sb->which, &blob, &len);
	if (ret)
		return ret;
	if (sb->len < len)
		ret = -ENOSPC;
	else if (copy_to_user(u64_to_user_ptr(sb->data), blob, len))
		ret = -EFAULT;
	sb->len = len;
	kfree(blob);
	return ret;
}

static int devcred_load_kek(struct devcred *dc, union devcred_ioctl_arg *arg)
{
	if (arg->kek.flags & ~DEVCRED_KEK_NEW)
		return -EINVAL;
	return devcred_store_load_kek(dc, arg->kek.flags);
}

/**
 * struct devcred_ioctl_op - how to run one command
 * @fn:       the handler
 * @size:     the argument structure the kernel knows
 * @min_size: the argument's first (smallest) version
 * @modifies: changes the store: needs a writable descriptor and CAP_SYS_ADMIN
 * @secret:   returns key material: needs CAP_SYS_ADMIN
 * @out:      the argument is copied back
 */
struct devcred_ioctl_op {
	int (*fn)(struct devcred *dc, union devcred_ioctl_arg *arg);
	u32 size;
	u32 min_size;
	bool modifies;
	bool secret;
	bool out;
};

#define DEVCRED_IOCTL_GROWN(cmd, handler, type, first, mod, sec, copy_out)	\
	[DEVCRED_CMD_##cmd] = {							\
		.fn = handler, .size = sizeof(type), .min_size = first,		\
		.modifies = mod, .secret = sec, .out = copy_out,		\
	}
/* Not through DEVCRED_IOCTL_GROWN: that would expand cmd (READ, WRITE). */
#define DEVCRED_IOCTL(cmd, handler, type, mod, sec, copy_out)			\
	[DEVCRED_CMD_##cmd] = {							\
		.fn = handler, .size = sizeof(type), .min_size = sizeof(type),	\
		.modifies = mod, .secret = sec, .out = copy_out,		\
	}

static const struct devcred_ioctl_op devcred_ioctl_ops[] = {
	DEVCRED_IOCTL(INFO, devcred_info, struct devcred_info, false, false, true),
	DEVCRED_IOCTL(SLOT_STATUS, devcred_slot_status, struct devcred_slot_status,
		      false, false, true),
	DEVCRED_IOCTL(READ_CERT, devcred_read_cert, struct devcred_blob, false, false, true),
	DEVCRED_IOCTL(READ_KEY, devcred_read_key, struct devcred_blob, false, true, true),
	DEVCRED_IOCTL(WRITE, devcred_write_slot, struct devcred_write, true, false, false),
	DEVCRED_IOCTL(ERASE, devcred_erase_slot, struct devcred_erase, true, false, false),
	/* struct devcred_bindings grew the platform profile settings. */
	DEVCRED_IOCTL_GROWN(GET_BINDINGS, devcred_get_bindings, struct devcred_bindings,
			    DEVCRED_BINDINGS_SIZE_VER0, false, false, true),
	DEVCRED_IOCTL_GROWN(SET_BINDINGS, devcred_set_bindings, struct devcred_bindings,
			    DEVCRED_BINDINGS_SIZE_VER0, true, false, false),
	DEVCRED_IOCTL(SET_PENDING_KEY, devcred_set_pending_key, struct devcred_pending_key,
		      true, false, false),
	DEVCRED_IOCTL(FORMAT, devcred_format, struct devcred_format, true, false, false),
	/*
	 * The sealed blobs are no secret to the TPM's owner, but a TPM that
	 * any local user may talk to unseals a blob without a password:
	 * they stay with root.
	 */
	DEVCRED_IOCTL(READ_SEAL, devcred_read_seal, struct devcred_seal_blob, false, true, true),
	DEVCRED_IOCTL(LOAD_KEK, devcred_load_kek, struct devcred_kek, true, false, false),
};

long devcred_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	struct devcred *dc = file->private_data;
	void __user *ubuf = (void __user *)uarg;
	const struct devcred_ioctl_op *op;
	union devcred_ioctl_arg arg;
	unsigned int nr = _IOC_NR(cmd);
	u32 usize;
	int ret;

	if (cmd != _IO(DEVCRED_IOC_MAGIC, nr) || nr >= ARRAY_SIZE(devcred_ioctl_ops) ||
	    !devcred_ioctl_ops[nr].fn)
		return -ENOTTY;
	op = &devcred_ioctl_ops[array_index_nospec(nr, ARRAY_SIZE(devcred_ioctl_ops))];
	if (op->modifies && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((op->modifies || op->secret) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	if (get_user(usize, (u32 __user *)ubuf))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	memset(&arg, 0, sizeof(arg));
	ret = copy_struct_from_user(&arg, op->size, ubuf, usize);
	if (ret)
		return ret;
	/* The size that was checked, whatever a second fetch would say. */
	arg.size = usize;

	ret = op->fn(dc, &arg);
	if ((!ret || ret == -ENOSPC) && op->out &&
	    copy_to_user(ubuf, &arg, min(usize, op->size)))
		ret = -EFAULT;
	return ret;
}
