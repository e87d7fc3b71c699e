/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * devcred: a store for a device's TLS credentials.
 *
 * Userspace reaches the store through /dev/devcred with the ioctls below:
 *
 *	int fd = open("/dev/devcred", O_RDONLY);
 *	struct devcred_slot_status st = { .size = sizeof(st),
 *					  .slot = DEVCRED_SLOT_PLATFORM1 };
 *	ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &st);
 *	printf("certificate %u bytes, key %u bytes\n", st.cert_len, st.key_len);
 */
#ifndef _UAPI_LINUX_DEVCRED_H
#define _UAPI_LINUX_DEVCRED_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DEVCRED_ABI_VERSION	1

/**
 * DOC: Slots, operations and limits
 *
 * A store has nine slots. DEVCRED_SLOT_BUILTIN, DEVCRED_SLOT_PLATFORM1 and
 * DEVCRED_SLOT_PLATFORM2 live on flash and survive reboots; the six
 * application slots live in kernel memory and are empty after a reboot or a
 * module reload. Each slot holds a certificate blob (PEM, one certificate or
 * a chain, leaf first) and its private key blob (PEM), always written and
 * replaced as one pair, and optionally a pending private key kept for a
 * certificate signing request (CSR) until the signed certificate arrives.
 *
 * On flash slots a certificate is at most DEVCRED_FLASH_CERT_MAX bytes and
 * a key (pending or not) at most DEVCRED_FLASH_KEY_MAX bytes. Application
 * slots are bounded by module parameters, reported by DEVCRED_IOC_INFO.
 *
 * Each TLS operation is bound to one slot (default: builtin). 802.1X, syslog
 * and provisioning run before the application does, so they may only use
 * flash slots.
 */

/**
 * enum devcred_slot - the slots of a store
 * @DEVCRED_SLOT_BUILTIN: the device's own certificate (flash): factory or
 *	self-signed
 * @DEVCRED_SLOT_PLATFORM1: first administrator credential on flash
 * @DEVCRED_SLOT_PLATFORM2: second administrator credential on flash
 * @DEVCRED_SLOT_APP1: first application credential (kernel memory)
 * @DEVCRED_SLOT_APP2: second application credential
 * @DEVCRED_SLOT_APP3: third application credential
 * @DEVCRED_SLOT_APP4: fourth application credential
 * @DEVCRED_SLOT_APP5: fifth application credential
 * @DEVCRED_SLOT_APP6: sixth application credential
 * @DEVCRED_SLOT_COUNT: number of slots; the first DEVCRED_FLASH_SLOTS live
 *	on flash
 */
enum devcred_slot {
	DEVCRED_SLOT_BUILTIN = 0,
	DEVCRED_SLOT_PLATFORM1 = 1,
	DEVCRED_SLOT_PLATFORM2 = 2,
	DEVCRED_SLOT_APP1 = 3,
	DEVCRED_SLOT_APP2 = 4,
	DEVCRED_SLOT_APP3 = 5,
	DEVCRED_SLOT_APP4 = 6,
	DEVCRED_SLOT_APP5 = 7,
	DEVCRED_SLOT_APP6 = 8,
	DEVCRED_SLOT_COUNT = 9
};

/* The first slots live on flash. */
#define DEVCRED_FLASH_SLOTS	3

/**
 * enum devcred_operation - the TLS operations a slot is bound to
 * @DEVCRED_OP_8021X: 802.1X network authentication (flash slots only)
 * @DEVCRED_OP_SYSLOG: logging to a syslog server over TLS (flash slots only)
 * @DEVCRED_OP_PROVISIONING: fetching configuration and software (flash
 *	slots only)
 * @DEVCRED_OP_SIP: SIP signalling
 * @DEVCRED_OP_BROWSER: the device's web server and browser
 * @DEVCRED_OP_PRESENCE: presence (XMPP)
 * @DEVCRED_OP_LDAP: directory lookups
 * @DEVCRED_OP_COUNT: number of operations; those below
 *	DEVCRED_OP_FLASH_ONLY_END may only use flash slots
 */
