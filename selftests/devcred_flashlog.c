// SPDX-License-Identifier: GPL-2.0
/*
 * The flash log's recovery rules, on the board's CFI flash (NOR) and on
 * nandsim (NAND) in one boot: every test starts from a freshly erased
 * store, bound by loading devcred.ko again (to the device tree partition,
 * or with mtd= to a nandsim partition loaded for the test), damages or
 * fails the flash the way a power cut, a worn chip or another format
 * version would, and checks that the store still holds the newest state it
 * acknowledged - never an older one, never garbage - and stays writable
 * wherever it safely can.
 *
 * Needs the test build of devcred.ko as a module (debugfs devcred/, see
 * driver/fault.c) and nothing holding /dev/devcred (no devcredd):
 * selftests/boot/flash_log.sh boots the board for it.
 */
#include <endian.h>
#include <stdarg.h>
#include <stddef.h>
#include <zlib.h>
#include <mtd/mtd-user.h>

#include "kselftest_harness.h"
#include "devcred_test.h"
#include "devcred_pstate.h"

#define MODULE_PATH	"/lib/modules/devcred.ko"
#define NAND_ID		"first_id_byte=0x20 second_id_byte=0xf1 third_id_byte=0x00 fourth_id_byte=0x15"
#define NAND_PART	"NAND simulator partition 0"
#define NAND_PARTS	"parts=32"
#define NOR_PART	"devcred"
/* Bytes of a numbered update's record (dc_put_update()): header, fixed part, blobs. */
#define UPDATE_RECORD	(32 + 8 + 3 * 24 + sizeof(struct dc_update))
#define PLATFORM1	DEVCRED_SLOT_PLATFORM1

/* The partition a test's store is bound to. */
struct store {
	bool nand;
	int mtd;
	char param[32];		/* mtd=N for nandsim */
	__u32 erase_size;
	__u32 write_size;
	__u32 blocks;
};

static int __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int store_info(struct devcred_info *info)
{
	int fd = open(DEVCRED_DEV, O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = dc_info(fd, info);
	close(fd);
	return ret;
}

static int store_load(struct store *s, const char *extra)
{
	struct devcred_info info;

	if (sh("insmod " MODULE_PATH " %s %s", s->param, extra ? extra : "") ||
	    store_info(&info))
		return -1;
	s->erase_size = info.erase_size;
	s->write_size = info.write_size;
	s->blocks = info.blocks;
	return info.mtd_index == (__u32)s->mtd ? 0 : -1;
}

static int store_unload(void)
{
	return sh("rmmod devcred");
}

/* Loads devcred.ko again, as a reboot would, with @extra parameters. */
static int store_reload(struct store *s, const char *extra)
{
	return store_unload() || store_load(s, extra);
}

static int mtd_open(const struct store *s, int flags)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/mtd%d", s->mtd);
	return open(path, flags);
}

