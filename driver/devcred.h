/* SPDX-License-Identifier: GPL-2.0 */
/* devcred internals shared by the driver's files. */
#ifndef _DEVCRED_H
#define _DEVCRED_H

#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/devcred.h>

#include "record.h"

struct crypto_aead;
struct key;
struct mtd_info;

/**
 * struct devcred_cred - one slot's content in kernel memory
 * @cert:        certificate, kvmalloc'ed
 * @key:         private key, kvmalloc'ed, zeroized when freed
 * @pending:     pending private key, kvmalloc'ed, zeroized when freed
 * @sealed_key:  on a sealed store, the key as sealed on flash, kvmalloc'ed
 * @sealed_pending: the same for the pending key
 * @cert_len:    certificate length (0: empty)
 * @key_len:     private key length (in clear, also while @key is sealed)
 * @pending_len: pending key length (0: none)
 * @sealed_key_len: length of @sealed_key (0: none)
 * @sealed_pending_len: length of @sealed_pending (0: none)
 * @origin:      enum devcred_origin
 * @key_fault:   0 when the keys are in @key and @pending; else why not:
 *               DEVCRED_SLOT_KEY_SEALED (no key-encryption key loaded) or
 *               DEVCRED_SLOT_KEY_CORRUPT (a sealed key failed its tag)
 * @generation:  store generation of the slot's last change
 */
struct devcred_cred {
	u8 *cert;
	u8 *key;
	u8 *pending;
	u8 *sealed_key;
	u8 *sealed_pending;
	u32 cert_len;
	u32 key_len;
	u32 pending_len;
	u32 sealed_key_len;
	u32 sealed_pending_len;
	u32 origin;
	u32 key_fault;
	u64 generation;
};

/* What the associated data of a sealed key says it is. */
#define DEVCRED_SEAL_KIND_KEY		0
#define DEVCRED_SEAL_KIND_PENDING	1
/* The key-encryption key: 32 bytes for AES-256. */
#define DEVCRED_KEK_LEN			32

/**
 * struct devcred_seal - the store's key-encryption key
 * @kmk:      the trusted key's blob as stored (NULL: the store is in clear);
 *            kvmalloc'ed when read from flash, kmalloc'ed when read from the
 *            keyring: freed with kvfree()
 * @kek:      the encrypted key's blob as stored, allocated as @kmk
 * @kmk_len:  length of @kmk
 * @kek_len:  length of @kek
 * @scrubbed: the current record says DEVCRED_SEAL_SCRUBBED
 * @tfm:      the AEAD keyed with the KEK, NULL until DEVCRED_IOC_LOAD_KEK
 * @required: keys are written only sealed (require_sealing, or the
 *            partition's devcred,require-sealing)
 */
struct devcred_seal {
	u8 *kmk;
	u8 *kek;
	u16 kmk_len;
	u16 kek_len;
	bool scrubbed;
	struct crypto_aead *tfm;
	bool required;
};

/**
 * struct devcred_kek_material - a KEK as found in the caller's keyrings
 * @key:     its 32 bytes, zeroized by devcred_kek_release()
 * @kmk:     the trusted key's blob, kmalloc'ed
 * @kek:     the encrypted key's blob, kmalloc'ed; NULL until
 *           devcred_kek_read_blob() reads it (the costly one to read)
 * @kmk_len: length of @kmk
 * @kek_len: length of @kek
 * @kek_key: the encrypted key itself, referenced until devcred_kek_release()
 */
struct devcred_kek_material {
	u8 key[DEVCRED_KEK_LEN];
	u8 *kmk;
	u8 *kek;
	u16 kmk_len;
	u16 kek_len;
	struct key *kek_key;
};

/**
 * struct devcred_log - where the records are on flash
 * @blocks:        erase blocks in the partition
 * @bad_blocks:    of which bad
 * @align:         records start and end on this boundary (the write unit)
 * @seq:           sequence number of the current record, 0 when none
 * @max_seq:       highest sequence number seen in any header
 * @cur_block:     block holding the current record, -1 when none
 * @next_off:      where the next record would go in @cur_block
 * @rec_off:       offset of the current record in @cur_block
 * @skipped:       damaged records seen at attach
 * @damaged:       the partition holds data but no valid record
 * @newer_version: format version of the current record when it is later
 *                 than this driver's (the store is then read-only), else 0
 * @erases:        blocks erased since attach
 * @bytes_written: bytes programmed since attach
 */
