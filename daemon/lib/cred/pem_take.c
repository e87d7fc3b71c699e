// SPDX-License-Identifier: GPL-2.0
/* PEM written to a memory BIO, taken out as a C string: see pem_take.h. */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "pem_take.h"

char *cred_pem_take(BIO *bio, size_t *len, int secure)
{
	char *data, *copy;
	long n = BIO_get_mem_data(bio, &data);

	if (n <= 0)
		return NULL;
	copy = secure ? OPENSSL_secure_malloc(n + 1) : malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, data, n);
	copy[n] = '\0';
	*len = n;
	return copy;
}
