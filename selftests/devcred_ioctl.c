// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/devcred ioctl contract (uapi/linux/devcred.h), one test per rule:
 * argument sizes, unknown commands, every validation failure with its exact
 * errno, descriptors opened read-only, callers without CAP_SYS_ADMIN, the
 * slots' limits, reads, erases, bindings, pending keys and generations.
 *
 * Runs as root. Every test that needs a known state makes it first (erases
 * the slots it uses, resets the bindings): the programs of run_selftests
 * share one boot. Nothing here leaves builtin holding a factory credential;
 * devcred_zfactory does, and runs last.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "kselftest_harness.h"
#include "devcred_test.h"

#define APP		DEVCRED_SLOT_APP1
#define ALL_OPS		((1U << DEVCRED_OP_COUNT) - 1)

/*
 * The size contract of @_ioctl for @_arg, a variable holding an argument the
 * command accepts: size - 1 fails with EINVAL, size + 1 with a non-zero
 * trailing byte with E2BIG, size + 1 with a zero trailing byte succeeds as
 * size does and leaves that byte alone.
 */
#define TEST_LENGTH(_ioctl, _arg) TEST_LENGTH_FROM(_ioctl, _arg, sizeof(_arg))
/* As TEST_LENGTH, for a structure whose first version was @_first bytes. */
#define TEST_LENGTH_FROM(_ioctl, _arg, _first)					\
	do {									\
		struct {							\
			__typeof__(_arg) cmd;					\
			__u8 extra;						\
		} __big = { .cmd = (_arg), .extra = 0xff };			\
										\
		__big.cmd.size = (_first) - 1;					\
		EXPECT_ERRNO(EINVAL, ioctl(self->fd, _ioctl, &__big));		\
		__big.cmd = (_arg);						\
		__big.cmd.size = sizeof(__big.cmd) + 1;				\
		EXPECT_ERRNO(E2BIG, ioctl(self->fd, _ioctl, &__big));		\
		__big.cmd = (_arg);						\
		ASSERT_EQ(0, ioctl(self->fd, _ioctl, &__big.cmd));		\
		__big.cmd = (_arg);						\
		__big.cmd.size = sizeof(__big.cmd) + 1;				\
		__big.extra = 0;						\
		ASSERT_EQ(0, ioctl(self->fd, _ioctl, &__big));			\
		EXPECT_EQ(0, __big.extra);					\
	} while (0)

/* @_call fails with @_errno and changes nothing: not @_slot, not the store. */
#define EXPECT_ERRNO_UNCHANGED(_errno, _slot, _call)				\
	do {									\
		struct dc_snapshot __before;					\
										\
		ASSERT_EQ(0, dc_snapshot(self->fd, _slot, &__before));		\
		EXPECT_ERRNO(_errno, _call);					\
		EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &__before));	\
		dc_snapshot_free(&__before);					\
	} while (0)

static char cert_buf[1024] = "-----BEGIN CERTIFICATE-----\n";
static char key_buf[512] = "-----BEGIN PRIVATE KEY-----\n";

/* A valid write of a small credential into @slot. */
static struct devcred_write small_write(__u32 slot)
{
	return dc_write_arg(slot, dc_origin_for(slot), cert_buf, sizeof(cert_buf),
			    key_buf, sizeof(key_buf));
}

static const __u32 bad_slots[] = { DEVCRED_SLOT_COUNT, 255, 0x80000000U, 0xffffffffU };

/* ---------------------------------------------------------------------- */

FIXTURE(devcred) {
	int fd;
};

FIXTURE_SETUP(devcred)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(devcred)
{
	close(self->fd);
}

/* First, before this program writes anything: a store never written binds all to builtin. */
TEST_F(devcred, bindings_default_to_builtin_on_fresh_store)
{
	struct devcred_bindings b;
	struct devcred_info info;
	int op;

	ASSERT_EQ(0, dc_info(self->fd, &info));
	if (info.sequence)
		SKIP(return, "the store was written already (record %llu): run on a fresh flash",
		     (unsigned long long)info.sequence);
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		EXPECT_EQ(DEVCRED_SLOT_BUILTIN, b.slot[op]);
}

TEST_F(devcred, length_info)
{
	struct devcred_info arg = { .size = sizeof(arg) };

	TEST_LENGTH(DEVCRED_IOC_INFO, arg);
}

TEST_F(devcred, length_slot_status)
{
	struct devcred_slot_status arg = { .size = sizeof(arg), .slot = APP };

	TEST_LENGTH(DEVCRED_IOC_SLOT_STATUS, arg);
}

TEST_F(devcred, length_read_cert)
{
	static char buf[2048];
	struct devcred_blob arg = {
		.size = sizeof(arg), .slot = APP, .len = sizeof(buf), .data = dc_ptr(buf),
	};
	struct devcred_write w = small_write(APP);

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	TEST_LENGTH(DEVCRED_IOC_READ_CERT, arg);
}

TEST_F(devcred, length_read_key)
{
	static char buf[2048];
	struct devcred_blob arg = {
		.size = sizeof(arg), .slot = APP, .len = sizeof(buf), .data = dc_ptr(buf),
	};
	struct devcred_write w = small_write(APP);

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	TEST_LENGTH(DEVCRED_IOC_READ_KEY, arg);
}

TEST_F(devcred, length_write)
{
	struct devcred_write arg = small_write(APP);

	TEST_LENGTH(DEVCRED_IOC_WRITE, arg);
}

TEST_F(devcred, length_erase)
{
	struct devcred_erase arg = { .size = sizeof(arg), .slot = APP };

	TEST_LENGTH(DEVCRED_IOC_ERASE, arg);
}

TEST_F(devcred, length_get_bindings)
{
	struct devcred_bindings arg = { .size = sizeof(arg) };

	TEST_LENGTH_FROM(DEVCRED_IOC_GET_BINDINGS, arg, DEVCRED_BINDINGS_SIZE_VER0);
}

TEST_F(devcred, length_set_bindings)
{
	struct devcred_bindings arg;

	/* SIP to where it is bound already. */
	ASSERT_EQ(0, dc_get_bindings(self->fd, &arg));
	arg.mask = 1U << DEVCRED_OP_SIP;
	arg.unavailable = 0;
	for (int op = 0; op < DEVCRED_OP_COUNT; op++)
		if (op != DEVCRED_OP_SIP)
			arg.slot[op] = 0;
	memset(arg.profile_cert, 0, sizeof(arg.profile_cert));
	memset(arg.profile_select, 0, sizeof(arg.profile_select));
	TEST_LENGTH_FROM(DEVCRED_IOC_SET_BINDINGS, arg, DEVCRED_BINDINGS_SIZE_VER0);
}

TEST_F(devcred, length_set_pending_key)
{
	struct devcred_pending_key arg = {
		.size = sizeof(arg), .slot = APP, .key_len = sizeof(key_buf),
		.key = dc_ptr(key_buf),
	};

	TEST_LENGTH(DEVCRED_IOC_SET_PENDING_KEY, arg);
}

TEST_F(devcred, size_zero_einval)
{
	struct devcred_info arg = { .size = 0 };

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_INFO, &arg));
}

static bool factory_mode_on(int fd)
{
	struct devcred_info info;

	return dc_info(fd, &info) || (info.flags & DEVCRED_INFO_FACTORY_MODE);
}

/*
 * DEVCRED_IOC_FORMAT on a store holding a record fails with EEXIST once its
 * argument passed the checks: the size contract shows without a format.
 */
TEST_F(devcred, length_format)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);
	struct {
		struct devcred_format cmd;
		__u8 extra;
	} big = { .cmd = { .size = sizeof(big.cmd) - 1 }, .extra = 0xff };

	ASSERT_FALSE(factory_mode_on(self->fd)) TH_LOG("factory mode would format the store");
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_FORMAT, &big));
	big.cmd.size = sizeof(big.cmd) + 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->fd, DEVCRED_IOC_FORMAT, &big));
	big.extra = 0;
	EXPECT_ERRNO(EEXIST, ioctl(self->fd, DEVCRED_IOC_FORMAT, &big));
}

/* A structure from a far future: a page long, the unknown part zero. */
TEST_F(devcred, size_page_zero_tail_accepted)
{
	struct {
		struct devcred_info info;
		__u8 tail[4096];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.info.size = sizeof(arg);
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_INFO, &arg));
	EXPECT_EQ(DEVCRED_ABI_VERSION, arg.info.abi_version);
	EXPECT_TRUE(dc_all_bytes(arg.tail, sizeof(arg.tail), 0));
}

TEST_F(devcred, size_page_nonzero_tail_e2big)
{
	struct {
		struct devcred_info info;
		__u8 tail[4096];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.info.size = sizeof(arg);
	arg.tail[sizeof(arg.tail) - 1] = 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->fd, DEVCRED_IOC_INFO, &arg));
}

TEST_F(devcred, null_argument_efault)
{
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, DEVCRED_IOC_INFO, NULL));
}

TEST_F(devcred, unknown_command_enotty)
{
	struct devcred_info arg = { .size = sizeof(arg) };

	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(DEVCRED_IOC_MAGIC, DEVCRED_CMD_LOAD_KEK + 1), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(DEVCRED_IOC_MAGIC, 0x7f), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(DEVCRED_IOC_MAGIC, 0xff), &arg));
}

TEST_F(devcred, wrong_magic_enotty)
{
	struct devcred_info arg = { .size = sizeof(arg) };

	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(DEVCRED_IOC_MAGIC + 1, DEVCRED_CMD_INFO), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(0, DEVCRED_CMD_INFO), &arg));
}

/* The commands are _IO(): the same number with a size and direction is another command. */
TEST_F(devcred, sized_command_number_enotty)
{
	struct devcred_info arg = { .size = sizeof(arg) };

	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IOWR(DEVCRED_IOC_MAGIC, DEVCRED_CMD_INFO,
						   struct devcred_info), &arg));
}

