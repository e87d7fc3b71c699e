// SPDX-License-Identifier: GPL-2.0
/*
 * Power cuts at every flash step of an update.
 *
 * For each kind of update (a flash slot written, erased, given a pending
 * key; bindings changed) and for k = 1, 2, ...: cut the power at the k-th
 * flash write or erase of the update (debugfs devcred/cut_at, test builds
 * only), in each tearing mode, reload the module as a reboot would, and
 * check the invariant: the store shows exactly the state before the update
 * or exactly the state after it - every certificate, key, pending key and
 * binding from the same version. k grows until an update completes without
 * reaching its cut. Large blobs make records fill erase blocks quickly, so
 * the cuts land on appends and on block changes alike.
 *
 * The cuts must really happen, or every update would complete at k = 1 and
 * the invariant would hold trivially: every update makes at least one
 * flash operation, so k = 1 must cut it; each failed update must be the
 * driver's one cut (debugfs devcred/cuts); and across the points both the
 * old state (left by cuts) and the new one must have been seen.
 *
 * DEVCRED_POWERCUT_ROUNDS (default 2) repeats everything.
 *
 * DEVCRED_SEALED=1 runs the same on a store whose keys are sealed, its
 * key-encryption key loaded from the caller's session keyring
 * (selftests/boot/sealing.sh): every update seals its keys, and after each
 * reload the store must be sealed still (no record in clear came back, no
 * key readable) until the KEK is loaded again (devcred_pstate.h).
 */
#include "kselftest_harness.h"
#include "devcred_pstate.h"

static unsigned int checked, cuts, saw_old, saw_new;

/*
 * One cut point: returns 1 when the update completed before its k-th flash
 * operation (no more cut points for this update), 0 after a checked cut,
 * -1 on a violation or a harness failure.
 */
static int cut_point(struct __test_metadata *_metadata, enum update u, unsigned int k,
		     unsigned int mode, unsigned int n)
{
	static struct pstate before, want, after;
	int fd, ret, err, cuts_before, cut;

	if (prepare(u, n) || snapshot(&before))
		return -1;
	want = before;
	apply(u, n, &want);

	cuts_before = cuts_made();
	if (cuts_before < 0 || knob("cut_mode", mode) || knob("cut_at", k))
		return -1;
	fd = open("/dev/devcred", O_RDWR);
	if (fd < 0)
		return -1;
	ret = issue(fd, u, &want);
	err = errno;
	close(fd);
	knob("cut_at", 0);
	if (ret && err != ESHUTDOWN) {
		TH_LOG("%s: k=%u: unexpected error %s", update_names[u], k, strerror(err));
		return -1;
	}
	cut = cuts_made() - cuts_before;
	if (cut != !!ret) {
		TH_LOG("%s: k=%u: the update %s, and the driver made %d power cuts",
		       update_names[u], k, ret ? "failed" : "completed", cut);
		return -1;
	}
	cuts += cut;
	if (reload() || snapshot(&after))
		return -1;
	checked++;
	if (same(&after, &want)) {
		saw_new++;
		return ret ? 0 : 1;
	}
	if (!ret || !same(&after, &before)) {
		TH_LOG("%s: cut at flash operation %u, mode %u: the store shows neither the old nor the new state",
		       update_names[u], k, mode);
		return -1;
	}
	saw_old++;
	return 0;
}

static void run_update(struct __test_metadata *_metadata, enum update u)
{
	unsigned int rounds = getenv("DEVCRED_POWERCUT_ROUNDS") ?
			      atoi(getenv("DEVCRED_POWERCUT_ROUNDS")) : 2;
	unsigned int r, mode, k, n = 0;
	int ret;

	if (access(KNOB "cut_at", W_OK))
		SKIP(return, "not a test build of devcred.ko (no debugfs devcred/cut_at)");
	if (sealed_run()) {
		struct devcred_info info = { .size = sizeof(info) };
		int fd = open("/dev/devcred", O_RDONLY);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ioctl(fd, DEVCRED_IOC_INFO, &info));
		close(fd);
		ASSERT_EQ(DEVCRED_INFO_KEK_LOADED, info.flags & (DEVCRED_INFO_KEK_LOADED |
								  DEVCRED_INFO_KEYS_CLEAR))
			TH_LOG("DEVCRED_SEALED=1: the store's key-encryption key is not loaded");
	}
	for (r = 0; r < rounds; r++) {
		for (mode = 0; mode < 3; mode++) {
			for (k = 1; k < 16; k++) {
				ret = cut_point(_metadata, u, k, mode, ++n);
				ASSERT_LE(0, ret);
				if (ret)
					break;
			}
			ASSERT_GT(16, k) TH_LOG("update never completed");
			ASSERT_LT(1, k) TH_LOG("%s, mode %u: completed with a cut at its first flash operation: no power cut happened",
					       update_names[u], mode);
		}
	}
	TH_LOG("%s: %u cut points checked, %u power cuts (%u showed the old state, %u the new)",
	       update_names[u], checked, cuts, saw_old, saw_new);
	ASSERT_LT(0, cuts);
	ASSERT_LT(0, saw_old) TH_LOG("no cut left the old state");
	ASSERT_LT(0, saw_new) TH_LOG("no update showed the new state");
}

/* Reloads under emulation take time: far beyond the harness's 30 s. */
FIXTURE(powercut) {};
FIXTURE_SETUP(powercut) {}
FIXTURE_TEARDOWN(powercut) {}

TEST_F_TIMEOUT(powercut, write_platform1, 1800)
{
	run_update(_metadata, WRITE_PLATFORM1);
}

TEST_F_TIMEOUT(powercut, write_builtin, 1800)
{
	run_update(_metadata, WRITE_BUILTIN);
}

TEST_F_TIMEOUT(powercut, erase_platform2, 1800)
{
	run_update(_metadata, ERASE_PLATFORM2);
}

TEST_F_TIMEOUT(powercut, pending_key_platform2, 1800)
{
	run_update(_metadata, PENDING_PLATFORM2);
}

TEST_F_TIMEOUT(powercut, bindings, 1800)
{
	run_update(_metadata, BIND);
}

TEST_HARNESS_MAIN
