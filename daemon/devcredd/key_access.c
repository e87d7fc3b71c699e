// SPDX-License-Identifier: GPL-2.0
/*
 * The key access file: see key_access.h. Names are resolved when the file
 * is read (at start, on SIGHUP), never while a client waits: the group
 * and user databases may be remote and slow.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "key_access.h"

/* A table being read: the entries, and the first problem found. */
struct dd_access_read {
	struct dd_access_entry *entries;
	size_t n;
	char problem[256];
};

/* A decimal id with nothing after it, or -1. */
static long dd_number(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end || errno || v > 0x7fffffffL ? -1 : v;
}

/* "user:NAME", "user:UID", "group:NAME", "group:GID" into @e. */
static int dd_parse_who(const char *who, struct dd_access_entry *e)
{
	const char *name;
	struct passwd *pw;
	struct group *gr;
	long id;

	if (!strncmp(who, "user:", 5)) {
		name = who + 5;
		e->group = 0;
	} else if (!strncmp(who, "group:", 6)) {
		name = who + 6;
		e->group = 1;
	} else {
		return -EINVAL;
	}
	id = dd_number(name);
	if (id < 0 && name[0]) {
		if (e->group) {
			gr = getgrnam(name);
			id = gr ? (long)gr->gr_gid : -1;
		} else {
			pw = getpwnam(name);
			id = pw ? (long)pw->pw_uid : -1;
		}
		if (id < 0)
			return -ENOENT;
	}
	if (id < 0)
		return -EINVAL;
	e->id = id;
	return 0;
}

/* One line: KEY WHO...; a problem is noted in @r. */
static void dd_parse_line(struct dd_access_read *r, char *line, unsigned int lineno)
{
	struct dd_access_entry e, *more;
	struct dc_keyref ref;
	const char *why;
	char *save, *tok = strtok_r(line, " \t", &save);
	int ret, whos = 0;

	if (!tok || tok[0] == '#')
		return;
	if (dc_keyref_parse(tok, &ref, &why)) {
		snprintf(r->problem, sizeof(r->problem), "line %u: '%.64s': %s", lineno, tok, why);
		return;
	}
	while ((tok = strtok_r(NULL, " \t", &save)) && tok[0] != '#') {
		e.ref = ref;
		ret = dd_parse_who(tok, &e);
		if (ret) {
			snprintf(r->problem, sizeof(r->problem), "line %u: '%.64s': %s", lineno, tok,
				 ret == -ENOENT ? "no such user or group" :
				 "not user:NAME, user:UID, group:NAME or group:GID");
			return;
		}
		if (r->n >= DD_KEY_ACCESS_MAX) {
			snprintf(r->problem, sizeof(r->problem), "line %u: more than %d entries",
				 lineno, DD_KEY_ACCESS_MAX);
			return;
		}
		more = realloc(r->entries, (r->n + 1) * sizeof(*more));
		if (!more) {
			snprintf(r->problem, sizeof(r->problem), "out of memory");
			return;
		}
		r->entries = more;
		r->entries[r->n++] = e;
		whos++;
	}
	if (!whos)
		snprintf(r->problem, sizeof(r->problem), "line %u: %s names no user or group",
			 lineno, dc_keyref_text(&ref, (char[DC_KEYREF_MAX + 1]){ 0 }));
}

/* Only root may have written what decides who signs with the device's keys. */
static int dd_check_owner(const struct stat *st, char *problem, size_t size)
{
	if (!S_ISREG(st->st_mode))
		snprintf(problem, size, "not a regular file");
	else if (st->st_uid != 0)
		snprintf(problem, size, "owned by uid %u, not root", (unsigned int)st->st_uid);
	else if (st->st_mode & 022)
		snprintf(problem, size, "writable by others than root (mode %04o; chmod go-w)",
			 (unsigned int)(st->st_mode & 07777));
	else
		return 0;
	return -EPERM;
}

static int dd_read_table(FILE *f, struct dd_access_read *r)
{
	char line[DD_KEY_ACCESS_LINE_MAX + 2];
	unsigned int lineno = 0;
	size_t len;

	while (!r->problem[0] && fgets(line, sizeof(line), f)) {
		lineno++;
		len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f))
			snprintf(r->problem, sizeof(r->problem), "line %u: longer than %d bytes",
				 lineno, DD_KEY_ACCESS_LINE_MAX);
		if (!r->problem[0])
			dd_parse_line(r, line, lineno);
	}
	return r->problem[0] ? -EINVAL : 0;
}

int dd_key_access_load(struct dd_key_access *a)
{
	struct dd_access_read r = { 0 };
	struct stat st;
	FILE *f;
	int fd, ret;

	fd = open(a->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		dd_key_access_free(a);
		dc_log(DC_LOG_INFO, "%s: no such file: only root may sign with the keys", a->path);
		return -ENOENT;
	}
	ret = fd < 0 ? -errno : fstat(fd, &st) ? -errno : 0;
	if (ret)
		snprintf(r.problem, sizeof(r.problem), "%s", strerror(-ret));
	else
		ret = dd_check_owner(&st, r.problem, sizeof(r.problem));
	f = ret ? NULL : fdopen(fd, "r");
	if (f) {
		ret = dd_read_table(f, &r);
		fclose(f);
	} else if (fd >= 0) {
		close(fd);
	}
	if (ret) {
		dc_log(DC_LOG_ERR, "%s: %s: not used; %s", a->path, r.problem,
		       a->entries ? "the table read before stays" : "only root may sign with the keys");
		free(r.entries);
		return ret;
	}
	dd_key_access_free(a);
	a->entries = r.entries;
	a->n = r.n;
	dc_log(DC_LOG_INFO, "%s: %zu grants of key use read", a->path, r.n);
	return 0;
}

void dd_key_access_free(struct dd_key_access *a)
{
	free(a->entries);
	a->entries = NULL;
	a->n = 0;
}

static int dd_in_groups(const struct dd_caller *who, unsigned int gid)
{
	size_t i;

	if (who->gid == gid)
		return 1;
	for (i = 0; i < who->ngroups; i++)
		if (who->groups[i] == gid)
			return 1;
	return 0;
}

int dd_key_access_allows(const struct dd_key_access *a, const struct dc_keyref *ref,
			 const struct dd_caller *who)
{
	const struct dd_access_entry *e;
	size_t i;

	if (!who->uid)
		return 1;
	for (i = 0; i < a->n; i++) {
		e = &a->entries[i];
		if (e->ref.kind != ref->kind || e->ref.index != ref->index)
			continue;
		if (e->group ? dd_in_groups(who, e->id) : e->id == who->uid)
			return 1;
	}
	return 0;
}
