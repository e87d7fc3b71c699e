// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the devcred provider's side of the signing protocol
 * (daemon/provider/client.c, key.c, uri.c): what a program using the
 * provider takes from whatever answers on devcredd's socket, and the URIs
 * it is given.
 *
 * The first byte says what the rest is: 'c' devcredd's answer to
 * "credential" (then the chain it carries, as the STORE loader parses it),
 * 's' its answer to "sign" (into a buffer of the key's size, taken from the
 * second byte), anything else a URI. Beyond the sanitizers it checks: a
 * credential taken has a slot, a generation, a full stamp and a chain
 * that is NUL-terminated at its length; a signature taken fits the room
 * given; a parsed chain holds 1 to 16 certificates; a URI parsed is one
 * of the references it names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>

#include "provider/client.h"
#include "provider/key.h"
#include "provider/uri.h"

/* No core: dp_raise() drops its reasons; the default library context. */
static const struct dp_prov prov = { .socket = "/nonexistent" };

static void take_credential(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *chain;
	struct dp_cred c;

	if (!dp_take_credential(&prov, "op=sip", data, size, &c))
		return;
	if (!c.slot[0] || !c.generation || !c.chain || !c.chain_len ||
	    c.chain[c.chain_len] != '\0' || c.may_sign > 1)
		abort();
	chain = dp_chain_parse(&prov, "op=sip", c.chain, c.chain_len);
	if (chain && (sk_X509_num(chain) < 1 || sk_X509_num(chain) > DP_CHAIN_MAX))
		abort();
	sk_X509_pop_free(chain, X509_free);
	dp_cred_free(&c);
}

static void take_signature(const uint8_t *data, size_t size)
{
	uint8_t sig[512];
	size_t room;

	if (!size)
		return;
	room = 64 + data[0] % (sizeof(sig) - 64);
	if (dp_take_signature(&prov, "op=sip", data + 1, size - 1, sig, &room) &&
	    (!room || room > 64 + data[0] % (sizeof(sig) - 64)))
		abort();
}

static void parse_uri(const uint8_t *data, size_t size)
{
	char *uri = strndup((const char *)data, size);
	const char *why;
	struct dp_uri u;

	if (uri && dp_uri_parse(uri, &u, &why) &&
	    (!u.text[0] || strncmp(u.text, strchr(uri, ':') + 1, strlen(u.text))))
		abort();
	free(uri);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] == 'c')
		take_credential(data + 1, size - 1);
	else if (data[0] == 's')
		take_signature(data + 1, size - 1);
	else
		parse_uri(data + 1, size - 1);
	return 0;
}
