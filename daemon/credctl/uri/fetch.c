// SPDX-License-Identifier: GPL-2.0
/*
 * URIs through libcurl; see fetch.h. libcurl does every part of the job:
 * URL parsing, the protocols, TLS verification, redirects, limits and the
 * error text. This file only chooses its options and turns its results into
 * one line for credctl's messages. libcurl is opened at the first URI
 * (curl_dl.h), so its calls go through the table @lc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "common/paths.h"
#include "client_cert.h"
#include "curl_dl.h"
#include "fetch.h"

#define DOWNLOAD_SCHEMES	"http,https,tftp,file"
#define UPLOAD_SCHEMES		"http,https,tftp"

/* libcurl, once a URI needs it. */
static const struct uri_curl *lc;

/* Opens libcurl; -1 with the reason in @err when it is not there. */
static int uri_init(char *err, size_t errlen)
{
	if (!lc)
		lc = uri_curl_open(err, errlen);
	return lc ? 0 : -1;
}

int uri_is(const char *arg)
{
	return strstr(arg, "://") != NULL;
}

/* @uri parsed by libcurl, unknown schemes allowed; NULL with @rc if malformed. */
static CURLU *uri_parse(const char *uri, CURLUcode *rc)
{
	CURLU *u = lc->url();

	*rc = u ? lc->url_set(u, CURLUPART_URL, uri, CURLU_NON_SUPPORT_SCHEME)
		: CURLUE_OUT_OF_MEMORY;
	if (*rc) {
		lc->url_cleanup(u);
		return NULL;
	}
	return u;
}

/*
 * uri_display() without libcurl's parser, or for what it cannot parse: a
 * URI with '@' before its query may hold a password, so the scheme alone
 * is shown; else all but the query and fragment.
 */
static void uri_display_plain(const char *uri, char *buf, size_t size)
{
	const char *sep = strstr(uri, "://");
	size_t n = strcspn(uri, "?#");

	if (memchr(uri, '@', n))
		snprintf(buf, size, "%.*s://...", sep ? (int)(sep - uri) : 0, uri);
	else
		snprintf(buf, size, "%.*s%s", (int)n, uri, uri[n] ? "?..." : "");
}

/* Drops @part of @u; whether it had one. */
static int uri_drop(CURLU *u, CURLUPart part)
{
	char *value = NULL;
	int had = !lc->url_get(u, part, &value, 0);

	if (value) {
		explicit_bzero(value, strlen(value));
		lc->free(value);
	}
	return had && !lc->url_set(u, part, NULL, 0);
}

void uri_display(const char *uri, char *buf, size_t size)
{
	char *clean = NULL, err[256];
	CURLUcode rc;
	CURLU *u;
	int hidden;

	if (uri_init(err, sizeof(err)) || !(u = uri_parse(uri, &rc))) {
		uri_display_plain(uri, buf, size);
		return;
	}
	/* A password, and a query string or fragment (tokens), stay hidden. */
	uri_drop(u, CURLUPART_PASSWORD);
	hidden = uri_drop(u, CURLUPART_QUERY) | uri_drop(u, CURLUPART_FRAGMENT);
	if (!lc->url_get(u, CURLUPART_URL, &clean, 0))
		snprintf(buf, size, "%s%s", clean, hidden ? "?..." : "");
	else
		uri_display_plain(uri, buf, size);
	lc->free(clean);
	lc->url_cleanup(u);
}

/* The lower-case scheme of @uri into @scheme; -1 with the reason if malformed. */
static int uri_scheme(const char *uri, char *scheme, size_t size, char *err, size_t errlen)
{
	char *s = NULL;
	CURLUcode rc;
	CURLU *u;

	if (uri_init(err, errlen))
		return -1;
	u = uri_parse(uri, &rc);
	if (u)
		rc = lc->url_get(u, CURLUPART_SCHEME, &s, 0);
	if (!rc)
		snprintf(scheme, size, "%s", s);
	else
		snprintf(err, errlen, "not a valid URI: %s", lc->url_strerror(rc));
	lc->free(s);
	lc->url_cleanup(u);
	return rc ? -1 : 0;
}

