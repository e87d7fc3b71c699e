/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the devcred selftests: kernel log, MTD sysfs, and thin
 * wrappers of the /dev/devcred ioctls (dc_*).
 */
#ifndef DEVCRED_TEST_H
#define DEVCRED_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/devcred.h>

/* Returns a malloc'ed copy of the last kernel log line containing @needle. */
static inline char *klog_find(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *hit = NULL, *p, *end;

	if (len <= 0)
		return NULL;
	buf = calloc(1, len + 1);
	if (!buf)
		return NULL;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	for (p = buf; len > 0 && (p = strstr(p, needle)); p++)
		hit = p;
	if (hit) {
		end = strchr(hit, '\n');
		hit = strndup(hit, end ? (size_t)(end - hit) : strlen(hit));
	}
	free(buf);
	return hit;
}

static inline int mtd_sysfs_ull(int idx, const char *attr, unsigned long long *val)
{
	char path[96];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/mtd/mtd%d/%s", idx, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%lli", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* The index of the MTD device named @name in /proc/mtd, or -1. */
static inline int mtd_index_by_name(const char *name)
{
	char line[160], quoted[80];
	int idx = -1, n;
	FILE *f = fopen("/proc/mtd", "r");

	if (!f)
		return -1;
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "mtd%d:", &n) == 1 && strstr(line, quoted) &&
		    strlen(strstr(line, quoted)) == strlen(quoted)) {
			idx = n;
			break;
		}
	}
	fclose(f);
	return idx;
}

/*
 * ioctl wrappers. Each returns what ioctl() returns (0, or -1 with errno
 * set), so that tests can write ASSERT_EQ(0, dc_...) or
 * EXPECT_ERRNO(EINVAL, dc_...).
 */
#define DEVCRED_DEV	"/dev/devcred"
/* What tests prefill output buffers and structures with. */
#define DC_POISON	0xA5
#define DC_POISON32	0xA5A5A5A5U
#define DC_POISON64	0xA5A5A5A5A5A5A5A5ULL

/* @call fails with errno @expected_errno (iommufd's helper). */
#ifndef EXPECT_ERRNO
#define EXPECT_ERRNO(expected_errno, call)		\
	({						\
		ASSERT_EQ(-1, call);			\
		EXPECT_EQ(expected_errno, errno);	\
	})
#endif

static inline __u64 dc_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static inline bool dc_is_flash(__u32 slot)
{
	return slot < DEVCRED_FLASH_SLOTS;
}

/* The origin a slot accepts from an administrator (self-signed for builtin). */
static inline __u32 dc_origin_for(__u32 slot)
{
	return slot == DEVCRED_SLOT_BUILTIN ? DEVCRED_ORIGIN_SELF_SIGNED :
					      DEVCRED_ORIGIN_INSTALLED;
}

static inline const char *dc_slot_name(__u32 slot)
{
	static const char *const names[DEVCRED_SLOT_COUNT] = {
		"builtin", "platform1", "platform2",
		"app1", "app2", "app3", "app4", "app5", "app6",
	};

	return slot < DEVCRED_SLOT_COUNT ? names[slot] : "?";
}

static inline int dc_info(int fd, struct devcred_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, DEVCRED_IOC_INFO, info);
}

/* The store generation, or DC_POISON64 when DEVCRED_IOC_INFO fails. */
static inline __u64 dc_generation(int fd)
{
	struct devcred_info info;

	return dc_info(fd, &info) ? DC_POISON64 : info.generation;
}

static inline int dc_status(int fd, __u32 slot, struct devcred_slot_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->slot = slot;
	return ioctl(fd, DEVCRED_IOC_SLOT_STATUS, st);
}

/* A DEVCRED_IOC_WRITE argument; tests change one field to make it invalid. */
static inline struct devcred_write dc_write_arg(__u32 slot, __u32 origin,
						const void *cert, __u32 cert_len,
						const void *key, __u32 key_len)
{
	return (struct devcred_write){
		.size = sizeof(struct devcred_write),
		.slot = slot,
		.origin = origin,
		.cert_len = cert_len,
		.key_len = key_len,
		.cert = dc_ptr(cert),
		.key = dc_ptr(key),
	};
}

static inline int dc_write(int fd, __u32 slot, __u32 origin, const void *cert,
			   __u32 cert_len, const void *key, __u32 key_len)
{
	struct devcred_write w = dc_write_arg(slot, origin, cert, cert_len, key, key_len);

	return ioctl(fd, DEVCRED_IOC_WRITE, &w);
}

static inline int dc_erase(int fd, __u32 slot)
{
	struct devcred_erase e = { .size = sizeof(e), .slot = slot };

	return ioctl(fd, DEVCRED_IOC_ERASE, &e);
}

