// SPDX-License-Identifier: GPL-2.0
/*
 * seal.conf: the trusted key's options and the TPM, parsed strictly (see
 * unseal.h): the options are handed to the kernel inside a key payload,
 * so only "name=value" words reach it, never a word that would change the
 * command ("new", "load") or another key's blob.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/kvfile.h"
#include "unseal.h"

/* Words "name=value", name in [a-z_], value printable without spaces. */
static const char *bad_options(const char *v)
{
	while (*v) {
		size_t name = strspn(v, "abcdefghijklmnopqrstuvwxyz_"), word;

		if (!name || v[name] != '=')
			return "each option is name=value (e.g. keyhandle=0x81000001)";
		word = name + 1;
		while (isgraph((unsigned char)v[word]))
			word++;
		if (word == name + 1)
			return "an option has no value";
		if (v[word] && v[word] != ' ' && v[word] != '\t')
			return "options are printable words separated by spaces";
		v += word + strspn(v + word, " \t");
	}
	return NULL;
}

static int us_conf_set(struct us_conf *c, const char *key, const char *val, int *seen,
		       int line, char *why, size_t whylen)
{
	const char *problem;

	if (!strcmp(key, "trusted_options")) {
		if (*seen & 1)
			return dc_kv_bad(why, whylen, line, "given twice", key);
		*seen |= 1;
		if (strlen(val) > US_OPTIONS_MAX)
			return dc_kv_bad(why, whylen, line, "trusted_options is longer than 512 bytes", NULL);
		problem = bad_options(val);
		if (problem)
			return dc_kv_bad(why, whylen, line, "trusted_options", problem);
		strcpy(c->trusted_options, val);
		return 0;
	}
	if (!strcmp(key, "tpm")) {
		if (*seen & 2)
			return dc_kv_bad(why, whylen, line, "given twice", key);
		*seen |= 2;
		if (*val != '/' || strlen(val) > US_PATH_MAX || strpbrk(val, " \t"))
			return dc_kv_bad(why, whylen, line,
				   "tpm is the TPM's sysfs folder, an absolute path of at most 256 bytes without spaces",
				   NULL);
		strcpy(c->tpm, val);
		return 0;
	}
	return dc_kv_bad(why, whylen, line, "unknown key (trusted_options, tpm)", key);
}

int us_conf_parse(const char *text, size_t len, struct us_conf *c, char *why, size_t whylen)
{
	struct dc_kvfile f;
	int seen = 0, ret;
	char *key, *val;

	memset(c, 0, sizeof(*c));
	strcpy(c->tpm, US_TPM_DEFAULT);
	dc_kv_init(&f, text, len);
	while ((ret = dc_kv_next(&f, &key, &val, why, whylen)) > 0) {
		ret = us_conf_set(c, key, val, &seen, f.lineno, why, whylen);
		if (ret)
			return ret;
	}
	return ret;
}

int us_conf_load(const char *path, struct us_conf *c, char *why, size_t whylen)
{
	char buf[US_CONF_SIZE_MAX + 1], reason[256];
	size_t len;
	int ret = dc_kv_read(path, buf, US_CONF_SIZE_MAX, &len, why, whylen);

	if (ret)
		return ret;
	ret = us_conf_parse(buf, len, c, reason, sizeof(reason));
	if (ret)
		snprintf(why, whylen, "%s %s", path, reason);
	return ret;
}
