// SPDX-License-Identifier: GPL-2.0
/*
 * Runs ctl_factory_expected() alone, under the sanitizers, for
 * tests/test_factory_expected.sh: factory_expected_main PART REVISION.
 */
#include <stdio.h>

#include "credctl/factory_expected.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s PART REVISION\n", argv[0]);
		return 2;
	}
	return ctl_factory_expected(argv[1], argv[2]);
}
