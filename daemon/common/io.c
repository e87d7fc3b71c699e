// SPDX-License-Identifier: GPL-2.0
/* Writing a buffer whole: see io.h. */
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
