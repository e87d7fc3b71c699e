/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growing text buffers for command output, and the few JSON helpers the
 * --json forms need (strings are escaped; everything else is numbers,
 * booleans and null).
 */
#ifndef DEVCRED_OUTPUT_H
#define DEVCRED_OUTPUT_H

#include <stddef.h>

struct dc_out {
	char *buf;
	size_t len;
	size_t cap;
	int failed;	/* an allocation failed: the text is incomplete */
};

void dc_out_printf(struct dc_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dc_out_write(struct dc_out *o, const char *s, size_t len);
/* A JSON string literal (with quotes) for @s, or null when @s is NULL. */
void dc_out_json_str(struct dc_out *o, const char *s);
void dc_out_free(struct dc_out *o);

#endif /* DEVCRED_OUTPUT_H */
