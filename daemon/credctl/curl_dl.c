// SPDX-License-Identifier: GPL-2.0
/* libcurl opened at its first use: see curl_dl.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "curl_dl.h"

/* The entry of each member in the library, in the order of struct curl_api. */
static const char *const curl_dl_symbols[] = {
	"curl_global_init", "curl_global_cleanup", "curl_url", "curl_url_cleanup",
	"curl_url_set", "curl_url_get", "curl_url_strerror", "curl_free",
	"curl_easy_init", "curl_easy_setopt", "curl_easy_getinfo", "curl_easy_perform",
	"curl_easy_cleanup", "curl_easy_strerror",
};

#define CURL_DL_COUNT (sizeof(curl_dl_symbols) / sizeof(curl_dl_symbols[0]))

_Static_assert(sizeof(struct curl_api) == CURL_DL_COUNT * sizeof(void (*)(void)),
	       "struct curl_api is the symbols' functions in order, and nothing else");

/* Filled entry by entry through @fn, called through @api. */
static union {
	struct curl_api api;
	void (*fn[CURL_DL_COUNT])(void);
} curl_dl_table;

const struct curl_api *curl_dl(char *err, size_t errlen)
{
	static int loaded;
	void *lib;
	size_t i;

	if (loaded)
		return &curl_dl_table.api;
	lib = dlopen(CURL_DL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen, "URIs need libcurl (%s): %s", CURL_DL_SONAME, dlerror());
		return NULL;
	}
	for (i = 0; i < CURL_DL_COUNT; i++) {
		/* POSIX: a function's address from dlsym() converts back. */
		*(void **)&curl_dl_table.fn[i] = dlsym(lib, curl_dl_symbols[i]);
		if (!curl_dl_table.fn[i]) {
			snprintf(err, errlen, "URIs need a newer libcurl: %s has no %s",
				 CURL_DL_SONAME, curl_dl_symbols[i]);
			dlclose(lib);
			return NULL;
		}
	}
	if (curl_dl_table.api.global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "libcurl failed to initialise");
		dlclose(lib);
		return NULL;
	}
	atexit(curl_dl_table.api.global_cleanup);
	loaded = 1;
	return &curl_dl_table.api;
}