/* Erases every good block of the partition. */
static int mtd_erase_all(const struct store *s)
{
	struct erase_info_user ei;
	struct mtd_info_user mi;
	int fd = mtd_open(s, O_RDWR), ret = -1;
	loff_t ofs;

	if (fd < 0 || ioctl(fd, MEMGETINFO, &mi))
		goto out;
	for (ofs = 0; ofs < mi.size; ofs += mi.erasesize) {
		if (ioctl(fd, MEMGETBADBLOCK, &ofs) > 0)
			continue;
		ei.start = ofs;
		ei.length = mi.erasesize;
		if (ioctl(fd, MEMERASE, &ei))
			goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * Binds the store to a freshly erased partition: the device tree's, or the
 * first partition of a nandsim loaded with @nand_params.
 */
static int store_bind(struct store *s, bool nand, const char *nand_params)
{
	memset(s, 0, sizeof(*s));
	s->nand = nand;
	sh("rmmod devcred 2>/dev/null");
	if (nand) {
		sh("rmmod nandsim 2>/dev/null");
		if (sh("modprobe nandsim " NAND_ID " %s", nand_params))
			return -1;
		s->mtd = mtd_index_by_name(NAND_PART);
		snprintf(s->param, sizeof(s->param), "mtd=%d", s->mtd);
	} else {
		s->mtd = mtd_index_by_name(NOR_PART);
	}
	if (s->mtd < 0 || mtd_erase_all(s))
		return -1;
	return store_load(s, NULL);
}

static void store_unbind(const struct store *s)
{
	knob("cut_at", 0);
	knob("fail_at", 0);
	sh("rmmod devcred 2>/dev/null");
	if (s->nand)
		sh("rmmod nandsim 2>/dev/null");
}

static int put_update(__u32 slot, int n)
{
	int fd = open(DEVCRED_DEV, O_RDWR), ret, err;

	if (fd < 0)
		return -1;
	ret = dc_put_update(fd, slot, n);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

/* The numbered update @slot holds (dc_which_update()). */
static int holds(__u32 slot)
{
	int fd = open(DEVCRED_DEV, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = dc_which_update(fd, slot);
	close(fd);
	return n;
}

static size_t align_up(size_t len, size_t align)
{
	return (len + align - 1) / align * align;
}

/* Where an update's record would follow the current record of @info. */
static loff_t next_record(const struct store *s, const struct devcred_info *info)
{
	size_t align = s->write_size > 8 ? s->write_size : 8;

	return (loff_t)info->record_block * s->erase_size +
	       align_up(info->record_offset + UPDATE_RECORD, align);
}

/*
 * Programs the page at @ofs raw (no ECC; the spare area written with ones,
 * which leaves it as it is) with every bit set but those of @mask in its
 * first byte. NAND programming only clears bits, so this clears them in
 * whatever the page holds. On an erased page that is what a program cut
 * short leaves: a few cells charged, which the ECC corrects back to an
 * erased page; on a programmed one, errors the ECC may no longer correct.
 */
static int nand_clear_bits(const struct store *s, loff_t ofs, unsigned char mask)
{
	struct mtd_info_user mi;
	struct mtd_write_req req = { .start = ofs, .mode = MTD_OPS_RAW };
	unsigned char *page = NULL;
	int fd = mtd_open(s, O_RDWR), ret = -1;

	if (fd < 0 || ioctl(fd, MEMGETINFO, &mi))
		goto out;
	page = malloc(mi.writesize + mi.oobsize);
	if (!page)
		goto out;
	memset(page, 0xff, mi.writesize + mi.oobsize);
	page[0] = ~mask;
	req.len = mi.writesize;
	req.ooblen = mi.oobsize;
	req.usr_data = (__u64)(uintptr_t)page;
	req.usr_oob = (__u64)(uintptr_t)(page + mi.writesize);
	ret = ioctl(fd, MEMWRITE, &req);
out:
	if (fd >= 0)
		close(fd);
	free(page);
	return ret;
}

/* Bad blocks as the store and as MTD count them; -1 if either is unknown. */
static int bad_blocks(const struct store *s)
{
	unsigned long long mtd_bad = 0;
	struct devcred_info info;

	if (store_info(&info) || (s->nand && mtd_sysfs_ull(s->mtd, "bad_blocks", &mtd_bad)))
		return -1;
	return info.bad_blocks == mtd_bad ? (int)mtd_bad : -1;
}

/* The next @count flash writes or erases fail with @err, without a cut. */
static int fail_next(unsigned int count, int err)
{
	return knob("fail_errno", err) || knob("fail_count", count) || knob("fail_at", 1);
}

FIXTURE(flashlog) {
	struct store s;
};

FIXTURE_VARIANT(flashlog) {
	bool nand;
};

FIXTURE_VARIANT_ADD(flashlog, nor) { .nand = false };
FIXTURE_VARIANT_ADD(flashlog, nand) { .nand = true };

FIXTURE_SETUP(flashlog)
{
	if (access(MODULE_PATH, R_OK))
		SKIP(return, "devcred is not a module here (%s)", MODULE_PATH);
	ASSERT_EQ(0, store_bind(&self->s, variant->nand, NAND_PARTS));
	if (access(KNOB "cut_at", W_OK))
		SKIP(return, "not a test build of devcred.ko (no debugfs devcred/cut_at)");
}

FIXTURE_TEARDOWN(flashlog)
{
	store_unbind(&self->s);
}

/*
 * A power cut interrupts an append (here before anything reached the
 * flash: what a real cut leaves may read as erased either way). After the
 * reload the first update goes to a freshly erased block, not to that
 * offset.
 */
TEST_F_TIMEOUT(flashlog, interrupted_append_not_reused, 300)
{
	struct devcred_info a, b;
	loff_t torn;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_info(&a));
	torn = next_record(&self->s, &a);
	ASSERT_EQ(0, knob("cut_mode", 0));
	ASSERT_EQ(0, knob("cut_at", 1));
	EXPECT_ERRNO(ESHUTDOWN, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, knob("cut_at", 0));

	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(1, holds(PLATFORM1));
	ASSERT_EQ(0, put_update(PLATFORM1, 3));
	ASSERT_EQ(0, store_info(&b));
	EXPECT_NE(a.record_block, b.record_block)
		TH_LOG("the first record after the attach went to offset %#x of block %u, where a write was cut (%#llx)",
		       b.record_offset, b.record_block, (unsigned long long)torn);
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(3, holds(PLATFORM1));
}

/*
 * NAND: the page after the current record was half programmed when the
 * power failed (a few cells charged, corrected to 0xff by the ECC on every
 * read). The next update must not program that page again: a record there
 * would start life with a corrected error and be lost when the page decays
 * further - simulated by charging one more cell of the same ECC step - and
 * the store would roll back.
 */
TEST_F_TIMEOUT(flashlog, half_programmed_page_not_programmed_again, 300)
{
	struct devcred_info a, b;
	loff_t page;

	if (!variant->nand)
		SKIP(return, "NOR has no ECC to make a partly programmed page read as erased");
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_info(&a));
	page = next_record(&self->s, &a);
	ASSERT_EQ(0, store_unload());
	/* The record's magic starts with 'D' (0x44): two of its one bits. */
	ASSERT_EQ(0, nand_clear_bits(&self->s, page, 0x04)) TH_LOG("raw write at %#llx: %s", (unsigned long long)page, strerror(errno));
	ASSERT_EQ(0, store_load(&self->s, NULL));
	ASSERT_EQ(1, holds(PLATFORM1));

	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&b));
	EXPECT_FALSE((loff_t)b.record_block * self->s.erase_size + b.record_offset == page)
		TH_LOG("update 2 was programmed over the half-programmed page at %#llx",
		       (unsigned long long)page);

	ASSERT_EQ(0, store_unload());
	ASSERT_EQ(0, nand_clear_bits(&self->s, page, 0x40));
	ASSERT_EQ(0, store_load(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * NAND, within one attach: a page of the current block's free space reads
 * as erased only thanks to a corrected bitflip. It was programmed (by
 * something else): the update goes to a fresh block instead.
 */
TEST_F_TIMEOUT(flashlog, corrected_bitflip_in_free_space_is_not_blank, 300)
{
	struct devcred_info a, b;
	loff_t page;

	if (!variant->nand)
		SKIP(return, "NOR has no ECC to correct a bitflip");
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_info(&a));
	page = next_record(&self->s, &a);
	ASSERT_EQ(0, nand_clear_bits(&self->s, page, 0x04)) TH_LOG("raw write at %#llx: %s", (unsigned long long)page, strerror(errno));

	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&b));
	EXPECT_FALSE((loff_t)b.record_block * self->s.erase_size + b.record_offset == page)
		TH_LOG("update 2 was programmed over a page that had bits programmed");
	ASSERT_EQ(0, store_unload());
	ASSERT_EQ(0, nand_clear_bits(&self->s, page, 0x40));
	ASSERT_EQ(0, store_load(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * Transient errors: for one whole update every write and erase times out.
 * The update fails, the store keeps its state, and no block is retired:
 * a timeout says nothing about the block. The next update works.
 */
static void check_transient_errors(struct __test_metadata *_metadata, struct store *s)
{
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, fail_next(1000, ETIMEDOUT));
	EXPECT_EQ(-1, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, knob("fail_at", 0));
	EXPECT_EQ(0, bad_blocks(s));
	EXPECT_EQ(1, holds(PLATFORM1));
	EXPECT_EQ(0, put_update(PLATFORM1, 3));
	ASSERT_EQ(0, store_reload(s, NULL));
	EXPECT_EQ(3, holds(PLATFORM1));
	EXPECT_EQ(0, bad_blocks(s));
}

TEST_F_TIMEOUT(flashlog, transient_errors_retire_no_block, 300)
{
	check_transient_errors(_metadata, &self->s);
}

/* The same on the smallest store, two blocks: before, it ended unwritable. */
TEST_F_TIMEOUT(flashlog, two_blocks_survive_transient_errors, 300)
{
	if (!variant->nand)
		SKIP(return, "no NOR partition of two blocks on this board");
	store_unbind(&self->s);
	ASSERT_EQ(0, store_bind(&self->s, true, "parts=2"));
	ASSERT_EQ(2, self->s.blocks);
	check_transient_errors(_metadata, &self->s);
}

/*
 * One failed erase is retried on the same block, which is used: an error
 * is not a verdict.
 */
TEST_F_TIMEOUT(flashlog, failed_erase_retried_on_the_same_block, 300)
{
	struct devcred_info info;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, fail_next(1, EIO));
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(1, info.record_block);
	EXPECT_EQ(0, bad_blocks(&self->s));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * NAND: a block whose erase keeps failing with EIO, but which passes the
 * torture test (erase, program patterns over it, read them back): it is
 * not marked bad, and the update uses it.
 */
TEST_F_TIMEOUT(flashlog, sound_block_passes_torture_not_retired, 300)
{
	struct devcred_info info;
	char *line;

	if (!variant->nand)
		SKIP(return, "NOR has no bad blocks to mark");
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, fail_next(3, EIO));
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(0, bad_blocks(&self->s));
	EXPECT_EQ(1, info.record_block);
	line = klog_find("devcred: block 1: erase failed");
	EXPECT_NE(NULL, line);
	if (line)
		EXPECT_NE(NULL, strstr(line, "passed a torture test")) TH_LOG("%s", line);
	free(line);
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * Clears the bits of @mask in the byte at @ofs: on NOR in place (programming
 * only clears bits), on NAND in the first byte of the page starting at @ofs,
 * raw, so that the page's ECC no longer matches.
 */
static int clear_bits(const struct store *s, loff_t ofs, unsigned char mask)
{
	unsigned char byte;
	int fd, ret = -1;

	if (s->nand)
		return nand_clear_bits(s, ofs, mask);
	fd = mtd_open(s, O_RDWR);
	if (fd < 0)
		return -1;
	if (pread(fd, &byte, 1, ofs) == 1) {
		byte &= ~mask;
		ret = pwrite(fd, &byte, 1, ofs) == 1 ? 0 : -1;
	}
	close(fd);
	return ret;
}

/*
 * Updates 1 to @count of platform1, each of whose records must land in
 * block 0 (the layouts below need them in one block); @offs, when given,
 * gets each record's offset, @info the store's state after the last.
 */
static int put_updates_in_block0(int count, loff_t *offs, struct devcred_info *info)
{
	int n;

	for (n = 1; n <= count; n++) {
		if (put_update(PLATFORM1, n) || store_info(info) || info->record_block)
			return -1;
		if (offs)
			offs[n - 1] = info->record_offset;
	}
	return 0;
}

/*
 * Bit rot in the header of record @victim (1: the block's first) of three
 * in one block: the scan goes on past the damage, finds the records after
 * it, and the newest wins. The damaged record is counted once.
 */
static void check_damaged_header(struct __test_metadata *_metadata, struct store *s, int victim)
{
	struct devcred_info info;
	loff_t offs[3];

	ASSERT_EQ(0, put_updates_in_block0(3, offs, &info));
	ASSERT_EQ(0, store_unload());
	/* The magic's 'D' (0x44): on NAND two bit errors in one ECC step. */
	ASSERT_EQ(0, clear_bits(s, offs[victim - 1], 0x44));
	ASSERT_EQ(0, store_load(s, NULL));
	EXPECT_EQ(3, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(1, info.skipped_records);
	EXPECT_EQ(3, info.sequence);
	ASSERT_EQ(0, put_update(PLATFORM1, 4));
	ASSERT_EQ(0, store_reload(s, NULL));
	EXPECT_EQ(4, holds(PLATFORM1));
}

TEST_F_TIMEOUT(flashlog, damaged_header_hides_no_newer_record, 300)
{
	check_damaged_header(_metadata, &self->s, 2);
}

TEST_F_TIMEOUT(flashlog, damaged_first_header_hides_no_newer_record, 300)
{
	check_damaged_header(_metadata, &self->s, 1);
}

/* The whole partition as read through MTD (bad blocks as 0xff), malloc'ed. */
static unsigned char *mtd_image(const struct store *s, size_t *size)
{
	struct mtd_info_user mi;
	unsigned char *img = NULL;
	int fd = mtd_open(s, O_RDONLY);
	loff_t ofs;

	if (fd < 0 || ioctl(fd, MEMGETINFO, &mi))
		goto out;
	img = malloc(mi.size);
	if (!img)
		goto out;
	memset(img, 0xff, mi.size);
	for (ofs = 0; ofs < mi.size; ofs += mi.erasesize) {
		if (ioctl(fd, MEMGETBADBLOCK, &ofs) > 0)
			continue;
		if (pread(fd, img + ofs, mi.erasesize, ofs) != (ssize_t)mi.erasesize) {
			free(img);
			img = NULL;
			goto out;
		}
	}
	*size = mi.size;
out:
	if (fd >= 0)
		close(fd);
	return img;
}

/* The partition holds exactly @img. */
static bool mtd_holds(const struct store *s, const unsigned char *img, size_t size)
{
	size_t now_size = 0;
	unsigned char *now = mtd_image(s, &now_size);
	bool same = now && now_size == size && !memcmp(now, img, size);

	free(now);
	return same;
}

static int mtd_write_at(const struct store *s, loff_t ofs, const void *buf, size_t len)
{
	int fd = mtd_open(s, O_RDWR), ret = -1;

	if (fd >= 0) {
		ret = pwrite(fd, buf, len, ofs) == (ssize_t)len ? 0 : -1;
		close(fd);
	}
	return ret;
}

/* Something that is no record at the start of block 0: a damaged store. */
static int make_damaged(struct store *s)
{
	unsigned char junk[4096];
	struct devcred_info info;

	dc_fill_random(junk, sizeof(junk), 4242);
	if (store_unload() || mtd_write_at(s, 0, junk, sizeof(junk)) || store_load(s, NULL) ||
	    store_info(&info))
		return -1;
	return info.flags & DEVCRED_INFO_DAMAGED ? 0 : -1;
}

static int dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(DEVCRED_DEV, O_RDWR), ret, err;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, cmd, arg);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static int format_store(void)
{
	struct devcred_format f = { .size = sizeof(f) };

	return dev_ioctl(DEVCRED_IOC_FORMAT, &f);
}

static int set_factory_mode(bool on)
{
	return dc_param_write("factory_mode", on ? "1" : "0");
}

/*
 * Every change of a flash slot or a binding fails with @err and leaves the
 * partition as it is; application slots still work.
 */
static void check_flash_changes_refused(struct __test_metadata *_metadata,
					const struct store *s, int err)
{
	static const __u8 slots[DEVCRED_OP_COUNT] = { [DEVCRED_OP_SIP] = 1 };
	struct dc_cred c;
	unsigned char *img;
	size_t size = 0;
	int fd;

	dc_make_cred(&c, 77);
	img = mtd_image(s, &size);
	ASSERT_NE(NULL, img);
	fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(err, dc_write(fd, DEVCRED_SLOT_BUILTIN, DEVCRED_ORIGIN_SELF_SIGNED,
				   c.cert, c.cert_len, c.key, c.key_len));
	EXPECT_ERRNO(err, dc_write(fd, DEVCRED_SLOT_BUILTIN, DEVCRED_ORIGIN_FACTORY,
				   c.cert, c.cert_len, c.key, c.key_len));
	EXPECT_ERRNO(err, dc_put_cred(fd, PLATFORM1, &c));
	EXPECT_ERRNO(err, dc_erase(fd, DEVCRED_SLOT_PLATFORM2));
	EXPECT_ERRNO(err, dc_set_pending(fd, DEVCRED_SLOT_PLATFORM2, c.key, c.key_len));
	EXPECT_ERRNO(err, dc_set_bindings(fd, 1U << DEVCRED_OP_SIP, slots));
	EXPECT_EQ(0, dc_put_cred(fd, DEVCRED_SLOT_APP1, &c));
	EXPECT_EQ(0, dc_erase(fd, DEVCRED_SLOT_APP1));
	close(fd);
	EXPECT_TRUE(mtd_holds(s, img, size)) TH_LOG("the partition changed");
	free(img);
}

/*
 * A damaged store (data, but no valid record): the flash slots are unknown,
 * so nothing may replace them - not builtin's factory credential, not the
 * others with empty slots - and block 0 is not erased. The state stays
 * until FORMAT (below) or factory mode.
 */
TEST_F_TIMEOUT(flashlog, damaged_store_refuses_flash_changes, 300)
{
	struct devcred_slot_status st;
	struct devcred_info info;
	int fd;

	ASSERT_EQ(0, make_damaged(&self->s));
	fd = open(DEVCRED_DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dc_status(fd, DEVCRED_SLOT_BUILTIN, &st));
	EXPECT_EQ(DEVCRED_SLOT_FLASH | DEVCRED_SLOT_INVALID, st.flags);
	close(fd);
	check_flash_changes_refused(_metadata, &self->s, EUCLEAN);
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(DEVCRED_INFO_DAMAGED, info.flags);
}

/* On the production line (factory mode) a damaged store takes writes. */
TEST_F_TIMEOUT(flashlog, damaged_store_written_in_factory_mode, 300)
{
	struct devcred_info info;
	struct dc_cred c;
	int fd, ret;

	dc_make_cred(&c, 78);
	ASSERT_EQ(0, make_damaged(&self->s));
	ASSERT_EQ(0, set_factory_mode(true));
	fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ret = dc_write(fd, DEVCRED_SLOT_BUILTIN, DEVCRED_ORIGIN_FACTORY, c.cert, c.cert_len,
		       c.key, c.key_len);
	close(fd);
	ASSERT_EQ(0, set_factory_mode(false));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(0, info.flags & DEVCRED_INFO_DAMAGED);
	fd = open(DEVCRED_DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, dc_blob_is(fd, DEVCRED_IOC_READ_CERT, DEVCRED_SLOT_BUILTIN, 0, c.cert,
				c.cert_len));
	close(fd);
}

/* FORMAT leaves the damaged state: every block erased, the store writable. */
TEST_F_TIMEOUT(flashlog, format_leaves_damaged_state, 300)
{
	struct devcred_info info;
	unsigned char *img;
	size_t size = 0;

	ASSERT_EQ(0, make_damaged(&self->s));
	ASSERT_EQ(0, format_store());
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(0, info.flags & DEVCRED_INFO_DAMAGED);
	EXPECT_EQ(0, info.sequence);
	img = mtd_image(&self->s, &size);
	ASSERT_NE(NULL, img);
	EXPECT_TRUE(dc_all_bytes(img, size, 0xff)) TH_LOG("FORMAT left data on the partition");
	free(img);
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(1, holds(PLATFORM1));
}

/* FORMAT is no way to wipe a store that holds a readable record... */
TEST_F_TIMEOUT(flashlog, format_refused_while_a_record_is_readable, 300)
{
	unsigned char *img;
	size_t size = 0;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	img = mtd_image(&self->s, &size);
	ASSERT_NE(NULL, img);
	EXPECT_ERRNO(EEXIST, format_store());
	EXPECT_TRUE(mtd_holds(&self->s, img, size));
	free(img);
	EXPECT_EQ(1, holds(PLATFORM1));
}

/* ...except in factory mode. An empty store formats too. */
TEST_F_TIMEOUT(flashlog, format_in_factory_mode_wipes_the_store, 300)
{
	struct devcred_info info;
	int ret;

	ASSERT_EQ(0, format_store());
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, set_factory_mode(true));
	ret = format_store();
	ASSERT_EQ(0, set_factory_mode(false));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, holds(PLATFORM1));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(0, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(0, info.flags & DEVCRED_INFO_DAMAGED);
	EXPECT_EQ(0, info.sequence);
}

/* A record header, as Documentation/devcred/flash-format.rst describes it. */
struct rec_hdr {
	__le32 magic;
	__le16 version;
	__le16 hdr_len;
	__le64 seq;
	__le32 payload_len;
	__le32 payload_crc;
	__le32 reserved;
	__le32 hdr_crc;
} __attribute__((packed));

/*
 * Writes a copy of the record at partition offset @from to erased flash at
 * @to, with format version @version (0: its own) and sequence number @seq
 * (header CRC made right), then loads the store again.
 */
static int copy_record_at(struct store *s, loff_t from, loff_t to, __u16 version, __u64 seq)
{
	struct rec_hdr *hdr;
	unsigned char *rec = NULL;
	size_t len, align = s->write_size > 8 ? s->write_size : 8;
	int fd, ret = -1;

	len = align_up(UPDATE_RECORD, align);
	rec = malloc(len);
	fd = mtd_open(s, O_RDONLY);
	if (!rec || fd < 0 || pread(fd, rec, len, from) != (ssize_t)len)
		goto out;
	hdr = (void *)rec;
	memset(rec + le32toh(hdr->payload_len) + sizeof(*hdr), 0xff,
	       len - le32toh(hdr->payload_len) - sizeof(*hdr));
	if (version)
		hdr->version = htole16(version);
	hdr->seq = htole64(seq);
	hdr->hdr_crc = htole32(crc32(0, rec, offsetof(struct rec_hdr, hdr_crc)));
	ret = store_unload() || mtd_write_at(s, to, rec, len) || store_load(s, NULL);
out:
	if (fd >= 0)
		close(fd);
	free(rec);
	return ret;
}

/*
 * Writes a copy of the current record at the start of the next block
 * (erased), with format version @version and sequence number @seq: what a
 * later (or this) driver would have written.
 */
static int copy_record(struct store *s, __u16 version, __u64 seq)
{
	struct devcred_info info;

	if (store_info(&info) || !info.sequence || info.blocks < 3)
		return -1;
	return copy_record_at(s, (loff_t)info.record_block * s->erase_size + info.record_offset,
			      (loff_t)((info.record_block + 1) % info.blocks) * s->erase_size,
			      version, seq);
}

/*
 * A block whose first record is the newest first record may still not hold
 * the newest record: a write to a fresh block that failed after reaching
 * the flash leaves its record there alone, and drivers before this one
 * then appended the next, smaller record to the block before. Here: update
 * 2's record (seq 2) alone in block 1, updates 1 to 3 in block 0. The
 * attach must find update 3, and number the next record after it.
 */
TEST_F_TIMEOUT(flashlog, lone_record_of_a_newer_block_hides_no_newer_record, 300)
{
	struct devcred_info info;
	loff_t second;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&info));
	ASSERT_EQ(0, info.record_block);
	second = info.record_offset;
	ASSERT_EQ(0, put_update(PLATFORM1, 3));
	ASSERT_EQ(0, store_info(&info));
	ASSERT_EQ(0, info.record_block);
	ASSERT_EQ(0, copy_record_at(&self->s, second, self->s.erase_size, 0, 2));
	EXPECT_EQ(3, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(3, info.sequence);
	ASSERT_EQ(0, put_update(PLATFORM1, 4));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(4, info.sequence);
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(4, holds(PLATFORM1));
}

