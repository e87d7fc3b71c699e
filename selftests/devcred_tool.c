// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_tool: raw access to /dev/devcred for the boot tests' shell
 * scripts (administrators use credctl). Prints key=value lines; exits 0 on
 * success, 1 with "devcred_tool: CMD: strerror" on an ioctl error, 2 on
 * usage errors.
 *
 *   devcred_tool info                 the store's numbers; flag_names= lists
 *                                     its DEVCRED_INFO_* flags by name
 *   devcred_tool status SLOT          the slot's; flag_names= likewise
 *   devcred_tool write SLOT ORIGIN CERT-FILE KEY-FILE
 *   devcred_tool read-cert SLOT | read-key SLOT | read-pending SLOT
 *   devcred_tool pending SLOT KEY-FILE  DEVCRED_IOC_SET_PENDING_KEY
 *   devcred_tool erase SLOT
 *   devcred_tool bind OP SLOT
 *   devcred_tool bindings
 *   devcred_tool updates SLOT COUNT [FIRST]
 *                                     COUNT writes of numbered pairs, from
 *                                     number FIRST (default 1); prints
 *                                     "done N" after each
 *   devcred_tool which-update SLOT    the number of the pair the slot holds,
 *                                     0 when empty; fails unless certificate
 *                                     and key are one intact pair
 *   devcred_tool format               DEVCRED_IOC_FORMAT: erase the partition
 *                                     of a damaged store (refused while a
 *                                     record is readable, but in factory
 *                                     mode)
 *   devcred_tool hold SECONDS         keep the device open
 *   devcred_tool read-seal kmk|kek    DEVCRED_IOC_READ_SEAL: the stored
 *                                     trusted or encrypted key's blob, as
 *                                     "keyctl add ... load" takes it
 *   devcred_tool load-kek [--new]     DEVCRED_IOC_LOAD_KEK: the kernel takes
 *                                     devcred:kek and devcred:kmk from the
 *                                     caller's keyrings; --new adopts them
 *                                     (DEVCRED_KEK_NEW)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "devcred_test.h"

static const char *const slots[] = {
	"builtin", "platform1", "platform2", "app1", "app2", "app3", "app4", "app5", "app6",
};
static const char *const origins[] = { "none", "factory", "self-signed", "installed" };

static int lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	fprintf(stderr, "devcred_tool: unknown name %s\n", name);
	exit(2);
}

#define SLOT(s) lookup(slots, DEVCRED_SLOT_COUNT, s)

static void *read_file(const char *path, __u32 *len)
{
	static char buf[2][1 << 20];
	static int which;
	FILE *f = fopen(path, "rb");
	char *b = buf[which++ & 1];

	if (!f) {
		perror(path);
		exit(1);
	}
	*len = fread(b, 1, sizeof(buf[0]), f);
	fclose(f);
	return b;
}

static int fail(const char *what)
{
	const char *name = strerrorname_np(errno);

	fprintf(stderr, "devcred_tool: %s: %s (%s)\n", what, name ? name : "?", strerror(errno));
	return 1;
}

struct flag_name {
	__u32 bit;
	const char *name;
};

static const struct flag_name info_flags[] = {
	{ DEVCRED_INFO_READONLY, "readonly" },
	{ DEVCRED_INFO_FACTORY_MODE, "factory-mode" },
	{ DEVCRED_INFO_DAMAGED, "damaged" },
	{ DEVCRED_INFO_GONE, "gone" },
	{ DEVCRED_INFO_NEWER_FORMAT, "newer-format" },
	{ DEVCRED_INFO_KEYS_CLEAR, "keys-clear" },
	{ DEVCRED_INFO_KEK_LOADED, "kek-loaded" },
	{ DEVCRED_INFO_SEALING_REQUIRED, "sealing-required" },
	{ 0, NULL }
};

static const struct flag_name slot_flags[] = {
	{ DEVCRED_SLOT_FLASH, "flash" },
	{ DEVCRED_SLOT_PRESENT, "present" },
	{ DEVCRED_SLOT_PENDING_KEY, "pending-key" },
	{ DEVCRED_SLOT_INVALID, "invalid" },
	{ DEVCRED_SLOT_KEY_SEALED, "key-sealed" },
	{ DEVCRED_SLOT_KEY_CORRUPT, "key-corrupt" },
	{ 0, NULL }
};

