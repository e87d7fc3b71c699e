// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, for the tests only.
 *
 * /sys/kernel/debug/devcred/cut_at    cut the power at the Nth flash write or
 *                                     erase from now (0: never)
 * /sys/kernel/debug/devcred/cut_mode  what that operation leaves behind:
 *                                     0 nothing, 1 its first half (a write:
 *                                     the rest stays erased; an erase: the
 *                                     second half keeps its old data),
 *                                     2 its first half, then random bytes
 * /sys/kernel/debug/devcred/cuts      cuts made so far
 * /sys/kernel/debug/devcred/fail_at   make the Nth flash write or erase from
 *                                     now fail (0: never), without a cut:
 *                                     the operation does not happen and
 *                                     returns -fail_errno
 * /sys/kernel/debug/devcred/fail_count  that many operations in a row fail
 *                                     (default 1)
 * /sys/kernel/debug/devcred/fail_errno  the error, positive (default EIO)
 * /sys/kernel/debug/devcred/disturb_at  the partition offset plus one of a
 *                                     byte that one read returns inverted, as
 *                                     a read disturbance would (0: none)
 * /sys/kernel/debug/devcred/disturb_read  which read covering that byte
 *                                     (1: the next one); 0 once it happened
 * /sys/kernel/debug/devcred/disturb_ecc  that read instead fails as a page
 *                                     the ECC could not correct (-EBADMSG),
 *                                     as one near the ECC's limit may once
 *
 * After a cut no write or erase reaches the flash until the module is
 * reloaded, as after a real power failure. The knobs are plain debugfs
 * integers read under the store's lock; a test sets them while idle.
 *
 * The module parameters cut_at and cut_mode arm the same cut at load time,
 * so that the flash operations of the attach itself (rewriting a record
 * read with corrected bitflips) can be cut too; disturb_at, disturb_read
 * and disturb_ecc disturb a read of the attach.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mtd/mtd.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "fault.h"

static u32 cut_at;
module_param(cut_at, uint, 0);
MODULE_PARM_DESC(cut_at, "Test builds: cut the power at the Nth flash write or erase after loading, the attach's included (0: never)");

static u32 cut_mode;
module_param(cut_mode, uint, 0);
MODULE_PARM_DESC(cut_mode, "Test builds: what the cut operation leaves behind (0 nothing, 1 half, 2 half and random bytes)");

static u64 disturb_at;
module_param(disturb_at, ullong, 0);
MODULE_PARM_DESC(disturb_at, "Test builds: partition offset plus one of a byte a read returns inverted (0: none)");

static u32 disturb_read;
module_param(disturb_read, uint, 0);
MODULE_PARM_DESC(disturb_read, "Test builds: which read covering disturb_at is disturbed (1: the first)");

static bool disturb_ecc;
module_param(disturb_ecc, bool, 0);
MODULE_PARM_DESC(disturb_ecc, "Test builds: the disturbed read fails with -EBADMSG (uncorrectable) instead");

static u32 cuts;
static bool powered_off;
static u32 fail_at;
static u32 fail_count = 1;
static u32 fail_errno = EIO;
static struct dentry *fault_dir;

enum devcred_power devcred_fault_power(void)
{
	if (powered_off)
		return DEVCRED_POWER_OFF;
	if (!cut_at || --cut_at)
		return DEVCRED_POWER_ON;
	powered_off = true;
	cuts++;
	return DEVCRED_POWER_CUT;
}

/* 0, or the error the current write or erase is to fail with. */
int devcred_fault_error(void)
{
	if (!fail_at || --fail_at)
		return 0;
	if (fail_count > 1) {
		fail_count--;
		fail_at = 1;
	}
	pr_info("injected error %d into a flash write or erase\n", -(int)fail_errno);
	return -(int)fail_errno;
}

/*
 * If this read of @len bytes at @ofs is the disturbed one: inverts the
 * disturbed byte in @buf, or with disturb_ecc returns -EBADMSG.
 */
int devcred_fault_disturb(loff_t ofs, size_t len, u8 *buf)
{
	u64 at = disturb_at - 1;

	if (!disturb_at || !disturb_read || at < ofs || at >= ofs + len || --disturb_read)
		return 0;
	if (disturb_ecc) {
		pr_info("failed a %zu byte read covering %#llx as uncorrectable\n", len, at);
		return -EBADMSG;
	}
	buf[at - ofs] ^= 0xff;
	pr_info("disturbed the byte at %#llx of a %zu byte read\n", at, len);
	return 0;
}

/* Programs @len bytes of random data at @ofs. */
static void devcred_fault_scribble(struct mtd_info *mtd, loff_t ofs, size_t len)
{
	size_t retlen;
	u8 *junk;

	junk = kvmalloc(len, GFP_KERNEL);
	if (!junk)
		return;
	get_random_bytes(junk, len);
	mtd_write(mtd, ofs, len, &retlen, junk);
	kvfree(junk);
}

void devcred_fault_tear_write(struct mtd_info *mtd, loff_t ofs, size_t len, const u8 *buf)
{
	size_t half = rounddown(len / 2, mtd->writesize), retlen;

	pr_info("power cut during a %zu byte write at %#llx (mode %u)\n", len, ofs, cut_mode);
	if (!cut_mode || !half)
		return;
	mtd_write(mtd, ofs, half, &retlen, buf);
	if (cut_mode == 2)
		devcred_fault_scribble(mtd, ofs + half, len - half);
}

void devcred_fault_tear_erase(struct mtd_info *mtd, loff_t ofs, size_t len)
{
	struct erase_info ei = { .addr = ofs, .len = len };
	size_t half = len / 2, retlen;
	u8 *old;

	pr_info("power cut during the erase of %#llx (mode %u)\n", ofs, cut_mode);
	if (!cut_mode)
		return;
	old = kvmalloc(half, GFP_KERNEL);
	if (!old || mtd_read(mtd, ofs + half, half, &retlen, old) < 0 ||
	    mtd_erase(mtd, &ei)) {
		kvfree(old);
		return;
	}
	if (cut_mode == 1)
		mtd_write(mtd, ofs + half, half, &retlen, old);
	else
		devcred_fault_scribble(mtd, ofs, len);
	kvfree(old);
}

void devcred_fault_init(void)
{
	fault_dir = debugfs_create_dir("devcred", NULL);
	debugfs_create_u32("cut_at", 0600, fault_dir, &cut_at);
	debugfs_create_u32("cut_mode", 0600, fault_dir, &cut_mode);
	debugfs_create_u32("cuts", 0400, fault_dir, &cuts);
	debugfs_create_u32("fail_at", 0600, fault_dir, &fail_at);
	debugfs_create_u32("fail_count", 0600, fault_dir, &fail_count);
	debugfs_create_u32("fail_errno", 0600, fault_dir, &fail_errno);
	debugfs_create_u64("disturb_at", 0600, fault_dir, &disturb_at);
	debugfs_create_u32("disturb_read", 0600, fault_dir, &disturb_read);
	debugfs_create_bool("disturb_ecc", 0600, fault_dir, &disturb_ecc);
	pr_info("test build: power-cut injection in debugfs devcred/%s\n",
		cut_at ? " (armed at load)" : "");
}

void devcred_fault_exit(void)
{
	debugfs_remove(fault_dir);
}
