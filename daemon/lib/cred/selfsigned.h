/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's own certificate when none was installed at the factory:
 * self-signed, subject and issuer CN the MAC address.
 */
#ifndef DEVCRED_CRED_SELFSIGNED_H
#define DEVCRED_CRED_SELFSIGNED_H

#include <stddef.h>
#include <time.h>

struct cred_error;

/*
 * Makes a P-256 key and a certificate for it, valid from @now for 20
 * years. On success *@cert_pem and *@key_pem are malloc'ed PEM (the key in
 * OpenSSL secure memory: free with OPENSSL_secure_clear_free(p, len + 1))
 * and 0 is returned; else a negative errno with the reason in @err.
 */
int cred_selfsigned_make(const char *cn, time_t now, char **cert_pem, size_t *cert_len,
			 char **key_pem, size_t *key_len, struct cred_error *err);

#endif /* DEVCRED_CRED_SELFSIGNED_H */
