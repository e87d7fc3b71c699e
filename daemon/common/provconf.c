// SPDX-License-Identifier: GPL-2.0
/* The provisioning server setting, provisioning.conf: see provconf.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvfile.h"
#include "provconf.h"

/* "90", "15m", "24h", "2d": seconds; -1 when malformed or out of range. */
static long parse_interval(const char *v)
{
	static const struct { char unit; long mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char *end;
	long n, mult = 1;
	size_t i;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (end[0] == units[i].unit && !end[1])
				mult = units[i].mult;
		if (mult == 1 && strcmp(end, "s"))
			return -1;
	}
	if (n > DC_PROVCONF_INTERVAL_MAX / mult)
		return -1;
	return n * mult;
}

int dc_provconf_parse(const char *text, size_t len, struct dc_provconf *pc,
		      char *why, size_t whylen)
{
	struct dc_kvfile f;
	int seen_interval = 0, ret;
	char *field, *key, *val;

	memset(pc, 0, sizeof(*pc));
	pc->interval_s = DC_PROVCONF_INTERVAL_DEFAULT;
	dc_kv_init(&f, text, len);
	while ((ret = dc_kv_next(&f, &key, &val, why, whylen)) > 0) {
		if (strlen(val) > DC_PROVCONF_VALUE_MAX)
			return dc_kv_bad(why, whylen, f.lineno, "value too long", key);
		if (!strcmp(key, "interval")) {
			if (seen_interval++)
				return dc_kv_bad(why, whylen, f.lineno, "given twice", key);
			pc->interval_s = parse_interval(val);
			if (pc->interval_s < 0)
				return dc_kv_bad(why, whylen, f.lineno,
						 "interval is seconds or a number with s, m, h or d, at most 366d",
						 NULL);
			continue;
		}
		if (!strcmp(key, "server"))
			field = pc->server;
		else if (!strcmp(key, "ca"))
			field = pc->ca;
		else if (!strcmp(key, "upload"))
			field = pc->upload;
		else
			return dc_kv_bad(why, whylen, f.lineno,
					 "unknown key (server, ca, interval, upload)", key);
		if (*field)
			return dc_kv_bad(why, whylen, f.lineno, "given twice", key);
		if (!*val)
			return dc_kv_bad(why, whylen, f.lineno, "empty value", key);
		/* Not relative: it would be looked up wherever credctl runs. */
		if (field == pc->ca && *val != '/')
			return dc_kv_bad(why, whylen, f.lineno, "not an absolute path", key);
		strcpy(field, val);
	}
	if (ret)
		return ret;
	if (!*pc->server)
		return dc_kv_bad(why, whylen, f.lineno, "no server = URL", NULL);
	return 0;
}

int dc_provconf_load(const char *path, struct dc_provconf *pc, char *why, size_t whylen)
{
	char buf[DC_PROVCONF_SIZE_MAX + 1];
	size_t len;
	int ret = dc_kv_read(path, buf, DC_PROVCONF_SIZE_MAX, &len, why, whylen);

	if (ret)
		return ret == -EFBIG ? -EINVAL : ret;
	ret = dc_provconf_parse(buf, len, pc, why, whylen);
	if (ret) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", why);
		snprintf(why, whylen, "%s: %s", path, reason);
	}
	return ret;
}
