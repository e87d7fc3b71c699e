// SPDX-License-Identifier: GPL-2.0
/* One client's connection: see client.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/io.h"
#include "client.h"

struct dd_client *dd_client_new(int fd, const struct dd_peer *peer, size_t request_max)
{
	struct dd_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	c->peer = *peer;
	dc_reader_init(&c->reader, DC_PROTO_REQUEST, request_max);
	return c;
}

int dd_client_read(struct dd_client *c, const char **why)
{
	int ret = dc_reader_feed(&c->reader, c->fd);

	if (ret <= 0) {
		*why = ret == -EMSGSIZE ? "too long for a caller who may not change the store" :
		       ret == -EBADMSG ? "not a devcredd request" : strerror(-ret);
		return ret;
	}
	c->msg = dc_reader_take(&c->reader, &c->msg_len);
	return dc_request_parse(c->msg, c->msg_len, &c->req, why) ?: 1;
}

void dd_client_answer(struct dd_client *c, uint32_t status, struct dd_ctx *ctx)
{
	if (dd_answer_encode(ctx, status, &c->answer, &c->answer_len))
		c->answer = NULL;
	c->answer_sent = 0;
	dc_out_free(&ctx->out);
	dc_out_free(&ctx->err);
	dd_reply_free(&ctx->reply);
}

int dd_client_write(struct dd_client *c)
{
	ssize_t n;

	while (c->answer && c->answer_sent < c->answer_len) {
		n = dc_send_nowait(c->fd, c->answer + c->answer_sent,
				   c->answer_len - c->answer_sent);
		if (n <= 0)
			return n;
		c->answer_sent += n;
	}
	return c->answer ? 1 : -ENOMEM;
}

void dd_client_free(struct dd_client *c)
{
	close(c->fd);
	dc_reader_free(&c->reader);
	if (c->msg)
		OPENSSL_cleanse(c->msg, c->msg_len);
	free(c->msg);
	if (c->answer)
		OPENSSL_cleanse(c->answer, c->answer_len);	/* it may carry a private key */
	free(c->answer);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}
