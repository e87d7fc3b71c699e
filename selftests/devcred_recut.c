// SPDX-License-Identifier: GPL-2.0
/*
 * Power cuts during recovery: the power fails again while the driver works
 * on the flash a first cut left behind.
 *
 * A first cut tears an update at its k1-th flash write or erase (each kind
 * of update, each tearing mode, k1 = 1, 2, ... as in devcred_powercut; once
 * where the update appends, once with the block filled first so that it
 * erases a new one). With the module unloaded, the partition's image is
 * saved. Then the recovery is cut at each of its own flash operations
 * k2 = 1, 2, ..., every time from that same torn flash, written back from
 * the image first:
 *
 * - next_update: the next update after the reload, which has to move past
 *   the torn record (into a freshly erased block) or finish a torn erase;
 * - attach_rewrite (NAND): the attach itself, when the current record reads
 *   with corrected bitflips and the driver writes it again to another
 *   block. The partition's bitflip_threshold at 0 makes MTD report
 *   corrected bitflips on every read, and the cut is armed at load time
 *   (module parameters cut_at and cut_mode, test builds).
 *
 * After each second cut the module is reloaded and the store must show the
 * state before the recovery's operation or the state after it (a rewrite
 * has no "after": the same state), never a mix of versions, and never
 * other than what the first cut left. k2 grows until the recovery completes
 * without reaching its cut.
 *
 * The cuts must really happen, or every update would complete at k1 = 1
 * and nothing would be checked: k1 = 1 and k2 = 1 must cut (the update and
 * the next one make at least one flash operation, a rewrite when there is
 * a record to move), each failed update must be the driver's one cut
 * (debugfs devcred/cuts), and cuts during the recovery must have been made
 * and have left the state before it.
 *
 * DEVCRED_RECUT_ROUNDS (default 1) repeats everything.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <mtd/mtd-user.h>

#include "kselftest_harness.h"
#include "devcred_pstate.h"

#define MAX_OPS 16

/* The partition as saved after a first cut, with the module unloaded. */
struct image {
	int mtd;
	bool nand;
	__u32 erase_size;
	__u32 unit;		/* what is written back at once */
	__u32 blocks;
	size_t size;
	unsigned char *data;
	bool *bad;
};

static unsigned int checked, saw_before, saw_after, first_cuts, recovery_cuts, rewrites;

/* @ret from an update: was it the one power cut the driver made since @before? */
static int one_cut(struct __test_metadata *_metadata, int ret, int before, const char *what,
		   unsigned int k)
{
	int cut = cuts_made() - before;

	if (before < 0 || cut != !!ret) {
		TH_LOG("%s at k=%u %s, and the driver made %d power cuts", what, k,
		       ret ? "failed" : "completed", cut);
		return -1;
	}
	return 0;
}

