/* SPDX-License-Identifier: GPL-2.0 */
/* One protocol message (proto.h) read whole from a stream socket. */
#ifndef DEVCRED_COMMON_FRAME_H
#define DEVCRED_COMMON_FRAME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads one message from a stream socket: the header first, then exactly
 * the length it announces (at most DC_PROTO_MSG_MAX), within @timeout_ms
 * for the whole message, not each read (negative: no limit). Puts the
 * malloc'ed message in *@msg, its length in *@len and returns 0; or returns
 * -EBADMSG (bad magic or size), -ECONNRESET (a short read), -ETIMEDOUT,
 * -ENOMEM or another -errno with *@msg NULL. The version is left to the
 * parser, so that a mismatch can be answered.
 */
int dc_read_message(int fd, uint32_t magic, int timeout_ms, uint8_t **msg, size_t *len);

#endif /* DEVCRED_COMMON_FRAME_H */
