/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's own certificate when none was installed at the factory:
 * self-signed, subject and issuer CN the MAC address.
 */
#ifndef DEVCRED_SELFSIGNED_H
#define DEVCRED_SELFSIGNED_H

#include <stddef.h>
#include <time.h>

/*
 * The MAC address of @iface (or, when NULL, of the first Ethernet interface
 * by name) as 12 upper-case hex digits, e.g. "0004F206075D".
 */
int dc_mac_address(const char *iface, char out[13]);

/*
 * Makes a P-256 key and a certificate for it, valid from @now for 20
 * years. On success *@cert_pem and *@key_pem are malloc'ed PEM (the key in
 * OpenSSL secure memory: free with OPENSSL_secure_clear_free(p, len + 1)).
 */
int dc_selfsigned_make(const char *cn, time_t now, char **cert_pem, size_t *cert_len,
		       char **key_pem, size_t *key_len, char *err, size_t errlen);

#endif /* DEVCRED_SELFSIGNED_H */
