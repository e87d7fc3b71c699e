/* SPDX-License-Identifier: GPL-2.0 */
/* Writing a buffer whole, to a socket or a file. */
#ifndef DEVCRED_COMMON_IO_H
#define DEVCRED_COMMON_IO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes all @len bytes of @buf to @fd, again after a short write or
 * EINTR: with send(MSG_NOSIGNAL) on a socket (a peer gone is EPIPE, not a
 * signal), with write() on anything else. 0 or a negative errno.
 */
int dc_write_all(int fd, const void *buf, size_t len);

#endif /* DEVCRED_COMMON_IO_H */