static int __attribute__((format(printf, 1, 2))) run(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int unload(void)
{
	return run("rmmod devcred");
}

/* Loads the module as at boot, with @extra parameters. */
static int load(const char *extra)
{
	return run("insmod /lib/modules/devcred.ko $(cat /run/devcred.modparams) %s", extra);
}

static int sysfs_read(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ok ? 0 : -1;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static int store_info(struct devcred_info *info)
{
	int fd = open("/dev/devcred", O_RDWR), ret;

	if (fd < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	ret = ioctl(fd, DEVCRED_IOC_INFO, info);
	close(fd);
	return ret;
}

/* Which partition the store is bound to, and its geometry. */
static int image_init(struct image *im)
{
	struct devcred_info info;
	char path[96], type[32];

	if (store_info(&info))
		return -1;
	snprintf(path, sizeof(path), "/sys/class/mtd/mtd%u/type", info.mtd_index);
	if (sysfs_read(path, type, sizeof(type)))
		return -1;
	im->mtd = info.mtd_index;
	im->nand = strstr(type, "nand") != NULL;
	im->erase_size = info.erase_size;
	im->unit = info.write_size > 1 ? info.write_size : 4096;
	im->blocks = info.blocks;
	im->size = info.part_size;
	im->data = malloc(im->size);
	im->bad = calloc(im->blocks, sizeof(*im->bad));
	return im->data && im->bad ? 0 : -1;
}

static int mtd_open(const struct image *im, int flags)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/mtd%d", im->mtd);
	return open(path, flags);
}

static int image_save(struct image *im)
{
	int fd = mtd_open(im, O_RDONLY), ret = 0;
	loff_t ofs;
	__u32 b;

	if (fd < 0)
		return -1;
	for (b = 0; b < im->blocks && !ret; b++) {
		ofs = (loff_t)b * im->erase_size;
		im->bad[b] = im->nand && ioctl(fd, MEMGETBADBLOCK, &ofs) > 0;
		memset(im->data + ofs, 0xff, im->erase_size);
		if (!im->bad[b] &&
		    pread(fd, im->data + ofs, im->erase_size, ofs) != (ssize_t)im->erase_size)
			ret = -1;
	}
	close(fd);
	return ret;
}

static bool all_erased(const unsigned char *p, size_t len)
{
	while (len--)
		if (*p++ != 0xff)
			return false;
	return true;
}

/* Erases the partition and programs what is not erased in the image. */
static int image_restore(const struct image *im)
{
	int fd = mtd_open(im, O_RDWR), ret = 0;
	struct erase_info_user ei;
	size_t ofs;
	__u32 b;

	if (fd < 0)
		return -1;
	for (b = 0; b < im->blocks && !ret; b++) {
		if (im->bad[b])
			continue;
		ei.start = b * im->erase_size;
		ei.length = im->erase_size;
		if (ioctl(fd, MEMERASE, &ei))
			ret = -1;
		for (ofs = ei.start; !ret && ofs < ei.start + im->erase_size; ofs += im->unit)
			if (!all_erased(im->data + ofs, im->unit) &&
			    pwrite(fd, im->data + ofs, im->unit, ofs) != (ssize_t)im->unit)
				ret = -1;
	}
	close(fd);
	return ret;
}

static int set_threshold(const struct image *im, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/mtd/mtd%d/bitflip_threshold", im->mtd);
	return sysfs_write(path, val);
}

/*
 * Bytes of the record holding @st, as Documentation/devcred/flash-format.rst
 * counts: keys in clear, version 2 (profile settings, a sealing section of
 * cipher 0) once any platform profile setting is made.
 */
static size_t record_bytes(const struct pstate *st, __u32 align)
{
	static const __u8 unset[4];
	size_t len = 32 + 8 + DEVCRED_FLASH_SLOTS * 24;
	int i;

	if (memcmp(st->profile_cert, unset, 4) || memcmp(st->profile_select, unset, 4))
		len += 8 + 16;
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++)
		len += st->cert[i].len + st->key[i].len + st->pending[i].len;
	return (len + align - 1) / align * align;
}

/*
 * Appends records that change nothing but bindings until the record of
 * update @u (number @n) no longer fits in the current block: that update
 * then has to erase a new block, and its first cut can land on that erase.
 * When the room left is too small for another such record but not for the
 * update's (a smaller one), the update appends.
 */
static int fill_block(struct __test_metadata *_metadata, enum update u, unsigned int n)
{
	static struct pstate st, next;
	struct devcred_info info;
	unsigned int i, m;
	size_t room;
	__u32 align;
	int fd, ret;

	for (i = 0; i < 256; i++) {
		if (store_info(&info) || snapshot(&st))
			return -1;
		if (!info.sequence)
			return 0;	/* no record: the update erases a block anyway */
		align = info.write_size > 8 ? info.write_size : 8;
		room = info.erase_size - info.record_offset - record_bytes(&st, align);
		next = st;
		apply(u, n, &next);
		if (record_bytes(&next, align) > room || record_bytes(&st, align) > room)
			return 0;
		next = st;
		for (m = i; same(&next, &st); m++)
			apply(BIND, m, &next);
		fd = open("/dev/devcred", O_RDWR);
		if (fd < 0)
			return -1;
		ret = issue(fd, BIND, &next);
		close(fd);
		if (ret) {
			TH_LOG("filling the block: %s", strerror(errno));
			return -1;
		}
	}
	TH_LOG("the block never filled");
	return -1;
}

/*
 * The first cut: update @u (number @n) cut at its @k-th flash operation in
 * @mode, the module unloaded afterwards and the image saved in @im. With
 * @full the current block is filled first, so that the update changes
 * block. *@before and *@after are the states the update goes between.
 * Returns 1 when the update completed before its k-th operation, 0 after a
 * cut, -1 on failure.
 */
static int first_cut(struct __test_metadata *_metadata, struct image *im, enum update u,
		     unsigned int k, unsigned int mode, unsigned int n, bool full,
		     struct pstate *before, struct pstate *after)
{
	int fd, ret, err, cuts_before;

	if (prepare(u, n) || (full && fill_block(_metadata, u, n)) || snapshot(before))
		return -1;
	*after = *before;
	apply(u, n, after);
	/* Bindings alternate with @n: make sure this is a change. */
	if (same(after, before))
		apply(u, n + 1, after);
	cuts_before = cuts_made();
	if (knob("cut_mode", mode) || knob("cut_at", k))
		return -1;
	fd = open("/dev/devcred", O_RDWR);
	if (fd < 0)
		return -1;
	ret = issue(fd, u, after);
	err = errno;
	close(fd);
	knob("cut_at", 0);
	if (ret && err != ESHUTDOWN) {
		TH_LOG("%s: k1=%u: unexpected error %s", update_names[u], k, strerror(err));
		return -1;
	}
	if (one_cut(_metadata, ret, cuts_before, update_names[u], k))
		return -1;
	if (!ret)
		return 1;
	first_cuts++;
	if (unload() || image_save(im))
		return -1;
	return 0;
}

/*
 * Writes the torn image back, loads the module and checks that the store
 * shows @before or @after of the first update; *@now gets what it shows,
 * which must be *@now again on later restores.
 */
static int restore_and_load(struct __test_metadata *_metadata, const struct image *im,
			    const struct pstate *before, const struct pstate *after,
			    struct pstate *now, bool first)
{
	static struct pstate st;

	if (image_restore(im) || load("") || snapshot(&st))
		return -1;
	if (!same(&st, before) && !same(&st, after)) {
		TH_LOG("after the first cut the store shows neither the old nor the new state");
		return -1;
	}
	if (first)
		*now = st;
	else if (!same(&st, now)) {
		TH_LOG("the same flash image gave another state");
		return -1;
	}
	return 0;
}

/*
 * The next update after the first cut (@u: one without preparation), cut at
 * each of its operations. Starts with the module unloaded; leaves it loaded,
 * with that update done.
 */
static int cut_next_update(struct __test_metadata *_metadata, struct image *im,
			   const struct pstate *before1, const struct pstate *after1,
			   enum update u, unsigned int mode1, unsigned int *n)
{
	static struct pstate s1, want, got;
	int fd, ret, err, cuts_before;
	unsigned int k;

	for (k = 1; k < MAX_OPS; k++) {
		if (restore_and_load(_metadata, im, before1, after1, &s1, k == 1))
			return -1;
		want = s1;
		apply(u, ++*n, &want);
		if (same(&want, &s1))
			apply(u, ++*n, &want);
		cuts_before = cuts_made();
		if (knob("cut_mode", (mode1 + k) % 3) || knob("cut_at", k))
			return -1;
		fd = open("/dev/devcred", O_RDWR);
		if (fd < 0)
			return -1;
		ret = issue(fd, u, &want);
		err = errno;
		close(fd);
		knob("cut_at", 0);
		if (ret && err != ESHUTDOWN) {
			TH_LOG("next update (%s): k2=%u: unexpected error %s", update_names[u], k,
			       strerror(err));
			return -1;
		}
		if (one_cut(_metadata, ret, cuts_before, "next update", k))
			return -1;
		if (k == 1 && !ret) {
			TH_LOG("next update (%s): completed with a cut at its first flash operation: no power cut happened",
			       update_names[u]);
			return -1;
		}
		recovery_cuts += !!ret;
		if (reload() || snapshot(&got))
			return -1;
		checked++;
		if (same(&got, &want)) {
			saw_after++;
			if (!ret)
				return 0;
		} else if (ret && same(&got, &s1)) {
			saw_before++;
		} else {
			TH_LOG("next update (%s) cut at its operation %u: the store shows neither the state before it nor after it",
			       update_names[u], k);
			return -1;
		}
		if (unload())
			return -1;
	}
	TH_LOG("next update (%s) never completed", update_names[u]);
	return -1;
}

/*
 * The attach's rewrite of a record read with corrected bitflips, cut at
 * each of its operations. Starts with the module unloaded; leaves it
 * loaded, the record rewritten once.
 */
static int cut_attach_rewrite(struct __test_metadata *_metadata, struct image *im,
			      const struct pstate *before1, const struct pstate *after1,
			      unsigned int mode1, const char *threshold)
{
	static struct pstate s1, got;
	struct devcred_info plain, moved;
	char params[64];
	unsigned int k;
	int cut;

	for (k = 1; k < MAX_OPS; k++) {
		if (restore_and_load(_metadata, im, before1, after1, &s1, k == 1) ||
		    store_info(&plain) || unload() || image_restore(im) || set_threshold(im, "0"))
			return -1;
		snprintf(params, sizeof(params), "cut_at=%u cut_mode=%u", k, (mode1 + k) % 3);
		if (load(params))
			return -1;
		cut = cuts_made();
		knob("cut_at", 0);
		if (cut < 0)
			return -1;
		if (k == 1 && plain.sequence && !cut) {
			TH_LOG("attach rewrite: a record to move and a cut at the first flash operation, yet no power cut happened");
			return -1;
		}
		recovery_cuts += cut;
		if (store_info(&moved) || set_threshold(im, threshold) || reload() ||
		    snapshot(&got))
			return -1;
		checked++;
		if (!same(&got, &s1)) {
			TH_LOG("attach rewrite cut at its operation %u: the store changed", k);
			return -1;
		}
		if (!cut) {
			/* Uncut, a store with a record has it in another block now. */
			if (plain.sequence && (moved.sequence <= plain.sequence ||
					       moved.record_block == plain.record_block)) {
				TH_LOG("bitflips on every read, yet the record stayed in block %u",
				       plain.record_block);
				return -1;
			}
			rewrites += plain.sequence != 0;
			saw_after++;
			return 0;
		}
		saw_before++;
		if (unload())
			return -1;
	}
	TH_LOG("the attach rewrite never completed");
	return -1;
}

enum recovery { NEXT_UPDATE, ATTACH_REWRITE };

static void run_recovery(struct __test_metadata *_metadata, enum recovery rec)
{
	unsigned int rounds = getenv("DEVCRED_RECUT_ROUNDS") ?
			      atoi(getenv("DEVCRED_RECUT_ROUNDS")) : 1;
	static struct pstate before, after;
	char threshold[16] = "";
	unsigned int r, mode, k, n = 0;
	struct image im;
	enum update u;
	bool full;
	int ret;

	if (access(KNOB "cut_at", W_OK))
		SKIP(return, "not a test build of devcred.ko (no debugfs devcred/cut_at)");
	ASSERT_EQ(0, image_init(&im));
	if (rec == ATTACH_REWRITE) {
		char path[96];

		if (!im.nand)
			SKIP(return, "not NAND: reads never report corrected bitflips");
		snprintf(path, sizeof(path), "/sys/class/mtd/mtd%d/bitflip_threshold", im.mtd);
		ASSERT_EQ(0, sysfs_read(path, threshold, sizeof(threshold)));
	}
	/*
	 * Each kind of first update, in each tearing mode, appending where it
	 * finds room and (full) changing block.
	 */
	for (r = 0; r < rounds; r++) {
		for (u = 0; u < UPDATES; u++) {
			for (mode = 0; mode < 6; mode++) {
				full = mode >= 3;
				for (k = 1; k < MAX_OPS; k++) {
					ret = first_cut(_metadata, &im, u, k, mode % 3, ++n, full,
							&before, &after);
					ASSERT_LE(0, ret);
					if (ret)
						break;
					if (rec == NEXT_UPDATE)
						ret = cut_next_update(_metadata, &im, &before, &after,
								      u == WRITE_PLATFORM1 ? BIND :
								      WRITE_PLATFORM1, mode, &n);
					else
						ret = cut_attach_rewrite(_metadata, &im, &before,
									 &after, mode, threshold);
					ASSERT_EQ(0, ret) TH_LOG("%s: first cut at %u, mode %u%s",
								 update_names[u], k, mode % 3,
								 full ? ", changing block" : "");
				}
				ASSERT_GT(MAX_OPS, k) TH_LOG("%s never completed", update_names[u]);
				ASSERT_LT(1, k) TH_LOG("%s, mode %u: completed with a cut at its first flash operation: no power cut happened",
						       update_names[u], mode);
			}
		}
	}
	TH_LOG("%s: %u first cuts, %u cut-during-recovery points checked, %u cuts during the recovery (%u showed the state before the recovery's operation, %u after)",
	       rec == NEXT_UPDATE ? "next update" : "attach rewrite", first_cuts, checked,
	       recovery_cuts, saw_before, saw_after);
	ASSERT_LT(0, first_cuts);
	ASSERT_LT(0, recovery_cuts);
	ASSERT_LT(0, saw_before) TH_LOG("no cut during the recovery left the state before it");
	ASSERT_LT(0, saw_after) TH_LOG("no recovery completed");
	if (rec == ATTACH_REWRITE)
		ASSERT_LT(0, rewrites) TH_LOG("no attach ever rewrote a record");
	free(im.data);
	free(im.bad);
}

/* Reloads under emulation take time: far beyond the harness's 30 s. */
FIXTURE(recut) {};
FIXTURE_SETUP(recut) {}
FIXTURE_TEARDOWN(recut) {}

TEST_F_TIMEOUT(recut, next_update, 3600)
{
	run_recovery(_metadata, NEXT_UPDATE);
}

TEST_F_TIMEOUT(recut, attach_rewrite, 3600)
{
	run_recovery(_metadata, ATTACH_REWRITE);
}

TEST_HARNESS_MAIN
