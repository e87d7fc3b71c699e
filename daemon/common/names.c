// SPDX-License-Identifier: GPL-2.0
/* The names of slots, operations, origins and key types: see names.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *const dc_slot_names[DEVCRED_SLOT_COUNT] = {
	"builtin", "platform1", "platform2",
	"app1", "app2", "app3", "app4", "app5", "app6",
};

const char *const dc_op_names[DEVCRED_OP_COUNT] = {
	"802.1x", "syslog", "provisioning", "sip", "browser", "presence", "ldap",
};

const char *const dc_origin_names[4] = { "none", "factory", "self-signed", "installed" };

const char *const dc_key_type_names[DC_KEY_TYPE_COUNT] = {
	[DC_KEY_RSA2048] = "rsa2048",
	[DC_KEY_RSA3072] = "rsa3072",
	[DC_KEY_EC_P256] = "ec-p256",
};

const char *const dc_sig_alg_names[DC_SIG_ALG_COUNT] = {
	[DC_SIG_RSA_PKCS1] = "rsa-pkcs1",
	[DC_SIG_RSA_PSS] = "rsa-pss",
	[DC_SIG_ECDSA] = "ecdsa",
};

const char *const dc_digest_names[DC_DIGEST_COUNT] = {
	[DC_DIGEST_SHA256] = "sha256",
	[DC_DIGEST_SHA384] = "sha384",
	[DC_DIGEST_SHA512] = "sha512",
};

const unsigned int dc_digest_sizes[DC_DIGEST_COUNT] = {
	[DC_DIGEST_SHA256] = 32,
	[DC_DIGEST_SHA384] = 48,
	[DC_DIGEST_SHA512] = 64,
};

static int dc_lookup(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -ENOENT;
}

int dc_slot_by_name(const char *name)
{
	return dc_lookup(dc_slot_names, ARRAY_SIZE(dc_slot_names), name);
}

int dc_op_by_name(const char *name)
{
	return dc_lookup(dc_op_names, ARRAY_SIZE(dc_op_names), name);
}

int dc_key_type_by_name(const char *name)
{
	return dc_lookup(dc_key_type_names, ARRAY_SIZE(dc_key_type_names), name);
}

int dc_sig_alg_by_name(const char *name)
{
	return dc_lookup(dc_sig_alg_names, ARRAY_SIZE(dc_sig_alg_names), name);
}

int dc_digest_by_name(const char *name)
{
	return dc_lookup(dc_digest_names, ARRAY_SIZE(dc_digest_names), name);
}

/*
 * "a, b, c" of @names in @buf. Every call writes the same bytes, so a list
 * read while another call writes it is whole either way.
 */
static const char *dc_join(const char *const *names, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

const char *dc_slot_list(void)
{
	static char buf[96];

	return dc_join(dc_slot_names, ARRAY_SIZE(dc_slot_names), buf, sizeof(buf));
}

const char *dc_op_list(void)
{
	static char buf[96];

	return dc_join(dc_op_names, ARRAY_SIZE(dc_op_names), buf, sizeof(buf));
}

const char *dc_key_type_list(void)
{
	static char buf[64];

	return dc_join(dc_key_type_names, ARRAY_SIZE(dc_key_type_names), buf, sizeof(buf));
}
