// SPDX-License-Identifier: GPL-2.0
/*
 * Status of the built-in certificate. Nothing here trusts a remembered
 * flag (such as the slot's origin): the answer comes from the certificate
 * and key themselves, so the phones' two known wrong displays - a
 * self-signed certificate shown as factory after a downgrade, factory
 * certificates of a newer issuing CA shown as self-signed - cannot happen.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "lib/cred/credential.h"
#include "status.h"
#include "trust.h"

const char *const dd_status_text[] = {
	[DD_STATUS_NOT_INSTALLED] = "Not Installed",
	[DD_STATUS_FACTORY] = "Factory Installed",
	[DD_STATUS_INSTALLED] = "Installed",
	[DD_STATUS_SELF_SIGNED] = "Self-signed",
	[DD_STATUS_INVALID] = "Invalid",
};

/*
 * Issuer equal to subject, and the certificate's own key verifies its
 * signature. (X509_check_issued() would also demand keyCertSign usage,
 * which a device certificate has no reason to carry.)
 */
static int dd_self_signed(X509 *leaf)
{
	int ret = !X509_NAME_cmp(X509_get_subject_name(leaf), X509_get_issuer_name(leaf)) &&
		  X509_verify(leaf, X509_get0_pubkey(leaf)) == 1;

	ERR_clear_error();
	return ret;
}

enum dd_cert_status dd_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dd_trust *t,
				      time_t now, char *why, size_t whylen)
{
	struct cred_error err = { "" };
	struct credential c;
	enum dd_cert_status st;

	if (damaged) {
		snprintf(why, whylen, "the flash store holds no valid record");
		return DD_STATUS_INVALID;
	}
	if (!cert_len || strspn(cert, " \t\r\n") == cert_len) {
		snprintf(why, whylen, "no certificate stored");
		return DD_STATUS_NOT_INSTALLED;
	}
	if (cred_decode(&c, cert, cert_len, key, key_len, NULL, &err) ||
	    cred_validate(&c, now, CRED_REQUIRE_KEY, &err)) {
		snprintf(why, whylen, "%s", err.msg);
		cred_free(&c);
		return DD_STATUS_INVALID;
	}
	if (dd_self_signed(sk_X509_value(c.chain, 0)))
		st = DD_STATUS_SELF_SIGNED;
	else if (dd_trust_is_factory(&c, t, now))
		st = DD_STATUS_FACTORY;
	else
		st = DD_STATUS_INSTALLED;
	snprintf(why, whylen, "%s", dd_status_text[st]);
	cred_free(&c);
	return st;
}
