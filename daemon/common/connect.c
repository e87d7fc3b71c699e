// SPDX-License-Identifier: GPL-2.0
/* Reaching devcredd's socket: see connect.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "connect.h"
#include "paths.h"

const char *dc_socket_path(void)
{
	const char *path = getenv("DEVCRED_SOCKET");

	return path && path[0] ? path : DC_SOCKET_PATH;
}

int dc_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))
		return fd;
	err = errno;
	close(fd);
	return -err;
}

void dc_connect_explain(int err, const char *path, char *buf, size_t size)
{
	if (err == -ENAMETOOLONG)
		snprintf(buf, size, "socket path too long (%zu bytes, a Unix socket's at most %zu): %s",
			 strlen(path), sizeof(((struct sockaddr_un *)0)->sun_path) - 1, path);
	else
		snprintf(buf, size, "devcredd is %s (cannot connect to %s: %s)",
			 err == -EAGAIN ? "busy" : "not running", path, strerror(-err));
}
