/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The phones' own log lines, word for word, for the administrators and
 * scripts that already watch for them. Each is logged beside devcredd's
 * own line for the same event, which says more: both are listed in the
 * troubleshooting guide. The phones have such lines for the factory
 * ("Polycom device") credential and the two platform ("Custom platform
 * device") ones only; application slots get devcredd's lines alone.
 */
#ifndef DEVCRED_DD_SEED_LOG_H
#define DEVCRED_DD_SEED_LOG_H

#include <stddef.h>

#include "lib/cred/info.h"

/*
 * At start, for flash slot @slot: its certificate and key lengths and,
 * when @ci is not NULL, its MD5 fingerprint and common name; or, with
 * @present 0, that it is not available.
 */
void dd_seed_log_boot(unsigned int slot, int present, unsigned int cert_len,
		      unsigned int key_len, const struct cred_info *ci);

/* A credential saved in @slot; @replaced: the slot held one before. */
void dd_seed_log_saved(int slot, const struct cred_info *ci, int replaced);

/* A platform key of @len bytes refused: the slot holds at most @max. */
void dd_seed_log_key_too_big(int slot, size_t len, size_t max);

#endif /* DEVCRED_DD_SEED_LOG_H */