static int in_list(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; n && (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

int uri_scheme_in(const char *uri, const char *list, char *err, size_t errlen)
{
	char scheme[32], why[128];

	if (uri_init(err, errlen))
		return -1;
	return !uri_scheme(uri, scheme, sizeof(scheme), why, sizeof(why)) &&
	       in_list(scheme, list);
}

/* Refuses a malformed URI and schemes outside @list, naming them. */
static int check_scheme(const char *uri, const char *list, const char *what, char *scheme,
			size_t size, char *err, size_t errlen)
{
	if (uri_scheme(uri, scheme, size, err, errlen))
		return -1;
	if (in_list(scheme, list))
		return 0;
	snprintf(err, errlen, "unsupported scheme '%s'; credctl %s", scheme, what);
	return -1;
}

const char *uri_confdir(void)
{
	const char *dir = getenv("DEVCRED_CONFDIR");

	return dir && dir[0] ? dir : DC_CONFDIR;
}

int uri_provisioning(struct uri_opts *o, struct dc_provconf *pc, char *err, size_t errlen)
{
	char path[4096];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", uri_confdir(), DC_PROVCONF_FILE);
	o->client_cert = URI_CLIENT_CERT_PROVISIONING;
	ret = dc_provconf_load(path, pc, err, errlen);
	if (ret == -ENOENT) {
		memset(pc, 0, sizeof(*pc));
		pc->interval_s = DC_PROVCONF_INTERVAL_DEFAULT;
		return 0;
	}
	if (ret)
		return -1;
	if (pc->ca[0])
		o->ca = pc->ca;
	return 1;
}

/* @file, named @what in messages, can be read: 1 with @path set, else -1. */
static int uri_ca_file(const char *file, const char *what, char *path, size_t size,
			 char *err, size_t errlen)
{
	if (access(file, R_OK)) {
		snprintf(err, errlen, "%s %s: %s", what, file, strerror(errno));
		return -1;
	}
	snprintf(path, size, "%s", file);
	return 1;
}

/*
 * The CA bundle for https: --cacert, else provisioning.conf's, else the
 * provisioning CA when the device has one. 1: @path is set; 0: the system
 * default; -1: refused.
 */
static int uri_ca(const struct uri_opts *o, char *path, size_t size, char *err,
		    size_t errlen)
{
	if (o->cacert)
		return uri_ca_file(o->cacert, "--cacert", path, size, err, errlen);
	if (o->ca && o->ca[0])
		return uri_ca_file(o->ca, DC_PROVCONF_FILE "'s ca", path, size, err, errlen);
	snprintf(path, size, "%s/%s", uri_confdir(), URI_PROVISIONING_CA);
	return access(path, F_OK) ? 0 : 1;
}

/*
 * A handle for @url with what every transfer shares: the permitted
 * protocols, the time limits, the trust, failure on HTTP errors, and
 * libcurl's messages in @curl_err; for https, the client certificate,
 * opened into @cert (freed by uri_handle_free()).
 */
static CURL *uri_handle(const char *url, const char *scheme, const char *protocols,
			  const struct uri_opts *o, struct uri_client_cert **cert,
			  char *curl_err, char *err, size_t errlen)
{
	char ca[4096];
	int has_ca = uri_ca(o, ca, sizeof(ca), err, errlen);
	CURL *h;

	*cert = NULL;
	if (has_ca < 0)
		return NULL;
	if (o->netrc && access(o->netrc, R_OK)) {
		snprintf(err, errlen, "--netrc-file %s: %s", o->netrc, strerror(errno));
		return NULL;
	}
	if (o->client_cert && !strcmp(scheme, "https")) {
		*cert = uri_client_cert_open(o->client_cert, err, errlen);
		if (!*cert)
			return NULL;
	}
	h = lc->easy_init();
	if (!h) {
		snprintf(err, errlen, "cannot set up libcurl");
		uri_client_cert_free(*cert);
		*cert = NULL;
		return NULL;
	}
	if (*cert && uri_client_cert_attach(lc, h, *cert, err, errlen)) {
		lc->easy_cleanup(h);
		uri_client_cert_free(*cert);
		*cert = NULL;
		return NULL;
	}
	lc->easy_setopt(h, CURLOPT_URL, url);
	lc->easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	lc->easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	lc->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	lc->easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)URI_CONNECT_TIMEOUT_S);
	lc->easy_setopt(h, CURLOPT_TIMEOUT, o->timeout_s ? o->timeout_s : (long)URI_TIMEOUT_S);
	lc->easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	lc->easy_setopt(h, CURLOPT_USERAGENT, "credctl");
	if (has_ca) {
		/* That bundle alone: not the system's CA folder besides. */
		lc->easy_setopt(h, CURLOPT_CAINFO, ca);
		lc->easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	if (o->netrc) {
		/* A login in the URI comes first; else the file's, by host. */
		lc->easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		lc->easy_setopt(h, CURLOPT_NETRC_FILE, o->netrc);
	}
	return h;
}

static void uri_handle_free(CURL *h, struct uri_client_cert *cert)
{
	lc->easy_cleanup(h);
	uri_client_cert_free(cert);
}

/*
 * A transfer that failed or ended on a status that is no success, as one
 * line. A protocol refused after a redirect was the redirect's target.
 */
static int uri_failed(CURL *h, CURLcode rc, const char *curl_err, char *err, size_t errlen)
{
	char *target = NULL, shown[URI_MAX];
	long status = 0, redirects = 0;

	lc->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	lc->easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
	lc->easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &target);
	if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR) {
		snprintf(err, errlen, "the server answered HTTP status %ld", status);
	} else if (rc == CURLE_UNSUPPORTED_PROTOCOL && redirects && target) {
		uri_display(target, shown, sizeof(shown));
		snprintf(err, errlen, "redirected to %s, which credctl does not follow: redirects go to http or https only, and never from https to http",
			 shown);
	} else
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err : lc->easy_strerror(rc));
	if (status == 404 || rc == CURLE_FILE_COULDNT_READ_FILE || rc == CURLE_TFTP_NOTFOUND)
		return URI_NOT_FOUND;
	return -1;
}

