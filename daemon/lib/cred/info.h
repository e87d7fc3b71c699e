/* SPDX-License-Identifier: GPL-2.0 */
/* Human-readable facts about a certificate, for list, show and the logs. */
#ifndef DEVCRED_CRED_INFO_H
#define DEVCRED_CRED_INFO_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define CRED_FP_LEN (EVP_MAX_MD_SIZE * 3 + 1)

/**
 * struct cred_info - the leaf's facts, as text
 * @subject: RFC 2253 one-line subject
 * @issuer: RFC 2253 one-line issuer
 * @cn: common name ("" when none), control characters escaped
 * @serial: serial number in upper-case hex
 * @not_before: ISO 8601 UTC
 * @not_after: ISO 8601 UTC
 * @key_type: "RSA 2048", "EC P-256", "ED25519"
 * @md5: fingerprint "AA:BB:.."
 * @sha1: fingerprint
 * @sha256: fingerprint
 */
struct cred_info {
	char subject[512];
	char issuer[512];
	char cn[256];
	char serial[128];
	char not_before[32];
	char not_after[32];
	char key_type[64];
	char md5[CRED_FP_LEN];
	char sha1[CRED_FP_LEN];
	char sha256[CRED_FP_LEN];
};

/* The leaf's facts; every text field is safe to print (cred_text_safe()). */
void cred_info_get(X509 *x, struct cred_info *ci);

/*
 * @in made safe for terminals and logs in @out (@outlen bytes, always
 * NUL-terminated): C0 control characters, DEL and C1 control characters
 * (U+0080 to U+009F, as UTF-8) written as \xHH, so that a certificate's
 * field can neither move the cursor, colour a terminal, nor forge a log line.
 */
void cred_text_safe(const char *in, char *out, size_t outlen);
/*
 * The chain in a stored certificate blob, leaf first, in *@chain; 0, or
 * cred_decode()'s negative errno with *@chain NULL.
 */
int cred_parse_chain(const char *pem, size_t len, STACK_OF(X509) **chain);

#endif /* DEVCRED_CRED_INFO_H */