/*
 * DEVCRED_IOC_READ_CERT or _READ_KEY (@cmd) into @buf of *@len bytes; *@len
 * becomes the blob's length (also on ENOSPC), *@generation (if not NULL) its
 * generation.
 */
static inline int dc_read(int fd, unsigned long cmd, __u32 slot, __u32 flags,
			  void *buf, __u32 *len, __u64 *generation)
{
	struct devcred_blob b = {
		.size = sizeof(b), .slot = slot, .flags = flags, .len = *len,
		.data = dc_ptr(buf),
	};
	int ret = ioctl(fd, cmd, &b);

	if (!ret || errno == ENOSPC) {
		*len = b.len;
		if (generation)
			*generation = b.generation;
	}
	return ret;
}

/* Reads a whole blob into a malloc'ed *@buf; an empty one is ENOENT. */
static inline int dc_read_alloc(int fd, unsigned long cmd, __u32 slot, __u32 flags,
				void **buf, __u32 *len, __u64 *generation)
{
	int tries;

	*buf = NULL;
	for (tries = 0; tries < 16; tries++) {
		*len = 0;
		if (!dc_read(fd, cmd, slot, flags, NULL, len, NULL) || errno != ENOSPC)
			return -1;	/* an empty blob cannot be read with len 0 */
		*buf = malloc(*len ? *len : 1);
		if (!*buf)
			return -1;
		if (!dc_read(fd, cmd, slot, flags, *buf, len, generation))
			return 0;
		free(*buf);
		*buf = NULL;
		if (errno != ENOSPC)	/* ENOSPC: it grew in between */
			return -1;
	}
	return -1;
}

static inline int dc_set_pending(int fd, __u32 slot, const void *key, __u32 len)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = slot, .key_len = len, .key = dc_ptr(key),
	};

	return ioctl(fd, DEVCRED_IOC_SET_PENDING_KEY, &p);
}

static inline int dc_get_bindings(int fd, struct devcred_bindings *b)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	return ioctl(fd, DEVCRED_IOC_GET_BINDINGS, b);
}

/* Binds each operation in @mask to @slot[operation]. */
static inline int dc_set_bindings(int fd, __u32 mask, const __u8 *slot)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = mask };

	memcpy(b.slot, slot, DEVCRED_OP_COUNT);
	return ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &b);
}

/* Binds one operation. */
static inline int dc_bind(int fd, __u32 op, __u8 slot)
{
	__u8 slots[DEVCRED_OP_COUNT] = { 0 };

	if (op < DEVCRED_OP_COUNT)
		slots[op] = slot;
	return dc_set_bindings(fd, 1U << op, slots);
}

/*
 * Every operation back on builtin, the default, and no platform profile
 * setting: one record.
 */
static inline int dc_reset_bindings(int fd)
{
	struct devcred_bindings b = {
		.size = sizeof(b),
		.mask = ((1U << DEVCRED_OP_COUNT) - 1) | DEVCRED_BIND_PROFILES,
	};

	return ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &b);
}

/* builtin holds a factory credential that only factory mode may replace. */
static inline bool dc_builtin_factory_locked(int fd)
{
	struct devcred_slot_status st;
	struct devcred_info info;

	return !dc_status(fd, DEVCRED_SLOT_BUILTIN, &st) && !dc_info(fd, &info) &&
	       st.origin == DEVCRED_ORIGIN_FACTORY &&
	       !(info.flags & DEVCRED_INFO_FACTORY_MODE);
}

static inline __u32 dc_rand(__u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* @len bytes of any value (zeros and 0xA5 included), decided by @seed. */
static inline void dc_fill_random(void *buf, size_t len, __u32 seed)
{
	__u32 state = seed * 2654435761U + 0x9e3779b9U;
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = dc_rand(&state) >> 24;
}

/*
 * @len bytes of PEM-looking text: a BEGIN line naming @label, base64-looking
 * lines decided by @seed, and an END line when it fits.
 */
static inline void dc_fill_pem(void *buf, size_t len, const char *label, __u32 seed)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char head[80], tail[80];
	size_t hl = snprintf(head, sizeof(head), "-----BEGIN %s-----\n", label);
	size_t tl = snprintf(tail, sizeof(tail), "-----END %s-----\n", label);
	__u32 state = seed * 2654435761U + 0x7f4a7c15U;
	char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = i % 65 == 64 ? '\n' : b64[dc_rand(&state) & 63];
	memcpy(p, head, hl < len ? hl : len);
	if (len >= hl + tl)
		memcpy(p + len - tl, tail, tl);
}

