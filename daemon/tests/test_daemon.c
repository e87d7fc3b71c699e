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
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "common/proto.h"
#include "devcredd/client.h"
#include "devcredd/hardening.h"
#include "devcredd/publish.h"
#include "devcredd/verbs.h"
#include "lib/cred/credential.h"
#include "lib/store/store.h"
#include "fake_device.h"
#include "tap.h"

static const char *pki;
static char store_dir[] = "/tmp/test_daemon.XXXXXX";

/* The file @path, whole, NUL-terminated; NULL if unreadable. */
static char *read_file(const char *path, size_t *len)
{
	char *buf;
	FILE *f;
	long n;

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

/* The file @name of the PKI. */
static char *pki_file(const char *name, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", pki, name);
	return read_file(path, len);
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

/* Writes PKI credential @name (NAME.pem, NAME.key) into @slot; 0 or -errno. */
static int put(int fd, unsigned int slot, const char *name)
{
	char file[64], *cert, *key;
	size_t cert_len = 0, key_len = 0;
	int ret;

	snprintf(file, sizeof(file), "%s.pem", name);
	cert = pki_file(file, &cert_len);
	snprintf(file, sizeof(file), "%s.key", name);
	key = pki_file(file, &key_len);
	ret = cert && key ? store_write(fd, slot, slot ? DEVCRED_ORIGIN_INSTALLED :
					DEVCRED_ORIGIN_SELF_SIGNED, cert, cert_len, key, key_len, 0)
			  : -ENOENT;
	free(cert);
	free(key);
	return ret;
}

/* Whether @cert (PEM) and @key belong together. */
static int pair_matches(const char *cert, size_t cert_len, const char *key, size_t key_len)
{
	struct credential c;
	int ok = !cred_decode(&c, cert, cert_len, key, key_len, NULL, NULL) &&
		 !cred_validate(&c, time(NULL), CRED_REQUIRE_KEY, NULL);

	cred_free(&c);
	return ok;
}

/*
 * The fake device's hook: once, after the call named @interfere.call on
 * its slot, another writer puts app1's credential into that slot.
 */
struct interference {
	const char *call;
	unsigned int slot;
	int done;
};

static void interfere(int fd, const char *call, unsigned int slot, void *arg)
{
	struct interference *in = arg;

	/* "info" has no slot: the hook's slot is the one to replace. */
	if (in->done || strcmp(call, in->call) || (strcmp(call, "info") && slot != in->slot))
		return;
	in->done = 1;
	CHECK_EQ(put(fd, in->slot, "app1"), 0);
}

/* A slot read while another writer replaces it: one version, not a mix. */
static void test_read_slot_one_version(void)
{
	struct interference in = { .call = "read_cert", .slot = DEVCRED_SLOT_PLATFORM1 };
	struct store_blob cert = { 0 }, key = { 0 };
	int fd = store_open(store_dir, O_RDWR);

	if (!CHECK(fd >= 0) || !CHECK_EQ(put(fd, DEVCRED_SLOT_PLATFORM1, "platform2"), 0))
		return;
	fake_device_hook(interfere, &in);
	CHECK_EQ(store_read_slot(fd, DEVCRED_SLOT_PLATFORM1, &cert, &key), 0);
	fake_device_hook(NULL, NULL);
	CHECK(in.done);
	CHECK_EQ(cert.generation, key.generation);
	CHECK(pair_matches(cert.data, cert.len, key.data, key.len));
	store_blob_free(&cert);
	store_secret_free(&key);
	close(fd);
}

/* The files published for an operation are one version's, however the slot changed. */
static void test_publish_one_version(void)
{
	struct interference in = { .call = "read_cert", .slot = DEVCRED_SLOT_PLATFORM2 };
	struct dd_publisher pub = { .key_gid = (gid_t)-1 };
	char dir[] = "/tmp/test_daemon_run.XXXXXX", path[128], *cert, *key, cmd[64];
	size_t cert_len = 0, key_len = 0;
	int fd = store_open(store_dir, O_RDWR);

	if (!CHECK(fd >= 0 && mkdtemp(dir)) ||
	    !CHECK_EQ(put(fd, DEVCRED_SLOT_PLATFORM2, "platform2"), 0) ||
	    !CHECK_EQ(store_bind(fd, DEVCRED_OP_SYSLOG, DEVCRED_SLOT_PLATFORM2), 0))
		return;
	pub.dir = dir;
	fake_device_hook(interfere, &in);
	dd_publish_init(&pub, fd);
	fake_device_hook(NULL, NULL);
	CHECK(in.done);
	snprintf(path, sizeof(path), "%s/syslog/cert.pem", dir);
	cert = read_file(path, &cert_len);
	snprintf(path, sizeof(path), "%s/syslog/key.pem", dir);
	key = read_file(path, &key_len);
	CHECK(cert && key && pair_matches(cert, cert_len, key, key_len));
	free(cert);
	free(key);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	close(fd);
}

/*
 * An install prepared while another writer replaced the slot is refused
 * (compare and swap from the prepare to the write), and what the other
 * writer put there stays.
 */
static void test_install_compare_and_swap(void)
{
	struct interference in = { .call = "info", .slot = DEVCRED_SLOT_PLATFORM1 };
	struct dd_trust trust = { 0 };
	struct dd_ctx ctx = { .trust = &trust, .admin = 1, .admin_group = "" };
	struct dc_request req = { .verb = "install", .arg1 = "platform1" };
	struct store_blob cert = { 0 };
	size_t cert_len = 0, key_len = 0, app1_len = 0;
	char *c = pki_file("platform2.pem", &cert_len), *k = pki_file("platform2.key", &key_len);
	char *app1 = pki_file("app1.pem", &app1_len);

	ctx.fd = store_open(store_dir, O_RDWR);
	ctx.now = time(NULL);
	if (!CHECK(ctx.fd >= 0 && c && k && app1))
		goto out;
	req.cert = (struct dc_buf){ (const uint8_t *)c, cert_len };
	req.key = (struct dc_buf){ (const uint8_t *)k, key_len };
	CHECK_EQ(put(ctx.fd, DEVCRED_SLOT_PLATFORM1, "platform1"), 0);
	fake_device_hook(interfere, &in);
	CHECK_EQ(dd_run_request_now(&ctx, &req), DC_EXIT_FAILED);
	fake_device_hook(NULL, NULL);
	CHECK(in.done);
	CHECK_STR(ctx.err.buf ? ctx.err.buf : "", "changed while this command ran");
	CHECK_EQ(store_read_cert(ctx.fd, DEVCRED_SLOT_PLATFORM1, &cert), 0);
	CHECK(cert.len == app1_len && !memcmp(cert.data, app1, app1_len));
	store_blob_free(&cert);
out:
	dc_out_free(&ctx.out);
	dc_out_free(&ctx.err);
	if (ctx.fd >= 0)
		close(ctx.fd);
	free(c);
	free(k);
	free(app1);
}

/*
 * An answer that cannot be encoded (a text over DC_PROTO_TEXT_MAX, or one
 * cut short by a failed allocation) is replaced by an error the client can
 * read, not dropped with the connection.
 */
static void check_answered_with_error(struct dd_ctx *ctx, const char *want)
{
	struct dd_peer peer = { .uid = 0 };
	struct dc_response resp;
	struct dd_client *c;
	const char *why;
	int sv[2];

	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	c = dd_client_new(sv[0], &peer, 4096);
	if (!CHECK(c))
		return;
	dd_client_answer(c, DC_EXIT_DONE, ctx);
	if (CHECK(c->answer) && CHECK_EQ(dc_response_parse(c->answer, c->answer_len, &resp, &why), 0)) {
		CHECK_EQ(resp.status, DC_EXIT_FAILED);
		CHECK(resp.err.len && memmem(resp.err.data, resp.err.len, want, strlen(want)));
		CHECK(!resp.csr_key.len);
	}
	dd_client_free(c);
	close(sv[1]);
}

static void test_answer_not_encodable(void)
{
	struct dd_ctx ctx = { .fd = -1 };
	char *big = malloc(DC_PROTO_TEXT_MAX + 1);

	if (!CHECK(big))
		return;
	memset(big, 'x', DC_PROTO_TEXT_MAX + 1);
	dc_out_write(&ctx.out, big, DC_PROTO_TEXT_MAX + 1);
	free(big);
	check_answered_with_error(&ctx, "longer than devcredd can send");
	dc_out_printf(&ctx.out, "half an answer");
	ctx.out.failed = 1;
	check_answered_with_error(&ctx, "out of memory");
	dc_out_free(&ctx.out);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_harden, "dd_harden: keys in the locked secure heap, not dumpable, no core"),
	TAP_TEST(test_read_slot_one_version, "store_read_slot: a slot replaced between its reads gives one version"),
	TAP_TEST(test_publish_one_version, "publishing: a slot replaced while read publishes one version's pair"),
	TAP_TEST(test_answer_not_encodable, "an answer over the protocol's limit, or incomplete, becomes an error answer"),
	TAP_TEST(test_install_compare_and_swap, "install: refused when the slot changed between its prepare and its write"),
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