struct devcred_log {
	u32 blocks;
	u32 bad_blocks;
	u32 align;
	u64 seq;
	u64 max_seq;
	int cur_block;
	u32 next_off;
	u32 rec_off;
	u32 skipped;
	bool damaged;
	u16 newer_version;
	u64 erases;
	u64 bytes_written;
};

/**
 * struct devcred - one credential store
 * @lock:       protects every field below it: the slots and bindings, the
 *              flash log and @mtd (NULL once the partition is removed).
 *              Flash I/O happens under it, which serializes updates.
 * @mtd:        the partition, referenced with get_mtd_device()
 * @readonly:   the partition is not writeable
 * @mtd_index:  the partition's MTD number, kept for after its removal
 * @erase_size: its erase block size
 * @write_size: its write unit
 * @part_size:  its size
 * @slot:       the slots; flash slots mirror the current record
 * @binding:    slot of each operation
 * @profiles:   the platform profile settings, kept for userspace
 * @generation: increases with every change
 * @app_used:   bytes of application slot blobs
 * @log:        the flash log
 * @seal:       the key-encryption key
 * @ref:        held by the attachment and by every open file
 * @misc:       /dev/devcred
 */
struct devcred {
	/* Protects the fields below it; see the kernel-doc above. */
	struct mutex lock;
	struct mtd_info *mtd;
	bool readonly;
	u32 mtd_index;
	u32 erase_size;
	u32 write_size;
	u64 part_size;
	struct devcred_cred slot[DEVCRED_SLOT_COUNT];
	u8 binding[DEVCRED_OP_COUNT];
	struct devcred_rec_profiles profiles;
	u64 generation;
	size_t app_used;
	struct devcred_log log;
	struct devcred_seal seal;

	struct kref ref;
	struct miscdevice misc;
};

bool devcred_in_factory_mode(void);
extern unsigned int devcred_app_blob_max;
extern unsigned int devcred_app_store_max;
extern bool devcred_require_sealing;

extern const char *const devcred_slot_names[DEVCRED_SLOT_COUNT];
extern const char *const devcred_op_names[DEVCRED_OP_COUNT];

/* flash.c */
int devcred_flash_attach(struct devcred *dc, struct devcred_rec_state *st, u8 **buf);
int devcred_flash_commit(struct devcred *dc, const struct devcred_rec_state *st);
int devcred_flash_format(struct devcred *dc);
void devcred_flash_next_block(struct devcred *dc);
int devcred_flash_scrub(struct devcred *dc);

/* store.c */
void devcred_slot_free(struct devcred_cred *s);
void devcred_fill_rec_state(struct devcred *dc, struct devcred_rec_state *st,
			    int which, const struct devcred_cred *repl, const u8 *binding);
int devcred_check_writable(struct devcred *dc, int slot);
int devcred_check_blob_len(unsigned int slot, const char *what, u32 len, bool is_key);
int devcred_store_load(struct devcred *dc);
void devcred_store_free(struct devcred *dc);
int devcred_store_write(struct devcred *dc, const struct devcred_write *w,
			u8 *cert, u8 *key);
int devcred_store_erase(struct devcred *dc, unsigned int slot);
int devcred_store_set_pending(struct devcred *dc, unsigned int slot, u8 *key, u32 len);
int devcred_store_set_bindings(struct devcred *dc, u32 mask, const u8 *slot,
			       const struct devcred_rec_profiles *profiles);
int devcred_store_format(struct devcred *dc);

/* store_seal.c */
void devcred_seal_forget(struct devcred *dc);
void devcred_seal_scrub(struct devcred *dc);
int devcred_store_load_kek(struct devcred *dc, u32 flags);
int devcred_store_read_seal(struct devcred *dc, u32 which, u8 **blob, u32 *len);

/* seal.c */
struct crypto_aead *devcred_seal_tfm(const u8 *kek, unsigned int len);
u8 *devcred_seal_key(struct crypto_aead *tfm, unsigned int slot, unsigned int kind,
		     u64 generation, const u8 *key, u32 len);
u8 *devcred_open_key(struct crypto_aead *tfm, unsigned int slot, unsigned int kind,
		     u64 generation, const u8 *sealed, u32 sealed_len);

/* kek.c */
int devcred_kek_find(struct devcred_kek_material *m);
int devcred_kek_read_blob(struct devcred_kek_material *m);
void devcred_kek_release(struct devcred_kek_material *m);

/* ioctl.c */
long devcred_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _DEVCRED_H */
