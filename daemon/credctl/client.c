// SPDX-License-Identifier: GPL-2.0
/* Talking to devcredd; see client.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/connect.h"
#include "common/frame.h"
#include "common/io.h"
#include "client.h"
#include "credctl.h"

#define STR_(x)		#x
#define STR(x)		STR_(x)

/* Connects without waiting: a missing or busy daemon fails at once. */
static int connect_daemon(void)
{
	const char *path = dc_socket_path();
	int fd = dc_connect(path);
	char why[512];

	if (fd >= 0)
		return fd;
	dc_connect_explain(fd, path, why, sizeof(why));
	fprintf(stderr, "credctl: %s\n", why);
	return -1;
}

static const char *read_error(int err)
{
	switch (err) {
	case ETIMEDOUT:
		return "no answer within " STR(CTL_ANSWER_TIMEOUT_S) " seconds";
	case ECONNRESET:
		return "it closed the connection before answering in full";
	case EBADMSG:
		return "not a devcredd response, or too long";
	default:
		return strerror(err);
	}
}

/* Receives the answer on @fd into @ans; 0 or DC_EXIT_FAILED with a message. */
static int take_answer(int fd, int send_err, struct ctl_answer *ans)
{
	const char *why;

	int ret = dc_read_message(fd, DC_PROTO_RESPONSE, CTL_ANSWER_TIMEOUT_S * 1000, &ans->msg,
				  &ans->len);

	if (ret && send_err) {
		fprintf(stderr, "credctl: cannot send the request to devcredd: %s\n",
			strerror(send_err));
		return DC_EXIT_FAILED;
	}
	if (ret || dc_response_parse(ans->msg, ans->len, &ans->resp, &why)) {
		fprintf(stderr, "credctl: bad answer from devcredd: %s\n",
			ret ? read_error(-ret) : why);
		return DC_EXIT_FAILED;
	}
	return 0;
}

/* Until @fd has the answer (or the answer's time is up): @what, then dots. */
static void show_progress(int fd, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int s;

	for (s = 0; s < CTL_ANSWER_TIMEOUT_S && poll(&p, 1, 1000) == 0; s++)
		fprintf(stderr, s ? "." : "credctl: %s.", what);
	if (s)
		fprintf(stderr, "\n");
}

static int exchange(const struct dc_request *req, struct ctl_answer *ans, const char *progress)
{
	uint8_t *msg;
	size_t len;
	int fd, ret;

	memset(ans, 0, sizeof(*ans));
	ret = dc_request_encode(req, &msg, &len);
	if (ret) {
		fprintf(stderr, "credctl: cannot build the request: %s\n", strerror(-ret));
		return DC_EXIT_FAILED;
	}
	fd = connect_daemon();
	ret = fd < 0 ? 0 : dc_write_all(fd, msg, len);
	explicit_bzero(msg, len);
	free(msg);
	if (fd < 0)
		return DC_EXIT_FAILED;
	if (progress && !ret)
		show_progress(fd, progress);
	/* A daemon that stopped reading may still have said why. */
	ret = take_answer(fd, -ret, ans);
	close(fd);
	return ret;
}

int ctl_exchange(const struct dc_request *req, struct ctl_answer *ans)
{
	return exchange(req, ans, NULL);
}

int ctl_exchange_slow(const struct dc_request *req, struct ctl_answer *ans, const char *what)
{
	return exchange(req, ans, isatty(STDERR_FILENO) ? what : NULL);
}

int ctl_print_answer(const struct ctl_answer *ans)
{
	const struct dc_response *resp = &ans->resp;

	if (resp->out.len)
		fwrite(resp->out.data, 1, resp->out.len, stdout);
	fflush(stdout);
	if (resp->err.len)
		fwrite(resp->err.data, 1, resp->err.len, stderr);
	return resp->status <= DC_EXIT_USAGE ? (int)resp->status : DC_EXIT_FAILED;
}

void ctl_answer_free(struct ctl_answer *ans)
{
	if (ans->msg) {
		explicit_bzero(ans->msg, ans->len);
		free(ans->msg);
	}
	memset(ans, 0, sizeof(*ans));
}

int ctl_ask(const struct dc_request *req)
{
	struct ctl_answer ans;
	int ret = ctl_exchange(req, &ans);

	if (!ret)
		ret = ctl_print_answer(&ans);
	ctl_answer_free(&ans);
	return ret;
}
