// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_bench tls: mutual-TLS handshakes with two client credentials,
 * interleaved one by one (A B B A ...) so that whatever else slows the
 * board down slows both alike.
 *
 * Each handshake is what a client started for one connection does: a new
 * SSL_CTX that reads the CA file, the certificate chain and the key from
 * their files, a TCP connection to 127.0.0.1:PORT, the handshake, one line
 * sent and its answer read (openssl s_server -rev answers only once it has
 * verified the client certificate), and a clean shutdown.
 *
 * A credential given as a devcred URI (devcred:op=provisioning, for both
 * its certificate and its key) is opened through the devcred provider at
 * each handshake instead: devcredd's answer gives certificate and chain,
 * and devcredd makes the handshake's signature.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/store.h>

#include "bench.h"

struct tls_side {
	const char *cert;
	const char *key;
	unsigned long handshakes;
	uint64_t *ns;	/* each handshake's time */
};

static int tls_fail(const char *what)
{
	fprintf(stderr, "devcred_bench: tls: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 1;
}

static int tls_is_uri(const char *s)
{
	return !strncmp(s, "devcred:", 8);
}

/* @uri's certificate, issuers and key handle into @ctx; 1 or 0. */
static int tls_use_uri(SSL_CTX *ctx, const char *uri)
{
	OSSL_STORE_CTX *st = OSSL_STORE_open_ex(uri, NULL, "?provider=devcred", NULL, NULL,
						NULL, NULL, NULL);
	OSSL_STORE_INFO *info;
	int have_cert = 0, have_key = 0, ok = 1;

	if (!st)
		return 0;
	while (ok && !OSSL_STORE_eof(st) && (info = OSSL_STORE_load(st))) {
		switch (OSSL_STORE_INFO_get_type(info)) {
		case OSSL_STORE_INFO_CERT:
			/* The leaf first, then its issuers. */
			ok = have_cert++ ? SSL_CTX_add0_chain_cert(ctx, OSSL_STORE_INFO_get1_CERT(info)) :
			     SSL_CTX_use_certificate(ctx, OSSL_STORE_INFO_get0_CERT(info));
			break;
		case OSSL_STORE_INFO_PKEY:
			ok = SSL_CTX_use_PrivateKey(ctx, OSSL_STORE_INFO_get0_PKEY(info));
			have_key = 1;
			break;
		default:
			break;
		}
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(st);
	return ok && have_cert && have_key;
}

static SSL_CTX *tls_client_ctx(const char *cafile, const struct tls_side *side)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (tls_is_uri(side->key)) {
		if (SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1 ||
		    !tls_use_uri(ctx, side->key)) {
			SSL_CTX_free(ctx);
			return NULL;
		}
		return ctx;
	}
	if (SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, side->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, side->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int tls_connect(unsigned short port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* One handshake with @side, timed into it; 0 or 1 (reported). */
static int tls_handshake(unsigned short port, const char *cafile, struct tls_side *side)
{
	static const char ping[] = "devcred\n";
	char answer[sizeof(ping)];
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int fd = -1, got = 0, n, ret = 1;
	uint64_t t0 = bench_now_ns();

	ctx = tls_client_ctx(cafile, side);
	if (!ctx)
		return tls_fail(side->cert);
	fd = tls_connect(port);
	if (fd < 0) {
		perror("devcred_bench: tls: connect to 127.0.0.1");
		goto out;
	}
	ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1 ||
	    SSL_write(ssl, ping, sizeof(ping) - 1) != (int)sizeof(ping) - 1) {
		tls_fail("handshake");
		goto out;
	}
	while (got < (int)sizeof(ping) - 1 &&
	       (n = SSL_read(ssl, answer + got, sizeof(ping) - 1 - got)) > 0)
		got += n;
	if (got != (int)sizeof(ping) - 1) {
		tls_fail("no answer from the server: client certificate refused?");
		goto out;
	}
	SSL_shutdown(ssl);
	side->ns[side->handshakes++] = bench_now_ns() - t0;
	ret = 0;
out:
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	return ret;
}

int bench_tls(char **argv)
{
	struct tls_side side[2] = {
		{ .cert = argv[3], .key = argv[4] },
		{ .cert = argv[5], .key = argv[6] },
	};
	const char *cafile = argv[1];
	long port, rounds, r;
	unsigned long j;
	int i, ret = 1;

	if (bench_parse_count(argv[0], &port) || port < 1 || port > 65535 ||
	    bench_parse_count(argv[2], &rounds) || rounds < 1)
		return 2;
	/* OpenSSL's default provider by name first (see provider.rst), then devcred. */
	if ((tls_is_uri(side[0].key) || tls_is_uri(side[1].key)) &&
	    (!OSSL_PROVIDER_load(NULL, "default") || !OSSL_PROVIDER_load(NULL, "devcred")))
		return tls_fail("the devcred provider does not load");
	side[0].ns = calloc(rounds, sizeof(uint64_t));
	side[1].ns = calloc(rounds, sizeof(uint64_t));
	if (!side[0].ns || !side[1].ns)
		goto out;
	for (r = 0; r < rounds; r++)
		for (i = 0; i < 2; i++)
			/* A B, then B A: ABBA ABBA ... */
			if (tls_handshake(port, cafile, &side[(r & 1) ^ i]))
				goto out;
	for (i = 0; i < 2; i++) {
		printf("%c_ns=", 'a' + i);
		for (j = 0; j < side[i].handshakes; j++)
			printf("%s%llu", j ? " " : "", (unsigned long long)side[i].ns[j]);
		printf("\n");
	}
	ret = 0;
out:
	free(side[0].ns);
	free(side[1].ns);
	return ret;
}
