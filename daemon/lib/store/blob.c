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

int store_read_slot(int fd, unsigned int slot, struct store_blob *cert, struct store_blob *key)
{
	int ret = store_read_cert(fd, slot, cert);

	if (ret == -ENOENT)
		return 0;
	if (!ret)
		ret = store_read_key(fd, slot, 0, key);
	if (ret) {
		store_blob_free(cert);
		store_secret_free(key);
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
