// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of credctl's URI module (credctl/uri/fetch.c) against the servers
 * tests/test_fetch.sh starts on 127.0.0.1 (fetch_server.py): downloads over
 * http, https, tftp and file; the size limit, whether or not the server
 * announces the size; timeouts; HTTP errors; redirects (how many, to which
 * schemes); the https trust rules (--cacert, the provisioning CA, a wrong
 * CA, a name mismatch); uploads by PUT and tftp. TAP on stdout.
 *
 * Environment: FETCH_HTTP, FETCH_HTTPS, FETCH_TFTP (base URLs),
 * FETCH_HTTPS_PORT, FETCH_DIR (the script's folder: test-ca.pem,
 * wrong-ca.pem, confdir/, empty-confdir/, local.txt, www/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "credctl/uri/fetch.h"
#include "tap.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (!v) {
		printf("Bail out! %s is not set: run tests/test_fetch.sh\n", name);
		exit(1);
	}
	return v;
}

/* A path under FETCH_DIR, in a rotating static buffer. */
static const char *in_dir(const char *rel)
{
	static char buf[4][1024];
	static int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]), "%s/%s", env("FETCH_DIR"), rel);
	return b;
}

/* BASE (an environment variable) + PATH, in a rotating static buffer. */
static const char *url(const char *base, const char *path)
{
	static char buf[4][1024];
	static int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]), "%s%s", env(base), path);
	return b;
}

/* The options the tests use unless they say otherwise: the test CA. */
static struct uri_opts trusted(void)
{
	return (struct uri_opts){ .cacert = in_dir("test-ca.pem") };
}

static char err[URI_ERR_MAX];

/* Downloads @uri; 0 and the bytes in @out, or -1 and the reason in err. */
static int get(const char *uri, const struct uri_opts *o, struct dc_buf *out)
{
	err[0] = '\0';
	return uri_download(uri, o, out, err, sizeof(err));
}

static void buf_free(struct dc_buf *b)
{
	free((void *)b->data);
	b->data = NULL;
	b->len = 0;
}

/* @uri downloads as exactly @want. */
static void check_body(const char *uri, const struct uri_opts *o, const char *want)
{
	struct dc_buf b = { 0 };

	if (CHECK_EQ(get(uri, o, &b), 0))
		CHECK(b.len == strlen(want) && !memcmp(b.data, want, b.len));
	else
		printf("# %s: %s\n", uri, err);
	buf_free(&b);
}

/* @uri fails to download, with @why in the reason and nothing in @out. */
static void check_refused(const char *uri, const struct uri_opts *o, const char *why)
{
	struct dc_buf b = { (const uint8_t *)"x", 1 };

	CHECK(get(uri, o, &b) < 0);
	CHECK_STR(err, why);
	CHECK(b.data == NULL && b.len == 0);
}

static void test_http(void)
{
	struct uri_opts o = trusted();

	check_body(url("FETCH_HTTP", "/ok"), &o, "hello\n");
}

static void test_exact_limit(void)
{
	struct uri_opts o = trusted();
	struct dc_buf b = { 0 };
	size_t i, bad = 0;

	if (!CHECK_EQ(get(url("FETCH_HTTP", "/exact"), &o, &b), 0))
		return;
	CHECK_EQ(b.len, DC_PROTO_BLOB_MAX);
	for (i = 0; i < b.len; i++)
		bad += b.data[i] != 'A';
	CHECK_EQ(bad, 0);
	buf_free(&b);
}

static void test_over_limit_announced(void)
{
	struct uri_opts o = trusted();

	check_refused(url("FETCH_HTTP", "/big"), &o, "larger than 262144 bytes");
}

static void test_over_limit_streamed(void)
{
	struct uri_opts o = trusted();

	check_refused(url("FETCH_HTTP", "/big-stream"), &o, "larger than 262144 bytes");
}

static void test_empty(void)
{
	struct uri_opts o = trusted();

	check_refused(url("FETCH_HTTP", "/empty"), &o, "empty");
}

