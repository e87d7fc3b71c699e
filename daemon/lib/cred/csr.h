/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys and certificate signing requests made on the device: the OpenSSL
 * work of "credctl csr", apart from its rules. These functions touch
 * nothing but their arguments, so devcredd runs them in a worker thread
 * (an RSA key takes seconds on a small board).
 */
#ifndef DEVCRED_CRED_CSR_H
#define DEVCRED_CRED_CSR_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/names.h"

struct cred_error;

/* A new key of @type (DC_KEY_*) in *@key; 0 or a negative errno (@err). */
int cred_keygen(enum dc_key_type type, EVP_PKEY **key, struct cred_error *err);

/*
 * @key as unencrypted PKCS#8 PEM in *@pem (OpenSSL's secure heap: free with
 * cred_secret_free(*pem, *len)); 0 or a negative errno (@err).
 */
int cred_key_pem(EVP_PKEY *key, char **pem, size_t *len, struct cred_error *err);

/*
 * The subjectAltName extension for @text, OpenSSL's form of it
 * ("DNS:phone.example,IP:192.0.2.1,email:ops@example.com"), in *@ext
 * (X509_EXTENSION_free() it). Only DNS, IP and email names, those a
 * device's TLS peers check; 0 or -EINVAL with what is wrong (@err).
 */
int cred_san_make(const char *text, X509_EXTENSION **ext, struct cred_error *err);

/*
 * A request for @key with @subject and, unless NULL, the extension @san,
 * signed with SHA-256, as PEM in *@pem (malloc'ed), and its SHA-256 digest
 * as "AA:BB:.." in @digest (CRED_FP_LEN bytes); 0 or a negative errno
 * (@err).
 */
int cred_csr_make(EVP_PKEY *key, const X509_NAME *subject, X509_EXTENSION *san, char **pem,
		  size_t *len, char *digest, struct cred_error *err);

#endif /* DEVCRED_CRED_CSR_H */
