/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devcredd socket protocol: credctl sends one request per connection,
 * devcredd answers with one response and closes.
 *
 * Both are a 12-byte header followed by fields:
 *
 *	header:  u32 magic (DC_PROTO_REQUEST or DC_PROTO_RESPONSE),
 *	         u32 version (DC_PROTO_VERSION), u32 length of the fields
 *	field:   u16 type, u16 reserved (0), u32 length, then the value
 *
 * All integers little-endian. Each field type appears at most once; unknown
 * types, request fields in a response and response fields in a request,
 * reserved != 0, short or oversize messages, trailing bytes, a u32 field
 * whose length is not 4 (a u64 field: 8), a string field with a NUL or another control
 * character (< 0x20, 0x7f: strings reach the logs) inside or over its limit
 * (DC_PROTO_STR_MAX unless enum dc_field says otherwise),
 * a blob or text field over its limit, a request without a (non-empty) verb
 * and a response without a status are all refused by the parser. A string,
 * blob or text field of length 0 is the same as an absent one; the encoders
 * leave such fields out.
 */
#ifndef DEVCRED_PROTO_H
#define DEVCRED_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define DC_PROTO_REQUEST	0x51524344u	/* "DCRQ" */
#define DC_PROTO_RESPONSE	0x53524344u	/* "DCRS" */
#define DC_PROTO_VERSION	1u
#define DC_PROTO_HDR_LEN	12u

/*
 * Whole message limit: three inputs of CRED_INPUT_MAX plus headroom. (A
 * response whose two texts are both near DC_PROTO_TEXT_MAX does not fit.)
 */
#define DC_PROTO_MSG_MAX	(1024u * 1024u)
#define DC_PROTO_STR_MAX	64u
/* Subject fields of a CSR: X.520's longest (locality, state, e-mail). */
#define DC_PROTO_NAME_MAX	128u
/* A CSR's subjectAltName: "DNS:a,IP:b,email:c", a few names. */
#define DC_PROTO_SAN_MAX	512u
/* Where the input came from: a path or a URI. */
#define DC_PROTO_SOURCE_MAX	256u
#define DC_PROTO_BLOB_MAX	(256u * 1024u)
#define DC_PROTO_TEXT_MAX	(512u * 1024u)
/* sign: the longest digest (SHA-512) and signature (RSA 4096) carried. */
#define DC_PROTO_DIGEST_MAX	64u
#define DC_PROTO_SIG_MAX	512u
/* The certificate stamp of a credential: the SHA-256 of its stored chain. */
#define DC_PROTO_STAMP_LEN	32u