static void test_http_errors(void)
{
	struct uri_opts o = trusted();

	check_refused(url("FETCH_HTTP", "/status/404"), &o, "HTTP status 404");
	check_refused(url("FETCH_HTTP", "/status/500"), &o, "HTTP status 500");
	check_refused(url("FETCH_HTTPS", "/status/403"), &o, "HTTP status 403");
	/* A redirect without a Location is no success either. */
	check_refused(url("FETCH_HTTP", "/status/304"), &o, "HTTP status 304");
}

/* Not found is told apart, for the provisioning's fallback master file. */
static void test_not_found(void)
{
	struct uri_opts o = trusted();
	struct dc_buf b;

	CHECK_EQ(get(url("FETCH_HTTP", "/status/404"), &o, &b), URI_NOT_FOUND);
	CHECK_EQ(get(url("FETCH_HTTPS", "/status/404"), &o, &b), URI_NOT_FOUND);
	CHECK_EQ(get("file:///nonexistent/devcred-test.cfg", &o, &b), URI_NOT_FOUND);
	CHECK_EQ(get(url("FETCH_HTTP", "/status/500"), &o, &b), -1);
	CHECK_EQ(get(url("FETCH_HTTPS", "/status/403"), &o, &b), -1);
	CHECK(!b.data);
}

static void test_timeout(void)
{
	struct uri_opts o = { .cacert = in_dir("test-ca.pem"), .timeout_s = 1 };
	struct timespec t0, t1;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_refused(url("FETCH_HTTP", "/slow"), &o, "timed out");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 900 && ms < 5000);
}

static void test_connect_refused(void)
{
	struct uri_opts o = trusted();

	/* Port 1 on the loopback: nobody listens there. */
	check_refused("http://127.0.0.1:1/ok", &o, "Could");
}

static void test_redirects(void)
{
	struct uri_opts o = trusted();

	check_body(url("FETCH_HTTP", "/redirect/3"), &o, "hello\n");
	check_refused(url("FETCH_HTTP", "/redirect/4"), &o, "Maximum (3) redirects followed");
}

/* "BASE/to/" + the %-encoded @target: a redirect to it. */
static const char *redirect_to(const char *base, const char *target)
{
	static char buf[2048];
	char *esc = NULL;
	size_t i, n = 0;

	esc = malloc(3 * strlen(target) + 1);
	for (i = 0; target[i]; i++)
		n += sprintf(esc + n, "%%%02X", (unsigned char)target[i]);
	esc[n] = '\0';
	snprintf(buf, sizeof(buf), "%s/to/%s", env(base), esc);
	free(esc);
	return buf;
}

static void test_redirect_schemes(void)
{
	struct uri_opts o = trusted();
	char target[1024];

	/* Up to https is fine; down to http, or off to tftp or file, is not. */
	check_body(redirect_to("FETCH_HTTP", url("FETCH_HTTPS", "/ok")), &o, "hello\n");
	check_refused(redirect_to("FETCH_HTTPS", url("FETCH_HTTP", "/ok")), &o,
		      "never from https to http");
	check_refused(redirect_to("FETCH_HTTP", url("FETCH_TFTP", "/hello.txt")), &o,
		      "which credctl does not follow");
	snprintf(target, sizeof(target), "file://%s", in_dir("local.txt"));
	check_refused(redirect_to("FETCH_HTTP", target), &o, "which credctl does not follow");
}

static void test_https_cacert(void)
{
	struct uri_opts o = trusted();

	check_body(url("FETCH_HTTPS", "/ok"), &o, "hello\n");
}

static void test_https_wrong_ca(void)
{
	struct uri_opts o = { .cacert = in_dir("wrong-ca.pem") };

	check_refused(url("FETCH_HTTPS", "/ok"), &o, "certificate");
}

/* The certificate is for 127.0.0.1, not for "localhost". */
static void test_https_name_mismatch(void)
{
	struct uri_opts o = trusted();
	char uri[128];

	snprintf(uri, sizeof(uri), "https://localhost:%s/ok", env("FETCH_HTTPS_PORT"));
	check_refused(uri, &o, "localhost");
}

