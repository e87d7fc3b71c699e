/* SPDX-License-Identifier: GPL-2.0 */
/* The vendor trust: what makes a certificate a factory one. */
#ifndef DEVCRED_DD_TRUST_H
#define DEVCRED_DD_TRUST_H

#include <stddef.h>
#include <time.h>
#include <openssl/x509.h>

struct credential;

/**
 * struct dd_trust - what makes a certificate a factory one
 * @vendor: the vendor CA set (roots and intermediates)
 * @vendor_count: how many certificates it holds; 0: no set is configured
 * @thumbprints: upper-case "MD5 AA:BB:.." / "SHA1 AA:BB:.." lines of
 *	the CAs allowed to issue factory certificates, NUL-separated
 * @count: number of thumbprints
 */
struct dd_trust {
	X509_STORE *vendor;
	size_t vendor_count;
	char **thumbprints;
	size_t count;
};

/*
 * Loads DIR/vendor-ca.pem and DIR/factory-issuers. Missing files give an
 * empty trust set (nothing is ever "Factory Installed"); a malformed one is
 * logged and its negative errno returned.
 */
int dd_trust_load(struct dd_trust *t, const char *dir);
void dd_trust_free(struct dd_trust *t);

/*
 * Whether @c is a factory credential: its chain verifies to the vendor set
 * at @now and the CA that issued its leaf is listed in the factory issuers
 * (when any is listed). 0, or -EKEYREJECTED with the reason in @why.
 */
int dd_trust_verify(const struct credential *c, const struct dd_trust *t, time_t now,
		    char *why, size_t whylen);

/* For the status: a vendor set and factory issuers are configured, and @c verifies. */
int dd_trust_is_factory(const struct credential *c, const struct dd_trust *t, time_t now);

#endif /* DEVCRED_DD_TRUST_H */
