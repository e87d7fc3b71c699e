/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The built-in certificate's status, as the phones' Status menu shows it,
 * computed from the stored certificate and key, never from a remembered
 * flag. Computing it makes the key sign, so devcredd keeps the last answer
 * (struct dd_status_cache) until the store changes or the clock reaches a
 * certificate's validity boundary: any local user may ask.
 */
#ifndef DEVCRED_STATUS_H
#define DEVCRED_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "trust.h"

enum dd_cert_status {
	DD_STATUS_NOT_INSTALLED,
	DD_STATUS_FACTORY,
	DD_STATUS_INSTALLED,
	DD_STATUS_SELF_SIGNED,
	DD_STATUS_INVALID,
};

/* "Self-signed": what the Status menu shows, for people. */
extern const char *const dd_status_text[];
/* "self-signed": the stable value of status --json's "state", for programs. */
extern const char *const dd_status_id[];

/* An answer is kept at most this long (the vendor CAs have validity too). */
#define DD_STATUS_CACHE_S	60

/**
 * struct dd_status_cache - the last status computed
 * @valid: something is kept
 * @generation: the store generation it was computed for
 * @flags: the store's DEVCRED_INFO_KEK_LOADED then (loading the KEK opens
 *	the keys without a new generation)
 * @from: when it was computed
 * @until: when it stops holding: the next validity boundary of the chain,
 *	at most DD_STATUS_CACHE_S after @from
 * @status: the status
 * @why: its reason or description
 */
struct dd_status_cache {
	int valid;
	uint64_t generation;
	uint32_t flags;
	time_t from;
	time_t until;
	enum dd_cert_status status;
	char why[1024];
};

/*
 * @damaged: the flash store holds no valid record. @why gets the reason
 * for Invalid (or a short description otherwise); @until the first time
 * after @now at which a certificate's validity starts or ends (the answer
 * may change then), or (time_t)-1 when none.
 */
enum dd_cert_status dd_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dd_trust *t,
				      time_t now, char *why, size_t whylen, time_t *until);

/*
 * The status of the built-in slot of the store @fd at @now, from @cache when
 * it holds (NULL: always computed), in *@st and @why; 0 or a negative errno.
 */
int dd_status_read(int fd, const struct dd_trust *t, time_t now, struct dd_status_cache *cache,
		   enum dd_cert_status *st, char *why, size_t whylen);

#endif /* DEVCRED_STATUS_H */