/* Every output field written, with sensible values; reserved ones zero. */
TEST_F(devcred, info_fields)
{
	unsigned long long size, erase, writesize;
	struct devcred_info info;
	char param[32];

	memset(&info, DC_POISON, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_INFO, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(DEVCRED_ABI_VERSION, info.abi_version);
	EXPECT_EQ(DEVCRED_SLOT_COUNT, info.slot_count);
	EXPECT_EQ(DEVCRED_OP_COUNT, info.op_count);
	EXPECT_EQ(0, info.flags & ~(DEVCRED_INFO_READONLY | DEVCRED_INFO_FACTORY_MODE |
				    DEVCRED_INFO_DAMAGED | DEVCRED_INFO_GONE |
				    DEVCRED_INFO_KEYS_CLEAR | DEVCRED_INFO_KEK_LOADED |
				    DEVCRED_INFO_SEALING_REQUIRED));
	/* A store in clear has no KEK to have loaded. */
	EXPECT_NE(DEVCRED_INFO_KEYS_CLEAR | DEVCRED_INFO_KEK_LOADED,
		  info.flags & (DEVCRED_INFO_KEYS_CLEAR | DEVCRED_INFO_KEK_LOADED));
	EXPECT_EQ(0, info.flags & (DEVCRED_INFO_READONLY | DEVCRED_INFO_DAMAGED |
				   DEVCRED_INFO_GONE));
	EXPECT_EQ(DEVCRED_FLASH_CERT_MAX, info.flash_cert_max);
	EXPECT_EQ(DEVCRED_FLASH_KEY_MAX, info.flash_key_max);
	EXPECT_NE(0, info.app_blob_max);
	EXPECT_NE(DC_POISON32, info.app_blob_max);
	if (!dc_param_read("app_blob_max", param, sizeof(param)))
		EXPECT_EQ(strtoul(param, NULL, 0), info.app_blob_max);
	if (!dc_param_read("app_store_max", param, sizeof(param)))
		EXPECT_EQ(strtoul(param, NULL, 0), info.app_store_max);
	EXPECT_LE(info.app_store_used, info.app_store_max);

	ASSERT_EQ(0, mtd_sysfs_ull(info.mtd_index, "size", &size));
	ASSERT_EQ(0, mtd_sysfs_ull(info.mtd_index, "erasesize", &erase));
	ASSERT_EQ(0, mtd_sysfs_ull(info.mtd_index, "writesize", &writesize));
	EXPECT_EQ(size, info.part_size);
	EXPECT_EQ(erase, info.erase_size);
	EXPECT_EQ(writesize, info.write_size);
	EXPECT_EQ(size / erase, info.blocks);
	EXPECT_LE(info.bad_blocks, info.blocks);
	if (info.sequence) {
		EXPECT_GT(info.blocks, info.record_block);
		EXPECT_GT(info.erase_size, info.record_offset);
	}
	EXPECT_NE(DC_POISON32, info.record_block);
	EXPECT_NE(DC_POISON32, info.record_offset);
	EXPECT_NE(DC_POISON32, info.skipped_records);
	EXPECT_NE(DC_POISON64, info.sequence);
	EXPECT_NE(DC_POISON64, info.generation);
	EXPECT_NE(DC_POISON64, info.erases);
	EXPECT_NE(DC_POISON64, info.bytes_written);
}

/* Check one slot's status: every output field written and consistent. */
static void check_status_fields(struct __test_metadata *_metadata, int fd, __u32 slot,
				__u64 store_generation)
{
	struct devcred_slot_status st;
	bool present;

	memset(&st, DC_POISON, sizeof(st));
	st.size = sizeof(st);
	st.slot = slot;
	st.reserved = 0;
	ASSERT_EQ(0, ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &st));
	present = st.flags & DEVCRED_SLOT_PRESENT;
	EXPECT_EQ(slot, st.slot);
	EXPECT_EQ(0, st.reserved);
	EXPECT_EQ(0, st.flags & ~(DEVCRED_SLOT_FLASH | DEVCRED_SLOT_PRESENT |
				  DEVCRED_SLOT_PENDING_KEY | DEVCRED_SLOT_INVALID));
	EXPECT_EQ(dc_is_flash(slot), !!(st.flags & DEVCRED_SLOT_FLASH));
	EXPECT_EQ(0, st.flags & DEVCRED_SLOT_INVALID);
	EXPECT_EQ(present, st.cert_len != 0);
	EXPECT_EQ(present, st.key_len != 0);
	EXPECT_EQ(!!(st.flags & DEVCRED_SLOT_PENDING_KEY), st.pending_key_len != 0);
	if (!present) {
		EXPECT_EQ(DEVCRED_ORIGIN_NONE, st.origin);
	} else if (slot == DEVCRED_SLOT_BUILTIN) {
		EXPECT_TRUE(st.origin == DEVCRED_ORIGIN_FACTORY ||
			    st.origin == DEVCRED_ORIGIN_SELF_SIGNED);
	} else {
		EXPECT_EQ(DEVCRED_ORIGIN_INSTALLED, st.origin);
	}
	if (dc_is_flash(slot)) {
		EXPECT_GE(DEVCRED_FLASH_CERT_MAX, st.cert_len);
		EXPECT_GE(DEVCRED_FLASH_KEY_MAX, st.key_len);
		EXPECT_GE(DEVCRED_FLASH_KEY_MAX, st.pending_key_len);
	}
	EXPECT_GE(store_generation, st.generation);
}

TEST_F(devcred, slot_status_fields)
{
	struct devcred_write w = small_write(APP);
	__u32 slot;

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++)
		check_status_fields(_metadata, self->fd, slot, dc_generation(self->fd));
}

TEST_F(devcred, read_cert_fields)
{
	struct devcred_write w = small_write(APP);
	struct devcred_slot_status st;
	struct devcred_blob b;
	static char buf[2048];

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	ASSERT_EQ(0, dc_status(self->fd, APP, &st));
	memset(&b, DC_POISON, sizeof(b));
	b.size = sizeof(b);
	b.slot = APP;
	b.flags = 0;
	b.len = sizeof(buf);
	b.data = dc_ptr(buf);
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_READ_CERT, &b));
	EXPECT_EQ(sizeof(b), b.size);
	EXPECT_EQ(APP, b.slot);
	EXPECT_EQ(0, b.flags);
	EXPECT_EQ(sizeof(cert_buf), b.len);
	EXPECT_EQ(dc_ptr(buf), b.data);
	EXPECT_EQ(st.generation, b.generation);
}

TEST_F(devcred, get_bindings_fields)
{
	struct devcred_slot_status st;
	struct devcred_bindings b;
	int op;

	memset(&b, DC_POISON, sizeof(b));
	b.size = sizeof(b);
	b.mask = 0;
	b.reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_GET_BINDINGS, &b));
	EXPECT_EQ(0, b.mask);
	EXPECT_EQ(0, b.reserved);
	EXPECT_EQ(0, b.slot[DEVCRED_OP_COUNT]);
	EXPECT_EQ(0, b.unavailable & ~ALL_OPS);
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		EXPECT_GT(op < DEVCRED_OP_FLASH_ONLY_END ? DEVCRED_FLASH_SLOTS :
			  DEVCRED_SLOT_COUNT, b.slot[op]);
		ASSERT_EQ(0, dc_status(self->fd, b.slot[op], &st));
		EXPECT_EQ(!(st.flags & DEVCRED_SLOT_PRESENT), !!(b.unavailable & (1U << op)));
	}
}

/* ---- DEVCRED_IOC_SLOT_STATUS ---- */

TEST_F(devcred, slot_status_bad_slot_einval)
{
	struct devcred_slot_status st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++)
		EXPECT_ERRNO(EINVAL, dc_status(self->fd, bad_slots[i], &st));
}

TEST_F(devcred, slot_status_reserved_einval)
{
	struct devcred_slot_status st = { .size = sizeof(st), .slot = APP, .reserved = 1 };

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_SLOT_STATUS, &st));
}

/* ---- DEVCRED_IOC_READ_CERT, DEVCRED_IOC_READ_KEY ---- */

TEST_F(devcred, read_cert_bad_slot_einval)
{
	char buf[16];
	unsigned int i;
	__u32 len;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++) {
		len = sizeof(buf);
		EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_CERT, bad_slots[i], 0,
					     buf, &len, NULL));
	}
}

TEST_F(devcred, read_key_bad_slot_einval)
{
	char buf[16];
	unsigned int i;
	__u32 len;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++) {
		len = sizeof(buf);
		EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_KEY, bad_slots[i], 0,
					     buf, &len, NULL));
	}
}

/* DEVCRED_READ_PENDING is for READ_KEY only. */
TEST_F(devcred, read_cert_pending_flag_einval)
{
	struct devcred_write w = small_write(APP);
	static char buf[2048];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_CERT, APP, DEVCRED_READ_PENDING,
				     buf, &len, NULL));
}

TEST_F(devcred, read_cert_unknown_flag_einval)
{
	struct devcred_write w = small_write(APP);
	static char buf[2048];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_CERT, APP, 0x2, buf, &len, NULL));
	len = sizeof(buf);
	EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_CERT, APP, 0x80000000U,
				     buf, &len, NULL));
}

TEST_F(devcred, read_key_unknown_flag_einval)
{
	struct devcred_write w = small_write(APP);
	static char buf[2048];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_KEY, APP, 0x2, buf, &len, NULL));
	len = sizeof(buf);
	EXPECT_ERRNO(EINVAL, dc_read(self->fd, DEVCRED_IOC_READ_KEY, APP,
				     DEVCRED_READ_PENDING | 0x80000000U, buf, &len, NULL));
}

TEST_F(devcred, read_bad_buffer_efault)
{
	struct devcred_write w = small_write(APP);
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__u32 len = 4096;

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO(EFAULT, dc_read(self->fd, DEVCRED_IOC_READ_CERT, APP, 0, none, &len, NULL));
	munmap(none, 4096);
}

/* ---- DEVCRED_IOC_WRITE: validation, nothing changes ---- */

TEST_F(devcred, write_bad_slot_einval)
{
	struct devcred_write w = small_write(APP);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++) {
		w.slot = bad_slots[i];
		EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	}
}

TEST_F(devcred, write_unknown_flag_einval)
{
	struct devcred_write w = small_write(APP);

	w.flags = DEVCRED_WRITE_EXPECT_GENERATION << 1;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.flags = 0x80000000U;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_origin_none_einval)
{
	static const __u32 slots[] = {
		DEVCRED_SLOT_BUILTIN, DEVCRED_SLOT_PLATFORM1, DEVCRED_SLOT_APP1,
	};
	struct devcred_write w;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		w = small_write(slots[i]);
		w.origin = DEVCRED_ORIGIN_NONE;
		EXPECT_ERRNO_UNCHANGED(EINVAL, slots[i], ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	}
}

