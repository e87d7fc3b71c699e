/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secret buffers: private keys in PEM form, passphrases. They come from
 * OpenSSL's secure heap when the program set one up (see
 * CRYPTO_secure_malloc_init(): locked in memory, left out of core dumps),
 * from ordinary memory otherwise, and are zeroized when freed either way.
 */
#ifndef DEVCRED_CRED_SECRET_H
#define DEVCRED_CRED_SECRET_H

#include <stddef.h>

/* A copy of @n bytes at @p with a NUL after them; NULL when out of memory. */
char *cred_secret_dup(const void *p, size_t n);

/* Zeroizes and frees @p, from cred_secret_dup() of @n bytes; NULL is fine. */
void cred_secret_free(char *p, size_t n);

/* Zeroizes @n bytes at @p in a way the compiler cannot drop. */
void cred_secret_zero(void *p, size_t n);

#endif /* DEVCRED_CRED_SECRET_H */