enum devcred_operation {
	DEVCRED_OP_8021X = 0,
	DEVCRED_OP_SYSLOG = 1,
	DEVCRED_OP_PROVISIONING = 2,
	DEVCRED_OP_SIP = 3,
	DEVCRED_OP_BROWSER = 4,
	DEVCRED_OP_PRESENCE = 5,
	DEVCRED_OP_LDAP = 6,
	DEVCRED_OP_COUNT = 7
};

/* Operations below this one may only be bound to flash slots. */
#define DEVCRED_OP_FLASH_ONLY_END	DEVCRED_OP_SIP

#define DEVCRED_FLASH_CERT_MAX	8192
#define DEVCRED_FLASH_KEY_MAX	4096

/**
 * enum devcred_origin - where a slot's credential came from
 * @DEVCRED_ORIGIN_NONE: the slot is empty
 * @DEVCRED_ORIGIN_FACTORY: written at manufacture (builtin only)
 * @DEVCRED_ORIGIN_SELF_SIGNED: made by the device itself (builtin only)
 * @DEVCRED_ORIGIN_INSTALLED: installed by an administrator (other slots)
 */
enum devcred_origin {
	DEVCRED_ORIGIN_NONE = 0,
	DEVCRED_ORIGIN_FACTORY = 1,
	DEVCRED_ORIGIN_SELF_SIGNED = 2,
	DEVCRED_ORIGIN_INSTALLED = 3
};

/**
 * DOC: Error contract
 *
 * Every ioctl argument starts with ``__u32 size``, the size of the structure
 * userspace knows. A smaller size than the first version of the structure
 * fails with EINVAL; a larger one is accepted when the bytes the kernel does
 * not know are zero, and fails with E2BIG otherwise. Fields named
 * ``reserved`` and flag bits not defined here must be zero (EINVAL).
 *
 * - ENOTTY: unknown command.
 * - EINVAL: bad slot, operation, origin, flag or length.
 * - EBADF: a modifying command on a descriptor not opened for writing.
 * - EPERM: the caller lacks CAP_SYS_ADMIN (modifying commands and private
 *   key reads), or a factory certificate would be replaced outside factory
 *   mode.
 * - EFBIG: a blob exceeds its slot's limit; the kernel log names the slot,
 *   the blob, its length and the limit.
 * - ENOSPC: the application store is full, or a read buffer is too small
 *   (``len`` then holds the length needed).
 * - ENOENT: the slot (or its pending key) is empty.
 * - EXDEV: an operation restricted to flash slots was bound to an
 *   application slot.
 * - EROFS: the partition is read-only, or holds a record of a newer format
 *   version (DEVCRED_INFO_NEWER_FORMAT): flash slots and bindings cannot
 *   change.
 * - EUCLEAN: the partition holds data but no valid record
 *   (DEVCRED_INFO_DAMAGED): flash slots and bindings cannot change until
 *   DEVCRED_IOC_FORMAT, or in factory mode.
 * - EEXIST: DEVCRED_IOC_FORMAT on a store holding a readable record,
 *   outside factory mode.
 * - EIO: the flash failed, whatever error its driver reported (the kernel
 *   log has it), or no good block is left; the store keeps its previous
 *   state.
 * - ENODEV: the flash partition has been removed.
 * - ENOKEY: a private key is sealed and the store's key-encryption key is
 *   not loaded (DEVCRED_IOC_READ_KEY, and every write of a key then), or
 *   sealing is required (DEVCRED_INFO_SEALING_REQUIRED) and no
 *   key-encryption key is loaded; DEVCRED_IOC_LOAD_KEK without the kernel
 *   key it looks for.
 * - EKEYREJECTED: DEVCRED_IOC_LOAD_KEK with a key-encryption key that is
 *   not the one the store was sealed with.
 * - EOPNOTSUPP: DEVCRED_IOC_LOAD_KEK on a kernel without trusted and
 *   encrypted keys, or without gcm(aes).
 */