TEST_F(devcred, write_origin_unknown_einval)
{
	struct devcred_write w = small_write(APP);

	w.origin = DEVCRED_ORIGIN_INSTALLED + 1;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.origin = 0xffffffffU;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_builtin_origin_installed_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_BUILTIN);

	w.origin = DEVCRED_ORIGIN_INSTALLED;
	EXPECT_ERRNO_UNCHANGED(EINVAL, DEVCRED_SLOT_BUILTIN,
			       ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_platform_origin_factory_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);

	w.origin = DEVCRED_ORIGIN_FACTORY;
	EXPECT_ERRNO_UNCHANGED(EINVAL, w.slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.slot = DEVCRED_SLOT_PLATFORM2;
	EXPECT_ERRNO_UNCHANGED(EINVAL, w.slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_platform_origin_self_signed_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);

	w.origin = DEVCRED_ORIGIN_SELF_SIGNED;
	EXPECT_ERRNO_UNCHANGED(EINVAL, w.slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.slot = DEVCRED_SLOT_PLATFORM2;
	EXPECT_ERRNO_UNCHANGED(EINVAL, w.slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_app_origin_factory_einval)
{
	struct devcred_write w = small_write(APP);

	w.origin = DEVCRED_ORIGIN_FACTORY;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_app_origin_self_signed_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_APP6);

	w.origin = DEVCRED_ORIGIN_SELF_SIGNED;
	EXPECT_ERRNO_UNCHANGED(EINVAL, w.slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_cert_len_zero_einval)
{
	struct devcred_write w = small_write(APP);

	w.cert_len = 0;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_key_len_zero_einval)
{
	struct devcred_write w = small_write(APP);

	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	w.key_len = 0;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, write_use_pending_key_with_key_einval)
{
	struct devcred_write w = small_write(APP);

	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	w.flags = DEVCRED_WRITE_USE_PENDING_KEY;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

/* With key_len 0 the key pointer is unused, and must be zero. */
TEST_F(devcred, write_use_pending_key_with_key_pointer_einval)
{
	struct devcred_write w = small_write(APP);

	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	w.flags = DEVCRED_WRITE_USE_PENDING_KEY;
	w.key_len = 0;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(devcred, set_pending_key_len_zero_with_pointer_einval)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = APP, .key_len = 0, .key = dc_ptr(key_buf),
	};

	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_SET_PENDING_KEY, &p));
}

TEST_F(devcred, write_bad_cert_pointer_efault)
{
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct devcred_write w = small_write(APP);

	ASSERT_NE(MAP_FAILED, none);
	w.cert = dc_ptr(none);
	EXPECT_ERRNO_UNCHANGED(EFAULT, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w = small_write(APP);
	w.key = dc_ptr(none);
	EXPECT_ERRNO_UNCHANGED(EFAULT, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	munmap(none, 4096);
}

/* ---- DEVCRED_IOC_ERASE, DEVCRED_IOC_SET_PENDING_KEY: validation ---- */

TEST_F(devcred, erase_bad_slot_einval)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++)
		EXPECT_ERRNO_UNCHANGED(EINVAL, APP, dc_erase(self->fd, bad_slots[i]));
}

TEST_F(devcred, erase_unknown_flag_einval)
{
	struct devcred_write w = small_write(APP);
	struct devcred_erase e = { .size = sizeof(e), .slot = APP, .flags = 1 };

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_ERASE, &e));
	e.flags = 0x80000000U;
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_ERASE, &e));
}

TEST_F(devcred, erase_reserved_einval)
{
	struct devcred_write w = small_write(APP);
	struct devcred_erase e = { .size = sizeof(e), .slot = APP, .reserved = 1 };

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_ERASE, &e));
}

TEST_F(devcred, format_unknown_flag_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);
	struct devcred_format f = { .size = sizeof(f), .flags = 1 };

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO_UNCHANGED(EINVAL, DEVCRED_SLOT_PLATFORM1,
			       ioctl(self->fd, DEVCRED_IOC_FORMAT, &f));
	f.flags = 0x80000000U;
	EXPECT_ERRNO_UNCHANGED(EINVAL, DEVCRED_SLOT_PLATFORM1,
			       ioctl(self->fd, DEVCRED_IOC_FORMAT, &f));
}

/* FORMAT is for a damaged store: one with a readable record refuses it. */
TEST_F(devcred, format_with_a_record_eexist)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);
	struct devcred_format f = { .size = sizeof(f) };

	ASSERT_FALSE(factory_mode_on(self->fd)) TH_LOG("factory mode would format the store");
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO_UNCHANGED(EEXIST, DEVCRED_SLOT_PLATFORM1,
			       ioctl(self->fd, DEVCRED_IOC_FORMAT, &f));
}

/* ---- keys sealed at rest: the arguments (selftests/boot/sealing.sh the rest) ---- */

TEST_F(devcred, read_seal_bad_which_or_reserved_einval)
{
	char buf[64];
	struct devcred_seal_blob sb = {
		.size = sizeof(sb), .which = DEVCRED_SEAL_KEK + 1, .len = sizeof(buf),
		.data = dc_ptr(buf),
	};

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_READ_SEAL, &sb));
	sb.which = 0x80000000U;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_READ_SEAL, &sb));
	sb.which = DEVCRED_SEAL_KMK;
	sb.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_READ_SEAL, &sb));
}

/* A store in clear has no blobs; LOAD_KEK has nothing to load there. */
TEST_F(devcred, seal_on_a_store_in_clear_enoent)
{
	struct devcred_info info = { .size = sizeof(info) };
	struct devcred_kek k = { .size = sizeof(k) };
	char buf[64];
	struct devcred_seal_blob sb = {
		.size = sizeof(sb), .which = DEVCRED_SEAL_KMK, .len = sizeof(buf),
		.data = dc_ptr(buf),
	};

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_INFO, &info));
	if (!(info.flags & DEVCRED_INFO_KEYS_CLEAR))
		SKIP(return, "the store is sealed (flags %#x)", info.flags);
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, DEVCRED_IOC_READ_SEAL, &sb));
	sb.which = DEVCRED_SEAL_KEK;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, DEVCRED_IOC_READ_SEAL, &sb));
	/* Without the kernel keys in the keyrings: ENOKEY before anything else. */
	EXPECT_ERRNO(ENOKEY, ioctl(self->fd, DEVCRED_IOC_LOAD_KEK, &k));
}

TEST_F(devcred, load_kek_unknown_flag_einval)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_PLATFORM1);
	struct devcred_kek k = { .size = sizeof(k), .flags = DEVCRED_KEK_NEW << 1 };

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO_UNCHANGED(EINVAL, DEVCRED_SLOT_PLATFORM1,
			       ioctl(self->fd, DEVCRED_IOC_LOAD_KEK, &k));
	k.flags = 0x80000000U | DEVCRED_KEK_NEW;
	EXPECT_ERRNO_UNCHANGED(EINVAL, DEVCRED_SLOT_PLATFORM1,
			       ioctl(self->fd, DEVCRED_IOC_LOAD_KEK, &k));
}

TEST_F(devcred, set_pending_key_bad_slot_einval)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_slots); i++)
		EXPECT_ERRNO_UNCHANGED(EINVAL, APP,
				       dc_set_pending(self->fd, bad_slots[i], key_buf, 100));
}

TEST_F(devcred, set_pending_key_flags_einval)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = APP, .flags = 1, .key_len = 100,
		.key = dc_ptr(key_buf),
	};

	EXPECT_ERRNO_UNCHANGED(EINVAL, APP, ioctl(self->fd, DEVCRED_IOC_SET_PENDING_KEY, &p));
}

/* ---- generations ---- */

/* Each kind of change moves the store generation, and the slot's with it. */
TEST_F(devcred, generation_increases_on_every_change)
{
	struct devcred_write w = small_write(APP);
	struct devcred_slot_status st;
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };
	struct devcred_bindings b;
	__u64 gen, now;

	ASSERT_EQ(0, dc_erase(self->fd, APP));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	gen = dc_generation(self->fd);

#define EXPECT_NEWER(_slot_changed)						\
	do {									\
		now = dc_generation(self->fd);					\
		EXPECT_LT(gen, now);						\
		ASSERT_EQ(0, dc_status(self->fd, APP, &st));			\
		if (_slot_changed)						\
			EXPECT_EQ(now, st.generation);				\
		gen = now;							\
	} while (0)

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_NEWER(true);
	w.cert_len = 500;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_NEWER(true);
	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 100));
	EXPECT_NEWER(true);
	w.flags = DEVCRED_WRITE_USE_PENDING_KEY;
	w.key_len = 0;
	w.key = 0;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_NEWER(true);
	slots[DEVCRED_OP_LDAP] = b.slot[DEVCRED_OP_LDAP] == APP ? DEVCRED_SLOT_APP2 : APP;
	ASSERT_EQ(0, dc_set_bindings(self->fd, 1U << DEVCRED_OP_LDAP, slots));
	EXPECT_NEWER(false);
	ASSERT_EQ(0, dc_erase(self->fd, APP));
	EXPECT_NEWER(true);
#undef EXPECT_NEWER
	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_LDAP, b.slot[DEVCRED_OP_LDAP]));
}

/* ---- the application store ---- */

TEST_F(devcred, app_store_used_tracks_blobs)
{
	struct devcred_info info;
	__u32 base;

	ASSERT_EQ(0, dc_erase_app_slots(self->fd));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(0, info.app_store_used);
	base = info.app_store_used;

	ASSERT_EQ(0, dc_write(self->fd, APP, DEVCRED_ORIGIN_INSTALLED, cert_buf, 1000,
			      key_buf, 500));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base + 1500, info.app_store_used);
	ASSERT_EQ(0, dc_write(self->fd, DEVCRED_SLOT_APP4, DEVCRED_ORIGIN_INSTALLED, cert_buf, 10,
			      key_buf, 20));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base + 1530, info.app_store_used);
	/* Replacing counts the new pair instead of the old one. */
	ASSERT_EQ(0, dc_write(self->fd, APP, DEVCRED_ORIGIN_INSTALLED, cert_buf, 700,
			      key_buf, 300));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base + 1030, info.app_store_used);
	ASSERT_EQ(0, dc_set_pending(self->fd, APP, key_buf, 200));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base + 1230, info.app_store_used);
	ASSERT_EQ(0, dc_erase(self->fd, APP));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base + 30, info.app_store_used);
	ASSERT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_APP4));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(base, info.app_store_used);
}

