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
 * DEVCRED_POWERCUT_ROUNDS (default 2) repeats everything.
 */
#include "kselftest_harness.h"
#include "devcred_pstate.h"

static unsigned int checked, saw_old, saw_new;

/*
 * One cut point: returns 1 when the update completed before its k-th flash
 * operation (no more cut points for this update), 0 after a checked cut,
 * -1 on a violation or a harness failure.
 */
static int cut_point(struct __test_metadata *_metadata, enum update u, unsigned int k,
		     unsigned int mode, unsigned int n)
{
	static struct pstate before, want, after;
	int fd, ret;

	if (prepare(u, n) || snapshot(&before))
		return -1;
	want = before;
	apply(u, n, &want);

	if (knob("cut_mode", mode) || knob("cut_at", k))
		return -1;
	fd = open("/dev/devcred", O_RDWR);
	if (fd < 0)
		return -1;
	ret = issue(fd, u, &want);
	close(fd);
	knob("cut_at", 0);
	if (ret && errno != ESHUTDOWN) {
		TH_LOG("%s: k=%u: unexpected error %s", update_names[u], k, strerror(errno));
		return -1;
	}
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
	for (r = 0; r < rounds; r++) {
		for (mode = 0; mode < 3; mode++) {
			for (k = 1; k < 16; k++) {
				ret = cut_point(_metadata, u, k, mode, ++n);
				ASSERT_LE(0, ret);
				if (ret)
					break;
			}
			ASSERT_GT(16, k) TH_LOG("update never completed");
		}
	}
	TH_LOG("%s: %u cut points checked (%u showed the old state, %u the new)",
	       update_names[u], checked, saw_old, saw_new);
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