/*
 * A format version past the newest this driver reads (2: platform profile
 * settings, keys sealed or not), as a later driver would write it.
 */
#define NEWER_VERSION	3

/*
 * The newest record has a later format version (a downgrade): not damage.
 * INFO says so, the store is read-only, nothing on flash changes, FORMAT is
 * refused; the slots are unknown to this driver.
 */
TEST_F_TIMEOUT(flashlog, newer_format_is_read_only_not_damage, 300)
{
	struct devcred_slot_status st;
	struct devcred_info info;
	unsigned char *img;
	size_t size = 0;
	char *line;
	int fd;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, copy_record(&self->s, NEWER_VERSION, 2));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(DEVCRED_INFO_NEWER_FORMAT | DEVCRED_INFO_READONLY, info.flags);
	EXPECT_EQ(2, info.sequence);
	EXPECT_EQ(0, info.skipped_records);
	line = klog_find("devcred: record seq 2 at block");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "has format version 3, newer than this driver's 2")) TH_LOG("%s", line);
	free(line);
	fd = open(DEVCRED_DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dc_status(fd, PLATFORM1, &st));
	EXPECT_EQ(DEVCRED_SLOT_FLASH | DEVCRED_SLOT_INVALID, st.flags);
	close(fd);
	check_flash_changes_refused(_metadata, &self->s, EROFS);
	img = mtd_image(&self->s, &size);
	ASSERT_NE(NULL, img);
	EXPECT_ERRNO(EEXIST, format_store());
	EXPECT_TRUE(mtd_holds(&self->s, img, size));
	free(img);
}

