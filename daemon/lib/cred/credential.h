/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credential: decode and check a device's TLS credential (certificate chain
 * and private key) before it is stored.
 *
 *	struct credential c;
 *	struct cred_error err;
 *
 *	if (cred_decode(&c, cert, cert_len, key, key_len, pass, &err) ||
 *	    cred_validate(&c, time(NULL), CRED_REQUIRE_KEY, &err))
 *		errx(1, "%s", err.msg);
 *	store(c.cert_pem, c.cert_pem_len, c.key_pem, c.key_pem_len);
 *	cred_free(&c);
 *
 * Every function returns 0 or a negative errno and, when given a struct
 * cred_error, leaves one human message in it saying what was wrong, where
 * (byte offsets into the input) and the limit or the fix; OpenSSL's error
 * queue text is appended when OpenSSL refused something. The OpenSSL error
 * queue is empty when a function returns.
 */
#ifndef DEVCRED_CRED_CREDENTIAL_H
#define DEVCRED_CRED_CREDENTIAL_H

#include <stddef.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* Limit on each raw input (certificate, key) before any parsing. */
#define CRED_INPUT_MAX (256 * 1024)

/* Limit on the certificates of one chain (a device's is 1 to 4 long). */
#define CRED_CHAIN_MAX 16

/**
 * struct cred_error - why a step failed
 * @msg: the reason, for people
 * @no_cert: set by cred_decode() when the certificate input gave no
 *	certificate at all (the phones' "Could not decode cert chain,
 *	results 0"), as opposed to a key or chain problem after it
 */
struct cred_error {
	char msg[1024];
	int no_cert;
};

/**
 * struct credential - a decoded credential
 * @chain: the certificates, leaf first, each followed by its issuer
 * @key: the private key, NULL when only certificates were given
 * @cert_pem: the chain as PEM "CERTIFICATE" blocks, leaf first, NUL-terminated
 * @cert_pem_len: its length without the NUL
 * @key_pem: the key as unencrypted PKCS#8 PEM ("PRIVATE KEY"),
 *	NUL-terminated, in OpenSSL secure memory; NULL when @key is
 * @key_pem_len: its length without the NUL
 *
 * @cert_pem and @key_pem are what gets stored: whatever form the input had
 * (PKCS#7, DER, traditional or encrypted key, explanatory text), the store
 * only ever sees this normal form.
 */
struct credential {
	STACK_OF(X509) *chain;
	EVP_PKEY *key;
	char *cert_pem;
	size_t cert_pem_len;
	char *key_pem;
	size_t key_pem_len;
};

/**
 * cred_decode() - decode certificate and key input into @out
 * @out: filled on success; all zero on failure
 * @cert_buf, @cert_len: certificate input: PEM certificate(s) (a chain in
 *	any order), PEM or DER certs-only PKCS#7, a DER certificate, or the
 *	single-file form: certificate(s) or PKCS#7 and the private key
 *	concatenated as PEM
 * @key_buf, @key_len: key input; @key_len 0 when the key is in @cert_buf or
 *	absent. PEM "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"
 *	(an "EC PARAMETERS" block before it is ignored), "ENCRYPTED PRIVATE
 *	KEY", legacy encrypted PEM, or DER PKCS#8.
 * @passphrase: for an encrypted key, NUL-terminated; NULL when none. Never
 *	prompted for.
 * @err: the message on failure; may be NULL
 *
 * Chain order: the certificates are put leaf first, each followed by its
 * issuer, whatever order the input had, since a PKCS#7 certificate set has
 * no order and chains are often pasted root first. The leaf is the one
 * certificate that issued none of the others. Input that is not one chain
 * (two leaves, a certificate unrelated to the others, the same certificate
 * twice, two possible issuers) is refused with a message naming the
 * certificates.
 *
 * Explanatory text before a PEM block is accepted (RFC 7468, section 5.2);
 * anything but whitespace after the last block, or after a DER structure,
 * is refused as trailing data. A chain holds at most CRED_CHAIN_MAX
 * certificates.
 *
 * Return: 0; -EINVAL for bad arguments; -ENODATA for empty input; -E2BIG
 * for input over CRED_INPUT_MAX or a chain over CRED_CHAIN_MAX; -EBADMSG for input that does not parse
 * (damaged, truncated, trailing data, unexpected blocks); -EINVAL for input
 * that parses but cannot be used (public key, two keys, not one chain);
 * -ENOKEY for an encrypted key and no passphrase; -EKEYREJECTED for a
 * wrong passphrase; -ENOMEM.
 */
int cred_decode(struct credential *out, const void *cert_buf, size_t cert_len,
		const void *key_buf, size_t key_len, const char *passphrase,
		struct cred_error *err);

/* Skip the validity window check (notBefore/notAfter) of every certificate. */
#define CRED_ALLOW_EXPIRED	0x1U
/* Refuse a credential without a private key. */
#define CRED_REQUIRE_KEY	0x2U
#define CRED_VALIDATE_FLAGS	(CRED_ALLOW_EXPIRED | CRED_REQUIRE_KEY)

/**
 * cred_validate() - check a decoded credential
 * @c: from cred_decode() (or built by hand: nothing is assumed)
 * @now: the time to check validity windows against
 * @flags: CRED_* above; unknown bits are refused
 * @err: the message on failure; may be NULL
 *
 * Checks, in this order: the key holds a private key (not only public
 * components) and signs something the leaf's public key verifies; the chain
 * is leaf first, each certificate issued by the next (names, key
 * identifiers, and its signature); every certificate's validity window
 * contains @now.
 *
 * Return: 0; -EINVAL for bad arguments or flags, a public key, a chain out
 * of order; -ENOKEY when CRED_REQUIRE_KEY and no key; -EKEYREJECTED when
 * the key does not match the leaf; -EKEYEXPIRED when a certificate is
 * expired or not yet valid; -ENOMEM.
 */
int cred_validate(const struct credential *c, time_t now, unsigned int flags,
		  struct cred_error *err);

/* Frees everything @c holds, zeroizing key material, and zeroes @c. */
void cred_free(struct credential *c);

/**
 * cred_fingerprint() - "AA:BB:..." (uppercase) digest of a certificate's DER
 * @digest_name: "MD5", "SHA1", "SHA256", ... (any name OpenSSL fetches)
 * @out, @outlen: at least 3 * digest size bytes (EVP_MAX_MD_SIZE * 3 fits all)
 *
 * Return: 0; -EINVAL for an unknown digest; -ENOSPC when @out is too small.
 */
int cred_fingerprint(const X509 *x, const char *digest_name, char *out,
		     size_t outlen);

/**
 * cred_common_name() - the subject's common name as UTF-8
 *
 * The last CN of the subject when there are several (the most specific).
 *
 * Return: 0; -ENOENT when the subject has no CN; -EINVAL when it cannot be
 * converted or holds a NUL; -ENOSPC when @out is too small.
 */
int cred_common_name(const X509 *x, char *out, size_t outlen);

#endif /* DEVCRED_CRED_CREDENTIAL_H */