static void test_https_provisioning_ca(void)
{
	struct uri_opts o = { 0 };

	setenv("DEVCRED_CONFDIR", in_dir("confdir"), 1);
	check_body(url("FETCH_HTTPS", "/ok"), &o, "hello\n");
	/* --cacert comes first. */
	o.cacert = in_dir("wrong-ca.pem");
	check_refused(url("FETCH_HTTPS", "/ok"), &o, "certificate");
	/* Without one, the system's bundle, which knows no test CA. */
	o.cacert = NULL;
	setenv("DEVCRED_CONFDIR", in_dir("empty-confdir"), 1);
	check_refused(url("FETCH_HTTPS", "/ok"), &o, "certificate");
	unsetenv("DEVCRED_CONFDIR");
}

static void test_cacert_missing(void)
{
	struct uri_opts o = { .cacert = in_dir("no-such-ca.pem") };

	check_refused(url("FETCH_HTTPS", "/ok"), &o, "no-such-ca.pem: No such file or directory");
}

static void test_file(void)
{
	struct uri_opts o = trusted();
	char uri[1024];

	snprintf(uri, sizeof(uri), "file://%s", in_dir("local.txt"));
	check_body(uri, &o, "from a file\n");
	snprintf(uri, sizeof(uri), "file://%s", in_dir("no-such-file"));
	check_refused(uri, &o, "no-such-file");
}

static void test_tftp(void)
{
	struct uri_opts o = trusted();

	check_body(url("FETCH_TFTP", "/hello.txt"), &o, "from tftp\n");
}

static void test_unsupported_schemes(void)
{
	struct uri_opts o = trusted();

	check_refused("ftp://127.0.0.1/x", &o,
		      "unsupported scheme 'ftp'; credctl fetches http, https, tftp and file URIs");
	check_refused("scp://127.0.0.1/x", &o, "unsupported scheme 'scp'");
	check_refused("HTTPX://127.0.0.1/x", &o, "unsupported scheme 'httpx'");
	check_refused("http://", &o, "not a valid URI");
	CHECK(uri_is("file:///x") && uri_is("a://b") && !uri_is("cert.pem") && !uri_is("a:/b"));
}

static void test_display_hides_password(void)
{
	char buf[256];

	uri_display("https://alice:s3cret@example.com/x.pem", buf, sizeof(buf));
	CHECK(!strstr(buf, "s3cret"));
	CHECK_STR(buf, "alice@example.com/x.pem");
	uri_display("https://example.com/x.pem", buf, sizeof(buf));
	CHECK(!strcmp(buf, "https://example.com/x.pem"));
	uri_display("not a uri", buf, sizeof(buf));
	CHECK(!strcmp(buf, "not a uri"));
}

/* Reads FETCH_DIR/REL whole; NULL when absent. */
static char *slurp(const char *rel, size_t *len)
{
	FILE *f = fopen(in_dir(rel), "rb");
	char *b;

	if (!f)
		return NULL;
	b = calloc(1, 65536);
	*len = fread(b, 1, 65535, f);
	fclose(f);
	return b;
}

static void check_stored(const char *rel, const char *want)
{
	size_t len = 0;
	char *got = slurp(rel, &len);

	CHECK(got && len == strlen(want) && !memcmp(got, want, len));
	free(got);
}

static void test_upload_put(void)
{
	static const char csr[] = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n";
	struct uri_opts o = trusted();
	char where[URI_MAX];

	/* A URL ending in / gets the name; any other is taken as it is. */
	CHECK_EQ(uri_upload(url("FETCH_HTTPS", "/upload/"), "525400123456.csr", csr,
			      strlen(csr), &o, where, sizeof(where), err, sizeof(err)), 0);
	CHECK_STR(where, "/upload/525400123456.csr");
	check_stored("www/upload/525400123456.csr", csr);
	CHECK_EQ(uri_upload(url("FETCH_HTTP", "/upload/given.name"), "525400123456.csr", "x",
			      1, &o, where, sizeof(where), err, sizeof(err)), 0);
	check_stored("www/upload/given.name", "x");
}

