// SPDX-License-Identifier: GPL-2.0
/* Writing a buffer whole, and a socket's I/O without waiting: see io.h. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"

int dc_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int is_socket = 1;
	ssize_t n;

	while (len) {
		n = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
		if (n < 0 && errno == ENOTSOCK && is_socket) {
			is_socket = 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

ssize_t dc_send_nowait(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return n;
}

ssize_t dc_recv_nowait(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n ? n : -ECONNRESET;
}
