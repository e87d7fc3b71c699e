// SPDX-License-Identifier: GPL-2.0
/*
 * apply-files: several provisioning files applied as one, all or nothing,
 * the way a phone applies the CONFIG_FILES of its master file: when a
 * parameter appears in several, the file listed first wins
 * (config_file_merge()). devcred-provision sends it after each fetch.
 *
 * The request carries the files in DC_F_CERT, in order, each followed by a
 * NUL byte (XML cannot contain one, so no file can fake the boundary), and
 * their names in DC_F_SOURCE, comma-separated in the same order: the names
 * are only for messages and the log; nothing is read by name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config/config.h"
#include "lib/config/master.h"
#include "lib/config/merge.h"
#include "cmd.h"

struct dd_files {
	size_t count;
	const char *data[CONFIG_MASTER_FILES_MAX];
	size_t len[CONFIG_MASTER_FILES_MAX];
	char name[CONFIG_MASTER_FILES_MAX][DC_PROTO_SOURCE_MAX + 1];
};

/* Splits the request into files and names; 0 or dd_fail()'s -EINVAL. */
static int dd_files_split(struct dd_ctx *ctx, const struct dc_request *req, struct dd_files *f)
{
	const char *p = (const char *)req->cert.data, *end = p + req->cert.len, *nul;
	const char *n = req->source, *comma;
	size_t names = 0, len;

	if (!req->cert.len || end[-1] != '\0')
		return dd_fail(ctx, "apply-files: no files given, or the last one is not ended by a NUL byte");
	for (; p < end; p = nul + 1) {
		if (f->count == CONFIG_MASTER_FILES_MAX)
			return dd_fail(ctx, "apply-files: more than %d files", CONFIG_MASTER_FILES_MAX);
		nul = memchr(p, '\0', end - p);
		f->data[f->count] = p;
		f->len[f->count++] = nul - p;
	}
	while (*n && names < CONFIG_MASTER_FILES_MAX) {
		while (*n == ' ')
			n++;
		comma = strchr(n, ',');
		len = comma ? (size_t)(comma - n) : strlen(n);
		snprintf(f->name[names++], sizeof(f->name[0]), "%.*s", (int)len, n);
		n += len + !!comma;
	}
	if (names != f->count)
		return dd_fail(ctx, "apply-files: %zu files but %zu names", f->count, names);
	return 0;
}

/* @err's "credctl: X" lines made "credctl: NAME: X" in ctx->err. */
static void dd_files_errors(struct dd_ctx *ctx, const char *name, const struct dc_out *err)
{
	const char *l = err->buf, *end = err->buf + err->len, *nl;

	for (; l && l < end; l = nl + 1) {
		nl = memchr(l, '\n', end - l);
		if (!nl)
			nl = end;
		l += strncmp(l, "credctl: ", 9) ? 0 : 9;
		dc_out_printf(&ctx->err, "credctl: %s: %.*s\n", name, (int)(nl - l), l);
	}
}

int dd_cmd_apply_files(struct dd_ctx *ctx, const struct dc_request *req)
{
	struct config_file merged = { 0 }, one;
	const char **origin = NULL;
	struct dc_out err = { 0 };
	struct dd_files *f;
	int ret = -ENOMEM, bad = 0;
	size_t i;

	f = calloc(1, sizeof(*f));
	origin = calloc(config_param_count, sizeof(*origin));
	if (!f || !origin) {
		ret = dd_fail(ctx, "apply-files: out of memory; nothing was changed");
		goto out;
	}
	ret = dd_files_split(ctx, req, f);
	for (i = 0; !ret && i < f->count; i++) {
		ret = config_parse(&one, f->data[i], f->len[i], &err);
		if (ret == -EINVAL) {
			/* Every file's problems, each line naming its file. */
			dd_files_errors(ctx, f->name[i], &err);
			bad = 1;
			ret = 0;
		} else if (!ret && config_file_merge(&merged, &one, origin, f->name[i]) < 0) {
			ret = -ENOMEM;
		}
		config_file_free(&one);
		dc_out_free(&err);
	}
	if (ret == -ENOMEM)
		ret = dd_fail(ctx, "apply-files: out of memory; nothing was changed");
	if (!ret && bad) {
		dc_out_printf(&ctx->err, "credctl: %s: not applied; nothing was changed\n",
			      req->source);
		ret = -EINVAL;
	}
	if (!ret && !bad)
		ret = dd_apply_config(ctx, req->source, &merged, origin);
out:
	config_file_free(&merged);
	free(origin);
	free(f);
	return ret;
}
