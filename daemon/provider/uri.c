// SPDX-License-Identifier: GPL-2.0
/* The provider's URIs: see uri.h. Nothing is decoded: names are plain. */
#include <string.h>
#include <strings.h>

#include "uri.h"

static const char *const dp_types[] = {
	[DP_OBJ_CERT] = "cert", [DP_OBJ_ISSUERS] = "issuers", [DP_OBJ_KEY] = "key",
};

int dp_uri_parse(const char *uri, struct dp_uri *u, const char **why)
{
	char ref[DC_KEYREF_MAX + 1];
	const char *attr;
	size_t n;
	int i;

	memset(u, 0, sizeof(*u));
	*why = "not a devcred: URI";
	/* OpenSSL matches the scheme whatever its case; so do we. */
	if (strncasecmp(uri, "devcred:", 8))
		return 0;
	uri += 8;
	attr = strchr(uri, ';');
	n = attr ? (size_t)(attr - uri) : strlen(uri);
	*why = "devcred:op=OPERATION or devcred:slot=SLOT expected";
	if (n > DC_KEYREF_MAX)
		return 0;
	memcpy(ref, uri, n);
	ref[n] = '\0';
	if (dc_keyref_parse(ref, &u->ref, why))
		return 0;
	dc_keyref_text(&u->ref, u->text);
	if (!attr)
		return 1;
	*why = "the only attribute is ;type=cert, ;type=issuers or ;type=key";
	if (strncmp(attr, ";type=", 6))
		return 0;
	for (i = DP_OBJ_CERT; i <= DP_OBJ_KEY; i++)
		if (!strcmp(attr + 6, dp_types[i]))
			u->what = i;
	return u->what != DP_OBJ_ALL;
}
