// SPDX-License-Identifier: GPL-2.0
/* Keys sealed at rest, as devcredd tells them: see sealing.h. */
#include <stddef.h>

#include "lib/store/store.h"
#include "sealing.h"

#define DD_RUN_UNSEAL "run devcred-unseal"

const char *dd_key_fault(unsigned int flags)
{
	if (flags & DEVCRED_SLOT_KEY_SEALED)
		return "its private key is sealed and the key-encryption key is not loaded: "
		       DD_RUN_UNSEAL " (if the TPM cannot unseal it, the flash was sealed by another TPM and the key is lost: in factory mode, devcred-unseal --factory gives the store a new key-encryption key and empties such slots)";
	if (flags & DEVCRED_SLOT_KEY_CORRUPT)
		return "its sealed private key failed authentication (altered on flash): install the credential again";
	return NULL;
}

const char *dd_enokey_reason(int fd, int slot)
{
	struct devcred_slot_status st;
	struct devcred_info info;
	const char *fault;

	if (slot >= 0 && !store_slot_status(fd, slot, &st)) {
		fault = dd_key_fault(st.flags);
		if (fault)
			return fault;
	}
	if (store_info(fd, &info) || (info.flags & DEVCRED_INFO_KEK_LOADED))
		return "no usable key-encryption key: " DD_RUN_UNSEAL;
	if (info.flags & DEVCRED_INFO_KEYS_CLEAR)
		return "sealing is required (devcred,require-sealing or require_sealing=1) and no key-encryption key is loaded: "
		       DD_RUN_UNSEAL " (it needs the TPM)";
	return "the store's keys are sealed and the key-encryption key is not loaded: " DD_RUN_UNSEAL;
}

const char *dd_keys_at_rest_text(unsigned int flags)
{
	if (flags & DEVCRED_INFO_KEYS_CLEAR)
		return flags & DEVCRED_INFO_SEALING_REQUIRED ?
		       "not encrypted (sealing is required: new keys are refused until devcred-unseal loads a key-encryption key)" :
		       "not encrypted";
	if (flags & DEVCRED_INFO_KEK_LOADED)
		return "sealed (key-encryption key loaded)";
	return "sealed, key-encryption key NOT loaded: " DD_RUN_UNSEAL;
}

const char *dd_keys_at_rest_id(unsigned int flags)
{
	if (flags & DEVCRED_INFO_KEYS_CLEAR)
		return "not-encrypted";
	return flags & DEVCRED_INFO_KEK_LOADED ? "sealed" : "sealed-kek-not-loaded";
}
