/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the power-cut tests (devcred_powercut, devcred_recut) share: the
 * platform state as userspace sees it (every flash slot's certificate, key,
 * pending key and origin, the bindings and the platform profile settings),
 * the updates they cut, and the
 * fault knobs of test builds (debugfs devcred/, see driver/fault.c).
 */
#ifndef DEVCRED_PSTATE_H
#define DEVCRED_PSTATE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/devcred.h>

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
	__u8 profile_cert[4];
	__u8 profile_select[4];
};

enum update { WRITE_PLATFORM1, WRITE_BUILTIN, ERASE_PLATFORM2, PENDING_PLATFORM2, BIND, UPDATES };
static const char *const update_names[] = {
	"write platform1", "write builtin", "erase platform2", "pending key platform2", "bindings",
};

static inline int knob(const char *name, unsigned int val)
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

/* The value of the test build's debugfs knob @name, or -1. */
static inline int knob_value(const char *name)
{
	char path[96], buf[16] = "";
	int fd, n;

	snprintf(path, sizeof(path), KNOB "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

/* The power cuts the driver made since it was loaded, or -1. */
static inline int cuts_made(void)
{
	return knob_value("cuts");
}

static inline int read_blob(int fd, unsigned long cmd, int slot, __u32 flags, struct blob *b)
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

/*
 * DEVCRED_SEALED=1 (selftests/boot/sealing.sh): the store's keys are sealed
 * and the caller's session keyring holds its key-encryption key. A reload
 * forgets the KEK, as a reboot does; the board loads it again before
 * anything reads a key. First the store must show itself sealed: no record
 * in clear came back (DEVCRED_INFO_KEYS_CLEAR), and every flash slot's key
 * is Invalid with DEVCRED_SLOT_KEY_SEALED and unreadable (ENOKEY).
 */
static inline int sealed_run(void)
{
	const char *v = getenv("DEVCRED_SEALED");

	return v && !strcmp(v, "1");
}

static inline int load_kek_again(void)
{
	struct devcred_info info = { .size = sizeof(info) };
	struct devcred_kek kek = { .size = sizeof(kek) };
	struct devcred_slot_status s;
	struct blob key;
	int fd = open("/dev/devcred", O_RDWR), i, ret = -1;

	if (fd < 0)
		return -1;
	if (ioctl(fd, DEVCRED_IOC_INFO, &info) || (info.flags & DEVCRED_INFO_KEYS_CLEAR)) {
		fprintf(stderr, "# after the reload the store is not sealed (info flags %#x)\n",
			info.flags);
		goto out;
	}
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		s = (struct devcred_slot_status){ .size = sizeof(s), .slot = i };
		if (ioctl(fd, DEVCRED_IOC_SLOT_STATUS, &s))
			goto out;
		if (!s.cert_len && !s.pending_key_len)
			continue;
		if (!(s.flags & DEVCRED_SLOT_KEY_SEALED) ||
		    (s.cert_len && (read_blob(fd, DEVCRED_IOC_READ_KEY, i, 0, &key) != -1 ||
				    errno != ENOKEY)) ||
		    (s.pending_key_len && (read_blob(fd, DEVCRED_IOC_READ_KEY, i,
						     DEVCRED_READ_PENDING, &key) != -1 ||
					   errno != ENOKEY))) {
			fprintf(stderr, "# slot %d: a key is readable, or not reported sealed, before the KEK is loaded (flags %#x)\n",
				i, s.flags);
			goto out;
		}
	}
	if (ioctl(fd, DEVCRED_IOC_LOAD_KEK, &kek) || ioctl(fd, DEVCRED_IOC_INFO, &info) ||
	    !(info.flags & DEVCRED_INFO_KEK_LOADED)) {
		fprintf(stderr, "# loading the KEK again: %s (info flags %#x)\n", strerror(errno),
			info.flags);
		goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

static inline int reload(void)
{
	if (system("devcred-reload"))
		return -1;
	return sealed_run() ? load_kek_again() : 0;
}

static inline int snapshot(struct pstate *st)
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
	memcpy(st->profile_cert, b.profile_cert, sizeof(st->profile_cert));
	memcpy(st->profile_select, b.profile_select, sizeof(st->profile_select));
	ret = 0;
out:
	close(fd);
	return ret;
}

static inline void fill(struct blob *b, __u32 len, const char *tag, unsigned int n)
{
	b->len = len;
	memset(b->data, 'a' + n % 26, len);
	snprintf((char *)b->data, 48, "%s #%u.", tag, n);
}

/* Applies update @u, numbered @n, to @st (the expected new state). */
static inline void apply(enum update u, unsigned int n, struct pstate *st)
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
		/* Two bindings and two profile settings, which one record holds. */
		st->binding[DEVCRED_OP_SIP] = 1 + n % 2;
		st->binding[DEVCRED_OP_SYSLOG] = 2 - n % 2;
		st->profile_cert[0] = DEVCRED_PROFILE_SLOT(1 + n % 2);
		st->profile_select[DEVCRED_OP_PROVISIONING] = 2 - n % 2;
		break;
	default:
		break;
	}
}

/* Issues update @u so that the store should become @want. */
static inline int issue(int fd, enum update u, const struct pstate *want)
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
		.mask = 1U << DEVCRED_OP_SIP | 1U << DEVCRED_OP_SYSLOG | DEVCRED_BIND_PROFILES,
	};

	memcpy(b.slot, want->binding, DEVCRED_OP_COUNT);
	memcpy(b.profile_cert, want->profile_cert, sizeof(b.profile_cert));
	memcpy(b.profile_select, want->profile_select, sizeof(b.profile_select));
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

static inline int same(const struct pstate *a, const struct pstate *b)
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
	return !memcmp(a->binding, b->binding, sizeof(a->binding)) &&
	       !memcmp(a->profile_cert, b->profile_cert, sizeof(a->profile_cert)) &&
	       !memcmp(a->profile_select, b->profile_select, sizeof(a->profile_select));
}

/* Makes platform2 hold something, so that erasing it is a change. */
static inline int prepare(enum update u, unsigned int n)
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

#endif /* DEVCRED_PSTATE_H */