/* A record of a later version older than the current one changes nothing. */
TEST_F_TIMEOUT(flashlog, older_record_of_newer_format_is_superseded, 300)
{
	struct devcred_info info;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, copy_record(&self->s, NEWER_VERSION, 1));
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(DEVCRED_INFO_KEYS_CLEAR, info.flags);
	EXPECT_EQ(2, holds(PLATFORM1));
}

/* The format version of the current record, as on flash; 0 on error. */
static __u16 current_version(const struct store *s)
{
	struct devcred_info info;
	struct rec_hdr hdr;
	int fd;
	ssize_t n;

	if (store_info(&info) || !info.sequence)
		return 0;
	fd = mtd_open(s, O_RDONLY);
	if (fd < 0)
		return 0;
	n = pread(fd, &hdr, sizeof(hdr),
		  (loff_t)info.record_block * s->erase_size + info.record_offset);
	close(fd);
	return n == sizeof(hdr) ? le16toh(hdr.version) : 0;
}

/* Sets the platform profile settings alone; 0 or -1 with errno. */
static int set_profiles(const __u8 cert[4], const __u8 select[4])
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = DEVCRED_BIND_PROFILES };

	memcpy(b.profile_cert, cert, sizeof(b.profile_cert));
	memcpy(b.profile_select, select, sizeof(b.profile_select));
	return dev_ioctl(DEVCRED_IOC_SET_BINDINGS, &b);
}