/**
 * struct devcred_info - DEVCRED_IOC_INFO: the store as a whole
 * @size: sizeof(struct devcred_info)
 * @abi_version: out: DEVCRED_ABI_VERSION
 * @slot_count: out: DEVCRED_SLOT_COUNT
 * @op_count: out: DEVCRED_OP_COUNT
 * @flags: out: DEVCRED_INFO_* bits
 * @flash_cert_max: out: certificate limit of flash slots
 * @flash_key_max: out: private key limit of flash slots
 * @app_blob_max: out: limit of one application slot blob
 * @app_store_max: out: limit of all application blobs together
 * @app_store_used: out: bytes the application blobs take now
 * @mtd_index: out: the MTD device number of the partition
 * @erase_size: out: the partition's erase block size
 * @write_size: out: the partition's minimal write unit
 * @blocks: out: erase blocks in the partition
 * @bad_blocks: out: of which bad (NAND)
 * @record_block: out: the block holding the current record
 * @record_offset: out: its offset in that block
 * @skipped_records: out: damaged records seen at attach
 * @part_size: out: the partition's size in bytes
 * @sequence: out: sequence number of the current record (0: none yet)
 * @generation: out: increases on every change of any slot or binding
 * @erases: out: blocks erased since attach
 * @bytes_written: out: bytes programmed since attach
 */
struct devcred_info {
	__u32 size;
	__u32 abi_version;
	__u32 slot_count;
	__u32 op_count;
	__u32 flags;
	__u32 flash_cert_max;
	__u32 flash_key_max;
	__u32 app_blob_max;
	__u32 app_store_max;
	__u32 app_store_used;
	__u32 mtd_index;
	__u32 erase_size;
	__u32 write_size;
	__u32 blocks;
	__u32 bad_blocks;
	__u32 record_block;
	__u32 record_offset;
	__u32 skipped_records;
	__aligned_u64 part_size;
	__aligned_u64 sequence;
	__aligned_u64 generation;
	__aligned_u64 erases;
	__aligned_u64 bytes_written;
};

/* The partition is read-only: every write fails with EROFS. */
#define DEVCRED_INFO_READONLY		0x1U
/* Factory mode: a factory builtin certificate may be replaced. */
#define DEVCRED_INFO_FACTORY_MODE	0x2U
/*
 * The partition holds data but no valid record: flash slots are invalid and
 * refuse changes (EUCLEAN) until DEVCRED_IOC_FORMAT or factory mode.
 */
#define DEVCRED_INFO_DAMAGED		0x4U
/* The partition has been removed: only DEVCRED_IOC_INFO still works. */
#define DEVCRED_INFO_GONE		0x8U
/*
 * The newest record has a newer format version than this driver reads: the
 * flash slots are unknown (DEVCRED_SLOT_INVALID) and the store is read-only
 * (DEVCRED_INFO_READONLY set too). Not damage: a driver that reads that
 * version sees the store as it is.
 */
#define DEVCRED_INFO_NEWER_FORMAT	0x10U
/*
 * The store has no key-encryption key: private keys are on flash in clear
 * (a record without a sealing key). Clear otherwise: the record holds
 * sealed keys.
 */
#define DEVCRED_INFO_KEYS_CLEAR		0x20U
/*
 * The store's key-encryption key is loaded (DEVCRED_IOC_LOAD_KEK): sealed
 * keys were decrypted, new keys are sealed before they reach flash.
 */
#define DEVCRED_INFO_KEK_LOADED		0x40U
/*
 * Keys are written only sealed (module parameter require_sealing, or the
 * partition's devcred,require-sealing property): without a loaded
 * key-encryption key every write of a key fails with ENOKEY.
 */
#define DEVCRED_INFO_SEALING_REQUIRED	0x80U

/**
 * struct devcred_slot_status - DEVCRED_IOC_SLOT_STATUS: one slot
 * @size: sizeof(struct devcred_slot_status)
 * @slot: in: enum devcred_slot
 * @flags: out: DEVCRED_SLOT_* bits
 * @origin: out: enum devcred_origin
 * @cert_len: out: certificate blob length, 0 when empty
 * @key_len: out: private key blob length, 0 when empty
 * @pending_key_len: out: pending private key length, 0 when none
 * @reserved: must be zero
 * @generation: out: the store generation of the slot's last change
 */
