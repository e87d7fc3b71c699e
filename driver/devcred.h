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

struct mtd_info;

/**
 * struct devcred_cred - one slot's content in kernel memory
 * @cert:        certificate, kvmalloc'ed
 * @key:         private key, kvmalloc'ed, zeroized when freed
 * @pending:     pending private key, kvmalloc'ed, zeroized when freed
 * @cert_len:    certificate length (0: empty)
 * @key_len:     private key length
 * @pending_len: pending key length (0: none)
 * @origin:      enum devcred_origin
 * @generation:  store generation of the slot's last change
 */
struct devcred_cred {
	u8 *cert;
	u8 *key;
	u8 *pending;
	u32 cert_len;
	u32 key_len;
	u32 pending_len;
	u32 origin;
	u64 generation;
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
 * @generation: increases with every change
 * @app_used:   bytes of application slot blobs
 * @log:        the flash log
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
	u64 generation;
	size_t app_used;
	struct devcred_log log;

	struct kref ref;
	struct miscdevice misc;
};

bool devcred_in_factory_mode(void);
extern unsigned int devcred_app_blob_max;
extern unsigned int devcred_app_store_max;

extern const char *const devcred_slot_names[DEVCRED_SLOT_COUNT];
extern const char *const devcred_op_names[DEVCRED_OP_COUNT];

/* flash.c */
int devcred_flash_attach(struct devcred *dc, struct devcred_rec_state *st, u8 **buf);
int devcred_flash_commit(struct devcred *dc, const struct devcred_rec_state *st);
int devcred_flash_format(struct devcred *dc);

/* store.c */
int devcred_check_blob_len(unsigned int slot, const char *what, u32 len, bool is_key);
int devcred_store_load(struct devcred *dc);
void devcred_store_free(struct devcred *dc);
int devcred_store_write(struct devcred *dc, const struct devcred_write *w,
			u8 *cert, u8 *key);
int devcred_store_erase(struct devcred *dc, unsigned int slot);
int devcred_store_set_pending(struct devcred *dc, unsigned int slot, u8 *key, u32 len);
int devcred_store_set_bindings(struct devcred *dc, u32 mask, const u8 *slot);
int devcred_store_format(struct devcred *dc);

/* ioctl.c */
long devcred_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _DEVCRED_H */
