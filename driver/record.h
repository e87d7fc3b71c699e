/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-flash record: one record holds the whole platform state (the three
 * flash slots and the operation bindings). Documentation/devcred/flash-format.rst
 * describes it field by field.
 *
 * This file and record.c use nothing but fixed-width types, the byte order
 * helpers and crc32_le(), so that the parser can also be built in userspace
 * (fuzzing) with a small shim providing those.
 */
#ifndef _DEVCRED_RECORD_H
#define _DEVCRED_RECORD_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#endif
#include <linux/types.h>
#include <linux/devcred.h>

#define DEVCRED_REC_MAGIC	0x31524344	/* "DCR1" read as little-endian */
#define DEVCRED_REC_VERSION	1
/*
 * The highest sequence number: 2^63 - 1, more updates than any flash
 * survives. A header claiming more is damage, so that a forged or rotten
 * header cannot make every later record lose to it.
 */
#define DEVCRED_REC_SEQ_MAX	(~0ULL >> 1)

/**
 * struct devcred_rec_hdr - header in front of every record
 * @magic:       DEVCRED_REC_MAGIC
 * @version:     DEVCRED_REC_VERSION
 * @hdr_len:     sizeof(struct devcred_rec_hdr)
 * @seq:         sequence number; the valid record with the highest wins
 * @payload_len: bytes of payload following the header
 * @payload_crc: CRC32 (IEEE 802.3, as zlib's crc32()) of the payload
 * @reserved:    zero
 * @hdr_crc:     CRC32 of the header up to this field
 */
struct devcred_rec_hdr {
	__le32 magic;
	__le16 version;
	__le16 hdr_len;
	__le64 seq;
	__le32 payload_len;
	__le32 payload_crc;
	__le32 reserved;
	__le32 hdr_crc;
} __packed;

/* The on-flash layout, which flash-format.rst and the tools spell out. */
static_assert(sizeof(struct devcred_rec_hdr) == 32, "record header layout");

/**
 * struct devcred_rec_slot - one flash slot in the payload
 * @origin:      enum devcred_origin
 * @cert_len:    certificate bytes in the blob area
 * @key_len:     private key bytes in the blob area
 * @pending_len: pending key bytes in the blob area
 * @generation:  store generation of the slot's last change
 */
struct devcred_rec_slot {
	__le32 origin;
	__le32 cert_len;
	__le32 key_len;
	__le32 pending_len;
	__le64 generation;
} __packed;

static_assert(sizeof(struct devcred_rec_slot) == 24, "record slot layout");

/*
 * Payload: the bindings (one byte per operation, padded to 8 with zeros),
 * then DEVCRED_FLASH_SLOTS struct devcred_rec_slot, then the blobs of each
 * slot in slot order: certificate, key, pending key.
 */
#define DEVCRED_REC_BINDINGS	8
#define DEVCRED_REC_FIXED	(DEVCRED_REC_BINDINGS + \
				 DEVCRED_FLASH_SLOTS * sizeof(struct devcred_rec_slot))
#define DEVCRED_REC_PAYLOAD_MAX	(DEVCRED_REC_FIXED + DEVCRED_FLASH_SLOTS * \
				 (DEVCRED_FLASH_CERT_MAX + 2 * DEVCRED_FLASH_KEY_MAX))
#define DEVCRED_REC_MAX		(sizeof(struct devcred_rec_hdr) + DEVCRED_REC_PAYLOAD_MAX)

/**
 * struct devcred_rec_blobs - one slot's content, as pointers into a buffer
 * @origin:      enum devcred_origin
 * @cert:        certificate (NULL when @cert_len is 0)
 * @key:         private key
 * @pending:     pending key
 * @cert_len:    certificate length
 * @key_len:     key length
 * @pending_len: pending key length
 * @generation:  generation of the slot's last change
 */
struct devcred_rec_blobs {
	u32 origin;
	const u8 *cert;
	const u8 *key;
	const u8 *pending;
	u32 cert_len;
	u32 key_len;
	u32 pending_len;
	u64 generation;
};

/**
 * struct devcred_rec_state - the platform state a record holds
 * @slot:    the flash slots
 * @binding: slot of each operation
 */
struct devcred_rec_state {
	struct devcred_rec_blobs slot[DEVCRED_FLASH_SLOTS];
	u8 binding[DEVCRED_OP_COUNT];
};

size_t devcred_rec_size(const struct devcred_rec_state *st);
void devcred_rec_build(u8 *buf, u64 seq, const struct devcred_rec_state *st);
int devcred_rec_check_hdr(const struct devcred_rec_hdr *hdr, size_t room, u64 *seq,
			  u32 *payload_len);
int devcred_rec_parse(const u8 *payload, u32 len, u32 crc, struct devcred_rec_state *st);
int devcred_check_binding(unsigned int op, unsigned int slot);
int devcred_check_origin(unsigned int slot, unsigned int origin);

#endif /* _DEVCRED_RECORD_H */
