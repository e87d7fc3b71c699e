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
/*
 * Format version 1 keeps private keys in clear; version 2 adds the platform
 * profile settings and a sealing section, which either keeps every private
 * key sealed (key-sealing.rst) or says they are in clear. This driver reads
 * both; it writes version 1 while the store is in clear and holds no
 * platform profile setting, so that a version 1 driver still reads it, and
 * version 2 otherwise.
 */
#define DEVCRED_REC_VERSION_1	1
#define DEVCRED_REC_VERSION_2	2
/* The newest version this driver reads. */
#define DEVCRED_REC_VERSION	DEVCRED_REC_VERSION_2
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

/**
 * struct devcred_rec_profiles - the platform profile settings (version 2)
 * @cert:   deviceCert of each platform profile: DEVCRED_PROFILE_UNSET or
 *          DEVCRED_PROFILE_SLOT() of a flash slot; the last two are zero
 * @select: platform profile of each flash-only operation:
 *          DEVCRED_PROFILE_UNSET or 1 to DEVCRED_PLATFORM_PROFILES; the
 *          last one is zero
 *
 * As in struct devcred_bindings, so that the ioctl and the record agree.
 */
struct devcred_rec_profiles {
	u8 cert[4];
	u8 select[4];
} __packed;

static_assert(sizeof(struct devcred_rec_profiles) == 8, "record profiles layout");

/**
 * struct devcred_rec_seal - the sealing section of a version 2 record
 * @cipher:   DEVCRED_SEAL_AES256_GCM, or DEVCRED_SEAL_NONE (keys in clear)
 * @kmk_len:  bytes of the trusted key's blob that follow this section
 *            (0 with DEVCRED_SEAL_NONE)
 * @kek_len:  bytes of the encrypted key's blob that follow it
 * @flags:    DEVCRED_SEAL_SCRUBBED
 * @reserved: zero
 */
struct devcred_rec_seal {
	__le32 cipher;
	__le16 kmk_len;
	__le16 kek_len;
	__le32 flags;
	__le32 reserved;
} __packed;

static_assert(sizeof(struct devcred_rec_seal) == 16, "record sealing section layout");

#define DEVCRED_SEAL_NONE	0
#define DEVCRED_SEAL_AES256_GCM	1
#define DEVCRED_SEAL_NONCE_LEN	12
#define DEVCRED_SEAL_TAG_LEN	16
/* A sealed key is its nonce, its ciphertext (as long as the key), its tag. */
#define DEVCRED_SEAL_OVERHEAD	(DEVCRED_SEAL_NONCE_LEN + DEVCRED_SEAL_TAG_LEN)
/*
 * Every block but the current record's was erased after the store was
 * sealed: no record holding a key in clear is left. Until a record says so,
 * each attach erases them again.
 */
#define DEVCRED_SEAL_SCRUBBED	0x1
#define DEVCRED_SEAL_KMK_MAX	1024
#define DEVCRED_SEAL_KEK_MAX	512

/*
 * Payload: the bindings (one byte per operation, padded to 8 with zeros);
 * in version 2 the platform profile settings, the sealing section and its
 * two blobs; then
 * DEVCRED_FLASH_SLOTS struct devcred_rec_slot, then the blobs of each slot
 * in slot order: certificate, key, pending key (sealed when the sealing
 * section names a cipher).
 */
#define DEVCRED_REC_BINDINGS	8
#define DEVCRED_REC_FIXED	(DEVCRED_REC_BINDINGS + \
				 DEVCRED_FLASH_SLOTS * sizeof(struct devcred_rec_slot))
/* What version 2 adds, at most. */
#define DEVCRED_REC_V2_MAX	(sizeof(struct devcred_rec_profiles) + \
				 sizeof(struct devcred_rec_seal) + \
				 DEVCRED_SEAL_KMK_MAX + DEVCRED_SEAL_KEK_MAX)
#define DEVCRED_REC_PAYLOAD_MAX	(DEVCRED_REC_FIXED + DEVCRED_REC_V2_MAX + \
				 DEVCRED_FLASH_SLOTS * (DEVCRED_FLASH_CERT_MAX + \
				 2 * (DEVCRED_FLASH_KEY_MAX + DEVCRED_SEAL_OVERHEAD)))
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
 * @profiles: the platform profile settings (all unset in version 1)
 * @version: DEVCRED_REC_VERSION_1, or _2 (always when @kmk_len is not 0)
 * @kmk:     the trusted key's blob (version 2)
 * @kek:     the encrypted key's blob (version 2)
 * @kmk_len: its length, 0 when the keys are in clear
 * @kek_len: its length, 0 in version 1
 * @seal_flags: DEVCRED_SEAL_* flags of the sealing section (version 2)
 */
struct devcred_rec_state {
	struct devcred_rec_blobs slot[DEVCRED_FLASH_SLOTS];
	u8 binding[DEVCRED_OP_COUNT];
	struct devcred_rec_profiles profiles;
	u16 version;
	const u8 *kmk;
	const u8 *kek;
	u16 kmk_len;
	u16 kek_len;
	u32 seal_flags;
};

size_t devcred_rec_size(const struct devcred_rec_state *st);
void devcred_rec_build(u8 *buf, u64 seq, const struct devcred_rec_state *st);
int devcred_rec_check_hdr(const struct devcred_rec_hdr *hdr, size_t room, u64 *seq,
			  u32 *payload_len);
int devcred_rec_parse(const u8 *payload, u32 len, u32 crc, u16 version,
		      struct devcred_rec_state *st);
int devcred_check_binding(unsigned int op, unsigned int slot);
int devcred_check_profiles(const struct devcred_rec_profiles *p);
u16 devcred_rec_version(const struct devcred_rec_state *st);
int devcred_rec_check_kmk_blob(const u8 *kmk, u16 len);
int devcred_rec_check_kek_blob(const u8 *kek, u16 len);
int devcred_check_origin(unsigned int slot, unsigned int origin);

#endif /* _DEVCRED_RECORD_H */
