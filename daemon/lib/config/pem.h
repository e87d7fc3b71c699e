/* SPDX-License-Identifier: GPL-2.0 */
/* PEM text that came through an XML attribute. */
#ifndef DEVCRED_CONFIG_PEM_H
#define DEVCRED_CONFIG_PEM_H

#include <stddef.h>

/*
 * A copy of the @len bytes of the NUL-terminated @in (in secure memory:
 * it may be a key; free with cred_secret_free(p, *out_len)) with every run of whitespace
 * outside the BEGIN/END lines made one line break, and a final line break.
 * NULL when out of memory.
 */
char *config_pem_unfold(const char *in, size_t len, size_t *out_len);

/* Whether @text is a base64 PKCS#7 structure without its PEM lines. */
int config_is_bare_pkcs7(const char *text, size_t len);

#endif /* DEVCRED_CONFIG_PEM_H */