enum dc_field {
	/* request */
	DC_F_VERB = 1,		/* string: "status", "install", ... */
	DC_F_ARG1 = 2,		/* string: SLOT or OPERATION */
	DC_F_ARG2 = 3,		/* string: SLOT of "bind" */
	DC_F_FLAGS = 4,		/* u32: DC_REQ_* */
	DC_F_CERT = 5,		/* blob: certificate or bundle input */
	DC_F_KEY = 6,		/* blob: key input */
	DC_F_PASSPHRASE = 7,	/* blob: passphrase, without trailing newline */
	DC_F_SOURCE = 8,	/* string (SOURCE_MAX): where the input came from, for the logs */
	DC_F_KEY_TYPE = 9,	/* string: csr: "rsa2048", "rsa3072" or "ec-p256" */
	DC_F_KEEP_KEY = 10,	/* string: csr: SLOT that keeps the key as its pending key */
	DC_F_SUBJ_CN = 11,	/* string (NAME_MAX): csr: subject common name */
	DC_F_SUBJ_O = 12,	/* string (NAME_MAX): csr: organization */
	DC_F_SUBJ_EMAIL = 13,	/* string (NAME_MAX): csr: e-mail address */
	DC_F_SUBJ_C = 14,	/* string (NAME_MAX): csr: country (the daemon wants 2 letters) */
	DC_F_SUBJ_ST = 15,	/* string (NAME_MAX): csr: state or province */
	/* response */
	DC_F_STATUS = 16,	/* u32: the exit status for credctl */
	DC_F_STDOUT = 17,	/* text for credctl's standard output */
	DC_F_STDERR = 18,	/* text for credctl's standard error */
	DC_F_CSR = 19,		/* blob: csr: the request, PEM */
	DC_F_CSR_KEY = 20,	/* blob: csr: its private key, PEM (absent with keep-key) */
	DC_F_FILE_NAME = 21,	/* string: csr: base name of the files, the MAC address */
	/*
	 * credential and sign (the devcred OpenSSL provider): ARG1 is the key
	 * reference, "op=OPERATION" or "slot=SLOT" (keyref.h).
	 */
	DC_F_SLOT = 22,		/* string: the slot the reference resolved to */
	DC_F_GENERATION = 23,	/* u64: that slot's generation */
	DC_F_STAMP = 24,	/* blob (STAMP_LEN): the SHA-256 of its stored chain */
	DC_F_CHAIN = 25,	/* blob: credential: the chain, PEM, leaf first */
	DC_F_MAY_SIGN = 26,	/* u32: credential: 1 when the caller may sign with the key */
	DC_F_SIG_ALG = 27,	/* string: sign: "rsa-pkcs1", "rsa-pss" or "ecdsa" */
	DC_F_DIGEST_ALG = 28,	/* string: sign: "sha256", "sha384" or "sha512" */
	DC_F_MGF1_ALG = 29,	/* string: sign, rsa-pss: MGF1's digest (default DIGEST_ALG) */
	DC_F_SALT_LEN = 30,	/* u32: sign, rsa-pss: the salt's length in bytes */
	DC_F_DIGEST = 31,	/* blob (DIGEST_MAX): sign: the digest to sign */
	DC_F_SIGNATURE = 32,	/* blob (SIG_MAX): sign: the signature */
	DC_F_SAN = 33,		/* string (SAN_MAX): csr: subjectAltName, "DNS:x,IP:y,email:z" */
};

/* A response's status: credctl's exit status. */
#define DC_EXIT_DONE	0	/* done */
#define DC_EXIT_FAILED	1	/* refused or failed, one message on standard error */
#define DC_EXIT_USAGE	2	/* a usage error */

/* Request flags. */
#define DC_REQ_JSON	0x1u	/* --json */
#define DC_REQ_FORCE	0x2u	/* --force: accept expired or not yet valid */
#define DC_REQ_CHAIN	0x4u	/* export --chain */
#define DC_REQ_BUNDLE	0x8u	/* install --bundle: DC_F_CERT holds cert(s) and key */

/**
 * struct dc_buf - a byte string; not NUL-terminated unless said so
 * @data: the bytes (points into the message buffer after parsing)
 * @len: their count
 */
struct dc_buf {
	const uint8_t *data;
	size_t len;
};

/**
 * struct dc_csr_request - what "csr" asks for; every member NUL-terminated,
 *	"" when absent
 * @key_type: "rsa2048", "rsa3072" or "ec-p256"; "" for the default
 * @keep_key: the slot whose pending key the new key becomes; "": return it
 * @cn: subject common name
 * @org: subject organization
 * @email: subject e-mail address
 * @country: subject country
 * @state: subject state or province
 * @san: the subjectAltName, OpenSSL's form: "DNS:name,IP:address,email:addr"
 */
struct dc_csr_request {
	char key_type[DC_PROTO_STR_MAX + 1];
	char keep_key[DC_PROTO_STR_MAX + 1];
	char cn[DC_PROTO_NAME_MAX + 1];
	char org[DC_PROTO_NAME_MAX + 1];
	char email[DC_PROTO_NAME_MAX + 1];
	char country[DC_PROTO_NAME_MAX + 1];
	char state[DC_PROTO_NAME_MAX + 1];
	char san[DC_PROTO_SAN_MAX + 1];
};

/**
 * struct dc_key_use - which key a signature is asked of, and how
 * @slot: NUL-terminated slot the reference resolved to when it was opened
 * @generation: that slot's generation then
 * @stamp: the SHA-256 of the slot's chain then (len 0: absent)
 * @sig_alg: "rsa-pkcs1", "rsa-pss" or "ecdsa"
 * @digest_alg: the digest's algorithm
 * @mgf1_alg: rsa-pss: MGF1's digest, "" for @digest_alg
 * @salt_len: rsa-pss: the salt's length
 * @digest: the digest to sign
 *
 * The slot, generation and stamp pin the key: devcredd signs only while
 * the reference still resolves to that slot at that generation with that
 * chain, so that no consumer signs with another key than the one whose
 * certificate it loaded.
 */