/*
 * After a transfer: 0 when it succeeded and an HTTP status, if any, is 2xx.
 * A failure that may be the server's answer to the client certificate @cert
 * (a TLS error, 400, 401, 403) says which certificate was presented.
 */
static int uri_result(CURL *h, CURLcode rc, const char *curl_err,
		      const struct uri_client_cert *cert, char *err, size_t errlen)
{
	long status = 0;
	int ret;

	lc->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && (status == 0 || (status >= 200 && status < 300)))
		return 0;
	ret = uri_failed(h, rc, curl_err, err, errlen);
	if (cert && (status == 400 || status == 401 || status == 403 ||
		     rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM ||
		     rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR))
		uri_client_cert_hint(cert, err, errlen);
	return ret;
}

/* Where a download goes: a buffer of DC_PROTO_BLOB_MAX bytes. */
struct sink {
	uint8_t *buf;
	size_t len;
	int over;	/* more came than the limit: the transfer was stopped */
};

static size_t sink_write(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	if (len > DC_PROTO_BLOB_MAX - s->len) {
		s->over = 1;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	return len;
}

/* @a and @b name the same server: scheme, host (in any case) and port. */
static int uri_same_origin(const char *a, const char *b)
{
	static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT };
	CURLUcode rc;
	CURLU *ua = uri_parse(a, &rc), *ub = uri_parse(b, &rc);
	int same = ua && ub;
	size_t i;

	for (i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *x = NULL, *y = NULL;

		same = !lc->url_get(ua, parts[i], &x, CURLU_DEFAULT_PORT) &&
		       !lc->url_get(ub, parts[i], &y, CURLU_DEFAULT_PORT) && !strcasecmp(x, y);
		lc->free(x);
		lc->free(y);
	}
	lc->url_cleanup(ua);
	lc->url_cleanup(ub);
	return same;
}

/*
 * With a client certificate, redirects are followed here and not by
 * libcurl, which would present the certificate to whatever server a
 * redirect names: only to the same scheme, host and port, at most
 * URI_MAX_REDIRS times. Returns 1 when @h was pointed at the next URL
 * (perform again), 0 when the answer is final, -1 with the reason in @err.
 */
static int follow_same_origin(CURL *h, const char *uri, int *redirects, struct sink *s,
			      char *err, size_t errlen)
{
	char *next = NULL, url[URI_MAX], shown[URI_MAX];
	long status = 0;

	lc->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	lc->easy_getinfo(h, CURLINFO_REDIRECT_URL, &next);
	if (status < 300 || status > 399 || !next)
		return 0;
	uri_display(next, shown, sizeof(shown));
	if (strlen(next) >= sizeof(url) || !uri_same_origin(uri, next)) {
		snprintf(err, errlen, "redirected to %s, another server than the one credctl presented its client certificate to: not followed (the server must serve the file itself, or give --no-client-cert)",
			 shown);
		return -1;
	}
	if (++*redirects > URI_MAX_REDIRS) {
		snprintf(err, errlen, "more than %d redirects", URI_MAX_REDIRS);
		return -1;
	}
	snprintf(url, sizeof(url), "%s", next);
	lc->easy_setopt(h, CURLOPT_URL, url);
	/* The redirect's own body is not the file. */
	explicit_bzero(s->buf, s->len);
	s->len = 0;
	return 1;
}