/* Flash slots do not count against the application store. */
TEST_F(devcred, app_store_used_ignores_flash_slots)
{
	struct devcred_info before, after;

	ASSERT_EQ(0, dc_info(self->fd, &before));
	ASSERT_EQ(0, dc_write(self->fd, DEVCRED_SLOT_PLATFORM2, DEVCRED_ORIGIN_INSTALLED,
			      cert_buf, 1000, key_buf, 500));
	ASSERT_EQ(0, dc_info(self->fd, &after));
	EXPECT_EQ(before.app_store_used, after.app_store_used);
	ASSERT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_PLATFORM2));
}

/* ---------------------------------------------------------------------- */
/* Every slot, flash and application: writes, reads, erases, pending keys. */

FIXTURE(slot) {
	int fd;
	__u32 slot;
	__u32 origin;
	struct dc_cred a, b;
};

FIXTURE_VARIANT(slot) {
	__u32 slot;
};

FIXTURE_VARIANT_ADD(slot, builtin) { .slot = DEVCRED_SLOT_BUILTIN };
FIXTURE_VARIANT_ADD(slot, platform1) { .slot = DEVCRED_SLOT_PLATFORM1 };
FIXTURE_VARIANT_ADD(slot, platform2) { .slot = DEVCRED_SLOT_PLATFORM2 };
FIXTURE_VARIANT_ADD(slot, app1) { .slot = DEVCRED_SLOT_APP1 };
FIXTURE_VARIANT_ADD(slot, app6) { .slot = DEVCRED_SLOT_APP6 };

FIXTURE_SETUP(slot)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->slot = variant->slot;
	self->origin = dc_origin_for(variant->slot);
	if (self->slot == DEVCRED_SLOT_BUILTIN && dc_builtin_factory_locked(self->fd))
		SKIP(return, "builtin holds a factory credential and factory mode is off");
	ASSERT_EQ(0, dc_erase(self->fd, self->slot));
	dc_make_cred(&self->a, 2 * self->slot + 1);
	dc_make_cred(&self->b, 2 * self->slot + 2);
}

FIXTURE_TEARDOWN(slot)
{
	/* Keeps the flash records small for the tests that follow. */
	dc_erase(self->fd, self->slot);
	close(self->fd);
}

TEST_F(slot, write_sets_status)
{
	struct devcred_slot_status st;
	__u64 gen = dc_generation(self->fd);

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_SLOT_PRESENT | (dc_is_flash(self->slot) ? DEVCRED_SLOT_FLASH : 0),
		  st.flags);
	EXPECT_EQ(self->origin, st.origin);
	EXPECT_EQ(self->a.cert_len, st.cert_len);
	EXPECT_EQ(self->a.key_len, st.key_len);
	EXPECT_EQ(0, st.pending_key_len);
	EXPECT_EQ(0, st.reserved);
	EXPECT_LT(gen, st.generation);
	EXPECT_EQ(dc_generation(self->fd), st.generation);
}

TEST_F(slot, read_back_pem)
{
	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->a.cert, self->a.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->a.key, self->a.key_len));
}

/* Blobs are bytes to the kernel: zeros, 0xff, anything. */
TEST_F(slot, read_back_binary)
{
	char cert[3000], key[2000];

	dc_fill_random(cert, sizeof(cert), 7 + self->slot);
	dc_fill_random(key, sizeof(key), 70 + self->slot);
	cert[0] = 0;
	key[sizeof(key) - 1] = 0;
	ASSERT_EQ(0, dc_write(self->fd, self->slot, self->origin, cert, sizeof(cert),
			      key, sizeof(key)));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				cert, sizeof(cert)));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				key, sizeof(key)));
}

TEST_F(slot, rewrite_replaces_pair)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->b));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(self->b.cert_len, st.cert_len);
	EXPECT_EQ(self->b.key_len, st.key_len);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->b.cert, self->b.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->b.key, self->b.key_len));
}

/* A short buffer: ENOSPC, the length needed, and not a byte copied. */
TEST_F(slot, read_cert_short_buffer_enospc)
{
	char buf[1024];
	__u32 len = self->a.cert_len - 1;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	memset(buf, DC_POISON, sizeof(buf));
	EXPECT_ERRNO(ENOSPC, dc_read(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				     buf, &len, NULL));
	EXPECT_EQ(self->a.cert_len, len);
	EXPECT_TRUE(dc_all_bytes(buf, sizeof(buf), DC_POISON));
}

TEST_F(slot, read_key_short_buffer_enospc)
{
	char buf[512];
	__u32 len = self->a.key_len - 1;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	memset(buf, DC_POISON, sizeof(buf));
	EXPECT_ERRNO(ENOSPC, dc_read(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				     buf, &len, NULL));
	EXPECT_EQ(self->a.key_len, len);
	EXPECT_TRUE(dc_all_bytes(buf, sizeof(buf), DC_POISON));
}

/* How a caller learns the length: len 0, no buffer. */
TEST_F(slot, read_len_zero_reports_length)
{
	__u32 len = 0;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	EXPECT_ERRNO(ENOSPC, dc_read(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				     NULL, &len, NULL));
	EXPECT_EQ(self->a.cert_len, len);
	len = 0;
	EXPECT_ERRNO(ENOSPC, dc_read(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				     NULL, &len, NULL));
	EXPECT_EQ(self->a.key_len, len);
}

TEST_F(slot, read_cert_empty_enoent)
{
	char buf[64];
	__u32 len = sizeof(buf);

	EXPECT_ERRNO(ENOENT, dc_read(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				     buf, &len, NULL));
}

TEST_F(slot, read_key_empty_enoent)
{
	char buf[64];
	__u32 len = sizeof(buf);

	EXPECT_ERRNO(ENOENT, dc_read(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				     buf, &len, NULL));
}

TEST_F(slot, read_pending_key_none_enoent)
{
	char buf[64];
	__u32 len = sizeof(buf);

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	EXPECT_ERRNO(ENOENT, dc_read(self->fd, DEVCRED_IOC_READ_KEY, self->slot,
				     DEVCRED_READ_PENDING, buf, &len, NULL));
}

TEST_F(slot, erase_clears_slot)
{
	struct devcred_slot_status st;
	__u64 gen;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->b.key, self->b.key_len));
	gen = dc_generation(self->fd);
	ASSERT_EQ(0, dc_erase(self->fd, self->slot));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(dc_is_flash(self->slot) ? DEVCRED_SLOT_FLASH : 0, st.flags);
	EXPECT_EQ(DEVCRED_ORIGIN_NONE, st.origin);
	EXPECT_EQ(0, st.cert_len);
	EXPECT_EQ(0, st.key_len);
	EXPECT_EQ(0, st.pending_key_len);
	EXPECT_LT(gen, st.generation);
	EXPECT_EQ(dc_generation(self->fd), st.generation);
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0, NULL, 0));
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0, NULL, 0));
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot,
				     DEVCRED_READ_PENDING, NULL, 0));
}

/* Erasing an empty slot succeeds, changes nothing and writes no flash. */
TEST_F(slot, erase_empty_slot_succeeds)
{
	struct devcred_slot_status before, after;
	struct devcred_info info0, info1;

	ASSERT_EQ(0, dc_status(self->fd, self->slot, &before));
	ASSERT_EQ(0, before.flags & DEVCRED_SLOT_PRESENT);
	ASSERT_EQ(0, dc_info(self->fd, &info0));
	EXPECT_EQ(0, dc_erase(self->fd, self->slot));
	ASSERT_EQ(0, dc_info(self->fd, &info1));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(info0.sequence, info1.sequence);
	EXPECT_EQ(info0.bytes_written, info1.bytes_written);
}

/* expect_generation that no longer matches: EAGAIN, the slot as it was. */
TEST_F(slot, expect_generation_mismatch_eagain)
{
	struct devcred_slot_status st;
	struct devcred_write w = dc_write_arg(self->slot, self->origin,
					      self->b.cert, self->b.cert_len,
					      self->b.key, self->b.key_len);

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	w.expect_generation = st.generation + 1;
	EXPECT_ERRNO_UNCHANGED(EAGAIN, self->slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.expect_generation = st.generation - 1;
	if (w.expect_generation)
		EXPECT_ERRNO_UNCHANGED(EAGAIN, self->slot,
				       ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->a.cert, self->a.cert_len));
}

TEST_F(slot, expect_generation_match_writes)
{
	struct devcred_slot_status st;
	struct devcred_write w = dc_write_arg(self->slot, self->origin,
					      self->b.cert, self->b.cert_len,
					      self->b.key, self->b.key_len);

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	w.expect_generation = st.generation;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->b.cert, self->b.cert_len));
}

/*
 * DEVCRED_WRITE_EXPECT_GENERATION compares expect_generation even when it
 * is 0: "only if the slot is still as I saw it", a never-changed slot
 * included. Without the flag 0 still means "don't check".
 */
TEST_F(slot, expect_generation_flag_checks_zero)
{
	struct devcred_slot_status st;
	struct devcred_write w = dc_write_arg(self->slot, self->origin,
					      self->b.cert, self->b.cert_len,
					      self->b.key, self->b.key_len);

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	ASSERT_NE(0, st.generation);
	w.flags = DEVCRED_WRITE_EXPECT_GENERATION;
	w.expect_generation = 0;
	EXPECT_ERRNO_UNCHANGED(EAGAIN, self->slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	w.expect_generation = st.generation;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->b.cert, self->b.cert_len));
	w.flags = 0;
	w.expect_generation = 0;
	EXPECT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

/* A slot never changed since boot has generation 0: the flag takes it. */
TEST_F(devcred, expect_generation_flag_on_a_never_written_slot)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_APP5);
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_status(self->fd, DEVCRED_SLOT_APP5, &st));
	if (st.generation)
		SKIP(return, "app5 was written in this boot (generation %llu)",
		     (unsigned long long)st.generation);
	w.flags = DEVCRED_WRITE_EXPECT_GENERATION;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_ERRNO(EAGAIN, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	EXPECT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_APP5));
}