struct devcred_slot_status {
	__u32 size;
	__u32 slot;
	__u32 flags;
	__u32 origin;
	__u32 cert_len;
	__u32 key_len;
	__u32 pending_key_len;
	__u32 reserved;
	__aligned_u64 generation;
};

/* The slot is kept on flash. */
#define DEVCRED_SLOT_FLASH		0x1U
/* The slot holds a certificate and its key. */
#define DEVCRED_SLOT_PRESENT		0x2U
/* The slot holds a pending key awaiting its certificate. */
#define DEVCRED_SLOT_PENDING_KEY	0x4U
/*
 * The slot's content is unknown: the store is damaged (DEVCRED_INFO_DAMAGED)
 * or of a newer format version (DEVCRED_INFO_NEWER_FORMAT).
 */
#define DEVCRED_SLOT_INVALID		0x8U
/*
 * With DEVCRED_SLOT_INVALID: the certificate is readable, the key is sealed
 * and the store's key-encryption key is not loaded (not yet, or it cannot
 * be: the flash was sealed by another TPM).
 */
#define DEVCRED_SLOT_KEY_SEALED		0x10U
/*
 * With DEVCRED_SLOT_INVALID: the certificate is readable, the sealed key (or
 * pending key) failed authentication with the loaded key-encryption key:
 * altered on flash. Neither key of the slot is given out (ENOKEY); the next
 * write of the slot replaces it.
 */
#define DEVCRED_SLOT_KEY_CORRUPT	0x20U

/**
 * struct devcred_blob - DEVCRED_IOC_READ_CERT, DEVCRED_IOC_READ_KEY
 * @size: sizeof(struct devcred_blob)
 * @slot: in: enum devcred_slot
 * @flags: in: DEVCRED_READ_PENDING to read the pending key (READ_KEY only)
 * @len: in: bytes available at @data; out: the blob's length
 * @data: in: user pointer to the buffer
 * @generation: out: the slot's generation the blob belongs to
 *
 * A buffer shorter than the blob fails with ENOSPC and sets @len to the
 * length needed; nothing is copied then.
 */
struct devcred_blob {
	__u32 size;
	__u32 slot;
	__u32 flags;
	__u32 len;
	__aligned_u64 data;
	__aligned_u64 generation;
};

#define DEVCRED_READ_PENDING		0x1U

/**
 * struct devcred_write - DEVCRED_IOC_WRITE: store a certificate and its key
 * @size: sizeof(struct devcred_write)
 * @slot: in: enum devcred_slot
 * @flags: in: DEVCRED_WRITE_* bits
 * @origin: in: DEVCRED_ORIGIN_FACTORY or _SELF_SIGNED for builtin,
 *	DEVCRED_ORIGIN_INSTALLED for the other slots
 * @cert_len: in: certificate length, at least 1
 * @key_len: in: key length; 0 with DEVCRED_WRITE_USE_PENDING_KEY
 * @cert: in: user pointer to the certificate
 * @key: in: user pointer to the key; zero when @key_len is 0
 * @expect_generation: in: with DEVCRED_WRITE_EXPECT_GENERATION, or when not
 *	0, fail with EAGAIN unless the slot's generation still is this one
 *	(compare and swap for the daemon)
 *
 * The pair replaces the slot's content as one: after a power cut the slot
 * holds either the previous pair or this one. A factory builtin certificate
 * is replaced only in factory mode.
 */
struct devcred_write {
	__u32 size;
	__u32 slot;
	__u32 flags;
	__u32 origin;
	__u32 cert_len;
	__u32 key_len;
	__aligned_u64 cert;
	__aligned_u64 key;
	__aligned_u64 expect_generation;
};

