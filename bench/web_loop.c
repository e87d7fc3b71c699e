// SPDX-License-Identifier: GPL-2.0
/*
 * devcred_bench web: HTTPS requests with libcurl, round by round, each
 * round one request to every URL given and one run of the baseline
 * command, in that order, so that whatever else slows the board down slows
 * them alike.
 *
 * A URL given as "keep:URL" is asked over one connection kept alive for the
 * whole run (its first request, which connects, is not counted); "new:URL"
 * makes a new TCP connection and a full TLS handshake for every request
 * (no connection reuse, no TLS session resumption), as a browser's first
 * visit does. Every answer must be 200; its body is read and dropped.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "bench.h"

#define WEB_URLS_MAX	8

struct web_target {
	const char *url;
	int keep;
	int connected;	/* keep: its connection made (the first request) */
	CURL *curl;
	uint64_t *ns;
	curl_off_t bytes;	/* the last answer's body */
};

static size_t web_drop(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static CURL *web_handle(const struct web_target *t, const char *cafile)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	if (curl_easy_setopt(c, CURLOPT_URL, t->url) ||
	    curl_easy_setopt(c, CURLOPT_CAINFO, cafile) ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, web_drop) ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L) ||
	    curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, t->keep ? 1L : 0L) ||
	    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, t->keep ? 0L : 1L) ||
	    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, t->keep ? 0L : 1L)) {
		curl_easy_cleanup(c);
		return NULL;
	}
	return c;
}

/* One request; its time in @ns; 1 (reported) unless it answered 200. */
static int web_get(struct web_target *t, uint64_t *ns)
{
	uint64_t t0 = bench_now_ns();
	CURLcode rc = curl_easy_perform(t->curl);
	long code = 0, connects = 0;

	*ns = bench_now_ns() - t0;
	if (rc) {
		fprintf(stderr, "devcred_bench: web: %s: %s\n", t->url, curl_easy_strerror(rc));
		return 1;
	}
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(t->curl, CURLINFO_SIZE_DOWNLOAD_T, &t->bytes);
	if (code != 200) {
		fprintf(stderr, "devcred_bench: web: %s: HTTP %ld, not 200\n", t->url, code);
		return 1;
	}
	/* Timed on a kept-alive connection only if it was kept. */
	curl_easy_getinfo(t->curl, CURLINFO_NUM_CONNECTS, &connects);
	if (t->keep && t->connected && connects) {
		fprintf(stderr, "devcred_bench: web: %s: the server closed the kept-alive connection\n",
			t->url);
		return 1;
	}
	return 0;
}

static void web_print(const char *key, const uint64_t *ns, long n)
{
	long i;

	printf("%s=", key);
	for (i = 0; i < n; i++)
		printf("%s%llu", i ? " " : "", (unsigned long long)ns[i]);
	printf("\n");
}

/* devcred_bench web CAFILE ROUNDS keep:URL|new:URL... -- COMMAND [ARGS...] */
int bench_web(int argc, char **argv)
{
	struct web_target t[WEB_URLS_MAX] = { { 0 } };
	char **cmd = NULL, key[32];
	uint64_t *cmd_ns = NULL, warm;
	int n = 0, i, ret = 1;
	long rounds, r;

	if (argc < 3 || bench_parse_count(argv[1], &rounds) || !rounds)
		return 2;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = argv + i + 1;
			break;
		}
		if (n == WEB_URLS_MAX)
			return 2;
		if (!strncmp(argv[i], "keep:", 5)) {
			t[n].keep = 1;
			t[n].url = argv[i] + 5;
		} else if (!strncmp(argv[i], "new:", 4)) {
			t[n].url = argv[i] + 4;
		} else {
			fprintf(stderr, "devcred_bench: web: %s: not keep:URL or new:URL\n", argv[i]);
			return 2;
		}
		n++;
	}
	if (!n || !cmd || !*cmd)
		return 2;
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		fprintf(stderr, "devcred_bench: web: libcurl does not start\n");
		return 1;
	}
	cmd_ns = calloc(rounds, sizeof(*cmd_ns));
	if (!cmd_ns)
		goto out;
	for (i = 0; i < n; i++) {
		t[i].ns = calloc(rounds, sizeof(*t[i].ns));
		t[i].curl = web_handle(&t[i], argv[0]);
		if (!t[i].ns || !t[i].curl)
			goto out;
		/* The kept-alive connection made before the timed requests. */
		if (t[i].keep && web_get(&t[i], &warm))
			goto out;
		t[i].connected = 1;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++)
			if (web_get(&t[i], &t[i].ns[r]))
				goto out;
		if (bench_run(cmd, &cmd_ns[r]))
			goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "ns_%d", i);
		web_print(key, t[i].ns, rounds);
		printf("bytes_%d=%lld\n", i, (long long)t[i].bytes);
	}
	web_print("cmd_ns", cmd_ns, rounds);
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		curl_easy_cleanup(t[i].curl);
		free(t[i].ns);
	}
	free(cmd_ns);
	curl_global_cleanup();
	return ret;
}
