/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration files of "key = value" lines (provisioning.conf,
 * seal.conf): blank lines and '#' comment lines are skipped, every other
 * line must have a '='; the key and the value are trimmed of blanks. What
 * the keys mean, and which are allowed, is the caller's.
 */
#ifndef DEVCRED_COMMON_KVFILE_H
#define DEVCRED_COMMON_KVFILE_H

#include <stddef.h>

/* The longest line, '\n' excluded. */
#define DC_KV_LINE_MAX	2110

/**
 * struct dc_kvfile - reading a file's text line by line
 * @text: the text
 * @len: its length
 * @pos: where the next line starts
 * @lineno: the number of the line last read (1 for the first)
 * @line: that line, split into the key and the value
 */
struct dc_kvfile {
	const char *text;
	size_t len;
	size_t pos;
	int lineno;
	char line[DC_KV_LINE_MAX + 1];
};

void dc_kv_init(struct dc_kvfile *f, const char *text, size_t len);

/*
 * The next "key = value" line: 1 with *@key and *@value (in @f->line), 0
 * at the end of the text, or -EINVAL with "line N: what" in @why (a line
 * too long, a NUL byte, no '=').
 */
int dc_kv_next(struct dc_kvfile *f, char **key, char **value, char *why, size_t whylen);

/* -EINVAL, with "line @line: @what[: @detail]" in @why. */
int dc_kv_bad(char *why, size_t whylen, int line, const char *what, const char *detail);

/*
 * Reads @path whole into @buf (at least @max + 1 bytes): 0 with its length
 * in *@len; -EFBIG when it is longer than @max; another negative errno
 * when it cannot be read. @why names the file and the reason.
 */
int dc_kv_read(const char *path, char *buf, size_t max, size_t *len, char *why, size_t whylen);

#endif /* DEVCRED_COMMON_KVFILE_H */
