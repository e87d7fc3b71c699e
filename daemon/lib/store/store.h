/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/devcred from userspace: one function per ioctl, returning 0 or a
 * negative errno. Blobs read from the device are malloc'ed; key blobs live
 * in OpenSSL's secure heap and are freed with dc_free_secret().
 */
#ifndef DEVCRED_DEVICE_H
#define DEVCRED_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/devcred.h>

#define DC_DEVICE_PATH "/dev/devcred"

/**
 * struct dc_blob - a blob read from a slot
 * @data: the bytes, NUL-terminated for convenience (PEM is text)
 * @len: their count, without the NUL
 * @generation: the slot generation they belong to
 */
struct dc_blob {
	char *data;
	size_t len;
	uint64_t generation;
};

int dc_dev_open(const char *path, int flags);
int dc_dev_info(int fd, struct devcred_info *info);
int dc_dev_status(int fd, unsigned int slot, struct devcred_slot_status *st);
int dc_dev_read_cert(int fd, unsigned int slot, struct dc_blob *out);
/* @pending: read the pending (CSR) key instead of the slot's key. */
int dc_dev_read_key(int fd, unsigned int slot, int pending, struct dc_blob *out);
int dc_dev_write(int fd, unsigned int slot, unsigned int origin, const void *cert,
		 size_t cert_len, const void *key, size_t key_len, uint64_t expect_generation);
/* Pairs @cert with the slot's pending key. */
int dc_dev_write_with_pending(int fd, unsigned int slot, unsigned int origin,
			      const void *cert, size_t cert_len, uint64_t expect_generation);
int dc_dev_set_pending(int fd, unsigned int slot, const void *key, size_t key_len);
int dc_dev_erase(int fd, unsigned int slot);
int dc_dev_get_bindings(int fd, struct devcred_bindings *b);
int dc_dev_bind(int fd, unsigned int op, unsigned int slot);
/* Sets the operations in @b->mask at once, or none. */
int dc_dev_set_bindings(int fd, const struct devcred_bindings *b);

void dc_blob_free(struct dc_blob *b);
void dc_free_secret(struct dc_blob *b);

#endif /* DEVCRED_DEVICE_H */
