// SPDX-License-Identifier: GPL-2.0
/* "key = value" configuration files: see kvfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvfile.h"

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int dc_kv_bad(char *why, size_t whylen, int line, const char *what, const char *detail)
{
	snprintf(why, whylen, "line %d: %s%s%s", line, what, detail ? ": " : "",
		 detail ? detail : "");
	return -EINVAL;
}

void dc_kv_init(struct dc_kvfile *f, const char *text, size_t len)
{
	f->text = text;
	f->len = len;
	f->pos = 0;
	f->lineno = 0;
}

int dc_kv_next(struct dc_kvfile *f, char **key, char **value, char *why, size_t whylen)
{
	while (f->pos < f->len) {
		const char *start = f->text + f->pos;
		const char *nl = memchr(start, '\n', f->len - f->pos);
		size_t n = nl ? (size_t)(nl - start) : f->len - f->pos;
		char *eq;

		f->lineno++;
		if (n > DC_KV_LINE_MAX)
			return dc_kv_bad(why, whylen, f->lineno, "line too long", NULL);
		memcpy(f->line, start, n);
		f->line[n] = '\0';
		f->pos += n + 1;
		if (memchr(f->line, '\0', n))
			return dc_kv_bad(why, whylen, f->lineno, "NUL byte", NULL);
		*key = trim(f->line);
		if (!**key || **key == '#')
			continue;
		eq = strchr(*key, '=');
		if (!eq)
			return dc_kv_bad(why, whylen, f->lineno, "no '=' (expected key = value)",
					 NULL);
		*eq = '\0';
		*key = trim(*key);
		*value = trim(eq + 1);
		return 1;
	}
	return 0;
}

int dc_kv_read(const char *path, char *buf, size_t max, size_t *len, char *why, size_t whylen)
{
	ssize_t n = 0;
	int fd, ret;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	while (*len <= max && (n = read(fd, buf + *len, max + 1 - *len)) > 0)
		*len += n;
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (*len > max) {
		snprintf(why, whylen, "%s: larger than %zu bytes", path, max);
		return -EFBIG;
	}
	return 0;
}
