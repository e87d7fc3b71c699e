/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One protocol message (proto.h) read whole from a stream socket: as it
 * comes, for an event loop (struct dc_reader), or waiting for it
 * (dc_read_message()).
 */
#ifndef DEVCRED_COMMON_FRAME_H
#define DEVCRED_COMMON_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/**
 * struct dc_reader - a message being read
 * @magic: the message expected, DC_PROTO_REQUEST or DC_PROTO_RESPONSE
 * @max: the longest message taken, at most DC_PROTO_MSG_MAX
 * @hdr: the header, as it comes
 * @msg: the whole message, allocated once the header is in
 * @len: its length, once known
 * @got: the bytes read so far
 */
struct dc_reader {
	uint32_t magic;
	size_t max;
	uint8_t hdr[DC_PROTO_HDR_LEN];
	uint8_t *msg;
	size_t len;
	size_t got;
};

void dc_reader_init(struct dc_reader *r, uint32_t magic, size_t max);

/*
 * Takes what @fd has now, without waiting. Returns 1 when the message is
 * whole (then dc_reader_take() it), 0 when more is to come, or -EBADMSG (a
 * bad magic, a length over DC_PROTO_MSG_MAX), -EMSGSIZE (a length over
 * @r->max), -ECONNRESET (the peer closed first), -ENOMEM or another
 * -errno. The version is left to the parser, so that a mismatch can be
 * answered.
 */
int dc_reader_feed(struct dc_reader *r, int fd);

/* The whole message (malloc'ed: wipe it, then free it) and its length. */
uint8_t *dc_reader_take(struct dc_reader *r, size_t *len);

/* Wipes and frees what @r holds; @r may be fed again after dc_reader_init(). */
void dc_reader_free(struct dc_reader *r);

/*
 * Reads one whole message from a stream socket within @timeout_ms for the
 * whole message, not each read (negative: no limit). Puts the malloc'ed
 * message in *@msg, its length in *@len and returns 0; or returns
 * dc_reader_feed()'s errors, -ETIMEDOUT, or another -errno with *@msg NULL.
 */
int dc_read_message(int fd, uint32_t magic, int timeout_ms, uint8_t **msg, size_t *len);

#endif /* DEVCRED_COMMON_FRAME_H */
