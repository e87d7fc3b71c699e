/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The built-in certificate's status, as the phones' Status menu shows it,
 * computed from the stored certificate and key every time it is asked for.
 */
#ifndef DEVCRED_STATUS_H
#define DEVCRED_STATUS_H

#include <stddef.h>
#include <time.h>
#include <openssl/x509.h>

enum dc_cert_status {
	DC_STATUS_NOT_INSTALLED,
	DC_STATUS_FACTORY,
	DC_STATUS_INSTALLED,
	DC_STATUS_SELF_SIGNED,
	DC_STATUS_INVALID,
};

extern const char *const dc_status_text[];

/**
 * struct dc_trust - what makes a certificate a factory one
 * @vendor: the vendor CA set (roots and intermediates)
 * @thumbprints: upper-case "MD5 AA:BB:.." / "SHA1 AA:BB:.." lines of
 *	the CAs allowed to issue factory certificates, NUL-separated
 * @count: number of thumbprints
 */
struct dc_trust {
	X509_STORE *vendor;
	char **thumbprints;
	size_t count;
};

/*
 * Loads DIR/vendor-ca.pem and DIR/factory-issuers. Missing files give an
 * empty trust set (nothing is ever "Factory Installed"); malformed ones an
 * error in @err.
 */
int dc_trust_load(struct dc_trust *t, const char *dir, char *err, size_t errlen);
void dc_trust_free(struct dc_trust *t);

/*
 * @damaged: the flash store holds no valid record. @why gets the reason
 * for Invalid (or a short description otherwise).
 */
enum dc_cert_status dc_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dc_trust *t,
				      time_t now, char *why, size_t whylen);

#endif /* DEVCRED_STATUS_H */
