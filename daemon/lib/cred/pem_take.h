/* SPDX-License-Identifier: GPL-2.0 */
/* PEM written to a memory BIO, taken out as a C string. */
#ifndef DEVCRED_CRED_PEM_TAKE_H
#define DEVCRED_CRED_PEM_TAKE_H

#include <stddef.h>
#include <openssl/bio.h>

/*
 * A NUL-terminated copy of what the memory BIO @bio holds, its length in
 * @len: malloc'ed, or from OpenSSL's secure heap when @secure (key material:
 * free with OPENSSL_secure_clear_free(p, *len + 1)). NULL when empty or out
 * of memory.
 */
char *cred_pem_take(BIO *bio, size_t *len, int secure);

#endif /* DEVCRED_CRED_PEM_TAKE_H */
