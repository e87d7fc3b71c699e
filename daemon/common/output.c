// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static int dc_out_reserve(struct dc_out *o, size_t more)
{
	size_t cap;
	char *p;

	if (o->failed)
		return -1;
	if (o->len + more + 1 <= o->cap)
		return 0;
	cap = o->cap ? o->cap : 256;
	while (cap < o->len + more + 1)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p) {
		o->failed = 1;
		return -1;
	}
	o->buf = p;
	o->cap = cap;
	return 0;
}

void dc_out_write(struct dc_out *o, const char *s, size_t len)
{
	if (!len || dc_out_reserve(o, len))
		return;
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

void dc_out_printf(struct dc_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || dc_out_reserve(o, n))
		return;
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, n + 1, fmt, ap);
	va_end(ap);
	o->len += n;
}

void dc_out_json_str(struct dc_out *o, const char *s)
{
	const unsigned char *p;

	if (!s) {
		dc_out_write(o, "null", 4);
		return;
	}
	dc_out_write(o, "\"", 1);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			dc_out_printf(o, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			dc_out_printf(o, "\\u%04x", *p);
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			dc_out_printf(o, "\\u%04x", *++p);	/* a C1 control in UTF-8 */
		else
			dc_out_write(o, (const char *)p, 1);
	}
	dc_out_write(o, "\"", 1);
}

void dc_out_free(struct dc_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}
