// SPDX-License-Identifier: GPL-2.0
/* libcurl opened at its first use: see curl_dl.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curl_dl.h"

/* The entry of each member in the library, in the order of struct curl_api. */
static const char *const curl_dl_symbols[] = {
	"curl_global_init", "curl_global_cleanup", "curl_url", "curl_url_cleanup",
	"curl_url_set", "curl_url_get", "curl_url_strerror", "curl_free",
	"curl_easy_init", "curl_easy_setopt", "curl_easy_getinfo", "curl_easy_perform",
	"curl_easy_cleanup", "curl_easy_strerror", "curl_version_info",
};

#define CURL_DL_COUNT (sizeof(curl_dl_symbols) / sizeof(curl_dl_symbols[0]))

_Static_assert(sizeof(struct curl_api) == CURL_DL_COUNT * sizeof(void (*)(void)),
	       "struct curl_api has one function for each symbol, and nothing else");

/* Filled entry by entry through @fn, called through @api. */
static union {
	struct curl_api api;
	void (*fn[CURL_DL_COUNT])(void);
} curl_dl_table;

/* Fills the table from @lib; 0, or -1 with the reason in @err. */
static int curl_dl_resolve(void *lib, char *err, size_t errlen)
{
	curl_version_info_data *v;
	void *sym;
	size_t i;

	for (i = 0; i < CURL_DL_COUNT; i++) {
		sym = dlsym(lib, curl_dl_symbols[i]);
		if (!sym) {
			snprintf(err, errlen, "URIs need libcurl " CURL_DL_MIN_VERSION_STR " or later: %s has no %s",
				 CURL_DL_SONAME, curl_dl_symbols[i]);
			return -1;
		}
		/* POSIX: a function's address from dlsym() converts back. */
		memcpy(&curl_dl_table.fn[i], &sym, sizeof(sym));
	}
	v = curl_dl_table.api.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < CURL_DL_MIN_VERSION) {
		snprintf(err, errlen, "URIs need libcurl " CURL_DL_MIN_VERSION_STR " or later; %s is %s",
			 CURL_DL_SONAME, v ? v->version : "of an unknown version");
		return -1;
	}
	if (curl_dl_table.api.global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "libcurl failed to initialise");
		return -1;
	}
	return 0;
}

const struct curl_api *curl_dl(char *err, size_t errlen)
{
	static int loaded;
	void *lib;

	if (loaded)
		return &curl_dl_table.api;
	lib = dlopen(CURL_DL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		/* dlerror() names the library. */
		snprintf(err, errlen, "URIs need libcurl: %s", dlerror());
		return NULL;
	}
	if (curl_dl_resolve(lib, err, errlen)) {
		dlclose(lib);
		return NULL;
	}
	atexit(curl_dl_table.api.global_cleanup);
	loaded = 1;
	return &curl_dl_table.api;
}
