// SPDX-License-Identifier: GPL-2.0
/* The phones' own log lines: see seed_log.h. */
#include <linux/devcred.h>

#include "common/log.h"
#include "seed_log.h"

/* 1 or 2 for the platform slots, 0 for the others. */
static int dd_platform_number(unsigned int slot)
{
	if (slot == DEVCRED_SLOT_PLATFORM1)
		return 1;
	return slot == DEVCRED_SLOT_PLATFORM2 ? 2 : 0;
}

static void dd_seed_log_builtin(int present, unsigned int cert_len, unsigned int key_len,
				const struct cred_info *ci)
{
	if (!present)
		return;	/* the phones always have theirs; devcredd's line says it */
	dc_log(DC_LOG_INFO, "Polycom device certificate length %u", cert_len);
	if (ci) {
		dc_log(DC_LOG_INFO, "Polycom device certificate MD5 fingerprint: %s", ci->md5);
		dc_log(DC_LOG_INFO, "Polycom device certificate common name \"%s\"", ci->cn);
	}
	dc_log(DC_LOG_INFO, "Polycom device key length %u", key_len);
}

void dd_seed_log_boot(unsigned int slot, int present, unsigned int cert_len,
		      unsigned int key_len, const struct cred_info *ci)
{
	int n = dd_platform_number(slot);

	if (slot == DEVCRED_SLOT_BUILTIN) {
		dd_seed_log_builtin(present, cert_len, key_len, ci);
		return;
	}
	if (!n)
		return;
	if (!present) {
		dc_log(DC_LOG_INFO, "Custom platform device certificate %d is not available", n);
		return;
	}
	dc_log(DC_LOG_INFO, "Custom platform device certificate %d length %u", n, cert_len);
	if (ci) {
		dc_log(DC_LOG_INFO, "Custom platform device certificate %d MD5 fingerprint: %s",
		       n, ci->md5);
		dc_log(DC_LOG_INFO, "Custom platform device certificate %d common name \"%s\"",
		       n, ci->cn);
	}
	dc_log(DC_LOG_INFO, "Custom platform device key %d length %u", n, key_len);
}

void dd_seed_log_saved(int slot, const struct cred_info *ci, int replaced)
{
	int n = dd_platform_number(slot);

	if (!n)
		return;
	dc_log(DC_LOG_INFO, "Saving new Custom platform device certificate %d", n);
	dc_log(DC_LOG_INFO, "New Certificate Common Name '%s' Fingerprint '%s'", ci->cn, ci->md5);
	if (!replaced)
		dc_log(DC_LOG_INFO, "No previous certificate stored");
}

void dd_seed_log_key_too_big(int slot, size_t len, size_t max)
{
	int n = dd_platform_number(slot);

	if (n)
		dc_log(DC_LOG_WARN, "Could not store key for custom device key%d, length %zu is bigger than maximum %zu",
		       n, len, max);
}
