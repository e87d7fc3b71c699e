/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a buffer whole, to a socket or a file; a file replaced whole or
 * not at all; a socket's I/O without waiting.
 */
#ifndef DEVCRED_COMMON_IO_H
#define DEVCRED_COMMON_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Writes all @len bytes of @buf to @fd, again after a short write or
 * EINTR: with send(MSG_NOSIGNAL) on a socket (a peer gone is EPIPE, not a
 * signal), with write() on anything else. 0 or a negative errno.
 */
int dc_write_all(int fd, const void *buf, size_t len);

/*
 * Replaces @path with the @len bytes at @buf, whole or not at all: a new
 * file beside it (made with O_EXCL, so never through a planted link), of
 * group @gid unless (gid_t)-1 and mode @mode, synced, then renamed over
 * @path: a reader or a power cut sees the old file or the new one. 0 or a
 * negative errno; the new file is gone on failure.
 */
int dc_replace_file(const char *path, const void *buf, size_t len, mode_t mode, gid_t gid);

/*
 * One send() of up to @len bytes on a non-blocking socket (again after
 * EINTR, never SIGPIPE): how many went, 0 when the socket is full, or a
 * negative errno.
 */
ssize_t dc_send_nowait(int fd, const void *buf, size_t len);

/*
 * One recv() of up to @len bytes without waiting (again after EINTR): how
 * many came, -EAGAIN when nothing is there, -ECONNRESET at end of file, or
 * another negative errno.
 */
ssize_t dc_recv_nowait(int fd, void *buf, size_t len);

#endif /* DEVCRED_COMMON_IO_H */
