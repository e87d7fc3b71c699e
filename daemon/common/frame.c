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
#include "proto.h"

static uint32_t dc_get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
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

/* Reads exactly @len bytes before @deadline. */
static int dc_read_full(int fd, uint8_t *buf, size_t len, int64_t deadline)
{
	size_t got = 0;
	ssize_t n;
	int ret;

	while (got < len) {
		ret = dc_wait_readable(fd, deadline);
		if (ret)
			return ret;
		n = recv(fd, buf + got, len - got, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		got += n;
	}
	return 0;
}

int dc_read_message(int fd, uint32_t magic, int timeout_ms, uint8_t **msg, size_t *len)
{
	int64_t deadline = timeout_ms < 0 ? -1 : dc_now_ms() + timeout_ms;
	uint8_t hdr[DC_PROTO_HDR_LEN], *buf;
	uint32_t body;
	int ret;

	*msg = NULL;
	ret = dc_read_full(fd, hdr, sizeof(hdr), deadline);
	if (ret)
		return ret;
	body = dc_get_u32(hdr + 8);
	if (dc_get_u32(hdr) != magic || body > DC_PROTO_MSG_MAX - DC_PROTO_HDR_LEN)
		return -EBADMSG;
	buf = malloc(DC_PROTO_HDR_LEN + body);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, hdr, sizeof(hdr));
	ret = dc_read_full(fd, buf + DC_PROTO_HDR_LEN, body, deadline);
	if (ret) {
		explicit_bzero(buf, DC_PROTO_HDR_LEN + body);
		free(buf);
		return ret;
	}
	*msg = buf;
	*len = DC_PROTO_HDR_LEN + body;
	return 0;
}
