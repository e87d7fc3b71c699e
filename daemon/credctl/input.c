// SPDX-License-Identifier: GPL-2.0
/* credctl's inputs; see input.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "credctl.h"
#include "input.h"

void ctl_input_free(struct dc_buf *b)
{
	if (b->data) {
		explicit_bzero((void *)b->data, b->len);
		free((void *)b->data);
	}
	b->data = NULL;
	b->len = 0;
}

const char *ctl_input_label(const char *arg, char *buf, size_t size)
{
	if (!strcmp(arg, "-"))
		return "standard input";
	if (uri_is(arg)) {
		uri_display(arg, buf, size);
		return buf;
	}
	return arg;
}

static const char *file_label(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/* Reads up to DC_PROTO_BLOB_MAX + 1 bytes of @fd into @buf; the count or -errno. */
static ssize_t read_capped(int fd, uint8_t *buf)
{
	size_t len = 0;
	ssize_t n;

	while (len <= DC_PROTO_BLOB_MAX) {
		n = read(fd, buf + len, DC_PROTO_BLOB_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	return len;
}

/* Reads FILE ("-": standard input) into @out; 0 or DC_EXIT_FAILED with a message. */
static int read_file(const char *path, struct dc_buf *out)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : STDIN_FILENO;
	uint8_t *buf;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "credctl: %s: %s\n", path, strerror(errno));
		return DC_EXIT_FAILED;
	}
	buf = malloc(DC_PROTO_BLOB_MAX + 1);
	n = buf ? read_capped(fd, buf) : -ENOMEM;
	if (fd != STDIN_FILENO)
		close(fd);
	if (n < 0 || n > (ssize_t)DC_PROTO_BLOB_MAX || n == 0) {
		const char *where = file_label(path);

		if (n < 0)
			fprintf(stderr, "credctl: %s: %s\n", where, strerror(-n));
		else if (n)
			fprintf(stderr, "credctl: %s: larger than %u bytes\n", where,
				DC_PROTO_BLOB_MAX);
		else
			fprintf(stderr, "credctl: %s: empty\n", where);
		if (buf)
			explicit_bzero(buf, DC_PROTO_BLOB_MAX + 1);
		free(buf);
		return DC_EXIT_FAILED;
	}
	out->data = buf;
	out->len = n;
	return 0;
}

static int read_uri(const char *uri, const struct uri_opts *o, struct dc_buf *out)
{
	char err[URI_ERR_MAX], where[URI_MAX];

	if (!uri_download(uri, o, out, err, sizeof(err)))
		return 0;
	fprintf(stderr, "credctl: %s: %s\n", ctl_input_label(uri, where, sizeof(where)), err);
	return DC_EXIT_FAILED;
}

int ctl_input_read(const char *arg, const struct uri_opts *o, struct dc_buf *out)
{
	return uri_is(arg) ? read_uri(arg, o, out) : read_file(arg, out);
}

int ctl_input_read_passphrase(const char *path, struct dc_buf *out)
{
	int ret = read_file(path, out);

	if (ret)
		return ret;
	if (out->len && out->data[out->len - 1] == '\n') {
		out->len--;
		if (out->len && out->data[out->len - 1] == '\r')
			out->len--;
	}
	if (!out->len) {
		fprintf(stderr, "credctl: %s: the passphrase is empty\n", file_label(path));
		return DC_EXIT_FAILED;	/* the caller frees @out */
	}
	return 0;
}
