// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_ioloop: every kind of /dev/devcred ioctl in a loop on one open
 * descriptor, for the debug kernel's fault injection and removal tests
 * (selftests/boot/ioctl_faults.sh builds it for the board).
 *
 *   devcred_ioloop failslab ROUNDS
 *	Each ioctl runs with failslab armed for this process only
 *	(/proc/self/make-it-fail: 1 around the call, 0 otherwise). Every
 *	failure must be ENOMEM, and the store must then hold what it held
 *	before (checked at once, with failslab off); every success must have
 *	done its job. Prints the counts per ioctl.
 *   devcred_ioloop loop SECONDS
 *	The ioctls for SECONDS; every one must succeed (reads of an empty
 *	slot: ENOENT).
 *   devcred_ioloop until-gone SECONDS
 *	The same until one fails with ENODEV (the partition was removed);
 *	then DEVCRED_IOC_INFO must still work and say GONE. Fails on any
 *	other error or if ENODEV did not come within SECONDS.
 *
 * Exit status: 0 as expected, 1 not (a line saying why on stderr), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/devcred.h>

#define CERT_LEN	6000	/* over a page: kvmalloc's vmalloc fallback too */
#define KEY_LEN		2000
#define BUF_LEN		(64 * 1024)
#define OP_SIP		3

enum kind { K_INFO, K_STATUS, K_READ_CERT, K_READ_KEY, K_WRITE_FLASH, K_WRITE_APP,
	    K_WRITE_APP3, K_PENDING, K_READ_PENDING, K_ERASE, K_GET_BINDINGS, K_SET_BINDINGS,
	    K_COUNT };

static const char *const kind_names[K_COUNT] = {
	"info", "slot_status", "read_cert", "read_key", "write(platform1)", "write(app1)",
	"write(app3)", "set_pending_key(app2)", "read_key(pending)", "erase(app3)",
	"get_bindings", "set_bindings",
};

/* What the store should hold: the number of the last pair written, 0 for empty. */
struct model {
	int platform1, app1, app2_pending, app3;
	int sip_slot;
};

static int dev_fd;
static int fail_fd = -1;	/* /proc/self/make-it-fail, failslab mode only */
static int inject;		/* arm failslab around the next calls */
static unsigned long n_ok[K_COUNT], n_enomem[K_COUNT];
static char buf[BUF_LEN], cert[CERT_LEN], key[KEY_LEN];

static int bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "devcred_ioloop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static void arm(int on)
{
	if (inject && pwrite(fail_fd, on ? "1" : "0", 1, 0) != 1) {
		perror("make-it-fail");
		exit(1);
	}
}

/* One ioctl, with failslab armed around it when asked for. */
static int call(unsigned long cmd, void *arg)
{
	int ret, err;

	arm(1);
	ret = ioctl(dev_fd, cmd, arg);
	err = errno;
	arm(0);
	return ret ? -err : 0;
}

/* Pair @n of @slot: certificate and key say which they are. */
static void make_pair(int slot, int n)
{
	memset(cert, 'c', sizeof(cert));
	memset(key, 'k', sizeof(key));
	snprintf(cert, 64, "CERT %d of slot %d.", n, slot);
	snprintf(key, 64, "KEY %d of slot %d.", n, slot);
}

static int write_pair(int slot, int n)
{
	struct devcred_write w = {
		.size = sizeof(w), .slot = slot, .origin = DEVCRED_ORIGIN_INSTALLED,
		.cert_len = sizeof(cert), .key_len = sizeof(key),
		.cert = (unsigned long)cert, .key = (unsigned long)key,
	};

	make_pair(slot, n);
	return call(DEVCRED_IOC_WRITE, &w);
}

static int read_blob(unsigned long cmd, int slot, unsigned int flags, __u32 *len)
{
	struct devcred_blob b = {
		.size = sizeof(b), .slot = slot, .flags = flags, .len = sizeof(buf),
		.data = (unsigned long)buf,
	};
	int ret = call(cmd, &b);

	*len = b.len;
	return ret;
}

/* The checks below run with failslab off (callers clear @inject). */