/*
 * The platform profile settings live in the record (version 2, keys still
 * in clear) and come back after a reload; a store holding none writes
 * version 1 again, which a version 1 driver reads.
 */
TEST_F_TIMEOUT(flashlog, platform_profiles_kept_in_the_record, 300)
{
	static const __u8 cert[4] = { DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_PLATFORM2),
				      DEVCRED_PROFILE_SLOT(DEVCRED_SLOT_BUILTIN) };
	static const __u8 select[4] = { 2, 0, 1 }, none[4];
	struct devcred_bindings b;
	struct devcred_info info;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	EXPECT_EQ(1, current_version(&self->s));
	ASSERT_EQ(0, set_profiles(cert, select));
	EXPECT_EQ(2, current_version(&self->s));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(DEVCRED_INFO_KEYS_CLEAR, info.flags);
	EXPECT_EQ(0, info.skipped_records);
	EXPECT_EQ(1, holds(PLATFORM1));
	b = (struct devcred_bindings){ .size = sizeof(b) };
	ASSERT_EQ(0, dev_ioctl(DEVCRED_IOC_GET_BINDINGS, &b));
	EXPECT_EQ(0, memcmp(cert, b.profile_cert, sizeof(cert)));
	EXPECT_EQ(0, memcmp(select, b.profile_select, sizeof(select)));
	/* A slot written later keeps them: every record holds the whole state. */
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	EXPECT_EQ(2, current_version(&self->s));
	ASSERT_EQ(0, set_profiles(none, none));
	EXPECT_EQ(1, current_version(&self->s));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	b = (struct devcred_bindings){ .size = sizeof(b) };
	ASSERT_EQ(0, dev_ioctl(DEVCRED_IOC_GET_BINDINGS, &b));
	EXPECT_EQ(0, memcmp(none, b.profile_cert, sizeof(none)));
	EXPECT_EQ(0, memcmp(none, b.profile_select, sizeof(none)));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/* Factory mode may format a store of a later format version. */
