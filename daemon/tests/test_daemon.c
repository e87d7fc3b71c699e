// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of devcredd's own code (devcredd/ but main.c), in one process
 * over the fake device (fake_device.c), with ASan and UBSan: what a test
 * of the whole daemon through its socket (test_devcredd.sh) cannot reach,
 * such as the state of its heap or a change made between two of its calls.
 *
 *	test_daemon PKI		(the certificates of selftests/boot/mkcerts.sh)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "devcredd/hardening.h"
#include "lib/cred/credential.h"
#include "lib/store/store.h"
#include "fake_device.h"
#include "tap.h"

static const char *pki;
static char store_dir[] = "/tmp/test_daemon.XXXXXX";

/* The file NAME of the PKI, whole, NUL-terminated; NULL if unreadable. */
static char *pki_file(const char *name, size_t *len)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", pki, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Keys live in the secure heap, locked in memory; no core, no ptrace. */
static void test_harden(void)
{
	struct store_blob key = { 0 };
	struct rlimit core;
	struct credential c;
	size_t cert_len = 0, key_len = 0;
	char *cert = pki_file("platform2.pem", &cert_len), *pem = pki_file("platform2.key", &key_len);
	int fd = store_open(store_dir, O_RDWR);

	if (!CHECK(cert && pem && fd >= 0))
		goto out;
	CHECK_EQ(dd_harden(), 0);
	CHECK_EQ(prctl(PR_GET_DUMPABLE), 0);
	CHECK(!getrlimit(RLIMIT_CORE, &core) && core.rlim_cur == 0 && core.rlim_max == 0);
	CHECK(CRYPTO_secure_malloc_initialized());
	/* A key decoded, and a key read from the store, are in it. */
	if (CHECK_EQ(cred_decode(&c, cert, cert_len, pem, key_len, NULL, NULL), 0)) {
		CHECK(CRYPTO_secure_allocated(c.key_pem));
		CHECK(CRYPTO_secure_used() > 0);
		CHECK_EQ(store_write(fd, DEVCRED_SLOT_APP1, DEVCRED_ORIGIN_INSTALLED, c.cert_pem,
				     c.cert_pem_len, c.key_pem, c.key_pem_len, 0), 0);
		CHECK_EQ(store_read_key(fd, DEVCRED_SLOT_APP1, 0, &key), 0);
		CHECK(key.data && CRYPTO_secure_allocated(key.data));
		store_secret_free(&key);
		cred_free(&c);
	}
out:
	if (fd >= 0)
		close(fd);
	free(cert);
	free(pem);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_harden, "dd_harden: keys in the locked secure heap, not dumpable, no core"),
};

int main(int argc, char **argv)
{
	char cmd[64];
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: test_daemon PKI\n");
		return 2;
	}
	pki = argv[1];
	if (!mkdtemp(store_dir))
		return 1;
	dc_log_setup(DC_LOG_ERR, 0);
	ret = tap_run(tests, TAP_COUNT(tests));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", store_dir);
	return system(cmd) ? 1 : ret;
}