/*
 * "flag_names=a,b," with a comma after each name, so that a script matches
 * one flag with grep 'flag_names=.*b,'; a bit this tool does not know is
 * printed as its number.
 */
static void print_flag_names(const struct flag_name *names, __u32 flags)
{
	int i;

	printf("flag_names=");
	for (i = 0; names[i].name; i++) {
		if (flags & names[i].bit)
			printf("%s,", names[i].name);
		flags &= ~names[i].bit;
	}
	if (flags)
		printf("%#x,", flags);
	printf("\n");
}

static int do_write(int fd, int slot, int origin, const void *c, __u32 cl,
		    const void *k, __u32 kl)
{
	struct devcred_write w = {
		.size = sizeof(w), .slot = slot, .origin = origin,
		.cert_len = cl, .key_len = kl,
		.cert = (__u64)(unsigned long)c, .key = (__u64)(unsigned long)k,
	};

	return ioctl(fd, DEVCRED_IOC_WRITE, &w) ? fail("write") : 0;
}

static int do_read(int fd, unsigned long cmd, int slot, __u32 flags)
{
	static char buf[1 << 20];
	struct devcred_blob b = {
		.size = sizeof(b), .slot = slot, .flags = flags, .len = sizeof(buf),
		.data = (__u64)(unsigned long)buf,
	};

	if (ioctl(fd, cmd, &b))
		return fail("read");
	fwrite(buf, 1, b.len, stdout);
	return 0;
}

static int do_pending(int fd, int slot, const void *k, __u32 kl)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = slot, .key_len = kl, .key = (__u64)(unsigned long)k,
	};

	return ioctl(fd, DEVCRED_IOC_SET_PENDING_KEY, &p) ? fail("pending") : 0;
}

static int do_info(int fd)
{
	struct devcred_info i = { .size = sizeof(i) };

	if (ioctl(fd, DEVCRED_IOC_INFO, &i))
		return fail("info");
	printf("flags=%u\nmtd_index=%u\nblocks=%u\nbad_blocks=%u\nerase_size=%u\nrecord_block=%d\n"
	       "record_offset=%u\nskipped_records=%u\nsequence=%llu\ngeneration=%llu\n"
	       "erases=%llu\nbytes_written=%llu\napp_store_used=%u\n",
	       i.flags, i.mtd_index, i.blocks, i.bad_blocks, i.erase_size, (int)i.record_block,
	       i.record_offset, i.skipped_records, (unsigned long long)i.sequence,
	       (unsigned long long)i.generation, (unsigned long long)i.erases,
	       (unsigned long long)i.bytes_written, i.app_store_used);
	print_flag_names(info_flags, i.flags);
	return 0;
}

static int do_status(int fd, int slot)
{
	struct devcred_slot_status s = { .size = sizeof(s), .slot = slot };

	if (ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &s))
		return fail("status");
	printf("flags=%u\norigin=%s\ncert_len=%u\nkey_len=%u\npending_key_len=%u\ngeneration=%llu\n",
	       s.flags, origins[s.origin & 3], s.cert_len, s.key_len, s.pending_key_len,
	       (unsigned long long)s.generation);
	print_flag_names(slot_flags, s.flags);
	return 0;
}

static int do_read_seal(int fd, const char *which)
{
	static char buf[1 << 16];
	struct devcred_seal_blob b = {
		.size = sizeof(b), .len = sizeof(buf), .data = (__u64)(unsigned long)buf,
	};

	if (!strcmp(which, "kmk")) {
		b.which = DEVCRED_SEAL_KMK;
	} else if (!strcmp(which, "kek")) {
		b.which = DEVCRED_SEAL_KEK;
	} else {
		fprintf(stderr, "devcred_tool: read-seal: kmk or kek, not %s\n", which);
		return 2;
	}
	if (ioctl(fd, DEVCRED_IOC_READ_SEAL, &b))
		return fail("read-seal");
	fwrite(buf, 1, b.len, stdout);
	return 0;
}

static int do_load_kek(int fd, __u32 flags)
{
	struct devcred_kek k = { .size = sizeof(k), .flags = flags };

	return ioctl(fd, DEVCRED_IOC_LOAD_KEK, &k) ? fail("load-kek") : 0;
}