/* Pair the certificate with the slot's pending key, which it consumes. */
#define DEVCRED_WRITE_USE_PENDING_KEY	0x1U
/*
 * Compare expect_generation with the slot's generation even when it is 0,
 * which a slot has until its first change: "write only if the slot is
 * still as I saw it", an untouched slot included. Without this flag an
 * expect_generation of 0 checks nothing, as for callers that predate it.
 */
#define DEVCRED_WRITE_EXPECT_GENERATION	0x2U

/**
 * struct devcred_pending_key - DEVCRED_IOC_SET_PENDING_KEY
 * @size: sizeof(struct devcred_pending_key)
 * @slot: in: enum devcred_slot
 * @flags: must be zero
 * @key_len: in: key length; 0 drops the slot's pending key
 * @key: in: user pointer to the key; zero when @key_len is 0
 *
 * Keeps a private key generated for a CSR in the slot, next to (and without
 * touching) its current credential.
 */
struct devcred_pending_key {
	__u32 size;
	__u32 slot;
	__u32 flags;
	__u32 key_len;
	__aligned_u64 key;
};

/**
 * struct devcred_erase - DEVCRED_IOC_ERASE: empty a slot
 * @size: sizeof(struct devcred_erase)
 * @slot: in: enum devcred_slot
 * @flags: in: DEVCRED_ERASE_* bits
 * @reserved: must be zero
 *
 * Removes the certificate, the key and any pending key.
 */
