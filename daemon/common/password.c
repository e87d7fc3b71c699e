// SPDX-License-Identifier: GPL-2.0
/* The web administrator's password hash: see password.h. */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"

const char *dc_password_problem(const char *pw, size_t len)
{
	if (len < DC_PASSWORD_MIN)
		return "the password is shorter than 8 bytes";
	if (len > DC_PASSWORD_MAX)
		return "the password is longer than 128 bytes";
	if (memchr(pw, '\0', len) || memchr(pw, '\n', len) || memchr(pw, '\r', len))
		return "the password holds a NUL, CR or LF byte";
	return NULL;
}

/* Equal bytes, in a time that does not depend on where they differ. */
static int dc_equal(const char *a, const char *b, size_t n)
{
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return !d;
}

/* @pw as a C string in @buf (DC_PASSWORD_MAX + 1 bytes), for libcrypt. */
static void dc_password_cstr(const char *pw, size_t len, char *buf)
{
	memcpy(buf, pw, len);
	buf[len] = '\0';
}

int dc_password_line(const char *pw, size_t len, char *line, size_t size)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE], phrase[DC_PASSWORD_MAX + 1];
	struct crypt_data *cd;
	const char *hash;
	int ret = 0;

	if (dc_password_problem(pw, len))
		return -EINVAL;
	/* A NULL random source: libcrypt takes the salt from getrandom(). */
	if (!crypt_gensalt_rn(DC_PASSWORD_PREFIX, 0, NULL, 0, salt, sizeof(salt)))
		return errno ? -errno : -EINVAL;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return -ENOMEM;
	dc_password_cstr(pw, len, phrase);
	hash = crypt_rn(phrase, salt, cd, sizeof(*cd));
	if (!hash || hash[0] == '*')
		ret = errno ? -errno : -EINVAL;
	else if (strlen(DC_WEB_USER ":\n") + strlen(hash) >= size)
		ret = -ERANGE;
	else
		strcat(strcat(strcpy(line, DC_WEB_USER ":"), hash), "\n");
	explicit_bzero(phrase, sizeof(phrase));
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ret;
}

int dc_password_check(const char *pw, size_t len, const char *line)
{
	char phrase[DC_PASSWORD_MAX + 1], setting[DC_PASSWORD_LINE_MAX];
	const char *user = DC_WEB_USER ":";
	struct crypt_data *cd;
	const char *hash;
	size_t n;
	int ret;

	if (strncmp(line, user, strlen(user)))
		return -EINVAL;
	line += strlen(user);
	n = strcspn(line, "\n");
	if (!n || n >= sizeof(setting) || strncmp(line, DC_PASSWORD_PREFIX, 3))
		return -EINVAL;
	memcpy(setting, line, n);
	setting[n] = '\0';
	/* A password no one could have set matches nothing; still as slow. */
	if (len > DC_PASSWORD_MAX)
		len = 0;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return -ENOMEM;
	dc_password_cstr(pw, len, phrase);
	hash = crypt_rn(phrase, setting, cd, sizeof(*cd));
	if (!hash || hash[0] == '*')
		ret = -EINVAL;
	else
		ret = strlen(hash) == n && dc_equal(hash, setting, n);
	explicit_bzero(phrase, sizeof(phrase));
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ret;
}
