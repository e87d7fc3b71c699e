// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for devcredd's tests: listen() waits SLOW_LISTEN_MS
 * milliseconds before it listens, widening the moment between bind() and
 * listen() that a loaded machine opens by chance, so that a test can show
 * that no client sees the socket's path in that moment.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

int listen(int fd, int backlog)
{
	static int (*real)(int, int);
	const char *ms = getenv("SLOW_LISTEN_MS");
	struct timespec ts;

	if (!real)
		real = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
	if (ms) {
		ts.tv_sec = atol(ms) / 1000;
		ts.tv_nsec = atol(ms) % 1000 * 1000000L;
		nanosleep(&ts, NULL);
	}
	return real(fd, backlog);
}