static inline bool dc_all_bytes(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

/*
 * A slot's whole state and the store's generation, to check that a failed
 * command changed nothing.
 */
struct dc_snapshot {
	__u64 generation;
	struct devcred_slot_status st;
	void *blob[3];
	__u32 len[3];
};

static inline void dc_snapshot_free(struct dc_snapshot *s)
{
	int i;

	for (i = 0; i < 3; i++) {
		free(s->blob[i]);
		s->blob[i] = NULL;
	}
}

static inline int dc_snapshot(int fd, __u32 slot, struct dc_snapshot *s)
{
	static const unsigned long cmd[3] = {
		DEVCRED_IOC_READ_CERT, DEVCRED_IOC_READ_KEY, DEVCRED_IOC_READ_KEY,
	};
	static const __u32 flags[3] = { 0, 0, DEVCRED_READ_PENDING };
	int i;

	memset(s, 0, sizeof(*s));
	s->generation = dc_generation(fd);
	if (s->generation == DC_POISON64 || dc_status(fd, slot, &s->st))
		return -1;
	for (i = 0; i < 3; i++) {
		if (dc_read_alloc(fd, cmd[i], slot, flags[i], &s->blob[i], &s->len[i], NULL) &&
		    errno != ENOENT) {
			dc_snapshot_free(s);
			return -1;
		}
	}
	return 0;
}

/* The slot and the store generation are as in @before. */
static inline bool dc_snapshot_unchanged(int fd, const struct dc_snapshot *before)
{
	struct dc_snapshot now;
	bool same;
	int i;

	if (dc_snapshot(fd, before->st.slot, &now))
		return false;
	same = now.generation == before->generation &&
	       !memcmp(&now.st, &before->st, sizeof(now.st));
	for (i = 0; i < 3; i++)
		same = same && now.len[i] == before->len[i] &&
		       (!now.len[i] || !memcmp(now.blob[i], before->blob[i], now.len[i]));
	dc_snapshot_free(&now);
	return same;
}

/*
 * The last devcred line of the kernel log names @slot and @what, and gives
 * @len and @max.
 */
static inline bool dc_klog_says(const char *slot, const char *what, __u32 len, __u32 max,
				bool quiet)
{
	char *line = klog_find("devcred: ");
	char n[16], m[16];
	bool ok;

	if (!line)
		return false;
	snprintf(n, sizeof(n), "%u", len);
	snprintf(m, sizeof(m), "%u", max);
	ok = strstr(line, slot) && strstr(line, what) && strstr(line, n) && strstr(line, m);
	if (!ok && !quiet)
		fprintf(stderr, "# last devcred log line: %s\n", line);
	free(line);
	return ok;
}

static inline bool dc_klog_reports(const char *slot, const char *what, __u32 len, __u32 max)
{
	return dc_klog_says(slot, what, len, max, false);
}

/* The interval of the kernel's default rate limit for log lines, plus margin. */
#define DC_RATELIMIT_WAIT	6

/* Empties app1 to app6 (RAM only: costs no flash write). */
static inline int dc_erase_app_slots(int fd)
{
	__u32 slot;

	for (slot = DEVCRED_FLASH_SLOTS; slot < DEVCRED_SLOT_COUNT; slot++)
		if (dc_erase(fd, slot))
			return -1;
	return 0;
}

/* A small credential whose content and lengths depend on @seed. */
struct dc_cred {
	__u32 cert_len;
	__u32 key_len;
	char cert[1024];
	char key[512];
};

static inline void dc_make_cred(struct dc_cred *c, __u32 seed)
{
	c->cert_len = 600 + seed * 37 % 400;
	c->key_len = 240 + seed * 53 % 240;
	dc_fill_pem(c->cert, c->cert_len, "CERTIFICATE", seed);
	dc_fill_pem(c->key, c->key_len, "PRIVATE KEY", seed ^ 0x5a5a5a5aU);
}

/* Writes @c into @slot with the origin an administrator would use. */
static inline int dc_put_cred(int fd, __u32 slot, const struct dc_cred *c)
{
	return dc_write(fd, slot, dc_origin_for(slot), c->cert, c->cert_len, c->key, c->key_len);
}

/*
 * Reads @cmd of @slot into a buffer 64 bytes larger than @len, prefilled
 * with DC_POISON. Returns 0 when the read gave exactly the @len bytes at
 * @want and left the rest of the buffer alone; else the ioctl's errno, or
 * -1 (another length), -2 (other bytes), -3 (bytes past the blob written),
 * -4 (no memory for the buffer).
 */
static inline int dc_blob_is(int fd, unsigned long cmd, __u32 slot, __u32 flags,
			     const void *want, __u32 len)
{
	__u32 size = len + 64, got = size;
	unsigned char *buf = malloc(size);
	int ret = 0;

	if (!buf)
		return -4;
	memset(buf, DC_POISON, size);
	if (dc_read(fd, cmd, slot, flags, buf, &got, NULL))
		ret = errno;
	else if (got != len)
		ret = -1;
	else if (memcmp(buf, want, len))
		ret = -2;
	else if (!dc_all_bytes(buf + len, size - len, DC_POISON))
		ret = -3;
	free(buf);
	return ret;
}

/*
 * Numbered updates (devcred_tool updates, the flash log tests): pair @n of
 * @slot is a 6000-byte certificate and a 3000-byte key that both name it,
 * so that a slot holding the certificate of one update and the key of
 * another is seen.
 */
struct dc_update {
	char cert[6000];
	char key[3000];
};

static inline void dc_make_update(struct dc_update *u, __u32 slot, int n)
{
	memset(u->cert, 'c', sizeof(u->cert));
	memset(u->key, 'k', sizeof(u->key));
	snprintf(u->cert, 64, "CERT update %d of slot %u.", n, slot);
	snprintf(u->key, 64, "KEY update %d of slot %u.", n, slot);
}

/* Writes pair @n into @slot; returns what ioctl() returns. */
static inline int dc_put_update(int fd, __u32 slot, int n)
{
	static struct dc_update u;

	dc_make_update(&u, slot, n);
	return dc_write(fd, slot, dc_origin_for(slot), u.cert, sizeof(u.cert), u.key,
			sizeof(u.key));
}

/*
 * The number of the pair @slot holds, 0 when it is empty; -1 with errno set
 * when it cannot be read, -2 when it holds something else or the
 * certificate of one pair with the key of another.
 */
static inline int dc_which_update(int fd, __u32 slot)
{
	static struct dc_update got, want;
	__u32 cl = sizeof(got.cert), kl = sizeof(got.key);
	int n;

	if (dc_read(fd, DEVCRED_IOC_READ_CERT, slot, 0, got.cert, &cl, NULL))
		return errno == ENOENT ? 0 : -1;
	if (dc_read(fd, DEVCRED_IOC_READ_KEY, slot, 0, got.key, &kl, NULL))
		return -1;
	if (sscanf(got.cert, "CERT update %d of", &n) != 1)
		return -2;
	dc_make_update(&want, slot, n);
	if (cl != sizeof(want.cert) || kl != sizeof(want.key) || memcmp(&got, &want, sizeof(got)))
		return -2;
	return n;
}

#define DC_PARAM_DIR	"/sys/module/devcred/parameters/"

/* Reads devcred's module parameter @name (first line, no newline). */
static inline int dc_param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), DC_PARAM_DIR "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ret = fgets(buf, len, f) ? 0 : -1;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return ret;
}

