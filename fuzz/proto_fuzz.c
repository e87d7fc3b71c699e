// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the devcredd socket protocol (daemon/common/proto.c):
 * the bytes any local user can send the root daemon, and the daemon's
 * answers as credctl reads them.
 *
 * Each input goes through dc_read_message() over a socketpair, as devcredd
 * reads a request (credctl a response), then through both parsers. Beyond
 * the sanitizers it checks: dc_read_message() returns exactly the message
 * its header announces when the bytes are there, a refused message leaves
 * the struct zeroed with a reason, and an accepted one encodes back into a
 * message that parses to the same fields.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/frame.h"
#include "common/proto.h"

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static int buf_eq(const struct dc_buf *a, const struct dc_buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* An encoder may refuse only a message the extra status or flags field pushes over the limit. */
static void check_encode_failure(int ret, size_t parsed_len)
{
	if (ret != -EINVAL || parsed_len + 12 <= DC_PROTO_MSG_MAX)
		abort();
}

static void request_round_trip(const struct dc_request *req, size_t len)
{
	struct dc_request again;
	uint8_t *msg;
	size_t n;
	int ret;

	ret = dc_request_encode(req, &msg, &n);
	if (ret) {
		check_encode_failure(ret, len);
		return;
	}
	if (dc_request_parse(msg, n, &again, NULL) ||
	    strcmp(again.verb, req->verb) || strcmp(again.arg1, req->arg1) ||
	    strcmp(again.arg2, req->arg2) || strcmp(again.source, req->source) ||
	    again.flags != req->flags || !buf_eq(&again.cert, &req->cert) ||
	    !buf_eq(&again.key, &req->key) || !buf_eq(&again.passphrase, &req->passphrase) ||
	    strcmp(again.use.slot, req->use.slot) || again.use.generation != req->use.generation ||
	    !buf_eq(&again.use.stamp, &req->use.stamp) || strcmp(again.use.sig_alg, req->use.sig_alg) ||
	    strcmp(again.use.digest_alg, req->use.digest_alg) ||
	    strcmp(again.use.mgf1_alg, req->use.mgf1_alg) || again.use.salt_len != req->use.salt_len ||
	    !buf_eq(&again.use.digest, &req->use.digest))
		abort();
	free(msg);
}

static void response_round_trip(const struct dc_response *resp, size_t len)
{
	struct dc_response again;
	uint8_t *msg;
	size_t n;
	int ret;

	ret = dc_response_encode(resp, &msg, &n);
	if (ret) {
		check_encode_failure(ret, len);
		return;
	}
	if (dc_response_parse(msg, n, &again, NULL) || again.status != resp->status ||
	    !buf_eq(&again.out, &resp->out) || !buf_eq(&again.err, &resp->err) ||
	    strcmp(again.slot, resp->slot) || again.generation != resp->generation ||
	    !buf_eq(&again.stamp, &resp->stamp) || !buf_eq(&again.chain, &resp->chain) ||
	    again.may_sign != resp->may_sign || !buf_eq(&again.signature, &resp->signature))
		abort();
	free(msg);
}

/* Both parsers on @msg, which must be exactly @len bytes long (for ASan). */
static void parse_both(const uint8_t *msg, size_t len)
{
	struct dc_response resp;
	struct dc_request req;
	const char *why;
	int ret;

	ret = dc_request_parse(msg, len, &req, &why);
	if (ret && ((ret != -EBADMSG && ret != -EPROTO) || !why || !all_zero(&req, sizeof(req))))
		abort();
	if (!ret)
		request_round_trip(&req, len);
	ret = dc_response_parse(msg, len, &resp, &why);
	if (ret && ((ret != -EBADMSG && ret != -EPROTO) || !why || !all_zero(&resp, sizeof(resp))))
		abort();
	if (!ret)
		response_round_trip(&resp, len);
}

/*
 * Sends @data into a socketpair and reads one message of @magic back. The
 * inputs are far smaller than a socket buffer (max_len), so the write does
 * not block; the writer's end is shut down, so a short message ends in EOF.
 */
static void read_over_socket(const uint8_t *data, size_t size, uint32_t magic)
{
	uint32_t body = size >= DC_PROTO_HDR_LEN ? get_le32(data + 8) : 0;
	int whole, ret, sv[2];
	uint8_t *msg;
	size_t len = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	if ((size && write(sv[1], data, size) != (ssize_t)size) || shutdown(sv[1], SHUT_WR))
		abort();
	ret = dc_read_message(sv[0], magic, 1000, &msg, &len);
	whole = size >= DC_PROTO_HDR_LEN && get_le32(data) == magic &&
		body <= DC_PROTO_MSG_MAX - DC_PROTO_HDR_LEN && size - DC_PROTO_HDR_LEN >= body;
	if (!ret) {
		if (!whole || len != DC_PROTO_HDR_LEN + body || memcmp(msg, data, len))
			abort();
		parse_both(msg, len);
		free(msg);
	} else if (whole || (ret != -EBADMSG && ret != -ECONNRESET && ret != -ENOMEM)) {
		abort();
	}
	close(sv[0]);
	close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t magic = size >= 4 && get_le32(data) == DC_PROTO_RESPONSE ?
			 DC_PROTO_RESPONSE : DC_PROTO_REQUEST;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	parse_both(copy, size);
	free(copy);
	read_over_socket(data, size, magic);
	return 0;
}