static int do_bind(int fd, int op, int slot)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1U << op };

	b.slot[op] = slot;
	return ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &b) ? fail("bind") : 0;
}

static int do_bindings(int fd)
{
	struct devcred_bindings b = { .size = sizeof(b) };
	int op;

	if (ioctl(fd, DEVCRED_IOC_GET_BINDINGS, &b))
		return fail("bindings");
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		printf("op%d=%s%s\n", op, slots[b.slot[op]],
		       b.unavailable & (1U << op) ? " unavailable" : "");
	return 0;
}

static int do_updates(int fd, int slot, int count, int first)
{
	int i;

	for (i = first; i < first + count; i++) {
		if (dc_put_update(fd, slot, i))
			return fail("write");
		printf("done %d\n", i);
		fflush(stdout);
	}
	return 0;
}

static int do_which_update(int fd, int slot)
{
	int n = dc_which_update(fd, slot);

	if (n == -1)
		return fail("which-update");
	if (n < 0) {
		fprintf(stderr, "devcred_tool: slot holds a certificate and key of different updates, or foreign content\n");
		return 1;
	}
	printf("update %d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd = open("/dev/devcred", O_RDWR);
	__u32 cl, kl;
	void *c, *k;

	if (fd < 0)
		return fail("/dev/devcred");
	if (!strcmp(cmd, "info"))
		return do_info(fd);
	if (!strcmp(cmd, "status") && argc == 3)
		return do_status(fd, SLOT(argv[2]));
	if (!strcmp(cmd, "write") && argc == 6) {
		c = read_file(argv[4], &cl);
		k = read_file(argv[5], &kl);
		return do_write(fd, SLOT(argv[2]), lookup(origins, 4, argv[3]), c, cl, k, kl);
	}
	if (!strcmp(cmd, "read-cert") && argc == 3)
		return do_read(fd, DEVCRED_IOC_READ_CERT, SLOT(argv[2]), 0);
	if (!strcmp(cmd, "read-key") && argc == 3)
		return do_read(fd, DEVCRED_IOC_READ_KEY, SLOT(argv[2]), 0);
	if (!strcmp(cmd, "read-pending") && argc == 3)
		return do_read(fd, DEVCRED_IOC_READ_KEY, SLOT(argv[2]), DEVCRED_READ_PENDING);
	if (!strcmp(cmd, "pending") && argc == 4) {
		k = read_file(argv[3], &kl);
		return do_pending(fd, SLOT(argv[2]), k, kl);
	}
	if (!strcmp(cmd, "erase") && argc == 3) {
		struct devcred_erase e = { .size = sizeof(e), .slot = SLOT(argv[2]) };

		return ioctl(fd, DEVCRED_IOC_ERASE, &e) ? fail("erase") : 0;
	}
	if (!strcmp(cmd, "bind") && argc == 4)
		return do_bind(fd, atoi(argv[2]), SLOT(argv[3]));
	if (!strcmp(cmd, "bindings"))
		return do_bindings(fd);
	if (!strcmp(cmd, "updates") && (argc == 4 || argc == 5))
		return do_updates(fd, SLOT(argv[2]), atoi(argv[3]), argc == 5 ? atoi(argv[4]) : 1);
	if (!strcmp(cmd, "which-update") && argc == 3)
		return do_which_update(fd, SLOT(argv[2]));
	if (!strcmp(cmd, "format") && argc == 2) {
		struct devcred_format f = { .size = sizeof(f) };

		return ioctl(fd, DEVCRED_IOC_FORMAT, &f) ? fail("format") : 0;
	}
	if (!strcmp(cmd, "read-seal") && argc == 3)
		return do_read_seal(fd, argv[2]);
	if (!strcmp(cmd, "load-kek") && argc == 2)
		return do_load_kek(fd, 0);
	if (!strcmp(cmd, "load-kek") && argc == 3 && !strcmp(argv[2], "--new"))
		return do_load_kek(fd, DEVCRED_KEK_NEW);
	if (!strcmp(cmd, "hold") && argc == 3) {
		sleep(atoi(argv[2]));
		return 0;
	}
	fprintf(stderr, "usage: see the comment at the top of devcred_tool.c\n");
	return 2;
}