struct dc_key_use {
	char slot[DC_PROTO_STR_MAX + 1];
	uint64_t generation;
	struct dc_buf stamp;
	char sig_alg[DC_PROTO_STR_MAX + 1];
	char digest_alg[DC_PROTO_STR_MAX + 1];
	char mgf1_alg[DC_PROTO_STR_MAX + 1];
	uint32_t salt_len;
	struct dc_buf digest;
};

/**
 * struct dc_request - what credctl (or the provider) asks
 * @verb: NUL-terminated command name
 * @arg1: NUL-terminated SLOT or OPERATION, "" when absent
 * @arg2: NUL-terminated second argument, "" when absent
 * @flags: DC_REQ_* bits
 * @cert: certificate input (len 0: absent)
 * @key: key input (len 0: absent)
 * @passphrase: passphrase (len 0: absent)
 * @source: NUL-terminated description of the input for the logs, "" if none
 * @csr: what "csr" asks for; all "" for other verbs
 * @use: what "sign" asks for; all zero for other verbs
 */
struct dc_request {
	char verb[DC_PROTO_STR_MAX + 1];
	char arg1[DC_PROTO_STR_MAX + 1];
	char arg2[DC_PROTO_STR_MAX + 1];
	uint32_t flags;
	struct dc_buf cert;
	struct dc_buf key;
	struct dc_buf passphrase;
	char source[DC_PROTO_SOURCE_MAX + 1];
	struct dc_csr_request csr;
	struct dc_key_use use;
};

/**
 * struct dc_response - devcredd's answer
 * @status: exit status for credctl: 0 done, 1 refused or failed, 2 usage
 * @out: text for standard output
 * @err: text for standard error
 * @csr: csr: the certificate signing request, PEM (len 0: absent)
 * @csr_key: csr: its private key, PEM (len 0: absent)
 * @file_name: csr: NUL-terminated base name for the files, "" when absent
 * @slot: credential: NUL-terminated slot the reference resolves to, "" when absent
 * @generation: credential: that slot's generation
 * @stamp: credential: the SHA-256 of the slot's chain (len 0: absent)
 * @chain: credential: the chain, PEM, leaf first (len 0: absent)
 * @may_sign: credential: 1 when the caller may sign with the key
 * @signature: sign: the signature (len 0: absent)
 */
struct dc_response {
	uint32_t status;
	struct dc_buf out;
	struct dc_buf err;
	struct dc_buf csr;
	struct dc_buf csr_key;
	char file_name[DC_PROTO_STR_MAX + 1];
	char slot[DC_PROTO_STR_MAX + 1];
	uint64_t generation;
	struct dc_buf stamp;
	struct dc_buf chain;
	uint32_t may_sign;
	struct dc_buf signature;
};

/*
 * Encoders put a malloc'ed message in *@msg and its length in *@len and
 * return 0, or return -EINVAL (a field over its limit, a string the parser
 * would refuse, a request without a verb, a message over DC_PROTO_MSG_MAX)
 * or -ENOMEM with *@msg NULL and *@len untouched.
 */
int dc_request_encode(const struct dc_request *req, uint8_t **msg, size_t *len);
int dc_response_encode(const struct dc_response *resp, uint8_t **msg, size_t *len);

/*
 * Parsers check a complete message of @len bytes. On success they return 0
 * and fill the struct, whose dc_buf fields point into @msg (which must
 * outlive it). On failure they return -EBADMSG (or -EPROTO for a version
 * mismatch) and, if @why is not NULL, a static string naming the problem.
 */
int dc_request_parse(const uint8_t *msg, size_t len, struct dc_request *req, const char **why);
int dc_response_parse(const uint8_t *msg, size_t len, struct dc_response *resp,
		      const char **why);

#endif /* DEVCRED_PROTO_H */
