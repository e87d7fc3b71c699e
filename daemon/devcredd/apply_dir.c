// SPDX-License-Identifier: GPL-2.0
/*
 * Provisioning files applied at start, as a phone applies its configuration
 * at boot: every .xml file of a directory in name order, each on its own, all or nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "lib/cred/secret.h"
#include "apply_dir.h"
#include "verbs.h"

static int dd_is_xml(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 4 && !strcmp(de->d_name + n - 4, ".xml");
}

/* Reads @path (at most DC_PROTO_BLOB_MAX bytes) into secure memory. */
static char *dd_read_config(const char *path, size_t *len)
{
	/* One byte more than the limit, to see a file over it. */
	char *buf = OPENSSL_secure_zalloc(DC_PROTO_BLOB_MAX + 1);
	ssize_t n = 0, r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || !buf) {
		dc_log(DC_LOG_ERR, "configuration %s: %s", path, strerror(fd < 0 ? errno : ENOMEM));
		goto fail;
	}
	while (n <= (ssize_t)DC_PROTO_BLOB_MAX &&
	       (r = read(fd, buf + n, DC_PROTO_BLOB_MAX + 1 - n)) > 0)
		n += r;
	if (r < 0 || n > (ssize_t)DC_PROTO_BLOB_MAX || !n) {
		if (r < 0 || !n)
			dc_log(DC_LOG_ERR, "configuration %s: %s", path, r < 0 ? strerror(errno) : "empty");
		else
			dc_log(DC_LOG_ERR, "configuration %s: larger than %u bytes", path,
			       DC_PROTO_BLOB_MAX);
		goto fail;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	cred_secret_free(buf, DC_PROTO_BLOB_MAX);
	return NULL;
}

/* Logs each line of @o at @level, prefixed with @path. */
static void dd_log_lines(enum dc_log_level level, const char *path, const struct dc_out *o)
{
	const char *line = o->buf, *nl;

	while (line && line < o->buf + o->len) {
		nl = memchr(line, '\n', o->buf + o->len - line);
		if (!nl)
			nl = o->buf + o->len;
		dc_log(level, "configuration %s: %.*s", path, (int)(nl - line), line);
		line = nl + 1;
	}
}

static void dd_apply_file(struct dd_ctx *ctx, const char *path, const char *name)
{
	struct dc_request req = { .verb = "apply" };
	size_t len = 0;
	int status;
	char *buf = dd_read_config(path, &len);

	if (!buf)
		return;
	req.cert.data = (const uint8_t *)buf;
	req.cert.len = len;
	/* The source names the file in "credctl: SOURCE: ..." lines; the log adds the path. */
	snprintf(req.source, sizeof(req.source), "%.*s", (int)sizeof(req.source) - 1, name);
	status = dd_run_request_now(ctx, &req);
	dd_log_lines(DC_LOG_INFO, path, &ctx->out);
	/* Applied, the standard error only said what did not take effect. */
	dd_log_lines(status ? DC_LOG_ERR : DC_LOG_INFO, path, &ctx->err);
	dc_out_free(&ctx->out);
	dc_out_free(&ctx->err);
	cred_secret_free(buf, DC_PROTO_BLOB_MAX);
}

void dd_apply_dir(struct dd_ctx *ctx, const char *dir)
{
	struct dirent **names;
	char path[PATH_MAX];
	int i, n = scandir(dir, &names, dd_is_xml, alphasort);

	if (n < 0) {
		if (errno != ENOENT)
			dc_log(DC_LOG_ERR, "provisioning directory %s: %s", dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		dd_apply_file(ctx, path, names[i]->d_name);
		free(names[i]);
	}
	free(names);
}
