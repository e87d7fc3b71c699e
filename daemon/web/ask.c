// SPDX-License-Identifier: GPL-2.0
/* devcredd and URIs: see ask.h. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/connect.h"
#include "common/frame.h"
#include "common/io.h"
#include "credctl/uri/fetch.h"
#include "ask.h"

void web_request_init(struct dc_request *req, const char *verb, const char *arg1,
		      uint32_t flags)
{
	memset(req, 0, sizeof(*req));
	snprintf(req->verb, sizeof(req->verb), "%s", verb);
	snprintf(req->arg1, sizeof(req->arg1), "%s", arg1 ? arg1 : "");
	req->flags = flags;
}

/* @text (@len bytes, one or more lines) as one line in @out. */
static void web_one_line(const uint8_t *text, size_t len, char *out, size_t size)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	snprintf(out, size, "%.*s", (int)len, (const char *)text);
}

static int web_connect_failed(struct web_answer *ans, const char *path, int err)
{
	char why[WEB_ERR_MAX - 16];

	dc_connect_explain(err, path, why, sizeof(why));
	snprintf(ans->err, sizeof(ans->err), "credctl: %s", why);
	return -1;
}

int web_ask(const struct dc_request *req, struct web_answer *ans)
{
	const char *path = dc_socket_path(), *why = NULL;
	uint8_t *msg;
	size_t len;
	int fd, ret;

	memset(ans, 0, sizeof(*ans));
	ret = dc_request_encode(req, &msg, &len);
	if (ret) {
		snprintf(ans->err, sizeof(ans->err), "credctl: cannot build the request: %s",
			 strerror(-ret));
		return -1;
	}
	fd = dc_connect(path);
	ret = fd < 0 ? fd : dc_write_all(fd, msg, len);
	explicit_bzero(msg, len);
	free(msg);
	if (fd < 0)
		return web_connect_failed(ans, path, fd);
	/* A daemon that stopped reading may still have said why. */
	ret = dc_read_message(fd, DC_PROTO_RESPONSE, WEB_ASK_TIMEOUT_MS, &ans->msg, &ans->len);
	close(fd);
	if (!ret && dc_response_parse(ans->msg, ans->len, &ans->resp, &why))
		ret = -EBADMSG;
	if (ret) {
		snprintf(ans->err, sizeof(ans->err), "credctl: bad answer from devcredd: %s",
			 why ? why : ret == -ETIMEDOUT ? "no answer in time" : strerror(-ret));
		return -1;
	}
	if (ans->resp.status != DC_EXIT_DONE)
		web_one_line(ans->resp.err.data, ans->resp.err.len, ans->err, sizeof(ans->err));
	if (ans->resp.status != DC_EXIT_DONE && !ans->err[0])
		snprintf(ans->err, sizeof(ans->err), "credctl: devcredd refused without a reason");
	return ans->resp.status <= DC_EXIT_USAGE ? (int)ans->resp.status : DC_EXIT_FAILED;
}

void web_answer_free(struct web_answer *ans)
{
	if (ans->msg) {
		explicit_bzero(ans->msg, ans->len);
		free(ans->msg);
	}
	memset(ans, 0, sizeof(*ans));
}

void web_uri_display(const char *uri, char *buf, size_t size)
{
	uri_display(uri, buf, size);
}

/* libcurl is opened once and the downloads are few: one at a time. */
static pthread_mutex_t web_fetch_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Downloads are devcred's requests like credctl's: https presents the
 * credential bound to provisioning (through the provider, under
 * key-access, which must grant it to this server's user) and verifies the
 * server with provisioning.conf's CA.
 */
int web_fetch(const char *uri, struct dc_buf *out, char *err)
{
	struct uri_opts opts = { 0 };
	struct dc_provconf pc;
	char why[URI_ERR_MAX], where[URI_MAX];
	int ret;

	memset(out, 0, sizeof(*out));
	web_uri_display(uri, where, sizeof(where));
	if (!uri_is(uri)) {
		snprintf(err, WEB_ERR_MAX, "credctl: %.1500s: not a URI (http://, https:// or tftp://)",
			 where);
		return -1;
	}
	pthread_mutex_lock(&web_fetch_lock);
	ret = uri_provisioning(&opts, &pc, why, sizeof(why)) < 0 ? -1 :
	      uri_scheme_in(uri, WEB_URI_SCHEMES, why, sizeof(why));
	if (ret == 0)
		snprintf(why, sizeof(why), "devcred-web fetches http, https and tftp URIs only");
	if (ret == 1)
		ret = uri_download(uri, &opts, out, why, sizeof(why)) ? -1 : 1;
	pthread_mutex_unlock(&web_fetch_lock);
	if (ret == 1)
		return 0;
	snprintf(err, WEB_ERR_MAX, "credctl: %.1500s: %.500s", where, why);
	return -1;
}

void web_fetch_free(struct dc_buf *b)
{
	if (b->data) {
		explicit_bzero((void *)b->data, b->len);
		free((void *)b->data);
	}
	memset(b, 0, sizeof(*b));
}