TEST_F_TIMEOUT(flashlog, newer_format_formatted_in_factory_mode, 300)
{
	struct devcred_info info;
	int ret;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, copy_record(&self->s, NEWER_VERSION, 2));
	ASSERT_EQ(0, set_factory_mode(true));
	ret = format_store();
	ASSERT_EQ(0, set_factory_mode(false));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(DEVCRED_INFO_KEYS_CLEAR, info.flags);
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * The store as the board bound it, for the boots of flash_log.sh that give
 * the partition a property a test cannot give it (read-only).
 */
FIXTURE(board) {
	struct devcred_info info;
};

FIXTURE_SETUP(board)
{
	ASSERT_EQ(0, store_info(&self->info));
}

FIXTURE_TEARDOWN(board)
{
}

/* FORMAT on a read-only partition: EROFS, before anything else is looked at. */
TEST_F(board, format_read_only_partition_erofs)
{
	if (!(self->info.flags & DEVCRED_INFO_READONLY) ||
	    (self->info.flags & DEVCRED_INFO_NEWER_FORMAT))
		SKIP(return, "the partition is writable");
	EXPECT_ERRNO(EROFS, format_store());
}

/*
 * A flash error reaches the caller as EIO, as the documentation promises,
 * whatever the flash driver said (here a timeout on every operation).
 */