static void test_upload_refused(void)
{
	struct uri_opts o = trusted();
	char where[URI_MAX];

	CHECK_EQ(uri_upload(url("FETCH_HTTP", "/forbidden/"), "a.csr", "x", 1, &o, where,
			      sizeof(where), err, sizeof(err)), -1);
	CHECK_STR(err, "HTTP status 403");
	CHECK_STR(where, "/forbidden/a.csr");
	CHECK_EQ(uri_upload("file:///tmp/", "a.csr", "x", 1, &o, where, sizeof(where), err,
			      sizeof(err)), -1);
	CHECK_STR(err, "unsupported scheme 'file'; credctl uploads to http, https and tftp URIs");
	o.cacert = in_dir("wrong-ca.pem");
	CHECK_EQ(uri_upload(url("FETCH_HTTPS", "/upload/"), "b.csr", "x", 1, &o, where,
			      sizeof(where), err, sizeof(err)), -1);
	CHECK_STR(err, "certificate");
	CHECK(access(in_dir("www/upload/b.csr"), F_OK) != 0);
}

static void test_upload_tftp(void)
{
	static const char key[] = "-----BEGIN PRIVATE KEY-----\nMIIE\n";
	struct uri_opts o = trusted();
	char where[URI_MAX];

	CHECK_EQ(uri_upload(url("FETCH_TFTP", "/"), "525400123456-private.key", key,
			      strlen(key), &o, where, sizeof(where), err, sizeof(err)), 0);
	check_stored("www/tftp/525400123456-private.key", key);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_http, "http: the body"),
	TAP_TEST(test_exact_limit, "exactly DC_PROTO_BLOB_MAX bytes: accepted whole"),
	TAP_TEST(test_over_limit_announced, "one byte more, Content-Length says so: 'larger than'"),
	TAP_TEST(test_over_limit_streamed, "one byte more, no Content-Length: stopped, 'larger than'"),
	TAP_TEST(test_empty, "an empty body: 'empty'"),
	TAP_TEST(test_http_errors, "HTTP 404, 500, 403 (https), 304: the status named"),
	TAP_TEST(test_not_found, "404 and a missing file are URI_NOT_FOUND, other failures -1"),
	TAP_TEST(test_timeout, "--timeout 1 on a server that waits: 'timed out' after about 1 s"),
	TAP_TEST(test_connect_refused, "nobody listening: libcurl's reason"),
	TAP_TEST(test_redirects, "3 redirects followed, a 4th refused"),
	TAP_TEST(test_redirect_schemes, "redirect http->https followed; https->http, ->tftp, ->file refused"),
	TAP_TEST(test_https_cacert, "https verified with --cacert"),
	TAP_TEST(test_https_wrong_ca, "https with a CA that did not sign the server: refused"),
	TAP_TEST(test_https_name_mismatch, "https to a name the certificate does not hold: refused"),
	TAP_TEST(test_https_provisioning_ca, "DEVCRED_CONFDIR/provisioning-ca.pem; --cacert first; else the system's"),
	TAP_TEST(test_cacert_missing, "--cacert of a missing file: named with the reason"),
	TAP_TEST(test_file, "file://: read; a missing file named"),
	TAP_TEST(test_tftp, "tftp: read"),
	TAP_TEST(test_unsupported_schemes, "ftp, scp, unknown, malformed URIs refused before any transfer"),
	TAP_TEST(test_display_hides_password, "URIs in messages lose their password"),
	TAP_TEST(test_upload_put, "upload: PUT over https and http; / gets the file name"),
	TAP_TEST(test_upload_refused, "upload: 403, file://, a wrong CA: refused, nothing stored"),
	TAP_TEST(test_upload_tftp, "upload: tftp write"),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}
