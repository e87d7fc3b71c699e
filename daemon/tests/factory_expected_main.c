// SPDX-License-Identifier: GPL-2.0
/*
 * Runs ctl_factory_expected() alone, under the sanitizers, for
 * tests/test_factory_expected.sh:
 *
 *   factory_expected_main PART REVISION
 *   factory_expected_main --batch <QUERIES
 *
 * --batch asks every "PART<TAB>REVISION" line of standard input in turn and
 * follows each answer with a line "status N": the hundreds of lookups of
 * the spec's rows in one process, where one process each (an ASan start
 * apiece) took minutes on a loaded machine. Each lookup reads the table
 * afresh, as a single one does; LeakSanitizer checks them all at exit.
 */
#include <stdio.h>
#include <string.h>

#include "credctl/factory_expected.h"

static int batch(void)
{
	char line[256], *rev;
	int status;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		rev = strchr(line, '\t');
		if (!rev) {
			fprintf(stderr, "--batch: '%s' is not PART<TAB>REVISION\n", line);
			return 2;
		}
		*rev++ = '\0';
		status = ctl_factory_expected(line, rev);
		printf("status %d\n", status);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--batch"))
		return batch();
	if (argc != 3) {
		fprintf(stderr, "usage: %s PART REVISION | --batch <QUERIES\n", argv[0]);
		return 2;
	}
	return ctl_factory_expected(argv[1], argv[2]);
}