/* A pending key sits next to the credential without touching it. */
TEST_F(slot, pending_key_keeps_credential)
{
	struct devcred_slot_status st;
	__u64 gen;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	gen = dc_generation(self->fd);
	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->b.key, self->b.key_len));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_SLOT_PRESENT | DEVCRED_SLOT_PENDING_KEY |
		  (dc_is_flash(self->slot) ? DEVCRED_SLOT_FLASH : 0), st.flags);
	EXPECT_EQ(self->origin, st.origin);
	EXPECT_EQ(self->a.cert_len, st.cert_len);
	EXPECT_EQ(self->a.key_len, st.key_len);
	EXPECT_EQ(self->b.key_len, st.pending_key_len);
	EXPECT_LT(gen, dc_generation(self->fd));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->a.cert, self->a.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->a.key, self->a.key_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, DEVCRED_READ_PENDING,
				self->b.key, self->b.key_len));
}

TEST_F(slot, pending_key_in_empty_slot)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->b.key, self->b.key_len));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_SLOT_PENDING_KEY | (dc_is_flash(self->slot) ? DEVCRED_SLOT_FLASH : 0),
		  st.flags);
	EXPECT_EQ(DEVCRED_ORIGIN_NONE, st.origin);
	EXPECT_EQ(0, st.cert_len);
	EXPECT_EQ(0, st.key_len);
	EXPECT_EQ(self->b.key_len, st.pending_key_len);
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0, NULL, 0));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, DEVCRED_READ_PENDING,
				self->b.key, self->b.key_len));
}

TEST_F(slot, pending_key_len_zero_drops_it)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->b.key, self->b.key_len));
	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, NULL, 0));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(0, st.flags & DEVCRED_SLOT_PENDING_KEY);
	EXPECT_EQ(0, st.pending_key_len);
	EXPECT_EQ(self->a.key_len, st.key_len);
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot,
				     DEVCRED_READ_PENDING, NULL, 0));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->a.key, self->a.key_len));
}

TEST_F(slot, pending_key_drop_without_one_succeeds)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	EXPECT_EQ(0, dc_set_pending(self->fd, self->slot, NULL, 0));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(0, st.flags & DEVCRED_SLOT_PENDING_KEY);
	EXPECT_EQ(self->a.key_len, st.key_len);
}

/* The certificate for a CSR arrives: it takes the pending key, which is consumed. */
TEST_F(slot, write_use_pending_key)
{
	struct devcred_write w = dc_write_arg(self->slot, self->origin,
					      self->b.cert, self->b.cert_len, NULL, 0);
	struct devcred_slot_status st;

	w.flags = DEVCRED_WRITE_USE_PENDING_KEY;
	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->b.key, self->b.key_len));
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_SLOT_PRESENT | (dc_is_flash(self->slot) ? DEVCRED_SLOT_FLASH : 0),
		  st.flags);
	EXPECT_EQ(self->origin, st.origin);
	EXPECT_EQ(self->b.cert_len, st.cert_len);
	EXPECT_EQ(self->b.key_len, st.key_len);
	EXPECT_EQ(0, st.pending_key_len);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->b.cert, self->b.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->b.key, self->b.key_len));
	EXPECT_EQ(ENOENT, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot,
				     DEVCRED_READ_PENDING, NULL, 0));
}

TEST_F(slot, write_use_pending_key_without_one_enoent)
{
	struct devcred_write w = dc_write_arg(self->slot, self->origin,
					      self->b.cert, self->b.cert_len, NULL, 0);

	w.flags = DEVCRED_WRITE_USE_PENDING_KEY;
	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->a));
	EXPECT_ERRNO_UNCHANGED(ENOENT, self->slot, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

/* ---------------------------------------------------------------------- */
/* Flash slots: certificate at most 8192 bytes, keys at most 4096. */

FIXTURE(flash) {
	int fd;
	__u32 slot;
	char cert[DEVCRED_FLASH_CERT_MAX + 1];
	char key[DEVCRED_FLASH_KEY_MAX + 1];
	struct dc_cred small;
};

FIXTURE_VARIANT(flash) {
	__u32 slot;
};

FIXTURE_VARIANT_ADD(flash, builtin) { .slot = DEVCRED_SLOT_BUILTIN };
FIXTURE_VARIANT_ADD(flash, platform1) { .slot = DEVCRED_SLOT_PLATFORM1 };
FIXTURE_VARIANT_ADD(flash, platform2) { .slot = DEVCRED_SLOT_PLATFORM2 };

FIXTURE_SETUP(flash)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->slot = variant->slot;
	if (self->slot == DEVCRED_SLOT_BUILTIN && dc_builtin_factory_locked(self->fd))
		SKIP(return, "builtin holds a factory credential and factory mode is off");
	dc_fill_pem(self->cert, sizeof(self->cert), "CERTIFICATE", 100 + self->slot);
	dc_fill_pem(self->key, sizeof(self->key), "PRIVATE KEY", 200 + self->slot);
	dc_make_cred(&self->small, 300 + self->slot);
	/* A credential in place, that a refused write must leave alone. */
	ASSERT_EQ(0, dc_put_cred(self->fd, self->slot, &self->small));
}

FIXTURE_TEARDOWN(flash)
{
	dc_erase(self->fd, self->slot);
	close(self->fd);
}

static int flash_write(FIXTURE_DATA(flash) *self, __u32 cert_len, __u32 key_len)
{
	return dc_write(self->fd, self->slot, dc_origin_for(self->slot), self->cert, cert_len,
			self->key, key_len);
}

TEST_F(flash, largest_blobs_accepted)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, flash_write(self, DEVCRED_FLASH_CERT_MAX, DEVCRED_FLASH_KEY_MAX));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_FLASH_CERT_MAX, st.cert_len);
	EXPECT_EQ(DEVCRED_FLASH_KEY_MAX, st.key_len);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->cert, DEVCRED_FLASH_CERT_MAX));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				self->key, DEVCRED_FLASH_KEY_MAX));
}

/*
 * @_call is refused with EFBIG, changing nothing, and the last devcred line
 * of the kernel log names @_slot, @_what, @_len and @_max. Refusals are
 * logged at a bounded rate (the kernel's default: a burst of 10 lines per
 * message every 5 s), and the tests before may have spent the burst: when
 * the line is missing, wait out the interval and ask once more.
 */
#define EXPECT_EFBIG_LOGGED(_slot, _call, _what, _len, _max)			\
	do {									\
		EXPECT_ERRNO_UNCHANGED(EFBIG, _slot, _call);			\
		if (!dc_klog_says(dc_slot_name(_slot), _what, _len, _max, true)) {	\
			sleep(DC_RATELIMIT_WAIT);				\
			EXPECT_ERRNO(EFBIG, _call);				\
		}								\
		EXPECT_TRUE(dc_klog_reports(dc_slot_name(_slot), _what, _len, _max));	\
	} while (0)

TEST_F(flash, cert_too_big_efbig)
{
	EXPECT_EFBIG_LOGGED(self->slot, flash_write(self, DEVCRED_FLASH_CERT_MAX + 1, 100),
			    "certificate", DEVCRED_FLASH_CERT_MAX + 1, DEVCRED_FLASH_CERT_MAX);
}

TEST_F(flash, key_too_big_efbig)
{
	EXPECT_EFBIG_LOGGED(self->slot, flash_write(self, 100, DEVCRED_FLASH_KEY_MAX + 1),
			    "private key", DEVCRED_FLASH_KEY_MAX + 1, DEVCRED_FLASH_KEY_MAX);
}

TEST_F(flash, largest_pending_key_accepted)
{
	struct devcred_slot_status st;

	ASSERT_EQ(0, dc_set_pending(self->fd, self->slot, self->key, DEVCRED_FLASH_KEY_MAX));
	ASSERT_EQ(0, dc_status(self->fd, self->slot, &st));
	EXPECT_EQ(DEVCRED_FLASH_KEY_MAX, st.pending_key_len);
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, DEVCRED_READ_PENDING,
				self->key, DEVCRED_FLASH_KEY_MAX));
}

TEST_F(flash, pending_key_too_big_efbig)
{
	EXPECT_EFBIG_LOGGED(self->slot,
			    dc_set_pending(self->fd, self->slot, self->key, DEVCRED_FLASH_KEY_MAX + 1),
			    "private key", DEVCRED_FLASH_KEY_MAX + 1, DEVCRED_FLASH_KEY_MAX);
}

/* ---------------------------------------------------------------------- */
/* Application slots: app_blob_max per blob, app_store_max for them all. */

FIXTURE(app) {
	int fd;
	__u32 slot;
	struct devcred_info info;
	char *buf;	/* app_blob_max + 1 bytes */
};

FIXTURE_VARIANT(app) {
	__u32 slot;
};

FIXTURE_VARIANT_ADD(app, app1) { .slot = DEVCRED_SLOT_APP1 };
FIXTURE_VARIANT_ADD(app, app6) { .slot = DEVCRED_SLOT_APP6 };

FIXTURE_SETUP(app)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->slot = variant->slot;
	ASSERT_EQ(0, dc_erase_app_slots(self->fd));
	ASSERT_EQ(0, dc_info(self->fd, &self->info));
	ASSERT_EQ(0, self->info.app_store_used);
	self->buf = malloc(self->info.app_blob_max + 1);
	ASSERT_NE(NULL, self->buf);
	dc_fill_pem(self->buf, self->info.app_blob_max + 1, "CERTIFICATE", self->slot);
}

FIXTURE_TEARDOWN(app)
{
	dc_erase_app_slots(self->fd);
	free(self->buf);
	close(self->fd);
}

/* Blobs far over the flash limits are fine in RAM. */
TEST_F(app, blobs_of_20000_bytes_accepted)
{
	static char key[20000];
	struct devcred_info info;

	if (self->info.app_blob_max < 20000 || self->info.app_store_max < 40000)
		SKIP(return, "app_blob_max %u, app_store_max %u: too small",
		     self->info.app_blob_max, self->info.app_store_max);
	dc_fill_random(key, sizeof(key), 20000);
	ASSERT_EQ(0, dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED, self->buf, 20000,
			      key, sizeof(key)));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0,
				self->buf, 20000));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, self->slot, 0,
				key, sizeof(key)));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(40000, info.app_store_used);
}

TEST_F(app, largest_blob_accepted)
{
	__u32 max = self->info.app_blob_max;

	if (self->info.app_store_max < max + 1)
		SKIP(return, "app_store_max %u < app_blob_max + 1", self->info.app_store_max);
	ASSERT_EQ(0, dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED, self->buf, max,
			      key_buf, 1));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, self->slot, 0, self->buf, max));
}

TEST_F(app, cert_too_big_efbig)
{
	__u32 max = self->info.app_blob_max;

	EXPECT_EFBIG_LOGGED(self->slot,
			    dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED,
				     self->buf, max + 1, key_buf, 100),
			    "certificate", max + 1, max);
}

