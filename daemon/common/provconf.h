/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning server setting, $DEVCRED_CONFDIR/provisioning.conf:
 * where the device fetches its configuration, how it checks the server and
 * how often it looks again. One "key = value" per line; '#' starts a
 * comment line; blank lines are ignored:
 *
 *	server = https://prov.example.com/phones/
 *	ca = /etc/devcred/provisioning-ca.pem
 *	interval = 24h
 *	upload = https://prov.example.com/phones/csr/
 *
 * server	the folder holding <MAC>.cfg, 000000000000.cfg and the files
 *		their CONFIG_FILES name (http, https, tftp, file); required
 * ca		the CA bundle that verifies an https server, an absolute
 *		path; default
 *		$DEVCRED_CONFDIR/provisioning-ca.pem when it exists, else the
 *		system's bundle
 * interval	how often to fetch again after the fetch at boot: seconds, or
 *		a number with s, m, h or d; 0 = at boot only; default 24h
 * upload	where "credctl csr --upload" puts <MAC>.csr; default: server
 *
 * Why a file in /etc and not the phones' device.prov.serverName: the
 * server's address must be known before the first provisioning file is
 * fetched, and a provisioning file must not be able to move the device to
 * another server (the phones' own parameter can, which is how a leaked
 * configuration file takes a phone over).
 */
#ifndef DEVCRED_COMMON_PROVCONF_H
#define DEVCRED_COMMON_PROVCONF_H

#include <stddef.h>

#define DC_PROVCONF_FILE	"provisioning.conf"
#define DC_PROVCONF_INTERVAL_DEFAULT	(24 * 3600L)
/* A year: a longer interval is a mistake in the file. */
#define DC_PROVCONF_INTERVAL_MAX	(366 * 24 * 3600L)
#define DC_PROVCONF_VALUE_MAX	2047
#define DC_PROVCONF_SIZE_MAX	(16 * 1024)

/**
 * struct dc_provconf - the setting
 * @server: the server's folder URL, "" when the file names none
 * @ca: the CA bundle for https, "" for the default rules
 * @upload: the CSR upload location, "" for @server
 * @interval_s: seconds between fetches after boot; 0 for boot only
 */
struct dc_provconf {
	char server[DC_PROVCONF_VALUE_MAX + 1];
	char ca[DC_PROVCONF_VALUE_MAX + 1];
	char upload[DC_PROVCONF_VALUE_MAX + 1];
	long interval_s;
};

/*
 * Parses @len bytes at @text into @pc. Returns 0, or -EINVAL with
 * "line N: what is wrong" in @why (unknown key, a key given twice, no '=',
 * a value too long, a bad interval, no server).
 */
int dc_provconf_parse(const char *text, size_t len, struct dc_provconf *pc,
		      char *why, size_t whylen);

/*
 * Reads and parses @path. Returns 0; -ENOENT when there is no such file
 * (the device has no provisioning server); -EINVAL as above; another
 * negative errno when it cannot be read. @why says which, with the path.
 */
int dc_provconf_load(const char *path, struct dc_provconf *pc, char *why, size_t whylen);

#endif /* DEVCRED_COMMON_PROVCONF_H */