/* Whether @slot holds pair @n (0: empty). */
static int holds(int slot, int n)
{
	__u32 len = 0;
	int ret;

	ret = read_blob(DEVCRED_IOC_READ_CERT, slot, 0, &len);
	if (!n)
		return ret == -ENOENT;
	make_pair(slot, n);
	if (!ret && (len != sizeof(cert) || memcmp(buf, cert, len)))
		ret = -EBADMSG;
	if (!ret)
		ret = read_blob(DEVCRED_IOC_READ_KEY, slot, 0, &len);
	if (!ret && (len != sizeof(key) || memcmp(buf, key, len)))
		ret = -EBADMSG;
	return !ret;
}

static int pending_is(int slot, int n)
{
	__u32 len = 0;
	int ret;

	ret = read_blob(DEVCRED_IOC_READ_KEY, slot, DEVCRED_READ_PENDING, &len);
	if (!n)
		return ret == -ENOENT;
	make_pair(slot, n);
	return !ret && len == sizeof(key) && !memcmp(buf, key, len);
}

static int sip_slot(void)
{
	struct devcred_bindings b = { .size = sizeof(b) };
	int ret = call(DEVCRED_IOC_GET_BINDINGS, &b);

	return ret ? ret : b.slot[OP_SIP];
}

static int check_model(const struct model *m)
{
	if (!holds(DEVCRED_SLOT_PLATFORM1, m->platform1))
		return bad("platform1 does not hold pair %d", m->platform1);
	if (!holds(DEVCRED_SLOT_APP1, m->app1))
		return bad("app1 does not hold pair %d", m->app1);
	if (!holds(DEVCRED_SLOT_APP3, m->app3))
		return bad("app3 does not hold pair %d", m->app3);
	if (!pending_is(DEVCRED_SLOT_APP2, m->app2_pending))
		return bad("app2's pending key is not number %d", m->app2_pending);
	if (sip_slot() != m->sip_slot)
		return bad("sip is bound to slot %d, not %d", sip_slot(), m->sip_slot);
	return 0;
}

/*
 * One ioctl of kind @k in round @r. Updates @m when it changed the store.
 * Returns 0, or the negative errno of the call.
 */
static int one(enum kind k, int r, struct model *m)
{
	struct devcred_info info = { .size = sizeof(info) };
	struct devcred_slot_status st = { .size = sizeof(st), .slot = DEVCRED_SLOT_PLATFORM1 };
	struct devcred_pending_key pk = { .size = sizeof(pk), .slot = DEVCRED_SLOT_APP2,
					  .key_len = sizeof(key), .key = (unsigned long)key };
	struct devcred_erase er = { .size = sizeof(er), .slot = DEVCRED_SLOT_APP3 };
	struct devcred_bindings bi = { .size = sizeof(bi), .mask = 1U << OP_SIP };
	struct devcred_bindings get = { .size = sizeof(get) };
	__u32 len;
	int ret;

	switch (k) {
	case K_INFO:
		return call(DEVCRED_IOC_INFO, &info);
	case K_STATUS:
		return call(DEVCRED_IOC_SLOT_STATUS, &st);
	case K_READ_CERT:
	case K_READ_KEY:
		ret = read_blob(k == K_READ_CERT ? DEVCRED_IOC_READ_CERT : DEVCRED_IOC_READ_KEY,
				DEVCRED_SLOT_PLATFORM1, 0, &len);
		return ret == -ENOENT && !m->platform1 ? 0 : ret;
	case K_READ_PENDING:
		ret = read_blob(DEVCRED_IOC_READ_KEY, DEVCRED_SLOT_APP2, DEVCRED_READ_PENDING, &len);
		return ret == -ENOENT && !m->app2_pending ? 0 : ret;
	case K_WRITE_FLASH:
		ret = write_pair(DEVCRED_SLOT_PLATFORM1, r);
		if (!ret)
			m->platform1 = r;
		return ret;
	case K_WRITE_APP:
		ret = write_pair(DEVCRED_SLOT_APP1, r);
		if (!ret)
			m->app1 = r;
		return ret;
	case K_WRITE_APP3:	/* for the erase that follows */
		ret = write_pair(DEVCRED_SLOT_APP3, r);
		if (!ret)
			m->app3 = r;
		return ret;
	case K_PENDING:
		make_pair(DEVCRED_SLOT_APP2, r);
		ret = call(DEVCRED_IOC_SET_PENDING_KEY, &pk);
		if (!ret)
			m->app2_pending = r;
		return ret;
	case K_ERASE:
		ret = call(DEVCRED_IOC_ERASE, &er);
		if (!ret)
			m->app3 = 0;
		return ret;
	case K_GET_BINDINGS:
		return call(DEVCRED_IOC_GET_BINDINGS, &get);
	case K_SET_BINDINGS:
		bi.slot[OP_SIP] = r % 2 ? DEVCRED_SLOT_APP1 : DEVCRED_SLOT_PLATFORM1;
		ret = call(DEVCRED_IOC_SET_BINDINGS, &bi);
		if (!ret)
			m->sip_slot = bi.slot[OP_SIP];
		return ret;
	default:
		return -EINVAL;
	}
}