TEST_F(app, key_too_big_efbig)
{
	__u32 max = self->info.app_blob_max;

	EXPECT_EFBIG_LOGGED(self->slot,
			    dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED,
				     cert_buf, 100, self->buf, max + 1),
			    "private key", max + 1, max);
}

TEST_F(app, pending_key_too_big_efbig)
{
	__u32 max = self->info.app_blob_max;

	EXPECT_EFBIG_LOGGED(self->slot, dc_set_pending(self->fd, self->slot, self->buf, max + 1),
			    "private key", max + 1, max);
}

/*
 * Fills the application store up to app_store_max with the slots other than
 * @self->slot. Returns the bytes still free: 0 unless the other five slots
 * cannot hold that much.
 */
static __u32 fill_app_store(struct __test_metadata *_metadata, FIXTURE_DATA(app) *self)
{
	struct devcred_info info;
	__u32 left, cert, key, slot;

	ASSERT_EQ(0, dc_info(self->fd, &info));
	left = info.app_store_max - info.app_store_used;
	for (slot = DEVCRED_FLASH_SLOTS; slot < DEVCRED_SLOT_COUNT && left >= 2; slot++) {
		if (slot == self->slot)
			continue;
		cert = left - 1 < self->info.app_blob_max ? left - 1 : self->info.app_blob_max;
		key = left - cert < self->info.app_blob_max ? left - cert : self->info.app_blob_max;
		EXPECT_EQ(0, dc_write(self->fd, slot, DEVCRED_ORIGIN_INSTALLED, self->buf, cert,
				      self->buf, key));
		left -= cert + key;
	}
	EXPECT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(info.app_store_max - left, info.app_store_used);
	return left;
}

TEST_F(app, store_full_write_enospc)
{
	if (fill_app_store(_metadata, self))
		SKIP(return, "five slots cannot fill app_store_max %u", self->info.app_store_max);
	EXPECT_ERRNO_UNCHANGED(ENOSPC, self->slot,
			       dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED,
					cert_buf, 1, key_buf, 1));
}

TEST_F(app, store_full_pending_key_enospc)
{
	if (fill_app_store(_metadata, self))
		SKIP(return, "five slots cannot fill app_store_max %u", self->info.app_store_max);
	EXPECT_ERRNO_UNCHANGED(ENOSPC, self->slot,
			       dc_set_pending(self->fd, self->slot, key_buf, 1));
}

/* A full store still takes a replacement no larger than what it replaces. */
TEST_F(app, store_full_same_size_rewrite_accepted)
{
	struct devcred_info info;

	ASSERT_EQ(0, dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED, cert_buf, 10,
			      key_buf, 10));
	if (fill_app_store(_metadata, self))
		SKIP(return, "five slots cannot fill app_store_max %u", self->info.app_store_max);
	ASSERT_EQ(0, dc_write(self->fd, self->slot, DEVCRED_ORIGIN_INSTALLED, cert_buf, 15,
			      key_buf, 5));
	ASSERT_EQ(0, dc_info(self->fd, &info));
	EXPECT_EQ(info.app_store_max, info.app_store_used);
}

/* ---------------------------------------------------------------------- */
/* Bindings; every test starts and ends with all operations on builtin. */

FIXTURE(bindings) {
	int fd;
};

FIXTURE_SETUP(bindings)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, dc_reset_bindings(self->fd));
}

FIXTURE_TEARDOWN(bindings)
{
	dc_reset_bindings(self->fd);
	close(self->fd);
}

/*
 * @_call fails with @_errno; the bindings, the platform profile settings and
 * the store generation stay.
 */
#define EXPECT_ERRNO_BINDINGS_UNCHANGED(_errno, _call)				\
	do {									\
		struct devcred_bindings __b0, __b1;				\
		__u64 __gen = dc_generation(self->fd);				\
										\
		ASSERT_EQ(0, dc_get_bindings(self->fd, &__b0));			\
		EXPECT_ERRNO(_errno, _call);					\
		ASSERT_EQ(0, dc_get_bindings(self->fd, &__b1));			\
		EXPECT_EQ(0, memcmp(&__b0, &__b1, sizeof(__b0)));		\
		EXPECT_EQ(__gen, dc_generation(self->fd));			\
	} while (0)

TEST_F(bindings, get_mask_einval)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1 };

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_GET_BINDINGS, &b));
}

TEST_F(bindings, get_reserved_einval)
{
	struct devcred_bindings b = { .size = sizeof(b), .reserved = 1 };

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, DEVCRED_IOC_GET_BINDINGS, &b));
}

TEST_F(bindings, set_unknown_operation_einval)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1U << DEVCRED_OP_COUNT };

	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	b.mask = (1U << DEVCRED_OP_SIP) | 0x40000000U;
	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_PLATFORM1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

TEST_F(bindings, set_bad_slot_einval)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1U << DEVCRED_OP_SIP };

	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_COUNT;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	b.slot[DEVCRED_OP_SIP] = 255;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	b.mask = 1U << DEVCRED_OP_8021X;
	b.slot[DEVCRED_OP_8021X] = DEVCRED_SLOT_COUNT;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

TEST_F(bindings, set_slot7_einval)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1U << DEVCRED_OP_SIP };

	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_PLATFORM1;
	b.slot[DEVCRED_OP_COUNT] = 1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

TEST_F(bindings, set_reserved_einval)
{
	struct devcred_bindings b = {
		.size = sizeof(b), .mask = 1U << DEVCRED_OP_SIP, .reserved = 1,
	};

	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_PLATFORM1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

TEST_F(bindings, set_unavailable_einval)
{
	struct devcred_bindings b = {
		.size = sizeof(b), .mask = 1U << DEVCRED_OP_SIP, .unavailable = 1,
	};

	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_PLATFORM1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

/* 802.1X, syslog and provisioning run before the applications: flash slots only. */
TEST_F(bindings, set_flash_only_operation_to_app_slot_exdev)
{
	__u8 slots[DEVCRED_OP_COUNT];
	__u32 op, slot;

	for (op = 0; op < DEVCRED_OP_FLASH_ONLY_END; op++) {
		for (slot = DEVCRED_FLASH_SLOTS; slot < DEVCRED_SLOT_COUNT; slot++) {
			memset(slots, 0, sizeof(slots));
			slots[op] = slot;
			EXPECT_ERRNO_BINDINGS_UNCHANGED(EXDEV,
							dc_set_bindings(self->fd, 1U << op, slots));
		}
	}
}

/* All the masked operations change, or none. */
TEST_F(bindings, set_exdev_changes_no_operation)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };
	__u32 mask;

	slots[DEVCRED_OP_8021X] = DEVCRED_SLOT_PLATFORM1;
	slots[DEVCRED_OP_SYSLOG] = DEVCRED_SLOT_APP2;
	slots[DEVCRED_OP_BROWSER] = DEVCRED_SLOT_APP1;
	slots[DEVCRED_OP_LDAP] = DEVCRED_SLOT_PLATFORM2;
	mask = (1U << DEVCRED_OP_8021X) | (1U << DEVCRED_OP_SYSLOG) |
	       (1U << DEVCRED_OP_BROWSER) | (1U << DEVCRED_OP_LDAP);
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EXDEV, dc_set_bindings(self->fd, mask, slots));
}

TEST_F(bindings, set_application_operations_to_any_slot)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };
	struct devcred_bindings b;
	__u32 op;

	for (op = DEVCRED_OP_FLASH_ONLY_END; op < DEVCRED_OP_COUNT; op++)
		slots[op] = DEVCRED_SLOT_APP1 + 2 * (op - DEVCRED_OP_FLASH_ONLY_END) % 6;
	slots[DEVCRED_OP_LDAP] = DEVCRED_SLOT_APP6;
	ASSERT_EQ(0, dc_set_bindings(self->fd, ALL_OPS & ~((1U << DEVCRED_OP_FLASH_ONLY_END) - 1),
				     slots));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_EQ(0, memcmp(slots, b.slot, DEVCRED_OP_COUNT));
	EXPECT_EQ(0, b.slot[DEVCRED_OP_COUNT]);
}

TEST_F(bindings, set_flash_only_operations_to_flash_slots)
{
	__u8 slots[DEVCRED_OP_COUNT] = {
		DEVCRED_SLOT_PLATFORM1, DEVCRED_SLOT_PLATFORM2, DEVCRED_SLOT_PLATFORM1,
	};
	struct devcred_bindings b;

	ASSERT_EQ(0, dc_set_bindings(self->fd, (1U << DEVCRED_OP_FLASH_ONLY_END) - 1, slots));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_EQ(0, memcmp(slots, b.slot, DEVCRED_OP_COUNT));
}

/*
 * slot[] outside the mask must be zero (a later version may give those
 * entries a meaning): anything else is refused and changes nothing.
 */
TEST_F(bindings, set_outside_mask_nonzero_einval)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };

	slots[DEVCRED_OP_PRESENCE] = DEVCRED_SLOT_APP3;
	slots[DEVCRED_OP_SIP] = DEVCRED_SLOT_PLATFORM2;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, dc_set_bindings(self->fd,
								1U << DEVCRED_OP_PRESENCE, slots));
}

/* Operations outside the mask keep their slot. */
TEST_F(bindings, set_changes_masked_operations_only)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };
	struct devcred_bindings b;
	int op;

	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_SIP, DEVCRED_SLOT_PLATFORM2));
	slots[DEVCRED_OP_PRESENCE] = DEVCRED_SLOT_APP3;
	ASSERT_EQ(0, dc_set_bindings(self->fd, 1U << DEVCRED_OP_PRESENCE, slots));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		EXPECT_EQ(op == DEVCRED_OP_PRESENCE ? DEVCRED_SLOT_APP3 :
			  op == DEVCRED_OP_SIP ? DEVCRED_SLOT_PLATFORM2 : DEVCRED_SLOT_BUILTIN,
			  b.slot[op]);
}

TEST_F(bindings, set_increases_generation)
{
	__u64 gen = dc_generation(self->fd);

	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_SIP, DEVCRED_SLOT_APP2));
	EXPECT_LT(gen, dc_generation(self->fd));
}

