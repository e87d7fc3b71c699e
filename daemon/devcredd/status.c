// SPDX-License-Identifier: GPL-2.0
/*
 * Status of the built-in certificate. Nothing here trusts a remembered
 * flag (such as the slot's origin): the answer comes from the certificate
 * and key themselves, so the phones' two known wrong displays - a
 * self-signed certificate shown as factory after a downgrade, factory
 * certificates of a newer issuing CA shown as self-signed - cannot happen.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "common/log.h"
#include "lib/cred/credential.h"
#include "lib/store/store.h"
#include "sealing.h"
#include "status.h"
#include "trust.h"

const char *const dd_status_text[] = {
	[DD_STATUS_NOT_INSTALLED] = "Not Installed",
	[DD_STATUS_FACTORY] = "Factory Installed",
	[DD_STATUS_INSTALLED] = "Installed",
	[DD_STATUS_SELF_SIGNED] = "Self-signed",
	[DD_STATUS_INVALID] = "Invalid",
};

/* For programs: never translated nor reworded, only ever added to. */
const char *const dd_status_id[] = {
	[DD_STATUS_NOT_INSTALLED] = "not-installed",
	[DD_STATUS_FACTORY] = "factory",
	[DD_STATUS_INSTALLED] = "installed",
	[DD_STATUS_SELF_SIGNED] = "self-signed",
	[DD_STATUS_INVALID] = "invalid",
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

/* The first validity boundary of @chain after @now, or (time_t)-1. */
static time_t dd_next_boundary(STACK_OF(X509) *chain, time_t now)
{
	time_t next = (time_t)-1, t;
	struct tm tm;
	int i;

	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);

		/* Valid from notBefore; expired one second after notAfter. */
		if (ASN1_TIME_to_tm(X509_get0_notBefore(x), &tm)) {
			t = timegm(&tm);
			if (t > now && (next == (time_t)-1 || t < next))
				next = t;
		}
		if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm)) {
			t = timegm(&tm) + 1;
			if (t > now && (next == (time_t)-1 || t < next))
				next = t;
		}
	}
	return next;
}

enum dd_cert_status dd_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dd_trust *t,
				      time_t now, char *why, size_t whylen, time_t *until)
{
	struct cred_error err = { .msg = "" };
	struct credential c;
	enum dd_cert_status st;

	*until = (time_t)-1;
	if (damaged) {
		snprintf(why, whylen, "the flash store holds no valid record");
		return DD_STATUS_INVALID;
	}
	if (!cert_len || strspn(cert, " \t\r\n") == cert_len) {
		snprintf(why, whylen, "no certificate stored");
		return DD_STATUS_NOT_INSTALLED;
	}
	if (!cred_decode(&c, cert, cert_len, key, key_len, NULL, &err))
		*until = dd_next_boundary(c.chain, now);
	if (err.msg[0] || cred_validate(&c, now, CRED_REQUIRE_KEY, &err)) {
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

/* Whether @cache holds the answer for the store @info shows at @now. */
static int dd_status_cached(const struct dd_status_cache *cache,
			    const struct devcred_info *info, time_t now)
{
	return cache && cache->valid && cache->generation == info->generation &&
	       cache->flags == (info->flags & DEVCRED_INFO_KEK_LOADED) &&
	       now >= cache->from && now < cache->until;
}

int dd_status_read(int fd, const struct dd_trust *t, time_t now, struct dd_status_cache *cache,
		   enum dd_cert_status *st, char *why, size_t whylen)
{
	struct store_blob cert = { 0 }, key = { 0 };
	struct devcred_info info;
	time_t until;
	int ret = store_info(fd, &info);

	if (ret)
		return ret;
	if (dd_status_cached(cache, &info, now)) {
		*st = cache->status;
		snprintf(why, whylen, "%s", cache->why);
		return 0;
	}
	ret = store_read_slot(fd, DEVCRED_SLOT_BUILTIN, &cert, &key);
	if (ret == -ENOKEY) {
		/* Sealed and not opened, or altered: invalid, with the reason. */
		*st = DD_STATUS_INVALID;
		snprintf(why, whylen, "%s", dd_enokey_reason(fd, DEVCRED_SLOT_BUILTIN));
		until = (time_t)-1;
	} else if (ret) {
		return ret;
	} else {
		*st = dd_status_compute(cert.data, cert.len, key.data, key.len,
					info.flags & DEVCRED_INFO_DAMAGED, t, now, why, whylen,
					&until);
	}
	store_blob_free(&cert);
	store_secret_free(&key);
	dc_log(DC_LOG_DEBUG, "status: %s, computed for store generation %llu",
	       dd_status_text[*st], (unsigned long long)info.generation);
	if (!cache)
		return 0;
	*cache = (struct dd_status_cache){
		.valid = 1, .generation = info.generation,
		.flags = info.flags & DEVCRED_INFO_KEK_LOADED, .from = now,
		.until = until != (time_t)-1 && until < now + DD_STATUS_CACHE_S ?
			 until : now + DD_STATUS_CACHE_S,
		.status = *st,
	};
	snprintf(cache->why, sizeof(cache->why), "%s", why);
	return 0;
}
