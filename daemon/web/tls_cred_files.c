// SPDX-License-Identifier: GPL-2.0
/*
 * The credential from the files devcredd publishes: see tls_cred.h.
 * chain.pem and key.pem are read from the one version's directory that
 * tls_cred.c opened, so that the certificate and the key are of one version
 * even while devcredd publishes the next (it keeps a replaced directory ten
 * seconds for such readers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "tls_cred.h"

/* Larger than any credential devcredd stores, PEM and chain included. */
#define WEB_CRED_FILE_MAX	(512 * 1024)

/* File @name of directory @dfd into a BIO (wiped and freed by the caller). */
static BIO *web_read_file(int dfd, const char *name, char *err, size_t errlen)
{
	char *buf = malloc(WEB_CRED_FILE_MAX);
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = 0;
	ssize_t n = 0;
	BIO *b = NULL;

	if (fd < 0 || !buf) {
		snprintf(err, errlen, "%s: %s", name, strerror(buf ? errno : ENOMEM));
		goto out;
	}
	while (len < WEB_CRED_FILE_MAX &&
	       ((n = read(fd, buf + len, WEB_CRED_FILE_MAX - len)) > 0 || (n < 0 && errno == EINTR)))
		len += n > 0 ? n : 0;
	if (n < 0 || len == WEB_CRED_FILE_MAX)
		snprintf(err, errlen, "%s: %s", name, n < 0 ? strerror(errno) : "too large");
	else if (!(b = BIO_new(BIO_s_mem())) || BIO_write(b, buf, len) != (int)len)
		snprintf(err, errlen, "%s: out of memory", name);
	else
		goto out;
	BIO_free(b);
	b = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	return b;
}

/* chain.pem and key.pem of the directory @dfd into @c; 0 or -1 with @err. */
int web_cred_load_files(int dfd, struct web_cred *c, char *err, size_t errlen)
{
	BIO *chain = web_read_file(dfd, "chain.pem", err, errlen);
	BIO *key = chain ? web_read_file(dfd, "key.pem", err, errlen) : NULL;
	X509 *x;
	int ret = -1;

	if (!key)
		goto out;
	c->cert = PEM_read_bio_X509(chain, NULL, NULL, NULL);
	c->chain = sk_X509_new_null();
	while (c->cert && c->chain && (x = PEM_read_bio_X509(chain, NULL, NULL, NULL)))
		if (!sk_X509_push(c->chain, x))
			X509_free(x);
	ERR_clear_error();	/* the end of the file */
	/* No passphrase: devcredd publishes keys unencrypted. */
	c->key = PEM_read_bio_PrivateKey(key, NULL, NULL, "");
	if (!c->cert || !c->chain)
		snprintf(err, errlen, "chain.pem: no certificate");
	else if (!c->key)
		snprintf(err, errlen, "key.pem: no private key");
	else if (!X509_check_private_key(c->cert, c->key))
		snprintf(err, errlen, "key.pem does not belong to chain.pem's certificate");
	else
		ret = 0;
	ERR_clear_error();
out:
	BIO_free(chain);
	BIO_free(key);
	return ret;
}
