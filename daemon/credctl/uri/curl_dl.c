// SPDX-License-Identifier: GPL-2.0
/* libcurl opened at its first use: see curl_dl.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curl_dl.h"

/* The entry of each member in the library, in the order of struct uri_curl. */
static const char *const uri_curl_symbols[] = {
	"curl_global_init", "curl_global_cleanup", "curl_url", "curl_url_cleanup",
	"curl_url_set", "curl_url_get", "curl_url_strerror", "curl_free",
	"curl_easy_init", "curl_easy_setopt", "curl_easy_getinfo", "curl_easy_perform",
	"curl_easy_cleanup", "curl_easy_strerror", "curl_version_info",
};

#define URI_CURL_COUNT (sizeof(uri_curl_symbols) / sizeof(uri_curl_symbols[0]))

_Static_assert(sizeof(struct uri_curl) == URI_CURL_COUNT * sizeof(void (*)(void)),
	       "struct uri_curl has one function for each symbol, and nothing else");

/* Filled entry by entry through @fn, called through @api. */
static union {
	struct uri_curl api;
	void (*fn[URI_CURL_COUNT])(void);
} uri_curl_table;

/* Fills the table from @lib; 0, or -1 with the reason in @err. */
static int uri_curl_resolve(void *lib, char *err, size_t errlen)
{
	curl_version_info_data *v;
	void *sym;
	size_t i;

	for (i = 0; i < URI_CURL_COUNT; i++) {
		sym = dlsym(lib, uri_curl_symbols[i]);
		if (!sym) {
			snprintf(err, errlen, "URIs need libcurl " URI_CURL_MIN_VERSION_STR " or later: %s has no %s",
				 URI_CURL_SONAME, uri_curl_symbols[i]);
			return -1;
		}
		/* POSIX: a function's address from dlsym() converts back. */
		memcpy(&uri_curl_table.fn[i], &sym, sizeof(sym));
	}
	v = uri_curl_table.api.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < URI_CURL_MIN_VERSION) {
		snprintf(err, errlen, "URIs need libcurl " URI_CURL_MIN_VERSION_STR " or later; %s is %s",
			 URI_CURL_SONAME, v ? v->version : "of an unknown version");
		return -1;
	}
	if (uri_curl_table.api.global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "libcurl failed to initialise");
		return -1;
	}
	return 0;
}

const struct uri_curl *uri_curl_open(char *err, size_t errlen)
{
	static int loaded;
	void *lib;

	if (loaded)
		return &uri_curl_table.api;
	lib = dlopen(URI_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		/* dlerror() names the library. */
		snprintf(err, errlen, "URIs need libcurl: %s", dlerror());
		return NULL;
	}
	if (uri_curl_resolve(lib, err, errlen)) {
		dlclose(lib);
		return NULL;
	}
	atexit(uri_curl_table.api.global_cleanup);
	loaded = 1;
	return &uri_curl_table.api;
}
