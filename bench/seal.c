// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_bench's side of keys sealed to the TPM: giving the store its
 * key-encryption key (DEVCRED_IOC_LOAD_KEK), and loading the kernel keys
 * from their blobs as the board does at boot (the trusted key's load is
 * the TPM unsealing it).
 *
 * The kernel keys are found in the caller's keyrings: guest.sh makes them
 * with keyctl in a session keyring of its own (keyctl new_session), which
 * devcred_bench inherits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <keyutils.h>
#include <linux/devcred.h>

#include "bench.h"

/* A trusted key's blob is at most 1024 hex characters (flash-format.rst). */
#define BLOB_MAX	4096

int bench_load_kek(int fd, unsigned int flags, uint64_t *ns)
{
	struct devcred_kek kek = { .size = sizeof(kek), .flags = flags };
	uint64_t t0;
	int ret;

	t0 = bench_now_ns();
	ret = ioctl(fd, DEVCRED_IOC_LOAD_KEK, &kek);
	*ns = bench_now_ns() - t0;
	if (ret)
		fprintf(stderr, "devcred_bench: DEVCRED_IOC_LOAD_KEK%s: %s\n",
			flags & DEVCRED_KEK_NEW ? " (DEVCRED_KEK_NEW)" : "", strerror(errno));
	return ret ? 1 : 0;
}

int bench_kek(const char *mode)
{
	unsigned int flags = 0;
	uint64_t ns;
	int fd, ret;

	if (mode && strcmp(mode, "new")) {
		fprintf(stderr, "devcred_bench: kek %s: the only option is \"new\"\n", mode);
		return 2;
	}
	if (mode)
		flags = DEVCRED_KEK_NEW;
	/* LOAD_KEK may write a record: it wants a descriptor open for writing. */
	fd = open("/dev/devcred", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "devcred_bench: /dev/devcred: %s\n", strerror(errno));
		return 1;
	}
	ret = bench_load_kek(fd, flags, &ns);
	close(fd);
	if (ret)
		return 1;
	printf("ns=%llu\n", (unsigned long long)ns);
	return 0;
}

/*
 * The payload "load BLOB" with the blob in @path as keyctl pipe wrote it
 * (one line); NULL with a message on failure.
 */
static char *load_command(const char *path, size_t *len)
{
	static const char verb[] = "load ";
	char *cmd = malloc(sizeof(verb) - 1 + BLOB_MAX + 1);
	size_t n = sizeof(verb) - 1;
	ssize_t got;
	int fd;

	if (!cmd)
		return NULL;
	memcpy(cmd, verb, n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	got = fd < 0 ? -1 : read(fd, cmd + n, BLOB_MAX + 1);
	if (fd >= 0)
		close(fd);
	if (got <= 0 || got > BLOB_MAX) {
		fprintf(stderr, "devcred_bench: %s: %s\n", path,
			got < 0 ? strerror(errno) : "not a key blob (empty, or over 4 KiB)");
		free(cmd);
		return NULL;
	}
	n += got;
	while (n > sizeof(verb) - 1 && cmd[n - 1] == '\n')
		n--;
	cmd[n] = '\0';
	*len = n;
	return cmd;
}

int bench_keyload(const char *type, const char *desc, const char *path)
{
	uint64_t t0, t1;
	key_serial_t key;
	size_t len;
	char *cmd;

	cmd = load_command(path, &len);
	if (!cmd)
		return 1;
	t0 = bench_now_ns();
	key = add_key(type, desc, cmd, len, KEY_SPEC_SESSION_KEYRING);
	t1 = bench_now_ns();
	free(cmd);
	if (key < 0) {
		fprintf(stderr, "devcred_bench: %s key %s: %s\n", type, desc, strerror(errno));
		return 1;
	}
	/* Gone at once, so that the next load makes a key again. */
	if (keyctl_invalidate(key)) {
		fprintf(stderr, "devcred_bench: invalidating %s: %s\n", desc, strerror(errno));
		return 1;
	}
	printf("ns=%llu\n", (unsigned long long)(t1 - t0));
	return 0;
}
