// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for provisioning configuration files (daemon/lib/config/):
 * the XML a provisioning server, or anyone who can put a file
 * in devcredd's provisioning directory, hands the root daemon.
 *
 * Each input is parsed and, when it parses, planned. Beyond the sanitizers
 * it checks that a refusal always says why, that an accepted plan only
 * binds operations to existing slots and never an application slot to a
 * platform-only operation, and that every planned credential names the
 * parameter it came from.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config/config.h"
#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dc_out err = { 0 };
	struct config_file cfg;
	struct config_plan plan = { 0 };
	int ret, op, slot;

	dc_log_setup(DC_LOG_ERR, 0);
	ret = config_parse(&cfg, (const char *)data, size, &err);
	if (!ret)
		ret = config_plan_make(&cfg, &plan, &err);
	if (ret == -EINVAL && !err.len)
		abort();	/* refused without a reason */
	if (!ret) {
		for (op = 0; op < DEVCRED_OP_COUNT; op++) {
			if (!(plan.bind_mask & (1u << op)))
				continue;
			if (plan.bind[op] >= DEVCRED_SLOT_COUNT || !plan.bind_param[op])
				abort();
			if (op < DEVCRED_OP_FLASH_ONLY_END && plan.bind[op] >= DEVCRED_SLOT_APP1)
				abort();
		}
		for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++)
			if (plan.cred[slot].cert && !plan.cred[slot].cert_param)
				abort();
	}
	config_plan_free(&plan);
	config_file_free(&cfg);
	dc_out_free(&err);
	return 0;
}
