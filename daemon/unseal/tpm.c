// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the board has the TPM that seals: its sysfs folder says which
 * TPM version it is. Only a TPM 2.0 (the kernel's trusted keys over a TPM
 * 1.2 take other options) makes devcred-unseal create a key-encryption key.
 */
#include <stdio.h>
#include <string.h>

#include "unseal.h"

int us_tpm2_present(const char *dir)
{
	char path[US_PATH_MAX + 32], v[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/tpm_version_major", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(v, sizeof(v), f))
		v[0] = '\0';
	fclose(f);
	return !strcmp(v, "2\n") || !strcmp(v, "2");
}
