// SPDX-License-Identifier: GPL-2.0
/* The provisioning state file: see provstate.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "io.h"
#include "provstate.h"

enum kind { K_STR, K_LONG, K_ULONG, K_LL, K_UINT };

struct field {
	const char *key;
	enum kind kind;
	size_t off;
	size_t size;
};

#define STR(m)	{ #m, K_STR, offsetof(struct dc_provstate, m), sizeof(((struct dc_provstate *)0)->m) }
#define NUM(m, k)	{ #m, k, offsetof(struct dc_provstate, m), 0 }

static const struct field fields[] = {
	NUM(pid, K_LONG), NUM(round, K_ULONG), STR(server), NUM(attempt, K_LL), STR(result),
	STR(file), STR(reason), STR(slot), STR(subject), STR(master), STR(files),
	NUM(next, K_LL), NUM(failures, K_UINT),
};

const char *dc_provstate_path(char *buf, size_t size)
{
	const char *dir = getenv("DEVCRED_RUN_DIR");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : DC_RUN_DIR, DC_PROVSTATE_FILE);
	return buf;
}

static void put_field(FILE *f, const struct dc_provstate *st, const struct field *fd)
{
	const char *p = (const char *)st + fd->off;

	fprintf(f, "%s=", fd->key);
	switch (fd->kind) {
	case K_STR:
		for (; *p; p++)
			fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
		break;
	case K_LONG: fprintf(f, "%ld", *(const long *)p); break;
	case K_ULONG: fprintf(f, "%lu", *(const unsigned long *)p); break;
	case K_LL: fprintf(f, "%lld", *(const long long *)p); break;
	case K_UINT: fprintf(f, "%u", *(const unsigned int *)p); break;
	}
	fputc('\n', f);
}

int dc_provstate_write(const char *path, const struct dc_provstate *st)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return -errno;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		put_field(f, st, &fields[i]);
	ret = fclose(f) ? -ENOMEM : dc_replace_file(path, text, len, 0644, (gid_t)-1);
	free(text);
	return ret;
}

static void take_field(struct dc_provstate *st, const char *key, size_t klen, const char *val)
{
	char *p;
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].key) != klen || strncmp(fields[i].key, key, klen))
			continue;
		p = (char *)st + fields[i].off;
		switch (fields[i].kind) {
		case K_STR: snprintf(p, fields[i].size, "%s", val); break;
		case K_LONG: *(long *)p = strtol(val, NULL, 10); break;
		case K_ULONG: *(unsigned long *)p = strtoul(val, NULL, 10); break;
		case K_LL: *(long long *)p = strtoll(val, NULL, 10); break;
		case K_UINT: *(unsigned int *)p = strtoul(val, NULL, 10); break;
		}
	}
}

int dc_provstate_read(const char *path, struct dc_provstate *st)
{
	char *buf, *line, *nl, *eq;
	ssize_t n;
	int fd, ret = 0;

	memset(st, 0, sizeof(*st));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(DC_PROVSTATE_SIZE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, buf, DC_PROVSTATE_SIZE_MAX + 1);
	if (n < 0)
		ret = -errno;
	else if (n > DC_PROVSTATE_SIZE_MAX)
		ret = -EINVAL;
	close(fd);
	for (line = buf; !ret && line < buf + n; line = nl + 1) {
		nl = memchr(line, '\n', buf + n - line);
		if (!nl)
			nl = buf + n;
		*nl = '\0';
		eq = strchr(line, '=');
		if (!eq) {
			ret = *line ? -EINVAL : 0;
			continue;
		}
		take_field(st, line, eq - line, eq + 1);
	}
	free(buf);
	return ret;
}
