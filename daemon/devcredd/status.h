/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The built-in certificate's status, as the phones' Status menu shows it,
 * computed from the stored certificate and key every time it is asked for.
 */
#ifndef DEVCRED_STATUS_H
#define DEVCRED_STATUS_H

#include <stddef.h>
#include <time.h>

#include "trust.h"

enum dd_cert_status {
	DD_STATUS_NOT_INSTALLED,
	DD_STATUS_FACTORY,
	DD_STATUS_INSTALLED,
	DD_STATUS_SELF_SIGNED,
	DD_STATUS_INVALID,
};

extern const char *const dd_status_text[];

/*
 * @damaged: the flash store holds no valid record. @why gets the reason
 * for Invalid (or a short description otherwise).
 */
enum dd_cert_status dd_status_compute(const char *cert, size_t cert_len, const char *key,
				      size_t key_len, int damaged, const struct dd_trust *t,
				      time_t now, char *why, size_t whylen);

#endif /* DEVCRED_STATUS_H */