struct devcred_erase {
	__u32 size;
	__u32 slot;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct devcred_bindings - DEVCRED_IOC_GET_BINDINGS, DEVCRED_IOC_SET_BINDINGS
 * @size: sizeof(struct devcred_bindings), or DEVCRED_BINDINGS_SIZE_VER0 for
 *	the bindings alone
 * @mask: in (SET): bit N set changes operation N; DEVCRED_BIND_PROFILES
 *	changes the platform profile settings; must be zero for GET
 * @unavailable: out (GET): bit N set when operation N's slot is empty;
 *	must be zero for SET
 * @reserved: must be zero
 * @slot: slot of each operation, indexed by enum devcred_operation;
 *	for SET zero for the operations outside @mask, so that a later
 *	version may give them a meaning; slot[DEVCRED_OP_COUNT] is reserved
 *	and zero
 * @profile_cert: the deviceCert of platform profile N + 1 (N below
 *	DEVCRED_PLATFORM_PROFILES): DEVCRED_PROFILE_UNSET, or
 *	DEVCRED_PROFILE_SLOT() of a flash slot; the other entries are reserved
 *	and zero
 * @profile_select: the platform profile operation N selects (N below
 *	DEVCRED_OP_FLASH_ONLY_END): DEVCRED_PROFILE_UNSET, or 1 to
 *	DEVCRED_PLATFORM_PROFILES; the other entries are reserved and zero
 *
 * SET changes all the masked operations, and with DEVCRED_BIND_PROFILES
 * every platform profile setting, at once (one record on flash), or none.
 * Without DEVCRED_BIND_PROFILES @profile_cert and @profile_select must be
 * zero.
 *
 * The platform profile settings are the TLS profile settings of the
 * configuration files (device.sec.TLS.profile.deviceCertN, the profile
 * selections of 802.1X, syslog and provisioning) that name only flash
 * slots: the store keeps them on flash with the bindings they produce, so
 * that they survive reboots as the bindings do. The kernel does not act on
 * them; it checks their ranges and keeps them.
 */
struct devcred_bindings {
	__u32 size;
	__u32 mask;
	__u32 unavailable;
	__u32 reserved;
	__u8 slot[8];
	__u8 profile_cert[4];
	__u8 profile_select[4];
};

/* The size of struct devcred_bindings before the platform profile settings. */
#define DEVCRED_BINDINGS_SIZE_VER0	24
/* In devcred_bindings.mask: set the platform profile settings too. */
#define DEVCRED_BIND_PROFILES		0x80000000U
/* The platform profiles: PlatformProfile1 and PlatformProfile2. */
#define DEVCRED_PLATFORM_PROFILES	2
/* A platform profile setting no configuration file gave: the default. */
#define DEVCRED_PROFILE_UNSET		0
/* The value of profile_cert[] naming flash slot @slot. */
#define DEVCRED_PROFILE_SLOT(slot)	((slot) + 1)

/**
 * struct devcred_format - DEVCRED_IOC_FORMAT: start the store afresh
 * @size: sizeof(struct devcred_format)
 * @flags: must be zero
 *
 * Erases every good block of the partition: the flash slots become empty
 * and every operation is bound to builtin; application slots keep their
 * content. This is how a damaged store (DEVCRED_INFO_DAMAGED) is made
 * writable again outside factory mode. Refused with EEXIST while the store
 * holds a readable record (of this format version or a newer one), except
 * in factory mode. A power cut during FORMAT leaves some blocks erased and
 * others as they were: FORMAT again.
 */
struct devcred_format {
	__u32 size;
	__u32 flags;
};

/**
 * DOC: Keys sealed at rest
 *
 * A store can keep its flash slots' private keys encrypted with
 * AES-256-GCM under a key-encryption key (KEK): a kernel ``encrypted`` key
 * named DEVCRED_KEK_DESC whose master is the ``trusted`` key named
 * DEVCRED_KMK_DESC, sealed by the device's TPM (or another trusted-key
 * source). The record on flash holds both keys' blobs (which only that TPM
 * can open) and every key sealed; Documentation/devcred/key-sealing.rst has
 * the scheme. Userspace loads the two kernel keys into its keyrings and
 * calls DEVCRED_IOC_LOAD_KEK, which takes them from there.
 */
#define DEVCRED_KMK_DESC	"devcred:kmk"
#define DEVCRED_KEK_DESC	"devcred:kek"

/**
 * struct devcred_seal_blob - DEVCRED_IOC_READ_SEAL: a stored key blob
 * @size: sizeof(struct devcred_seal_blob)
 * @which: in: DEVCRED_SEAL_KMK (the trusted key's blob) or DEVCRED_SEAL_KEK
 *	(the encrypted key's blob), both as ``keyctl pipe`` prints them
 * @len: in: bytes available at @data; out: the blob's length
 * @reserved: must be zero
 * @data: in: user pointer to the buffer
 *
 * ENOENT when the store has no key-encryption key (DEVCRED_INFO_KEYS_CLEAR);
 * ENOSPC, with @len set, when the buffer is too short. Needs CAP_SYS_ADMIN:
 * the blobs are sealed, but a TPM any local user may talk to unseals a
 * trusted key's blob that has no password.
 */
struct devcred_seal_blob {
	__u32 size;
	__u32 which;
	__u32 len;
	__u32 reserved;
	__aligned_u64 data;
};

#define DEVCRED_SEAL_KMK	0
#define DEVCRED_SEAL_KEK	1

/**
 * struct devcred_kek - DEVCRED_IOC_LOAD_KEK: give the store its KEK
 * @size: sizeof(struct devcred_kek)
 * @flags: in: DEVCRED_KEK_* bits
 *
 * The kernel looks up the ``encrypted`` key DEVCRED_KEK_DESC (32 bytes) and
 * its ``trusted`` master DEVCRED_KMK_DESC in the caller's keyrings (no
 * upcall: ENOKEY when they are not there) and reads their blobs itself.
 * On a sealed store the blobs must be the stored ones (EKEYREJECTED
 * otherwise); every sealed key is then decrypted and checked. On a store in
 * clear, DEVCRED_KEK_NEW makes the key the store's: one record holds the
 * blobs and every key sealed, the migration, power-fail safe as every
 * update; the blocks holding earlier records (keys in clear) are erased
 * after it. Without DEVCRED_KEK_NEW a store in clear fails with ENOENT.
 * DEVCRED_KEK_NEW with the store's own key loads it as without the flag;
 * with another key on a sealed store it fails with EEXIST except in
 * factory mode, where the new key replaces one that cannot be loaded and
 * the slots whose keys cannot be opened are written empty. Loading the key
 * the store already has loaded does nothing. A key whose blobs are not those of an encrypted
 * key of 32 bytes under the trusted key DEVCRED_KMK_DESC fails with
 * EKEYREJECTED. There is no rotation: a loaded KEK stays the store's until
 * it is formatted (which forgets it; a new one is adopted then).
 */
struct devcred_kek {
	__u32 size;
	__u32 flags;
};

/* Adopt the key as the store's on a store whose keys are in clear. */
#define DEVCRED_KEK_NEW		0x1U

/*
 * Like iommufd, the commands do not encode their argument's size: it is in
 * the argument's first field, so that structures can grow.
 */
#define DEVCRED_IOC_MAGIC	0xDC

/**
 * enum devcred_cmd - the ioctl numbers (the nr of _IO(DEVCRED_IOC_MAGIC, nr))
 * @DEVCRED_CMD_INFO: DEVCRED_IOC_INFO, struct devcred_info
 * @DEVCRED_CMD_SLOT_STATUS: DEVCRED_IOC_SLOT_STATUS, struct devcred_slot_status
 * @DEVCRED_CMD_READ_CERT: DEVCRED_IOC_READ_CERT, struct devcred_blob
 * @DEVCRED_CMD_READ_KEY: DEVCRED_IOC_READ_KEY, struct devcred_blob
 * @DEVCRED_CMD_WRITE: DEVCRED_IOC_WRITE, struct devcred_write
 * @DEVCRED_CMD_ERASE: DEVCRED_IOC_ERASE, struct devcred_erase
 * @DEVCRED_CMD_GET_BINDINGS: DEVCRED_IOC_GET_BINDINGS, struct devcred_bindings
 * @DEVCRED_CMD_SET_BINDINGS: DEVCRED_IOC_SET_BINDINGS, struct devcred_bindings
 * @DEVCRED_CMD_SET_PENDING_KEY: DEVCRED_IOC_SET_PENDING_KEY,
 *	struct devcred_pending_key
 * @DEVCRED_CMD_FORMAT: DEVCRED_IOC_FORMAT, struct devcred_format
 * @DEVCRED_CMD_READ_SEAL: DEVCRED_IOC_READ_SEAL, struct devcred_seal_blob
 * @DEVCRED_CMD_LOAD_KEK: DEVCRED_IOC_LOAD_KEK, struct devcred_kek
 */
enum devcred_cmd {
	DEVCRED_CMD_INFO = 0x00,
	DEVCRED_CMD_SLOT_STATUS = 0x01,
	DEVCRED_CMD_READ_CERT = 0x02,
	DEVCRED_CMD_READ_KEY = 0x03,
	DEVCRED_CMD_WRITE = 0x04,
	DEVCRED_CMD_ERASE = 0x05,
	DEVCRED_CMD_GET_BINDINGS = 0x06,
	DEVCRED_CMD_SET_BINDINGS = 0x07,
	DEVCRED_CMD_SET_PENDING_KEY = 0x08,
	DEVCRED_CMD_FORMAT = 0x09,
	DEVCRED_CMD_READ_SEAL = 0x0a,
	DEVCRED_CMD_LOAD_KEK = 0x0b
};

#define DEVCRED_IOC_INFO		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_INFO)
#define DEVCRED_IOC_SLOT_STATUS		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_SLOT_STATUS)
#define DEVCRED_IOC_READ_CERT		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_READ_CERT)
#define DEVCRED_IOC_READ_KEY		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_READ_KEY)
#define DEVCRED_IOC_WRITE		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_WRITE)
#define DEVCRED_IOC_ERASE		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_ERASE)
#define DEVCRED_IOC_GET_BINDINGS	_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_GET_BINDINGS)
#define DEVCRED_IOC_SET_BINDINGS	_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_SET_BINDINGS)
#define DEVCRED_IOC_SET_PENDING_KEY	_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_SET_PENDING_KEY)
#define DEVCRED_IOC_FORMAT		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_FORMAT)
#define DEVCRED_IOC_READ_SEAL		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_READ_SEAL)
#define DEVCRED_IOC_LOAD_KEK		_IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_LOAD_KEK)

#endif /* _UAPI_LINUX_DEVCRED_H */
