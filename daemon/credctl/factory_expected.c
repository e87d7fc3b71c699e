// SPDX-License-Identifier: GPL-2.0
/*
 * credctl factory-expected: the spec's tables of part numbers and the
 * revision from which units shipped with a factory certificate.
 *
 * The tables are data, not code (data/factory-certs.tsv, installed in
 * DEVCRED_DATADIR), so that a corrected or added row needs no new credctl.
 * The command needs no daemon and no store: it answers what a unit should
 * hold, to compare with what `credctl status` says it holds.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "factory_expected.h"

#ifndef DEVCRED_DATADIR
#define DEVCRED_DATADIR "/usr/share/devcred"
#endif
#define FACTORY_TABLE	DEVCRED_DATADIR "/factory-certs.tsv"

/* The fields of a table row, in file order. */
enum field { F_TABLE, F_PLATFORM, F_PART, F_REVISION, F_DATE, F_COUNT };

/* Revisions are label letters (A, K, AA) or, for a few products, numbers. */
enum rev_kind { REV_BAD, REV_LETTERS, REV_NUMBER };

#define REV_LETTERS_MAX	3	/* Z is followed by AA */
#define REV_DIGITS_MAX	6

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "credctl: factory-expected: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static enum rev_kind rev_kind(const char *rev)
{
	size_t len = strlen(rev), i, alpha = 0, digit = 0;

	for (i = 0; i < len; i++) {
		alpha += !!isalpha((unsigned char)rev[i]);
		digit += !!isdigit((unsigned char)rev[i]);
	}
	if (len && alpha == len && len <= REV_LETTERS_MAX)
		return REV_LETTERS;
	if (len && digit == len && len <= REV_DIGITS_MAX)
		return REV_NUMBER;
	return REV_BAD;
}

/*
 * <0, 0, >0 as @a is before, the same as, or after @b; both of kind @kind.
 * Letters run A..Z, AA..ZZ, ...: a longer revision is a later one.
 */
static int rev_cmp(const char *a, const char *b, enum rev_kind kind)
{
	size_t la = strlen(a), lb = strlen(b);

	if (kind == REV_NUMBER) {
		unsigned long na = strtoul(a, NULL, 10), nb = strtoul(b, NULL, 10);

		return na < nb ? -1 : na > nb;
	}
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcasecmp(a, b);
}

static const char *rev_kind_text(enum rev_kind kind)
{
	return kind == REV_NUMBER ? "a number" : "letters";
}

/* Splits @line at tabs into exactly F_COUNT non-empty fields. */
static int split_row(char *line, char *field[F_COUNT])
{
	int n = 0;
	char *tab;

	for (;;) {
		if (n == F_COUNT)
			return -1;
		field[n++] = line;
		tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	if (n != F_COUNT)
		return -1;
	for (n = 0; n < F_COUNT; n++)
		if (!field[n][0])
			return -1;
	return 0;
}

/* The row deciding the answer: the latest first revision of the part. */
struct answer {
	char *field[F_COUNT];
	enum rev_kind kind;
};

static void answer_free(struct answer *a)
{
	int i;

	for (i = 0; i < F_COUNT; i++)
		free(a->field[i]);
	memset(a, 0, sizeof(*a));
}

static int answer_take(struct answer *a, char *const field[F_COUNT], enum rev_kind kind)
{
	struct answer next = { .kind = kind };
	int i;

	for (i = 0; i < F_COUNT; i++) {
		next.field[i] = strdup(field[i]);
		if (!next.field[i]) {
			answer_free(&next);
			return -ENOMEM;
		}
	}
	answer_free(a);
	*a = next;
	return 0;
}

/* Reads the table, keeping in @a the deciding row of @part; 0 or exit status 1. */
static int scan_table(FILE *f, const char *path, const char *part, struct answer *a)
{
	char *line = NULL, *field[F_COUNT];
	size_t cap = 0;
	unsigned int lineno = 0;
	enum rev_kind kind;
	int ret = 0;

	while (!ret && getline(&line, &cap, f) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (split_row(line, field)) {
			ret = fail("%s:%u: expected 5 tab-separated fields (table, platform, part number, revision, date)",
				   path, lineno);
			break;
		}
		kind = rev_kind(field[F_REVISION]);
		if (kind == REV_BAD)
			ret = fail("%s:%u: revision '%s' is neither 1 to %d letters nor a number",
				   path, lineno, field[F_REVISION], REV_LETTERS_MAX);
		else if (strcmp(field[F_PART], part))
			continue;
		else if (a->field[0] && kind != a->kind)
			ret = fail("%s:%u: part number %s has letter and number revisions",
				   path, lineno, part);
		else if (!a->field[0] || rev_cmp(field[F_REVISION], a->field[F_REVISION], kind) > 0)
			ret = answer_take(a, field, kind) ? fail("out of memory") : 0;
	}
	if (!ret && ferror(f))
		ret = fail("%s: %s", path, strerror(errno));
	free(line);
	return ret;
}

int ctl_factory_expected(const char *part, const char *revision)
{
	const char *path = getenv("DEVCRED_FACTORY_TABLE");
	enum rev_kind kind = rev_kind(revision);
	struct answer a = { 0 };
	FILE *f;
	int ret;

	if (!part[0])
		return fail("the part number is empty; it looks like 2201-12450-001");
	if (kind == REV_BAD)
		return fail("revision '%s' is neither 1 to %d letters (A, K, AA) nor a number (2)",
			    revision, REV_LETTERS_MAX);
	if (!path || !path[0])
		path = FACTORY_TABLE;
	f = fopen(path, "re");
	if (!f)
		return fail("%s: %s (the factory-certificate table; DEVCRED_FACTORY_TABLE names another)",
			    path, strerror(errno));
	ret = scan_table(f, path, part, &a);
	fclose(f);
	if (!ret && !a.field[0])
		ret = fail("unknown part number '%s': not in the factory-certificate tables (%s); console and box part numbers look like 2201-12450-001",
			   part, path);
	else if (!ret && kind != a.kind)
		ret = fail("revision '%s' is not %s; part number %s has revisions like %s",
			   revision, rev_kind_text(a.kind), part, a.field[F_REVISION]);
	if (!ret)
		printf("%s\t%s\t%s\t%s\n",
		       rev_cmp(revision, a.field[F_REVISION], kind) >= 0 ? "yes" : "no",
		       a.field[F_PLATFORM], a.field[F_REVISION], a.field[F_DATE]);
	answer_free(&a);
	return ret;
}
