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
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "kselftest_harness.h"

#define KNOB "/sys/kernel/debug/devcred/"
#define BLOB_MAX 8192

struct blob {
	__u32 len;
	unsigned char data[BLOB_MAX];
};

/* Everything the flash holds: what the invariant compares. */
struct pstate {
	struct blob cert[DEVCRED_FLASH_SLOTS];
	struct blob key[DEVCRED_FLASH_SLOTS];
	struct blob pending[DEVCRED_FLASH_SLOTS];
	__u32 origin[DEVCRED_FLASH_SLOTS];
	__u8 binding[DEVCRED_OP_COUNT];
};

enum update { WRITE_PLATFORM1, WRITE_BUILTIN, ERASE_PLATFORM2, PENDING_PLATFORM2, BIND, UPDATES };
static const char *const update_names[] = {
	"write platform1", "write builtin", "erase platform2", "pending key platform2", "bindings",
};

static unsigned int checked, saw_old, saw_new;

static int knob(const char *name, unsigned int val)
{
	char path[96], buf[16];
	int fd, n, ret;

	snprintf(path, sizeof(path), KNOB "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%u", val);
	ret = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

static int reload(void)
{
	return system("devcred-reload");
}

static int read_blob(int fd, unsigned long cmd, int slot, __u32 flags, struct blob *b)
{
	struct devcred_blob req = {
		.size = sizeof(req), .slot = slot, .flags = flags, .len = BLOB_MAX,
		.data = (__u64)(unsigned long)b->data,
	};

	memset(b, 0, sizeof(*b));
	if (!ioctl(fd, cmd, &req)) {
		b->len = req.len;
		return 0;
	}
	return errno == ENOENT ? 0 : -1;
}

static int snapshot(struct pstate *st)
{
	struct devcred_bindings b = { .size = sizeof(b) };
	struct devcred_slot_status s;
	int fd = open("/dev/devcred", O_RDWR), i, ret = -1;

	if (fd < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = (struct devcred_slot_status){ .size = sizeof(s), .slot = i };
		if (ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &s) ||
		    read_blob(fd, DEVCRED_IOC_READ_CERT, i, 0, &st->cert[i]) ||
		    read_blob(fd, DEVCRED_IOC_READ_KEY, i, 0, &st->key[i]) ||
		    read_blob(fd, DEVCRED_IOC_READ_KEY, i, DEVCRED_READ_PENDING, &st->pending[i]))
			goto out;
		st->origin[i] = s.origin;
	}
	if (ioctl(fd, DEVCRED_IOC_GET_BINDINGS, &b))
		goto out;
	memcpy(st->binding, b.slot, sizeof(st->binding));
	ret = 0;
out:
	close(fd);
	return ret;
}

static void fill(struct blob *b, __u32 len, const char *tag, unsigned int n)
{
	b->len = len;
	memset(b->data, 'a' + n % 26, len);
	snprintf((char *)b->data, 48, "%s #%u.", tag, n);
}

/* Applies update @u, numbered @n, to @st (the expected new state). */
static void apply(enum update u, unsigned int n, struct pstate *st)
{
	switch (u) {
	case WRITE_PLATFORM1:
		fill(&st->cert[1], 8192, "platform1 certificate", n);
		fill(&st->key[1], 4096, "platform1 key", n);
		st->origin[1] = DEVCRED_ORIGIN_INSTALLED;
		break;
	case WRITE_BUILTIN:
		fill(&st->cert[0], 3000 + n % 1000, "builtin certificate", n);
		fill(&st->key[0], 1500 + n % 500, "builtin key", n);
		st->origin[0] = DEVCRED_ORIGIN_SELF_SIGNED;
		break;
	case ERASE_PLATFORM2:
		memset(&st->cert[2], 0, sizeof(struct blob));
		memset(&st->key[2], 0, sizeof(struct blob));
		memset(&st->pending[2], 0, sizeof(struct blob));
		st->origin[2] = DEVCRED_ORIGIN_NONE;
		break;
	case PENDING_PLATFORM2:
		fill(&st->pending[2], 4000, "platform2 pending key", n);
		break;
	case BIND:
		st->binding[DEVCRED_OP_SIP] = 1 + n % 2;
		st->binding[DEVCRED_OP_SYSLOG] = 2 - n % 2;
		break;
	default:
		break;
	}
}

/* Issues update @u so that the store should become @want. */
static int issue(int fd, enum update u, const struct pstate *want)
{
	int slot = u == WRITE_BUILTIN ? 0 : u == WRITE_PLATFORM1 ? 1 : 2;
	struct devcred_write w = {
		.size = sizeof(w), .slot = slot, .origin = want->origin[slot],
		.cert_len = want->cert[slot].len, .key_len = want->key[slot].len,
		.cert = (__u64)(unsigned long)want->cert[slot].data,
		.key = (__u64)(unsigned long)want->key[slot].data,
	};
	struct devcred_erase e = { .size = sizeof(e), .slot = 2 };
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = 2, .key_len = want->pending[2].len,
		.key = (__u64)(unsigned long)want->pending[2].data,
	};
	struct devcred_bindings b = {
		.size = sizeof(b),
		.mask = 1U << DEVCRED_OP_SIP | 1U << DEVCRED_OP_SYSLOG,
	};

	memcpy(b.slot, want->binding, DEVCRED_OP_COUNT);
	switch (u) {
	case WRITE_PLATFORM1:
	case WRITE_BUILTIN:
		return ioctl(fd, DEVCRED_IOC_WRITE, &w);
	case ERASE_PLATFORM2:
		return ioctl(fd, DEVCRED_IOC_ERASE, &e);
	case PENDING_PLATFORM2:
		return ioctl(fd, DEVCRED_IOC_SET_PENDING_KEY, &p);
	default:
		return ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &b);
	}
}

static int same(const struct pstate *a, const struct pstate *b)
{
	int i;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++)
		if (a->origin[i] != b->origin[i] ||
		    a->cert[i].len != b->cert[i].len || a->key[i].len != b->key[i].len ||
		    a->pending[i].len != b->pending[i].len ||
		    memcmp(a->cert[i].data, b->cert[i].data, a->cert[i].len) ||
		    memcmp(a->key[i].data, b->key[i].data, a->key[i].len) ||
		    memcmp(a->pending[i].data, b->pending[i].data, a->pending[i].len))
			return 0;
	return !memcmp(a->binding, b->binding, sizeof(a->binding));
}

/* Makes platform2 hold something, so that erasing it is a change. */
static int prepare(enum update u, unsigned int n)
{
	struct pstate st;
	int fd, ret;

	if (u != ERASE_PLATFORM2)
		return 0;
	if (snapshot(&st))
		return -1;
	fill(&st.cert[2], 2000, "platform2 certificate", n);
	fill(&st.key[2], 1000, "platform2 key", n);
	st.origin[2] = DEVCRED_ORIGIN_INSTALLED;
	fd = open("/dev/devcred", O_RDWR);
	if (fd < 0)
		return -1;
	{
		struct devcred_write w = {
			.size = sizeof(w), .slot = 2, .origin = DEVCRED_ORIGIN_INSTALLED,
			.cert_len = st.cert[2].len, .key_len = st.key[2].len,
			.cert = (__u64)(unsigned long)st.cert[2].data,
			.key = (__u64)(unsigned long)st.key[2].data,
		};

		ret = ioctl(fd, DEVCRED_IOC_WRITE, &w);
	}
	close(fd);
	return ret;
}

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
