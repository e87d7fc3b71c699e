// SPDX-License-Identifier: GPL-2.0
/* One human message per failure, with OpenSSL's error queue text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include "cred_internal.h"

static void append(struct cred_error *err, const char *s)
{
	size_t used = strlen(err->msg);

	if (used < sizeof(err->msg) - 1)
		snprintf(err->msg + used, sizeof(err->msg) - used, "%s", s);
}

/*
 * Appends ": error:...:reason (data); error:..." for each queued error,
 * oldest (innermost) first, and empties the queue.
 */
static void append_queue(struct cred_error *err)
{
	const char *data;
	char line[256];
	unsigned long e;
	int flags, n = 0;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags))) {
		if (!err)
			continue;
		ERR_error_string_n(e, line, sizeof(line));
		append(err, n++ ? "; " : ": ");
		append(err, line);
		if ((flags & ERR_TXT_STRING) && data && *data) {
			append(err, " (");
			append(err, data);
			append(err, ")");
		}
	}
	if (err && !n)
		append(err, " (OpenSSL gave no reason)");
}

static void set(struct cred_error *err, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int cred_err(struct cred_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(err, fmt, ap);
	va_end(ap);
	ERR_clear_error();
	return ret;
}

int cred_err_ssl(struct cred_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(err, fmt, ap);
	va_end(ap);
	append_queue(err);
	return ret;
}