static inline int dc_param_write(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DC_PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* Anonymous memory shared with forked children (for their ioctl output). */
static inline void *dc_shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Removes @cap from the calling process's effective, permitted, inheritable sets. */
static inline int dc_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(cap);
	__u32 bit = CAP_TO_MASK(cap);

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data) || syscall(SYS_capget, &hdr, data))
		return -1;
	return data[i].effective & bit ? -1 : 0;
}

/* The uid a test drops to: /dev/devcred must be made accessible to it. */
#define DC_TEST_UID	1000

/*
 * Runs ioctl(@cmd, @arg) in a child process without CAP_SYS_ADMIN, on its
 * own O_RDWR descriptor: as uid DC_TEST_UID when @as_user, else as root
 * without CAP_SYS_ADMIN. @arg and what it points to must be in
 * dc_shared_alloc() memory for the parent to see the output. Returns 0 or
 * the ioctl's errno, or DC_CHILD_FAILED if the child could not get there.
 */
#define DC_CHILD_FAILED	255

static inline int dc_ioctl_unprivileged(bool as_user, unsigned long cmd, void *arg)
{
	int status, fd;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return DC_CHILD_FAILED;
	if (pid == 0) {
		if (as_user) {
			if (setgroups(0, NULL) || setgid(DC_TEST_UID) || setuid(DC_TEST_UID))
				_exit(DC_CHILD_FAILED);
		} else if (dc_drop_cap(CAP_SYS_ADMIN)) {
			_exit(DC_CHILD_FAILED);
		}
		fd = open(DEVCRED_DEV, O_RDWR);
		if (fd < 0)
			_exit(DC_CHILD_FAILED);
		_exit(ioctl(fd, cmd, arg) ? (errno & 0xff) : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return DC_CHILD_FAILED;
	return WEXITSTATUS(status);
}

#endif /* DEVCRED_TEST_H */
