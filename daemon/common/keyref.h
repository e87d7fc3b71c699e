/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A key reference: which credential's key a program asks devcredd to sign
 * with. One text form everywhere: the URI devcred:REF (the provider), the
 * first field of a /etc/devcred/key-access line, and the request devcredd
 * gets:
 *
 *	op=OPERATION	whatever OPERATION is bound to when it is opened
 *			(op=sip, op=802.1x, ...)
 *	slot=SLOT	that slot (slot=app3, slot=platform1, ...)
 */
#ifndef DEVCRED_COMMON_KEYREF_H
#define DEVCRED_COMMON_KEYREF_H

#include <stddef.h>

enum dc_keyref_kind { DC_KEYREF_OP, DC_KEYREF_SLOT };

/**
 * struct dc_keyref - a parsed key reference
 * @kind: an operation or a slot
 * @index: the operation (enum devcred_op) or the slot (enum devcred_slot)
 */
struct dc_keyref {
	enum dc_keyref_kind kind;
	int index;
};

/* The longest text form: "slot=" or "op=" and the longest name. */
#define DC_KEYREF_MAX	32

/*
 * The devcred provider's key parameter naming the credential a key handle
 * is pinned to (devcredd signs with that one only): a UTF-8 string
 * "SLOT:GENERATION:SHA256", the slot, its generation in decimal and the
 * SHA-256 of its chain in lower-case hex. A program that opens its URI
 * again compares the two to learn whether the credential changed.
 */
#define DC_KEY_PARAM_PIN	"devcred-pin"
/* Room for it: a slot name as the protocol carries it, 20 digits, 64 hex digits. */
#define DC_KEY_PIN_MAX		(64 + 1 + 20 + 1 + 64 + 1)

/*
 * Parses @s, exactly "op=NAME" or "slot=NAME" with a name from names.h.
 * Returns 0, or -EINVAL with a static reason in *@why (may be NULL).
 */
int dc_keyref_parse(const char *s, struct dc_keyref *ref, const char **why);

/* The text form of @ref ("op=sip") in @buf, which it returns. */
const char *dc_keyref_text(const struct dc_keyref *ref, char buf[DC_KEYREF_MAX + 1]);

#endif /* DEVCRED_COMMON_KEYREF_H */
