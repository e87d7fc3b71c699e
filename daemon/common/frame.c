// SPDX-License-Identifier: GPL-2.0
/*
 * Reading one protocol message from a stream socket: the header, then
 * exactly the length it announces. See frame.h.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "frame.h"
#include "io.h"
#include "proto.h"

static uint32_t dc_get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

void dc_reader_init(struct dc_reader *r, uint32_t magic, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->magic = magic;
	r->max = max < DC_PROTO_MSG_MAX ? max : DC_PROTO_MSG_MAX;
}

/* The header is in: checks it and makes room for the whole message. */
static int dc_reader_start(struct dc_reader *r)
{
	uint32_t body = dc_get_u32(r->hdr + 8);

	if (dc_get_u32(r->hdr) != r->magic || body > DC_PROTO_MSG_MAX - DC_PROTO_HDR_LEN)
		return -EBADMSG;
	if (DC_PROTO_HDR_LEN + (size_t)body > r->max)
		return -EMSGSIZE;
	r->len = DC_PROTO_HDR_LEN + body;
	r->msg = malloc(r->len);
	if (!r->msg)
		return -ENOMEM;
	memcpy(r->msg, r->hdr, DC_PROTO_HDR_LEN);
	return 0;
}

int dc_reader_feed(struct dc_reader *r, int fd)
{
	uint8_t *to;
	size_t want;
	ssize_t n;
	int ret;

	for (;;) {
		if (r->msg && r->got == r->len)
			return 1;
		to = r->msg ? r->msg + r->got : r->hdr + r->got;
		want = r->msg ? r->len - r->got : DC_PROTO_HDR_LEN - r->got;
		n = dc_recv_nowait(fd, to, want);
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return n;
		r->got += n;
		if (!r->msg && r->got == DC_PROTO_HDR_LEN) {
			ret = dc_reader_start(r);
			if (ret)
				return ret;
		}
	}
}

uint8_t *dc_reader_take(struct dc_reader *r, size_t *len)
{
	uint8_t *msg = r->msg;

	*len = r->len;
	r->msg = NULL;
	r->len = r->got = 0;
	return msg;
}

void dc_reader_free(struct dc_reader *r)
{
	if (r->msg) {
		explicit_bzero(r->msg, r->len);
		free(r->msg);
	}
	explicit_bzero(r->hdr, sizeof(r->hdr));
	r->msg = NULL;
	r->len = r->got = 0;
}

static int64_t dc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for @fd to be readable until @deadline (monotonic ms; -1: forever). */
static int dc_wait_readable(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left;
	int n;

	for (;;) {
		left = deadline < 0 ? -1 : deadline - dc_now_ms();
		if (deadline >= 0 && left < 0)
			left = 0;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n > 0)
			return 0;
		if (n == 0 && left <= INT32_MAX)
			return -ETIMEDOUT;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int dc_read_message(int fd, uint32_t magic, int timeout_ms, uint8_t **msg, size_t *len)
{
	int64_t deadline = timeout_ms < 0 ? -1 : dc_now_ms() + timeout_ms;
	struct dc_reader r;
	int ret;

	*msg = NULL;
	dc_reader_init(&r, magic, DC_PROTO_MSG_MAX);
	do {
		ret = dc_wait_readable(fd, deadline);
		if (!ret)
			ret = dc_reader_feed(&r, fd);
	} while (!ret);
	if (ret == 1)
		*msg = dc_reader_take(&r, len);
	dc_reader_free(&r);
	return ret == 1 ? 0 : ret;
}