static int download(const char *uri, const char *scheme, const struct uri_opts *o,
		    struct sink *s, char *err, size_t errlen)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	struct uri_client_cert *cert;
	CURL *h = uri_handle(uri, scheme, DOWNLOAD_SCHEMES, o, &cert, curl_err, err, errlen);
	int ret, redirects = 0;
	CURLcode rc;

	if (!h)
		return -1;
	lc->easy_setopt(h, CURLOPT_FOLLOWLOCATION, cert ? 0L : 1L);
	lc->easy_setopt(h, CURLOPT_MAXREDIRS, (long)URI_MAX_REDIRS);
	lc->easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
			 strcmp(scheme, "https") ? "http,https" : "https");
	/* Refused at once when the server announces more; sink_write() otherwise. */
	lc->easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DC_PROTO_BLOB_MAX);
	lc->easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	lc->easy_setopt(h, CURLOPT_WRITEDATA, s);
	do {
		rc = lc->easy_perform(h);
		ret = cert && rc == CURLE_OK && !s->over ?
		      follow_same_origin(h, uri, &redirects, s, err, errlen) : 0;
	} while (ret > 0);
	if (!ret && (s->over || rc == CURLE_FILESIZE_EXCEEDED)) {
		snprintf(err, errlen, "larger than %u bytes", DC_PROTO_BLOB_MAX);
		ret = -1;
	} else if (!ret) {
		ret = uri_result(h, rc, curl_err, cert, err, errlen);
	}
	if (!ret && !s->len) {
		snprintf(err, errlen, "empty");
		ret = -1;
	}
	uri_handle_free(h, cert);
	return ret;
}

int uri_download(const char *uri, const struct uri_opts *o, struct dc_buf *out,
		   char *err, size_t errlen)
{
	struct sink s = { 0 };
	char scheme[32];
	int ret;

	out->data = NULL;
	out->len = 0;
	if (check_scheme(uri, DOWNLOAD_SCHEMES, "fetches http, https, tftp and file URIs",
			 scheme, sizeof(scheme), err, errlen))
		return -1;
	s.buf = malloc(DC_PROTO_BLOB_MAX);
	if (!s.buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = download(uri, scheme, o, &s, err, errlen);
	if (ret) {
		explicit_bzero(s.buf, DC_PROTO_BLOB_MAX);
		free(s.buf);
		return ret;
	}
	out->data = s.buf;
	out->len = s.len;
	return 0;
}

/* What an upload reads from. */
struct source {
	const uint8_t *data;
	size_t left;
};

static size_t source_read(char *buf, size_t size, size_t n, void *arg)
{
	struct source *s = arg;
	size_t len = size * n < s->left ? size * n : s->left;

	memcpy(buf, s->data, len);
	s->data += len;
	s->left -= len;
	return len;
}

/* What the server says after an upload is not ours to print. */
static size_t discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

int uri_upload(const char *url, const char *name, const void *data, size_t len,
		 const struct uri_opts *o, char *where, size_t wherelen, char *err,
		 size_t errlen)
{
	char curl_err[CURL_ERROR_SIZE] = "", scheme[32], *target;
	struct source src = { data, len };
	struct uri_client_cert *cert;
	size_t n = strlen(url);
	CURLcode rc;
	CURL *h;
	int ret;

	uri_display(url, where, wherelen);
	if (check_scheme(url, UPLOAD_SCHEMES, "uploads to http, https and tftp URIs", scheme,
			 sizeof(scheme), err, errlen))
		return -1;
	target = malloc(n + strlen(name) + 1);
	if (!target) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(target, n + strlen(name) + 1, "%s%s", url, n && url[n - 1] == '/' ? name : "");
	uri_display(target, where, wherelen);
	h = uri_handle(target, scheme, UPLOAD_SCHEMES, o, &cert, curl_err, err, errlen);
	if (!h) {
		free(target);
		return -1;
	}
	/* PUT for http and https, a write request for tftp. */
	lc->easy_setopt(h, CURLOPT_UPLOAD, 1L);
	lc->easy_setopt(h, CURLOPT_READFUNCTION, source_read);
	lc->easy_setopt(h, CURLOPT_READDATA, &src);
	lc->easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	lc->easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	rc = lc->easy_perform(h);
	/* Not found is a download's distinction; an upload just failed. */
	ret = uri_result(h, rc, curl_err, cert, err, errlen) ? -1 : 0;
	uri_handle_free(h, cert);
	free(target);
	return ret;
}