/* An operation whose slot is empty is reported unavailable, and nothing stands in. */
TEST_F(bindings, unavailable_follows_slot)
{
	struct devcred_write w = small_write(DEVCRED_SLOT_APP2);
	struct devcred_bindings b;

	ASSERT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_APP2));
	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_PRESENCE, DEVCRED_SLOT_APP2));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_EQ(DEVCRED_SLOT_APP2, b.slot[DEVCRED_OP_PRESENCE]);
	EXPECT_TRUE(b.unavailable & (1U << DEVCRED_OP_PRESENCE));

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_FALSE(b.unavailable & (1U << DEVCRED_OP_PRESENCE));

	/* A pending key alone is no credential. */
	ASSERT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_APP2));
	ASSERT_EQ(0, dc_set_pending(self->fd, DEVCRED_SLOT_APP2, key_buf, 100));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_TRUE(b.unavailable & (1U << DEVCRED_OP_PRESENCE));
	EXPECT_EQ(DEVCRED_SLOT_APP2, b.slot[DEVCRED_OP_PRESENCE]);
	ASSERT_EQ(0, dc_erase(self->fd, DEVCRED_SLOT_APP2));
}

/* ---- The platform profile settings, kept with the bindings ---- */

/* What a SET_BINDINGS with DEVCRED_BIND_PROFILES alone sets. */
static struct devcred_bindings profiles_arg(__u8 cert1, __u8 cert2, __u8 dot1x, __u8 syslog,
					    __u8 prov)
{
	struct devcred_bindings b = {
		.size = sizeof(b), .mask = DEVCRED_BIND_PROFILES,
		.profile_cert = { cert1, cert2 },
		.profile_select = { dot1x, syslog, prov },
	};

	return b;
}

TEST_F(bindings, profiles_default_unset)
{
	struct devcred_bindings b;

	memset(&b, DC_POISON, sizeof(b));
	b.size = sizeof(b);
	b.mask = 0;
	b.reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_GET_BINDINGS, &b));
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(DEVCRED_PROFILE_UNSET, b.profile_cert[i]);
		EXPECT_EQ(DEVCRED_PROFILE_UNSET, b.profile_select[i]);
	}
}

/* Every value in range is kept as given, alone or with a binding, in one record. */
TEST_F(bindings, profiles_set_and_read_back)
{
	struct devcred_bindings b, got;
	struct devcred_info i0, i1;
	__u8 c, v;

	for (c = 0; c <= DEVCRED_PROFILE_SLOT(DEVCRED_FLASH_SLOTS - 1); c++) {
		for (v = 0; v <= DEVCRED_PLATFORM_PROFILES; v++) {
			b = profiles_arg(c, DEVCRED_PROFILE_SLOT(DEVCRED_FLASH_SLOTS - 1) - c,
					 v, DEVCRED_PLATFORM_PROFILES - v, v);
			ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
			ASSERT_EQ(0, dc_get_bindings(self->fd, &got));
			EXPECT_EQ(0, memcmp(b.profile_cert, got.profile_cert, 4));
			EXPECT_EQ(0, memcmp(b.profile_select, got.profile_select, 4));
		}
	}
	b = profiles_arg(DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_PLATFORM1), DEVCRED_PROFILE_UNSET,
			 2, DEVCRED_PROFILE_UNSET, 1);
	b.mask |= 1U << DEVCRED_OP_PROVISIONING;
	b.slot[DEVCRED_OP_PROVISIONING] = DEVCRED_SLOT_PLATFORM2;
	ASSERT_EQ(0, dc_info(self->fd, &i0));
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	ASSERT_EQ(0, dc_info(self->fd, &i1));
	EXPECT_EQ(i0.generation + 1, i1.generation);
	EXPECT_EQ(i0.sequence + 1, i1.sequence);
	ASSERT_EQ(0, dc_get_bindings(self->fd, &got));
	EXPECT_EQ(DEVCRED_SLOT_PLATFORM2, got.slot[DEVCRED_OP_PROVISIONING]);
	EXPECT_EQ(0, memcmp(b.profile_cert, got.profile_cert, 4));
	EXPECT_EQ(0, memcmp(b.profile_select, got.profile_select, 4));
	/* The same again writes nothing. */
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	EXPECT_EQ(i1.generation, dc_generation(self->fd));
}

/* A binding alone, from a caller of either size, leaves the profile settings. */
TEST_F(bindings, profiles_stay_without_the_flag)
{
	struct devcred_bindings b = profiles_arg(DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_PLATFORM2),
						 DEVCRED_PROFILE_UNSET, 1, 1, 2), got;

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_SIP, DEVCRED_SLOT_APP1));
	got = (struct devcred_bindings){ .size = DEVCRED_BINDINGS_SIZE_VER0,
					 .mask = 1U << DEVCRED_OP_LDAP };
	got.slot[DEVCRED_OP_LDAP] = DEVCRED_SLOT_APP2;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &got));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &got));
	EXPECT_EQ(DEVCRED_SLOT_APP2, got.slot[DEVCRED_OP_LDAP]);
	EXPECT_EQ(0, memcmp(b.profile_cert, got.profile_cert, 4));
	EXPECT_EQ(0, memcmp(b.profile_select, got.profile_select, 4));
}

/* A caller of the first size reads the bindings and nothing past them. */
TEST_F(bindings, profiles_get_first_size)
{
	struct devcred_bindings b = profiles_arg(1, 2, 1, 2, 1), got;

	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	memset(&got, DC_POISON, sizeof(got));
	got.size = DEVCRED_BINDINGS_SIZE_VER0;
	got.mask = 0;
	got.reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, DEVCRED_IOC_GET_BINDINGS, &got));
	EXPECT_EQ(0, got.slot[DEVCRED_OP_COUNT]);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(DC_POISON, got.profile_cert[i]);
		EXPECT_EQ(DC_POISON, got.profile_select[i]);
	}
}

TEST_F(bindings, profiles_out_of_range_einval)
{
	struct devcred_bindings b;
	int i;

	ASSERT_EQ(0, dc_bind(self->fd, DEVCRED_OP_SIP, DEVCRED_SLOT_APP1));
	for (i = 0; i < DEVCRED_PLATFORM_PROFILES; i++) {
		b = profiles_arg(0, 0, 0, 0, 0);
		b.profile_cert[i] = DEVCRED_PROFILE_SLOT(DEVCRED_FLASH_SLOTS);
		EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL,
						ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
		b.profile_cert[i] = 0xff;
		EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL,
						ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	}
	for (i = 0; i < DEVCRED_OP_FLASH_ONLY_END; i++) {
		b = profiles_arg(0, 0, 0, 0, 0);
		b.profile_select[i] = DEVCRED_PLATFORM_PROFILES + 1;
		EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL,
						ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	}
	/* A valid binding beside them does not go through either. */
	b.mask |= 1U << DEVCRED_OP_SIP;
	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_APP2;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

/* The entries past the platform profiles and the flash-only operations. */
TEST_F(bindings, profiles_reserved_einval)
{
	struct devcred_bindings b;
	int i;

	for (i = DEVCRED_PLATFORM_PROFILES; i < 4; i++) {
		b = profiles_arg(0, 0, 0, 0, 0);
		b.profile_cert[i] = 1;
		EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL,
						ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	}
	b = profiles_arg(0, 0, 0, 0, 0);
	b.profile_select[DEVCRED_OP_FLASH_ONLY_END] = 1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

/* Without DEVCRED_BIND_PROFILES the settings must be zero: no silent drop. */
TEST_F(bindings, profiles_without_flag_einval)
{
	struct devcred_bindings b = profiles_arg(1, 0, 0, 0, 0);

	b.mask = 1U << DEVCRED_OP_SIP;
	b.slot[DEVCRED_OP_SIP] = DEVCRED_SLOT_APP1;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	b = profiles_arg(0, 0, 0, 0, 1);
	b.mask = 0;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

/* The flag from a caller whose structure has no settings is an error. */
TEST_F(bindings, profiles_flag_with_first_size_einval)
{
	struct devcred_bindings b = profiles_arg(0, 0, 0, 0, 0);

	b.size = DEVCRED_BINDINGS_SIZE_VER0;
	EXPECT_ERRNO_BINDINGS_UNCHANGED(EINVAL, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
}

/* ---------------------------------------------------------------------- */
/* A descriptor opened read-only reads, and modifies nothing (EBADF). */

FIXTURE(rdonly) {
	int fd;		/* O_RDONLY */
	int rw;		/* O_RDWR, to set the scene */
	struct dc_cred cred;
};

FIXTURE_SETUP(rdonly)
{
	self->rw = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->rw);
	self->fd = open(DEVCRED_DEV, O_RDONLY);
	ASSERT_LE(0, self->fd);
	dc_make_cred(&self->cred, 41);
	ASSERT_EQ(0, dc_put_cred(self->rw, APP, &self->cred));
	ASSERT_EQ(0, dc_set_pending(self->rw, APP, self->cred.cert, 300));
}

FIXTURE_TEARDOWN(rdonly)
{
	close(self->fd);
	close(self->rw);
}

TEST_F(rdonly, load_kek_ebadf)
{
	struct devcred_kek k = { .size = sizeof(k), .flags = DEVCRED_KEK_NEW };

	EXPECT_ERRNO_UNCHANGED(EBADF, APP, ioctl(self->fd, DEVCRED_IOC_LOAD_KEK, &k));
}

TEST_F(rdonly, write_ebadf)
{
	struct devcred_write w = small_write(APP);

	EXPECT_ERRNO_UNCHANGED(EBADF, APP, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
}

TEST_F(rdonly, erase_ebadf)
{
	EXPECT_ERRNO_UNCHANGED(EBADF, APP, dc_erase(self->fd, APP));
}

TEST_F(rdonly, set_bindings_ebadf)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };
	struct devcred_bindings b;

	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	slots[DEVCRED_OP_SIP] = b.slot[DEVCRED_OP_SIP] == APP ? DEVCRED_SLOT_APP2 : APP;
	EXPECT_ERRNO_UNCHANGED(EBADF, APP,
			       dc_set_bindings(self->fd, 1U << DEVCRED_OP_SIP, slots));
}

TEST_F(rdonly, set_profiles_ebadf)
{
	struct devcred_bindings b = profiles_arg(DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_PLATFORM1),
						 0, 1, 0, 0), got;

	ASSERT_EQ(0, dc_get_bindings(self->fd, &got));
	b.profile_cert[0] = got.profile_cert[0] == b.profile_cert[0] ? 0 : b.profile_cert[0];
	EXPECT_ERRNO_UNCHANGED(EBADF, APP, ioctl(self->fd, DEVCRED_IOC_SET_BINDINGS, &b));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_EQ(0, memcmp(&b, &got, sizeof(b)));
}

TEST_F(rdonly, format_ebadf)
{
	struct devcred_format f = { .size = sizeof(f) };

	EXPECT_ERRNO_UNCHANGED(EBADF, APP, ioctl(self->fd, DEVCRED_IOC_FORMAT, &f));
}

TEST_F(rdonly, set_pending_key_ebadf)
{
	EXPECT_ERRNO_UNCHANGED(EBADF, APP, dc_set_pending(self->fd, APP, key_buf, 100));
	EXPECT_ERRNO_UNCHANGED(EBADF, APP, dc_set_pending(self->fd, APP, NULL, 0));
}

TEST_F(rdonly, reads_work)
{
	struct devcred_slot_status st;
	struct devcred_bindings b;
	struct devcred_info info;

	EXPECT_EQ(0, dc_info(self->fd, &info));
	ASSERT_EQ(0, dc_status(self->fd, APP, &st));
	EXPECT_EQ(self->cred.cert_len, st.cert_len);
	EXPECT_EQ(0, dc_get_bindings(self->fd, &b));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_CERT, APP, 0,
				self->cred.cert, self->cred.cert_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, APP, 0,
				self->cred.key, self->cred.key_len));
	EXPECT_EQ(0, dc_blob_is(self->fd, DEVCRED_IOC_READ_KEY, APP, DEVCRED_READ_PENDING,
				self->cred.cert, 300));
}

