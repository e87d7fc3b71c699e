/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libcurl, loaded with dlopen() the first time credctl meets a URI.
 *
 * Linking libcurl would make every credctl command pay for loading it and
 * the thirty-odd libraries it needs (TLS, HTTP/2, IDN, LDAP, SSH, Kerberos)
 * before main(): on the board that is most of the run time of 'credctl
 * list' or 'credctl install' from a file. Only fetch.c calls libcurl, and
 * only when a URI is given, so the library is opened there and then, as
 * systemd and others open optional libraries. It is never closed: libcurl
 * is released at exit.
 */
#ifndef CREDCTL_URI_CURL_DL_H
#define CREDCTL_URI_CURL_DL_H

#include <stddef.h>
#include <curl/curl.h>

/* The library's name, as its runtime package installs it. */
#define URI_CURL_SONAME "libcurl.so.4"
/* CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR, which fetch.c's
 * limits on schemes and redirects rely on, came with 7.85.0. */
#define URI_CURL_MIN_VERSION 0x075500
#define URI_CURL_MIN_VERSION_STR "7.85.0"

/**
 * struct uri_curl - the libcurl functions fetch.c calls
 *
 * Each member is the libcurl function of the same name without "curl_".
 * Calls through @easy_setopt and @easy_getinfo miss the type checks that
 * curl.h's macros give direct calls: pass exactly the type the option
 * takes (long, a pointer, curl_off_t), casting constants.
 */
struct uri_curl {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *u);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *content, unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **content, unsigned int flags);
	const char *(*url_strerror)(CURLUcode rc);
	void (*free)(void *p);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	CURLcode (*easy_perform)(CURL *h);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	curl_version_info_data *(*version_info)(CURLversion stamp);
};

/*
 * libcurl, opened, checked to be URI_CURL_MIN_VERSION or later and
 * initialised on the first call; NULL when it cannot be, with the reason in
 * @err.
 */
const struct uri_curl *uri_curl_open(char *err, size_t errlen);

#endif /* CREDCTL_URI_CURL_DL_H */