TEST_F_TIMEOUT(flashlog, flash_error_reported_as_eio, 300)
{
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, fail_next(1000, ETIMEDOUT));
	EXPECT_ERRNO(EIO, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, knob("fail_at", 0));
	EXPECT_EQ(1, holds(PLATFORM1));
}

/* NAND: no good block left is a flash failure too (EIO), not ENOSPC. */
TEST_F_TIMEOUT(flashlog, no_good_block_reported_as_eio, 300)
{
	struct devcred_info info;

	if (!variant->nand)
		SKIP(return, "NOR has no bad blocks");
	store_unbind(&self->s);
	ASSERT_EQ(0, store_bind(&self->s, true, "parts=2 badblocks=0,1"));
	ASSERT_EQ(0, store_info(&info));
	ASSERT_EQ(2, info.bad_blocks);
	EXPECT_ERRNO(EIO, put_update(PLATFORM1, 1));
}

/*
 * A header claiming the highest sequence number (here a copy of the current
 * record with seq 2^64 - 1) must not stop the log: before, the next record
 * wrapped around to seq 0 and lost to it at every later attach. Numbers of
 * 2^63 and above are no sequence numbers: such a header is damage.
 */
TEST_F_TIMEOUT(flashlog, highest_sequence_number_is_damage, 300)
{
	struct devcred_info info;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, copy_record(&self->s, 1, UINT64_MAX));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(1, info.sequence);
	EXPECT_EQ(1, info.skipped_records);
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(2, holds(PLATFORM1));
}

/*
 * The last sequence number there is (2^63 - 1): the store refuses further
 * updates (EIO) rather than write one no attach would take.
 */
TEST_F_TIMEOUT(flashlog, sequence_numbers_exhausted_refused, 300)
{
	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, copy_record(&self->s, 1, INT64_MAX));
	EXPECT_EQ(1, holds(PLATFORM1));
	EXPECT_ERRNO(EIO, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(1, holds(PLATFORM1));
}

/*
 * The read of the current record at attach returns its header with one
 * byte changed (a read disturbance; test builds, module parameters
 * disturb_at and disturb_read): the header is checked again, found wrong
 * and read once more, and the newest record still wins.
 */
