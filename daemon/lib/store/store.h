/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/devcred from userspace: one function per ioctl, returning 0 or a
 * negative errno. Blobs read from the device are malloc'ed; key blobs live
 * in OpenSSL's secure heap and are freed with store_secret_free().
 */
#ifndef DEVCRED_STORE_H
#define DEVCRED_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/devcred.h>

#define STORE_DEVICE_PATH "/dev/devcred"

/**
 * struct store_blob - a blob read from a slot
 * @data: the bytes, NUL-terminated for convenience (PEM is text)
 * @len: their count, without the NUL
 * @generation: the slot generation they belong to
 */
struct store_blob {
	char *data;
	size_t len;
	uint64_t generation;
};

int store_open(const char *path, int flags);
int store_info(int fd, struct devcred_info *info);
int store_slot_status(int fd, unsigned int slot, struct devcred_slot_status *st);
int store_read_cert(int fd, unsigned int slot, struct store_blob *out);
/* @pending: read the pending (CSR) key instead of the slot's key. */
int store_read_key(int fd, unsigned int slot, int pending, struct store_blob *out);
int store_write(int fd, unsigned int slot, unsigned int origin, const void *cert,
		 size_t cert_len, const void *key, size_t key_len, uint64_t expect_generation);
/* Pairs @cert with the slot's pending key. */
int store_write_with_pending(int fd, unsigned int slot, unsigned int origin,
			      const void *cert, size_t cert_len, uint64_t expect_generation);
int store_set_pending(int fd, unsigned int slot, const void *key, size_t key_len);
int store_erase(int fd, unsigned int slot);
/* DEVCRED_IOC_FORMAT: a damaged store started afresh (the kernel refuses it,
 * EEXIST, while a record is readable, outside factory mode). */
int store_format(int fd);
int store_get_bindings(int fd, struct devcred_bindings *b);
int store_bind(int fd, unsigned int op, unsigned int slot);
/* Sets the operations in @b->mask at once, or none. */
int store_set_bindings(int fd, const struct devcred_bindings *b);

/*
 * DEVCRED_IOC_READ_SEAL: the stored blob of the trusted master key
 * (DEVCRED_SEAL_KMK) or of the encrypted key-encryption key
 * (DEVCRED_SEAL_KEK), NUL-terminated; -ENOENT when the store's keys are in
 * clear. Not secret: only the TPM that sealed them opens them.
 */
int store_read_seal(int fd, unsigned int which, struct store_blob *out);
/*
 * DEVCRED_IOC_LOAD_KEK: the kernel takes the key-encryption key from the
 * caller's keyrings (DEVCRED_KEK_DESC, DEVCRED_KMK_DESC); @flags
 * DEVCRED_KEK_* (DEVCRED_KEK_NEW: adopt it on a store in clear).
 */
int store_load_kek(int fd, unsigned int flags);

/*
 * A slot's certificate and key, of the same slot generation (read again
 * when a write came between them; -EAGAIN if writes keep coming); empty
 * blobs when the slot is empty.
 */
int store_read_slot(int fd, unsigned int slot, struct store_blob *cert, struct store_blob *key);

void store_blob_free(struct store_blob *b);
void store_secret_free(struct store_blob *b);

#endif /* DEVCRED_STORE_H */
