/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The web administrator's password: written by 'credctl web-password',
 * checked by devcred-web. Only a slow salted hash is kept (yescrypt,
 * through libcrypt's crypt_gensalt_rn() and crypt_rn()), in one line
 * "admin:HASH" of DC_WEB_PASSWORD_FILE.
 */
#ifndef DEVCRED_COMMON_PASSWORD_H
#define DEVCRED_COMMON_PASSWORD_H

#include <stddef.h>

#define DC_WEB_USER		"admin"
/* What a password may be: its length in bytes; any byte but NUL, CR and LF. */
#define DC_PASSWORD_MIN		8
#define DC_PASSWORD_MAX		128
/* A hash line: "admin:" and libcrypt's output (CRYPT_OUTPUT_SIZE). */
#define DC_PASSWORD_LINE_MAX	512
/* yescrypt's prefix; cost 0 is libcrypt's default for it. */
#define DC_PASSWORD_PREFIX	"$y$"

/*
 * NULL when @pw (@len bytes) may be a password, else why not, naming the
 * limit.
 */
const char *dc_password_problem(const char *pw, size_t len);

/*
 * The line to store for @pw ("admin:HASH\n", NUL-terminated) in @line of
 * @size bytes, with a fresh random salt. 0 or a negative errno (-EINVAL:
 * dc_password_problem() refuses @pw; -ERANGE: @size too small).
 */
int dc_password_line(const char *pw, size_t len, char *line, size_t size);

/*
 * Whether @pw matches the stored @line ("admin:HASH", with or without its
 * newline): 1 yes, 0 no, a negative errno when @line is not a hash line
 * libcrypt can check (-EINVAL) or memory ran out. Slow by design (tens of
 * milliseconds on a board); thread-safe.
 */
int dc_password_check(const char *pw, size_t len, const char *line);

#endif /* DEVCRED_COMMON_PASSWORD_H */