TEST_F_TIMEOUT(flashlog, disturbed_reread_of_a_header, 300)
{
	struct devcred_info info;
	char params[64];
	loff_t hdr;

	ASSERT_EQ(0, put_update(PLATFORM1, 1));
	ASSERT_EQ(0, put_update(PLATFORM1, 2));
	ASSERT_EQ(0, store_info(&info));
	/* Record 2 after record 1 in block 0: the scan reads its header first. */
	ASSERT_EQ(0, info.record_block);
	ASSERT_NE(0, info.record_offset);
	hdr = info.record_offset;
	/* The second read of the header's payload_crc field. */
	snprintf(params, sizeof(params), "disturb_at=%llu disturb_read=2",
		 (unsigned long long)hdr + 20 + 1);
	ASSERT_EQ(0, store_reload(&self->s, params));
	/* The countdown reached the read it names: the disturbance happened. */
	EXPECT_EQ(0, knob_value("disturb_read"));
	EXPECT_EQ(2, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(0, info.skipped_records);
}

/*
 * The scan's first read of the newest record's header goes wrong once, as
 * @how says (module parameters of the test build: one byte inverted, or
 * with disturb_ecc=1 an uncorrectable ECC error): the header is read once
 * more before it counts as damage. Three records in one block, so that the
 * scan of the newest block finds two candidates before the disturbed one
 * and takes no second walk: without the second read the attach loaded
 * update 2 (a rollback) and numbered the next record as 3, twice on flash.
 */
static void check_disturbed_newest(struct __test_metadata *_metadata, struct store *s,
				   const char *how)
{
	struct devcred_info info;
	char params[96];
	__u64 seq;

	ASSERT_EQ(0, put_updates_in_block0(3, NULL, &info));
	seq = info.sequence;
	/* The first read covering the header's payload_crc field. */
	snprintf(params, sizeof(params), "disturb_at=%llu disturb_read=1 %s",
		 (unsigned long long)info.record_offset + 20 + 1, how);
	ASSERT_EQ(0, store_reload(s, params));
	EXPECT_EQ(0, knob_value("disturb_read"));
	EXPECT_EQ(3, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(seq, info.sequence);
	EXPECT_EQ(0, info.skipped_records);
	/* The next record is numbered after the one the disturbance hit. */
	ASSERT_EQ(0, put_update(PLATFORM1, 4));
	ASSERT_EQ(0, store_reload(s, NULL));
	EXPECT_EQ(4, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(seq + 1, info.sequence);
}

TEST_F_TIMEOUT(flashlog, disturbed_first_read_of_the_newest_header, 300)
{
	check_disturbed_newest(_metadata, &self->s, "");
}

/* A page near the ECC's limit fails one read and passes the next. */
TEST_F_TIMEOUT(flashlog, uncorrectable_once_newest_header, 300)
{
	check_disturbed_newest(_metadata, &self->s, "disturb_ecc=1");
}

/*
 * Past damage the scan searches chunk by chunk for the next valid header
 * (bit rot in record 3 of four in one block), and the read of the chunk
 * holding record 4's header is disturbed: the chunk, data without a valid
 * header, is read once more. Without that the attach loaded record 2
 * (the newest block's scan saw two candidates) and numbered the next
 * update as record 4.
 */
TEST_F_TIMEOUT(flashlog, disturbed_search_past_damage, 300)
{
	struct devcred_info info;
	loff_t offs[4], rotten, newest;
	char params[64];
	__u64 seq;

	ASSERT_EQ(0, put_updates_in_block0(4, offs, &info));
	seq = info.sequence;
	rotten = offs[2];
	newest = offs[3];
	/*
	 * Record 4 after record 3 in block 0: no read of the scan before its
	 * search past record 3 covers record 4's header, so the disturbed read
	 * is the search's read of the chunk holding it (a NAND page; on NOR
	 * 4 KiB), after chunks of record 3's payload.
	 */
	ASSERT_GT(newest, rotten);
	ASSERT_EQ(0, store_unload());
	/* The magic's 'D' (0x44): on NAND two bit errors in one ECC step. */
	ASSERT_EQ(0, clear_bits(&self->s, rotten, 0x44));
	snprintf(params, sizeof(params), "disturb_at=%llu disturb_read=1",
		 (unsigned long long)newest + 20 + 1);
	ASSERT_EQ(0, store_load(&self->s, params));
	EXPECT_EQ(0, knob_value("disturb_read"));
	EXPECT_EQ(4, holds(PLATFORM1));
	ASSERT_EQ(0, store_info(&info));
	EXPECT_EQ(seq, info.sequence);
	EXPECT_EQ(1, info.skipped_records);
	ASSERT_EQ(0, put_update(PLATFORM1, 5));
	ASSERT_EQ(0, store_reload(&self->s, NULL));
	EXPECT_EQ(5, holds(PLATFORM1));
}

/* Application slots live in RAM: a read-only partition does not stop them. */
TEST_F(board, read_only_partition_keeps_app_slots_working)
{
	struct dc_cred c;
	int fd;

	if (!(self->info.flags & DEVCRED_INFO_READONLY))
		SKIP(return, "the partition is writable");
	dc_make_cred(&c, 91);
	fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, dc_put_cred(fd, DEVCRED_SLOT_APP2, &c));
	EXPECT_EQ(0, dc_blob_is(fd, DEVCRED_IOC_READ_KEY, DEVCRED_SLOT_APP2, 0, c.key,
				c.key_len));
	EXPECT_EQ(0, dc_set_pending(fd, DEVCRED_SLOT_APP2, c.key, c.key_len));
	EXPECT_EQ(0, dc_erase(fd, DEVCRED_SLOT_APP2));
	EXPECT_ERRNO(EROFS, dc_put_cred(fd, PLATFORM1, &c));
	close(fd);
}

TEST_HARNESS_MAIN
