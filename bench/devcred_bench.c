// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_bench: the board-side primitives of `make bench` (bench/guest.sh
 * drives them). Timings are taken inside one process with CLOCK_MONOTONIC,
 * so that a shell's or a program loader's start-up is never part of what is
 * compared, unless the command itself is what is measured (run).
 *
 *   devcred_bench updates N SLOT CERT_A KEY_A CERT_B KEY_B
 *	N updates of platform slot SLOT (DEVCRED_IOC_WRITE, origin installed),
 *	alternating between pair A and pair B; prints "updates=N" and "ns="
 *	for the N ioctls
 *   devcred_bench attach MODULE.ko [PARAMS]
 *	loads the module (finit_module) and waits for /dev/devcred to answer
 *	DEVCRED_IOC_INFO; prints "ns=" for the whole of it, and "end_ns=",
 *	CLOCK_MONOTONIC when the store answered
 *   devcred_bench open MODULE.ko PARAMS
 *	attach, then DEVCRED_IOC_LOAD_KEK on the descriptor that saw it
 *	attach, as devcred-unseal does (the kernel keys already in the
 *	caller's keyrings): module load until a sealed store's keys are
 *	open; prints "ns=" for the whole and "kek_ns=" for the ioctl alone
 *   devcred_bench kek [new]
 *	DEVCRED_IOC_LOAD_KEK, with DEVCRED_KEK_NEW given "new" (a store in
 *	clear sealed: the migration); prints "ns=" (bench/seal.c)
 *   devcred_bench keyload TYPE DESC BLOB_FILE
 *	adds kernel key DESC of TYPE (trusted, encrypted) to the session
 *	keyring from the blob keyctl pipe saved ("load BLOB": for a trusted
 *	key, the TPM unseals it), then invalidates it; prints "ns=" for the
 *	add_key alone (bench/seal.c)
 *   devcred_bench bind DRIVER_DIR DEVICE
 *	binds the loaded driver to DEVICE again (DRIVER_DIR/bind, after an
 *	unbind) and waits for DEVCRED_IOC_INFO: the store's attach without
 *	the module load, as with devcred built into the kernel; prints "ns="
 *   devcred_bench read DEVICE
 *	reads DEVICE to its end in 64 KiB reads (what cat does); prints "ns="
 *	and "bytes="
 *   devcred_bench tls PORT CAFILE ROUNDS CERT_A KEY_A CERT_B KEY_B
 *	ROUNDS pairs of mutual-TLS handshakes with 127.0.0.1:PORT, one with
 *	each client credential, interleaved (bench/tls_loop.c); prints
 *	"a_ns=" and "b_ns=", each the list of its handshakes' times
 *   devcred_bench web CAFILE ROUNDS keep:URL|new:URL... -- COMMAND [ARGS...]
 *	ROUNDS rounds of one HTTPS GET of each URL, over a connection kept
 *	alive (keep:) or with a new connection and handshake each (new:),
 *	then one run of COMMAND (bench/web_loop.c); prints "ns_I=" and
 *	"bytes_I=" for the I-th URL (each request's time, the body's size)
 *	and "cmd_ns=" for the command's runs
 *   devcred_bench run COMMAND [ARGS...]
 *	runs COMMAND (its output to /dev/null) and prints "ns=" from fork to
 *	exit; fails when COMMAND fails
 *
 * Exit status: 0 on success, 1 with a message on standard error otherwise,
 * 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "bench.h"

#define READ_CHUNK	(64 << 10)
/* Platform slots hold at most 8192 + 4096 bytes; anything larger is refused. */
#define FILE_MAX	(64 << 10)

static int fail(const char *what)
{
	fprintf(stderr, "devcred_bench: %s: %s\n", what, strerror(errno));
	return 1;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Reads @path whole into a new buffer; NULL (with a message) on failure. */
static char *read_file(const char *path, size_t *len)
{
	char *buf = malloc(FILE_MAX);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, FILE_MAX);
	if (fd >= 0)
		close(fd);
	if (n < 0 || n == FILE_MAX) {
		fprintf(stderr, "devcred_bench: %s: %s\n", path,
			n < 0 ? strerror(errno) : "larger than 64 KiB");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int bench_parse_count(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < 0) {
		fprintf(stderr, "devcred_bench: %s: not a count\n", s);
		return 2;
	}
	return 0;
}

static int do_updates(char **argv)
{
	struct devcred_write w = { .size = sizeof(w), .origin = DEVCRED_ORIGIN_INSTALLED };
	char *data[4] = { NULL };
	size_t len[4] = { 0 };
	uint64_t t0, t1;
	long n, i;
	int fd, ret = 1;

	if (bench_parse_count(argv[0], &n))
		return 2;
	if (!strcmp(argv[1], "platform1")) {
		w.slot = DEVCRED_SLOT_PLATFORM1;
	} else if (!strcmp(argv[1], "platform2")) {
		w.slot = DEVCRED_SLOT_PLATFORM2;
	} else {
		fprintf(stderr, "devcred_bench: %s: not a platform slot (platform1, platform2)\n",
			argv[1]);
		return 2;
	}
	for (i = 0; i < 4; i++)
		if (!(data[i] = read_file(argv[2 + i], &len[i])))
			goto out;
	fd = open("/dev/devcred", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = fail("/dev/devcred");
		goto out;
	}
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		int pair = (i & 1) * 2;

		w.cert = (uintptr_t)data[pair];
		w.cert_len = len[pair];
		w.key = (uintptr_t)data[pair + 1];
		w.key_len = len[pair + 1];
		if (ioctl(fd, DEVCRED_IOC_WRITE, &w)) {
			fprintf(stderr, "devcred_bench: update %ld of %ld: %s\n", i + 1, n,
				strerror(errno));
			break;
		}
	}
	t1 = bench_now_ns();
	close(fd);
	if (i == n) {
		printf("updates=%ld\nns=%llu\n", n, (unsigned long long)(t1 - t0));
		ret = 0;
	}
out:
	for (i = 0; i < 4; i++)
		free(data[i]);
	return ret;
}

/*
 * Waits for /dev/devcred to answer DEVCRED_IOC_INFO through a descriptor
 * opened with @flags, and returns it; -1 (reported) on failure.
 */
static int open_ready(int flags)
{
	struct devcred_info info = { .size = sizeof(info) };
	int fd;

	/* A device-tree bound store probes synchronously; this only waits if not. */
	while ((fd = open("/dev/devcred", flags | O_CLOEXEC)) < 0 && errno == ENOENT)
		usleep(100);
	if (fd < 0) {
		fail("/dev/devcred");
		return -1;
	}
	if (ioctl(fd, DEVCRED_IOC_INFO, &info)) {
		fail("DEVCRED_IOC_INFO");
		close(fd);
		return -1;
	}
	return fd;
}

/* Opens /dev/devcred once it is there and asks it DEVCRED_IOC_INFO. */
static int wait_ready(void)
{
	int fd = open_ready(O_RDONLY);

	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

static int do_bind(const char *driver_dir, const char *device)
{
	char path[4096];
	uint64_t t0, t1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/bind", driver_dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path);
	t0 = bench_now_ns();
	n = write(fd, device, strlen(device));
	close(fd);
	if (n < 0)
		return fail(path);
	if (wait_ready())
		return 1;
	t1 = bench_now_ns();
	printf("ns=%llu\n", (unsigned long long)(t1 - t0));
	return 0;
}

/*
 * Loads @module and waits for the store, through a descriptor opened with
 * @flags that is returned; @t0 is when the load began. -1 (reported) on
 * failure.
 */
static int load_module(const char *module, const char *params, int flags, uint64_t *t0)
{
	int mfd;

	mfd = open(module, O_RDONLY | O_CLOEXEC);
	if (mfd < 0) {
		fail(module);
		return -1;
	}
	*t0 = bench_now_ns();
	if (syscall(SYS_finit_module, mfd, params, 0)) {
		close(mfd);
		fail("finit_module");
		return -1;
	}
	close(mfd);
	return open_ready(flags);
}

static int do_attach(const char *module, const char *params)
{
	uint64_t t0, t1;
	int fd = load_module(module, params, O_RDONLY, &t0);

	if (fd < 0)
		return 1;
	close(fd);
	t1 = bench_now_ns();
	printf("ns=%llu\nend_ns=%llu\n", (unsigned long long)(t1 - t0), (unsigned long long)t1);
	return 0;
}

/*
 * As devcred-unseal does it: the descriptor that saw the store attach,
 * opened for writing (DEVCRED_IOC_LOAD_KEK may write a record), gives it
 * its key-encryption key.
 */
static int do_open(const char *module, const char *params)
{
	uint64_t t0, t1, kek_ns;
	int fd = load_module(module, params, O_RDWR, &t0);
	int ret;

	if (fd < 0)
		return 1;
	ret = bench_load_kek(fd, 0, &kek_ns);
	close(fd);
	if (ret)
		return 1;
	t1 = bench_now_ns();
	printf("ns=%llu\nkek_ns=%llu\n", (unsigned long long)(t1 - t0),
	       (unsigned long long)kek_ns);
	return 0;
}

static int do_read(const char *dev)
{
	static char buf[READ_CHUNK];
	unsigned long long total = 0;
	uint64_t t0, t1;
	ssize_t n;
	int fd;

	t0 = bench_now_ns();
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(dev);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	t1 = bench_now_ns();
	close(fd);
	if (n < 0)
		return fail(dev);
	printf("ns=%llu\nbytes=%llu\n", (unsigned long long)(t1 - t0), total);
	return 0;
}

int bench_run(char **argv, uint64_t *ns)
{
	uint64_t t0, t1;
	int status;
	pid_t pid;

	t0 = bench_now_ns();
	pid = fork();
	if (pid < 0)
		return fail("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "devcred_bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid");
	t1 = bench_now_ns();
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "devcred_bench: %s failed (status %#x)\n", argv[0], status);
		return 1;
	}
	*ns = t1 - t0;
	return 0;
}

static int do_run(char **argv)
{
	uint64_t ns;

	if (bench_run(argv, &ns))
		return 1;
	printf("ns=%llu\n", (unsigned long long)ns);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "updates") && argc == 8)
		return do_updates(argv + 2);
	if (!strcmp(cmd, "attach") && (argc == 3 || argc == 4))
		return do_attach(argv[2], argc == 4 ? argv[3] : "");
	if (!strcmp(cmd, "open") && argc == 4)
		return do_open(argv[2], argv[3]);
	if (!strcmp(cmd, "kek") && (argc == 2 || argc == 3))
		return bench_kek(argc == 3 ? argv[2] : NULL);
	if (!strcmp(cmd, "keyload") && argc == 5)
		return bench_keyload(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "bind") && argc == 4)
		return do_bind(argv[2], argv[3]);
	if (!strcmp(cmd, "read") && argc == 3)
		return do_read(argv[2]);
	if (!strcmp(cmd, "tls") && argc == 9)
		return bench_tls(argv + 2);
	if (!strcmp(cmd, "web") && argc >= 4)
		return bench_web(argc - 2, argv + 2);
	if (!strcmp(cmd, "run") && argc >= 3)
		return do_run(argv + 2);
	fprintf(stderr, "usage: see the comment at the top of bench/devcred_bench.c\n");
	return 2;
}
