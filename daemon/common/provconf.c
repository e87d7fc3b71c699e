// SPDX-License-Identifier: GPL-2.0
/* The provisioning server setting, provisioning.conf: see provconf.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provconf.h"

static const char *trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

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

static int bad(char *why, size_t whylen, int line, const char *what, const char *key)
{
	snprintf(why, whylen, "line %d: %s%s%s", line, what, key ? ": " : "", key ? key : "");
	return -EINVAL;
}

int dc_provconf_parse(const char *text, size_t len, struct dc_provconf *pc,
		      char *why, size_t whylen)
{
	char line[DC_PROVCONF_VALUE_MAX + 64];
	int seen_interval = 0, lineno = 0;
	size_t pos = 0;

	memset(pc, 0, sizeof(*pc));
	pc->interval_s = DC_PROVCONF_INTERVAL_DEFAULT;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *eq, *field;
		const char *key, *val;

		lineno++;
		if (n >= sizeof(line))
			return bad(why, whylen, lineno, "line too long", NULL);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		if (memchr(line, '\0', n))
			return bad(why, whylen, lineno, "NUL byte", NULL);
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return bad(why, whylen, lineno, "no '=' (expected key = value)", NULL);
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		if (strlen(val) > DC_PROVCONF_VALUE_MAX)
			return bad(why, whylen, lineno, "value too long", key);
		if (!strcmp(key, "interval")) {
			if (seen_interval++)
				return bad(why, whylen, lineno, "given twice", key);
			pc->interval_s = parse_interval(val);
			if (pc->interval_s < 0)
				return bad(why, whylen, lineno,
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
			return bad(why, whylen, lineno,
				   "unknown key (server, ca, interval, upload)", key);
		if (*field)
			return bad(why, whylen, lineno, "given twice", key);
		if (!*val)
			return bad(why, whylen, lineno, "empty value", key);
		/* Not relative: it would be looked up wherever credctl runs. */
		if (field == pc->ca && *val != '/')
			return bad(why, whylen, lineno, "not an absolute path", key);
		strcpy(field, val);
	}
	if (!*pc->server)
		return bad(why, whylen, lineno, "no server = URL", NULL);
	return 0;
}

int dc_provconf_load(const char *path, struct dc_provconf *pc, char *why, size_t whylen)
{
	char buf[DC_PROVCONF_SIZE_MAX + 1];
	ssize_t n;
	size_t len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (len > DC_PROVCONF_SIZE_MAX) {
		snprintf(why, whylen, "%s: larger than %d bytes", path, DC_PROVCONF_SIZE_MAX);
		return -EINVAL;
	}
	ret = dc_provconf_parse(buf, len, pc, why, whylen);
	if (ret) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", why);
		snprintf(why, whylen, "%s: %s", path, reason);
	}
	return ret;
}
