// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the web server's tests: allocations of a new
 * connection fail on demand, as they do when memory runs out, so that the
 * test can see what the server does with a connection whose TLS it cannot
 * make.
 *
 *   FAIL_SSL_NEW_FROM=N  SSL_new() fails from its Nth call on
 *   FAIL_BEV_FROM=N      libevent_openssl's allocations fail from the Nth
 *                        on: bufferevent_openssl_socket_new() takes its
 *                        error path (which frees the SSL it was given)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/ssl.h>

/* The Nth call on, N from $@var; 0 when unset. */
static int fail_now(const char *var, long *calls)
{
	const char *from = getenv(var);

	return from && ++*calls >= atol(from);
}

SSL *SSL_new(SSL_CTX *ctx)
{
	static SSL *(*real)(SSL_CTX *);
	static long calls;

	if (!real)
		real = (SSL *(*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_new");
	return fail_now("FAIL_SSL_NEW_FROM", &calls) ? NULL : real(ctx);
}

/* libevent's calloc: failed only for callers in libevent_openssl. */
void *event_mm_calloc_(size_t count, size_t size)
{
	static void *(*real)(size_t, size_t);
	static long calls;
	Dl_info info;

	if (!real)
		real = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "event_mm_calloc_");
	if (dladdr(__builtin_return_address(0), &info) && info.dli_fname &&
	    strstr(info.dli_fname, "libevent_openssl") && fail_now("FAIL_BEV_FROM", &calls))
		return NULL;
	return real(count, size);
}
