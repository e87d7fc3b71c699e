/* SPDX-License-Identifier: GPL-2.0 */
/* Reaching devcredd's socket: for credctl and devcred-web alike. */
#ifndef DEVCRED_COMMON_CONNECT_H
#define DEVCRED_COMMON_CONNECT_H

#include <stddef.h>

/* $DEVCRED_SOCKET when set and not empty, else DC_SOCKET_PATH. */
const char *dc_socket_path(void);

/*
 * A blocking stream socket connected to @path, close-on-exec; or a negative
 * errno: -ENAMETOOLONG, -EAGAIN when devcredd's queue of connections is
 * full, -ENOENT or -ECONNREFUSED when it is not running. The connection is
 * tried without waiting, so that a busy daemon fails at once rather than
 * holding the caller.
 */
int dc_connect(const char *path);

/*
 * What a failed dc_connect() (@err, negative) to @path means, as credctl
 * words it ("devcredd is busy (...)", "devcredd is not running (...)"),
 * in @buf of @size bytes.
 */
void dc_connect_explain(int err, const char *path, char *buf, size_t size);

#endif /* DEVCRED_COMMON_CONNECT_H */