static int run_failslab(int rounds)
{
	struct model m = { 0 };
	unsigned long total = 0;
	int r, k, ret;

	fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
	if (fail_fd < 0)
		return bad("/proc/self/make-it-fail: %s (CONFIG_FAULT_INJECTION?)", strerror(errno));
	m.sip_slot = sip_slot();
	if (m.sip_slot < 0)
		return bad("bindings: %s", strerror(-m.sip_slot));
	/* A known state to start from. */
	ret = write_pair(DEVCRED_SLOT_PLATFORM1, 1);
	if (!ret)
		ret = write_pair(DEVCRED_SLOT_APP1, 1);
	if (ret)
		return bad("first writes: %s", strerror(-ret));
	m.platform1 = 1;
	m.app1 = 1;
	for (r = 2; r < rounds + 2; r++) {
		for (k = 0; k < K_COUNT; k++) {
			inject = 1;
			ret = one(k, r, &m);
			inject = 0;
			if (ret && ret != -ENOMEM)
				return bad("round %d, %s: %s; only ENOMEM may come back", r,
					   kind_names[k], strerror(-ret));
			if (ret)
				n_enomem[k]++;
			else
				n_ok[k]++;
			if (check_model(&m))
				return bad("round %d, after %s (%s)", r, kind_names[k],
					   ret ? "failed with ENOMEM" : "done");
		}
	}
	for (k = 0; k < K_COUNT; k++) {
		printf("%-22s %5lu done, %5lu ENOMEM\n", kind_names[k], n_ok[k], n_enomem[k]);
		total += n_enomem[k];
	}
	printf("failslab: %d rounds, %lu ioctls failed with ENOMEM, store consistent\n", rounds,
	       total);
	return 0;
}

static int run_loop(int seconds, int until_gone)
{
	struct devcred_info info = { .size = sizeof(info) };
	struct model m = { 0 };
	time_t end = time(NULL) + seconds;
	unsigned long calls = 0;
	int r, k, ret;

	m.sip_slot = sip_slot();
	for (r = 1; time(NULL) < end; r++) {
		for (k = 0; k < K_COUNT; k++) {
			/* Other processes change the slots too: no model checks. */
			ret = one(k, r, &m);
			if (ret == -ENOENT && (k == K_READ_CERT || k == K_READ_KEY ||
					       k == K_READ_PENDING))
				ret = 0;
			if (ret == -ENODEV && until_gone) {
				if (ioctl(dev_fd, DEVCRED_IOC_INFO, &info))
					return bad("INFO after ENODEV: %s", strerror(errno));
				if (!(info.flags & DEVCRED_INFO_GONE))
					return bad("ENODEV, but INFO does not say GONE");
				printf("until-gone: %lu ioctls, then ENODEV from %s\n", calls,
				       kind_names[k]);
				return 0;
			}
			if (ret)
				return bad("%s after %lu ioctls: %s", kind_names[k], calls,
					   strerror(-ret));
			calls++;
		}
	}
	if (until_gone)
		return bad("no ENODEV within %d s (%lu ioctls)", seconds, calls);
	printf("loop: %lu ioctls in %d s, all done\n", calls, seconds);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;

	if (n <= 0) {
		fprintf(stderr, "usage: devcred_ioloop failslab ROUNDS | loop SECONDS | until-gone SECONDS\n");
		return 2;
	}
	dev_fd = open("/dev/devcred", O_RDWR);
	if (dev_fd < 0)
		return bad("/dev/devcred: %s", strerror(errno));
	if (!strcmp(argv[1], "failslab"))
		return run_failslab(n);
	if (!strcmp(argv[1], "loop"))
		return run_loop(n, 0);
	if (!strcmp(argv[1], "until-gone"))
		return run_loop(n, 1);
	fprintf(stderr, "usage: devcred_ioloop failslab ROUNDS | loop SECONDS | until-gone SECONDS\n");
	return 2;
}
