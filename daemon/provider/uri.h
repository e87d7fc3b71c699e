/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provider's URIs:
 *
 *	devcred:op=OPERATION[;type=cert|issuers|key]
 *	devcred:slot=SLOT[;type=cert|issuers|key]
 *
 * without type: the certificate, its issuers and the private key, in that
 * order; type= narrows it to one of them (issuers: what a server sends
 * after its certificate, e.g. s_server -cert_chain).
 */
#ifndef DEVCRED_PROVIDER_URI_H
#define DEVCRED_PROVIDER_URI_H

#include "common/keyref.h"

enum dp_object { DP_OBJ_ALL, DP_OBJ_CERT, DP_OBJ_ISSUERS, DP_OBJ_KEY };

/**
 * struct dp_uri - a parsed URI
 * @ref: the key reference
 * @text: its text form, "op=sip"
 * @what: what the URI asks for
 */
struct dp_uri {
	struct dc_keyref ref;
	char text[DC_KEYREF_MAX + 1];
	enum dp_object what;
};

/* 1 and @u filled, or 0 with a static reason in *@why. */
int dp_uri_parse(const char *uri, struct dp_uri *u, const char **why);

#endif /* DEVCRED_PROVIDER_URI_H */