/* ---------------------------------------------------------------------- */
/*
 * Callers without CAP_SYS_ADMIN: uid 1000 (with /dev/devcred made 0666 for
 * the test), or root that dropped the capability. They see certificates,
 * status and bindings; private keys and every change are EPERM.
 */

FIXTURE(unpriv) {
	int fd;
	struct dc_cred cred;
	struct devcred_blob *blob;	/* shared with the child */
	char *data;			/* shared with the child */
};

FIXTURE_VARIANT(unpriv) {
	bool as_user;
};

FIXTURE_VARIANT_ADD(unpriv, uid1000) { .as_user = true };
FIXTURE_VARIANT_ADD(unpriv, no_cap_sys_admin) { .as_user = false };

#define UNPRIV_DATA	4096

FIXTURE_SETUP(unpriv)
{
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	dc_make_cred(&self->cred, 51);
	ASSERT_EQ(0, dc_put_cred(self->fd, APP, &self->cred));
	ASSERT_EQ(0, dc_set_pending(self->fd, APP, self->cred.cert, 300));
	self->blob = dc_shared_alloc(sizeof(*self->blob) + UNPRIV_DATA);
	ASSERT_NE(NULL, self->blob);
	self->data = (char *)(self->blob + 1);
	memset(self->data, DC_POISON, UNPRIV_DATA);
	*self->blob = (struct devcred_blob){
		.size = sizeof(*self->blob), .slot = APP, .len = UNPRIV_DATA,
		.data = dc_ptr(self->data),
	};
	/* Last: the teardown puts the mode back. */
	if (variant->as_user)
		ASSERT_EQ(0, chmod(DEVCRED_DEV, 0666));
}

FIXTURE_TEARDOWN(unpriv)
{
	if (variant->as_user)
		EXPECT_EQ(0, chmod(DEVCRED_DEV, 0600));
	munmap(self->blob, sizeof(*self->blob) + UNPRIV_DATA);
	close(self->fd);
}

TEST_F(unpriv, info_works)
{
	struct devcred_info *info = dc_shared_alloc(sizeof(*info));

	ASSERT_NE(NULL, info);
	info->size = sizeof(*info);
	EXPECT_EQ(0, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_INFO, info));
	EXPECT_EQ(DEVCRED_ABI_VERSION, info->abi_version);
	EXPECT_EQ(DEVCRED_SLOT_COUNT, info->slot_count);
	munmap(info, sizeof(*info));
}

TEST_F(unpriv, slot_status_works)
{
	struct devcred_slot_status *st = dc_shared_alloc(sizeof(*st));

	ASSERT_NE(NULL, st);
	st->size = sizeof(*st);
	st->slot = APP;
	EXPECT_EQ(0, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_SLOT_STATUS, st));
	EXPECT_TRUE(st->flags & DEVCRED_SLOT_PRESENT);
	EXPECT_EQ(self->cred.cert_len, st->cert_len);
	EXPECT_EQ(self->cred.key_len, st->key_len);
	munmap(st, sizeof(*st));
}

TEST_F(unpriv, read_cert_works)
{
	EXPECT_EQ(0, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_READ_CERT, self->blob));
	ASSERT_EQ(self->cred.cert_len, self->blob->len);
	EXPECT_EQ(0, memcmp(self->cred.cert, self->data, self->cred.cert_len));
	EXPECT_TRUE(dc_all_bytes(self->data + self->cred.cert_len,
				 UNPRIV_DATA - self->cred.cert_len, DC_POISON));
}

TEST_F(unpriv, get_bindings_works)
{
	struct devcred_bindings *b = dc_shared_alloc(sizeof(*b)), mine;

	ASSERT_NE(NULL, b);
	b->size = sizeof(*b);
	ASSERT_EQ(0, dc_get_bindings(self->fd, &mine));
	EXPECT_EQ(0, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_GET_BINDINGS, b));
	EXPECT_EQ(0, memcmp(mine.slot, b->slot, sizeof(mine.slot)));
	EXPECT_EQ(mine.unavailable, b->unavailable);
	munmap(b, sizeof(*b));
}

TEST_F(unpriv, read_key_eperm)
{
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_READ_KEY,
					       self->blob));
	EXPECT_TRUE(dc_all_bytes(self->data, UNPRIV_DATA, DC_POISON));
}

TEST_F(unpriv, read_pending_key_eperm)
{
	self->blob->flags = DEVCRED_READ_PENDING;
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_READ_KEY,
					       self->blob));
	EXPECT_TRUE(dc_all_bytes(self->data, UNPRIV_DATA, DC_POISON));
}

TEST_F(unpriv, write_eperm)
{
	struct devcred_write w = small_write(APP);
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_WRITE, &w));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(unpriv, erase_eperm)
{
	struct devcred_erase e = { .size = sizeof(e), .slot = APP };
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_ERASE, &e));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(unpriv, set_bindings_eperm)
{
	struct devcred_bindings b;
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_get_bindings(self->fd, &b));
	b.mask = 1U << DEVCRED_OP_SIP;
	b.unavailable = 0;
	b.slot[DEVCRED_OP_SIP] = b.slot[DEVCRED_OP_SIP] == APP ? DEVCRED_SLOT_APP2 : APP;
	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_SET_BINDINGS, &b));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(unpriv, set_profiles_eperm)
{
	struct devcred_bindings b = profiles_arg(DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_PLATFORM2),
						 0, 0, 2, 0), before, after;

	ASSERT_EQ(0, dc_get_bindings(self->fd, &before));
	b.profile_cert[0] = before.profile_cert[0] == b.profile_cert[0] ? 0 : b.profile_cert[0];
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_SET_BINDINGS, &b));
	ASSERT_EQ(0, dc_get_bindings(self->fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(unpriv, format_eperm)
{
	struct devcred_format f = { .size = sizeof(f) };
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_FORMAT, &f));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(unpriv, read_seal_and_load_kek_eperm)
{
	char buf[64];
	struct devcred_seal_blob sb = {
		.size = sizeof(sb), .which = DEVCRED_SEAL_KMK, .len = sizeof(buf),
		.data = dc_ptr(buf),
	};
	struct devcred_kek k = { .size = sizeof(k), .flags = DEVCRED_KEK_NEW };
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_READ_SEAL, &sb));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_LOAD_KEK, &k));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

TEST_F(unpriv, set_pending_key_eperm)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = APP, .key_len = 100, .key = dc_ptr(key_buf),
	};
	struct dc_snapshot before;

	ASSERT_EQ(0, dc_snapshot(self->fd, APP, &before));
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_SET_PENDING_KEY,
					       &p));
	p.key_len = 0;
	EXPECT_EQ(EPERM, dc_ioctl_unprivileged(variant->as_user, DEVCRED_IOC_SET_PENDING_KEY,
					       &p));
	EXPECT_TRUE(dc_snapshot_unchanged(self->fd, &before));
	dc_snapshot_free(&before);
}

/* ---------------------------------------------------------------------- */

/* How often @needle is in the kernel log after the last @mark; -1 without @mark. */
static int klog_count_after(const char *mark, const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0), n = -1;
	char *buf, *p, *after = NULL;

	if (len <= 0)
		return -1;
	buf = calloc(1, len + 1);
	if (!buf)
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	for (p = buf; len > 0 && (p = strstr(p, mark)); p++)
		after = p;
	if (after)
		for (n = 0, p = after; (p = strstr(p, needle)); p++)
			n++;
	free(buf);
	return n;
}

/*
 * A refusal a caller can repeat at will is logged at a bounded rate: 200
 * writes over the limit in a row leave far fewer lines in the kernel log.
 * It waits out the rate limit's interval after, so that the tests after it
 * (the harness runs a fixture's tests together, so this is not the last)
 * find their own refusals logged; EXPECT_EFBIG_LOGGED copes with a spent
 * burst anyway.
 */
TEST_F(devcred, repeated_refusals_rate_limited)
{
	static char big[DEVCRED_FLASH_CERT_MAX + 1];
	struct devcred_write w = dc_write_arg(DEVCRED_SLOT_PLATFORM1, DEVCRED_ORIGIN_INSTALLED,
					      big, sizeof(big), key_buf, sizeof(key_buf));
	char mark[64], needle[64];
	int fd, i, lines;

	snprintf(mark, sizeof(mark), "devcred selftest mark %d", getpid());
	snprintf(needle, sizeof(needle), "certificate is %zu bytes", sizeof(big));
	fd = open("/dev/kmsg", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(mark), write(fd, mark, strlen(mark)));
	close(fd);
	for (i = 0; i < 200; i++)
		EXPECT_ERRNO(EFBIG, ioctl(self->fd, DEVCRED_IOC_WRITE, &w));
	lines = klog_count_after(mark, needle);
	EXPECT_LT(0, lines);
	EXPECT_GE(60, lines) TH_LOG("%d of 200 refusals logged", lines);
	sleep(6);
}

TEST_HARNESS_MAIN
