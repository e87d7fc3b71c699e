// SPDX-License-Identifier: GPL-2.0
/* Secret buffers: see secret.h. */
#include <string.h>
#include <openssl/crypto.h>
#include "secret.h"

char *cred_secret_dup(const void *p, size_t n)
{
	char *s = OPENSSL_secure_malloc(n + 1);

	if (!s)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void cred_secret_free(char *p, size_t n)
{
	if (p)
		OPENSSL_secure_clear_free(p, n + 1);
}

void cred_secret_zero(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}
