// SPDX-License-Identifier: GPL-2.0
/*
 * What the store client offers over the ioctls: a slot read whole, and
 * freeing what was read. See store.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "store.h"

/* Reads of a slot that another writer keeps changing, before giving up. */
#define STORE_READ_TRIES	5

/*
 * The certificate and the key are two ioctls: a write between them would
 * pair one version's certificate with the next one's key. Each blob says
 * the slot generation it belongs to; the pair is taken when both agree.
 */
int store_read_slot(int fd, unsigned int slot, struct store_blob *cert, struct store_blob *key)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < STORE_READ_TRIES && ret == -EAGAIN; tries++) {
		ret = store_read_cert(fd, slot, cert);
		if (!ret)
			ret = store_read_key(fd, slot, 0, key);
		if (!ret && cert->generation != key->generation)
			ret = -EAGAIN;
		if (ret) {
			store_blob_free(cert);
			store_secret_free(key);
		}
	}
	return ret == -ENOENT ? 0 : ret;
}

void store_blob_free(struct store_blob *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void store_secret_free(struct store_blob *b)
{
	if (b->data)
		OPENSSL_secure_clear_free(b->data, b->len + 1);
	memset(b, 0, sizeof(*b));
}
