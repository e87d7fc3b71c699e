/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the credential library's files; not part of its API. */
#ifndef DEVCRED_CRED_INTERNAL_H
#define DEVCRED_CRED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "credential.h"
#include "secret.h"

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Sets err->msg (when @err) and returns @ret. The OpenSSL error queue is
 * cleared; cred_err_ssl() first appends its text to the message.
 */
int cred_err(struct cred_error *err, int ret, const char *fmt, ...) __printf(3, 4);
int cred_err_ssl(struct cred_error *err, int ret, const char *fmt, ...) __printf(3, 4);

/* "subject 'CN=x,O=y'" of @x for messages, always NUL-terminated. */
void cred_describe(const X509 *x, char *buf, size_t len);

/**
 * struct cred_input - one raw input being decoded
 * @what: "certificate input" or "key input", for messages
 * @buf, @len: the bytes
 * @certs: certificates found, in input order (certificate input only)
 * @key_start, @key_end: byte range of the PEM key block, when @has_key
 */
struct cred_input {
	const char *what;
	const unsigned char *buf;
	size_t len;
	STACK_OF(X509) *certs;
	bool has_key;
	size_t key_start;
	size_t key_end;
};

/* true when @in contains a PEM "-----BEGIN " line start. */
bool cred_input_is_pem(const struct cred_input *in);

/*
 * Walks every PEM block of @in: certificates and PKCS#7 go to in->certs
 * (refused when in->certs is NULL), the one private key block is located.
 */
int cred_pem_scan(struct cred_input *in, struct cred_error *err);

/* Certificate input without PEM: DER certificate or DER PKCS#7. */
int cred_der_scan(struct cred_input *in, struct cred_error *err);

/* Decodes a private key (PEM text or DER, per @pem) into *@key. */
int cred_key_decode(EVP_PKEY **key, const struct cred_input *in,
		    const unsigned char *p, size_t n, bool pem,
		    const char *passphrase, struct cred_error *err);

/* Puts @certs leaf first, each followed by its issuer: see credential.h. */
int cred_chain_order(STACK_OF(X509) *certs, struct cred_error *err);

#endif /* DEVCRED_CRED_INTERNAL_H */
