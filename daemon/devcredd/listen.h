/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcredd's socket (listen.c). Both functions return a descriptor or
 * -errno.
 */
#ifndef DEVCREDD_LISTEN_H
#define DEVCREDD_LISTEN_H

#include <sys/un.h>

/* The longest socket path: PATH.new, and its NUL, must fit a sun_path. */
#define DD_SOCKET_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - sizeof(".new"))

/*
 * Holds PATH.lock for the process's life: -EADDRINUSE, with the holder's
 * pid in *@holder (0 if unknown), when another devcredd serves @path (after
 * 2 s of trying); -ENAMETOOLONG when @path is over DD_SOCKET_PATH_MAX
 * bytes; -EPERM when PATH.lock is not devcredd's own 0600 regular file.
 */
int dd_lock_socket_path(const char *path, long *holder);

/* The listening socket at @path (mode 0666); dd_lock_socket_path() first. */
int dd_listen_on(const char *path);

#endif /* DEVCREDD_LISTEN_H */
