/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The master configuration file, <MAC>.cfg or 000000000000.cfg: its
 * CONFIG_FILES attribute lists the files a device applies, comma-separated,
 * relative to the master file's folder, e.g.
 *
 *	<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, phone1.cfg"/>
 */
#ifndef DEVCRED_CONFIG_MASTER_H
#define DEVCRED_CONFIG_MASTER_H

#include <stddef.h>

#include "common/output.h"

/* Files a master file may list: more is a mistake in it. */
#define CONFIG_MASTER_FILES_MAX	16
/* A file's name: the phones' limit on a path in a master file. */
#define CONFIG_MASTER_NAME_MAX	255

/**
 * struct config_master - what a master file lists
 * @count: how many files
 * @name: their names, in order (the first one wins a parameter)
 */
struct config_master {
	size_t count;
	char name[CONFIG_MASTER_FILES_MAX][CONFIG_MASTER_NAME_MAX + 1];
};

/*
 * Reads CONFIG_FILES from the XML in @buf. No CONFIG_FILES, or an empty
 * one, lists nothing (count 0). Returns 0, or -EINVAL with one
 * "credctl: ..." line in @err: not well-formed XML, a DOCTYPE, CONFIG_FILES
 * given twice, more than CONFIG_MASTER_FILES_MAX names, or a name that
 * could leave the server's folder (absolute, "..", a URI, a backslash,
 * control characters, over CONFIG_MASTER_NAME_MAX); -ENOMEM.
 */
int config_master_parse(const char *buf, size_t len, struct config_master *m,
			struct dc_out *err);

#endif /* DEVCRED_CONFIG_MASTER_H */
