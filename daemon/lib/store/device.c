// SPDX-License-Identifier: GPL-2.0
/* Thin wrappers over the /dev/devcred ioctls; see store.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <openssl/crypto.h>

#include "store.h"

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int store_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

int store_open(const char *path, int flags)
{
	int fd = open(path ? path : STORE_DEVICE_PATH, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int store_info(int fd, struct devcred_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return store_ioctl(fd, DEVCRED_IOC_INFO, info);
}

int store_slot_status(int fd, unsigned int slot, struct devcred_slot_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->slot = slot;
	return store_ioctl(fd, DEVCRED_IOC_SLOT_STATUS, st);
}

static void store_buf_free(char *buf, size_t cap, int secret)
{
	if (secret)
		OPENSSL_secure_clear_free(buf, cap + 1);
	else
		free(buf);
}

/*
 * A blob read with @cmd into @out: the length first (*@len 0), then the
 * bytes; again if the blob grew in between. @len and @data are the
 * request's own fields; @secret puts the bytes in the secure heap.
 */
static int store_read_grow(int fd, unsigned long cmd, void *req, __u32 *len, __u64 *data,
			   int secret, struct store_blob *out)
{
	char *buf = NULL;
	size_t cap = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	for (;;) {
		*len = cap;
		*data = uptr(buf);
		ret = store_ioctl(fd, cmd, req);
		if (ret != -ENOSPC)
			break;
		store_buf_free(buf, cap, secret);
		cap = *len;
		buf = secret ? OPENSSL_secure_zalloc(cap + 1) : calloc(1, cap + 1);
		if (!buf)
			return -ENOMEM;
	}
	if (!ret && !buf)
		ret = -ENODATA;	/* an empty blob: the driver stores none */
	if (ret) {
		store_buf_free(buf, cap, secret);
		return ret;
	}
	buf[*len] = '\0';
	out->data = buf;
	out->len = *len;
	return 0;
}

static int store_read(int fd, unsigned long cmd, unsigned int slot, uint32_t flags,
		       int secret, struct store_blob *out)
{
	struct devcred_blob req = { .size = sizeof(req), .slot = slot, .flags = flags };
	int ret = store_read_grow(fd, cmd, &req, &req.len, &req.data, secret, out);

	if (!ret)
		out->generation = req.generation;
	return ret;
}

int store_read_cert(int fd, unsigned int slot, struct store_blob *out)
{
	return store_read(fd, DEVCRED_IOC_READ_CERT, slot, 0, 0, out);
}

int store_read_key(int fd, unsigned int slot, int pending, struct store_blob *out)
{
	return store_read(fd, DEVCRED_IOC_READ_KEY, slot,
			   pending ? DEVCRED_READ_PENDING : 0, 1, out);
}

int store_write(int fd, unsigned int slot, unsigned int origin, const void *cert,
		 size_t cert_len, const void *key, size_t key_len, uint64_t expect_generation)
{
	struct devcred_write w = {
		.size = sizeof(w), .slot = slot, .origin = origin,
		.cert_len = cert_len, .key_len = key_len,
		.cert = uptr(cert), .key = uptr(key),
		.expect_generation = expect_generation,
	};

	return store_ioctl(fd, DEVCRED_IOC_WRITE, &w);
}

int store_write_with_pending(int fd, unsigned int slot, unsigned int origin,
			      const void *cert, size_t cert_len, uint64_t expect_generation)
{
	struct devcred_write w = {
		.size = sizeof(w), .slot = slot, .origin = origin,
		.flags = DEVCRED_WRITE_USE_PENDING_KEY,
		.cert_len = cert_len, .cert = uptr(cert),
		.expect_generation = expect_generation,
	};

	return store_ioctl(fd, DEVCRED_IOC_WRITE, &w);
}

int store_set_pending(int fd, unsigned int slot, const void *key, size_t key_len)
{
	struct devcred_pending_key p = {
		.size = sizeof(p), .slot = slot, .key_len = key_len, .key = uptr(key),
	};

	return store_ioctl(fd, DEVCRED_IOC_SET_PENDING_KEY, &p);
}

int store_erase(int fd, unsigned int slot)
{
	struct devcred_erase e = { .size = sizeof(e), .slot = slot };

	return store_ioctl(fd, DEVCRED_IOC_ERASE, &e);
}

int store_format(int fd)
{
	struct devcred_format f = { .size = sizeof(f) };

	return store_ioctl(fd, DEVCRED_IOC_FORMAT, &f);
}

int store_get_bindings(int fd, struct devcred_bindings *b)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	return store_ioctl(fd, DEVCRED_IOC_GET_BINDINGS, b);
}

int store_bind(int fd, unsigned int op, unsigned int slot)
{
	struct devcred_bindings b = { .size = sizeof(b), .mask = 1u << op };

	b.slot[op] = slot;
	return store_ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &b);
}

int store_set_bindings(int fd, const struct devcred_bindings *b)
{
	struct devcred_bindings copy = *b;

	copy.size = sizeof(copy);
	return store_ioctl(fd, DEVCRED_IOC_SET_BINDINGS, &copy);
}

int store_read_seal(int fd, unsigned int which, struct store_blob *out)
{
	struct devcred_seal_blob req = { .size = sizeof(req), .which = which };

	return store_read_grow(fd, DEVCRED_IOC_READ_SEAL, &req, &req.len, &req.data, 0, out);
}

int store_load_kek(int fd, unsigned int flags)
{
	struct devcred_kek k = { .size = sizeof(k), .flags = flags };

	return store_ioctl(fd, DEVCRED_IOC_LOAD_KEK, &k);
}
