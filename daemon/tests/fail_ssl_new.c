// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the web server's tests: SSL_new() fails from the
 * Nth call on (N from $FAIL_SSL_NEW_FROM), as it does when memory runs
 * out, so that the test can see what the server does with a connection
 * whose TLS it cannot make.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <openssl/ssl.h>

SSL *SSL_new(SSL_CTX *ctx)
{
	static SSL *(*real)(SSL_CTX *);
	static long calls;
	const char *from = getenv("FAIL_SSL_NEW_FROM");

	if (!real)
		real = (SSL *(*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_new");
	if (from && ++calls >= atol(from))
		return NULL;
	return real(ctx);
}
