/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys sealed at rest (Documentation/devcred/key-sealing.rst), as devcredd
 * tells them: the "Keys at rest" state of the store, why a slot's key
 * cannot be used, and what ENOKEY from the store means at that moment.
 * Every sentence names what fixes it (devcred-unseal, require-sealing).
 */
#ifndef DEVCRED_SEALING_H
#define DEVCRED_SEALING_H

#include <linux/devcred.h>

/*
 * Why a slot with these DEVCRED_SLOT_* @flags has a key that cannot be
 * used (DEVCRED_SLOT_KEY_SEALED or _KEY_CORRUPT), or NULL.
 */
const char *dd_key_fault(unsigned int flags);

/* What ENOKEY from the store means for @slot now (-1: no slot in particular). */
const char *dd_enokey_reason(int fd, int slot);

/*
 * The store's keys at rest, from DEVCRED_IOC_INFO's @flags: for people
 * ("sealed (key-encryption key loaded)") and for programs ("sealed").
 */
const char *dd_keys_at_rest_text(unsigned int flags);
const char *dd_keys_at_rest_id(unsigned int flags);

#endif /* DEVCRED_SEALING_H */
