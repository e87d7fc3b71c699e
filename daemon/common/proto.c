// SPDX-License-Identifier: GPL-2.0
/*
 * The devcredd socket protocol; see proto.h.
 *
 * The parsers run in the root daemon on bytes from any local user. Every
 * length is compared with the bytes left in the message before it is used,
 * in size_t arithmetic that cannot wrap (the message is at most
 * DC_PROTO_MSG_MAX), and every field is checked against one rule table:
 * its kind, its limit, and which message may carry it.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define DC_FIELD_HDR_LEN	8u
#define DC_F_LAST		DC_F_SAN

enum dc_kind { DC_K_UNKNOWN, DC_K_STR, DC_K_U32, DC_K_U64, DC_K_BLOB, DC_K_TEXT };

/* Which messages may carry a field. */
#define DC_IN_REQ	0x1u
#define DC_IN_RESP	0x2u
#define DC_IN_BOTH	(DC_IN_REQ | DC_IN_RESP)

/**
 * struct dc_rule - what a field type may hold
 * @kind: string, u32, u64, blob or text; DC_K_UNKNOWN for an unassigned type
 * @in: the messages that may carry it, DC_IN_*
 * @max: its longest value in bytes
 */
struct dc_rule {
	enum dc_kind kind;
	uint32_t in;
	uint32_t max;
};

static const struct dc_rule dc_rules[DC_F_LAST + 1] = {
	[DC_F_VERB] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_ARG1] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_ARG2] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_FLAGS] = { DC_K_U32, DC_IN_REQ, 4 },
	[DC_F_CERT] = { DC_K_BLOB, DC_IN_REQ, DC_PROTO_BLOB_MAX },
	[DC_F_KEY] = { DC_K_BLOB, DC_IN_REQ, DC_PROTO_BLOB_MAX },
	[DC_F_PASSPHRASE] = { DC_K_BLOB, DC_IN_REQ, DC_PROTO_BLOB_MAX },
	[DC_F_SOURCE] = { DC_K_STR, DC_IN_REQ, DC_PROTO_SOURCE_MAX },
	[DC_F_KEY_TYPE] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_KEEP_KEY] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_SUBJ_CN] = { DC_K_STR, DC_IN_REQ, DC_PROTO_NAME_MAX },
	[DC_F_SUBJ_O] = { DC_K_STR, DC_IN_REQ, DC_PROTO_NAME_MAX },
	[DC_F_SUBJ_EMAIL] = { DC_K_STR, DC_IN_REQ, DC_PROTO_NAME_MAX },
	[DC_F_SUBJ_C] = { DC_K_STR, DC_IN_REQ, DC_PROTO_NAME_MAX },
	[DC_F_SUBJ_ST] = { DC_K_STR, DC_IN_REQ, DC_PROTO_NAME_MAX },
	[DC_F_STATUS] = { DC_K_U32, DC_IN_RESP, 4 },
	[DC_F_STDOUT] = { DC_K_TEXT, DC_IN_RESP, DC_PROTO_TEXT_MAX },
	[DC_F_STDERR] = { DC_K_TEXT, DC_IN_RESP, DC_PROTO_TEXT_MAX },
	[DC_F_CSR] = { DC_K_BLOB, DC_IN_RESP, DC_PROTO_BLOB_MAX },
	[DC_F_CSR_KEY] = { DC_K_BLOB, DC_IN_RESP, DC_PROTO_BLOB_MAX },
	[DC_F_FILE_NAME] = { DC_K_STR, DC_IN_RESP, DC_PROTO_STR_MAX },
	[DC_F_SLOT] = { DC_K_STR, DC_IN_BOTH, DC_PROTO_STR_MAX },
	[DC_F_GENERATION] = { DC_K_U64, DC_IN_BOTH, 8 },
	[DC_F_STAMP] = { DC_K_BLOB, DC_IN_BOTH, DC_PROTO_STAMP_LEN },
	[DC_F_CHAIN] = { DC_K_BLOB, DC_IN_RESP, DC_PROTO_BLOB_MAX },
	[DC_F_MAY_SIGN] = { DC_K_U32, DC_IN_RESP, 4 },
	[DC_F_SIG_ALG] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_DIGEST_ALG] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_MGF1_ALG] = { DC_K_STR, DC_IN_REQ, DC_PROTO_STR_MAX },
	[DC_F_SALT_LEN] = { DC_K_U32, DC_IN_REQ, 4 },
	[DC_F_DIGEST] = { DC_K_BLOB, DC_IN_REQ, DC_PROTO_DIGEST_MAX },
	[DC_F_SIGNATURE] = { DC_K_BLOB, DC_IN_RESP, DC_PROTO_SIG_MAX },
	[DC_F_SAN] = { DC_K_STR, DC_IN_REQ, DC_PROTO_SAN_MAX },
};

/* The parsers keep a bit per field type met. */
_Static_assert(DC_F_LAST < 64, "field types must fit the 64-bit 'seen' mask");

/* Strings reach the logs: no NUL, no forged lines, no terminal escapes. */
static int dc_str_byte_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

/* Encoding: a growing buffer that remembers the first failure. */
struct dc_enc {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int failed;
};

static void dc_put(struct dc_enc *e, const void *p, size_t n)
{
	size_t cap = e->cap ? e->cap : 4096;
	uint8_t *b;

	if (e->failed || !n)
		return;
	if (n > DC_PROTO_MSG_MAX || e->len + n > DC_PROTO_MSG_MAX) {
		e->failed = EINVAL;
		return;
	}
	while (cap < e->len + n)
		cap *= 2;
	if (cap != e->cap) {
		/* Not realloc(): the old buffer may hold a key; wipe it. */
		b = malloc(cap);
		if (!b) {
			e->failed = ENOMEM;
			return;
		}
		if (e->buf) {
			memcpy(b, e->buf, e->len);
			explicit_bzero(e->buf, e->len);
			free(e->buf);
		}
		e->buf = b;
		e->cap = cap;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
}

static void dc_put_u32(struct dc_enc *e, uint32_t v)
{
	v = htole32(v);
	dc_put(e, &v, 4);
}

static void dc_put_field(struct dc_enc *e, enum dc_field type, const void *p, size_t n)
{
	uint16_t t = htole16(type), reserved = 0;

	if (n > dc_rules[type].max) {
		e->failed = e->failed ? e->failed : EINVAL;
		return;
	}
	dc_put(e, &t, 2);
	dc_put(e, &reserved, 2);
	dc_put_u32(e, n);
	dc_put(e, p, n);
}

/*
 * An empty string is absent and not sent; one the parser would refuse (over
 * the limit, control characters) fails the encoding.
 */
static void dc_put_str(struct dc_enc *e, enum dc_field type, const char *s)
{
	size_t i, n = strnlen(s, dc_rules[type].max + 1);

	for (i = 0; i < n; i++)
		if (!dc_str_byte_ok(s[i]))
			e->failed = e->failed ? e->failed : EINVAL;
	if (n)
		dc_put_field(e, type, s, n);
}

static void dc_put_buf(struct dc_enc *e, enum dc_field type, const struct dc_buf *b)
{
	if (b->len)
		dc_put_field(e, type, b->data, b->len);
}

static void dc_put_u32_field(struct dc_enc *e, enum dc_field type, uint32_t v)
{
	v = htole32(v);
	dc_put_field(e, type, &v, 4);
}

/* A u64 of 0 is absent and not sent, as an empty string is. */
static void dc_put_u64_field(struct dc_enc *e, enum dc_field type, uint64_t v)
{
	v = htole64(v);
	if (v)
		dc_put_field(e, type, &v, 8);
}

static void dc_enc_begin(struct dc_enc *e, uint32_t magic)
{
	memset(e, 0, sizeof(*e));
	dc_put_u32(e, magic);
	dc_put_u32(e, DC_PROTO_VERSION);
	dc_put_u32(e, 0);	/* the length of the fields, set at the end */
}

/* Finishes the message; on failure wipes what was built (it may hold a key). */
static int dc_enc_end(struct dc_enc *e, uint8_t **msg, size_t *len)
{
	uint32_t body;

	*msg = NULL;
	if (e->failed) {
		if (e->buf)
			explicit_bzero(e->buf, e->len);
		free(e->buf);
		return -e->failed;
	}
	body = htole32(e->len - DC_PROTO_HDR_LEN);
	memcpy(e->buf + 8, &body, 4);
	*msg = e->buf;
	*len = e->len;
	return 0;
}

int dc_request_encode(const struct dc_request *req, uint8_t **msg, size_t *len)
{
	struct dc_enc e;

	dc_enc_begin(&e, DC_PROTO_REQUEST);
	if (!req->verb[0])
		e.failed = EINVAL;	/* the parser would refuse it */
	dc_put_str(&e, DC_F_VERB, req->verb);
	dc_put_str(&e, DC_F_ARG1, req->arg1);
	dc_put_str(&e, DC_F_ARG2, req->arg2);
	dc_put_u32_field(&e, DC_F_FLAGS, req->flags);
	dc_put_buf(&e, DC_F_CERT, &req->cert);
	dc_put_buf(&e, DC_F_KEY, &req->key);
	dc_put_buf(&e, DC_F_PASSPHRASE, &req->passphrase);
	dc_put_str(&e, DC_F_SOURCE, req->source);
	dc_put_str(&e, DC_F_KEY_TYPE, req->csr.key_type);
	dc_put_str(&e, DC_F_KEEP_KEY, req->csr.keep_key);
	dc_put_str(&e, DC_F_SUBJ_CN, req->csr.cn);
	dc_put_str(&e, DC_F_SUBJ_O, req->csr.org);
	dc_put_str(&e, DC_F_SUBJ_EMAIL, req->csr.email);
	dc_put_str(&e, DC_F_SUBJ_C, req->csr.country);
	dc_put_str(&e, DC_F_SUBJ_ST, req->csr.state);
	dc_put_str(&e, DC_F_SLOT, req->use.slot);
	dc_put_u64_field(&e, DC_F_GENERATION, req->use.generation);
	dc_put_buf(&e, DC_F_STAMP, &req->use.stamp);
	dc_put_str(&e, DC_F_SIG_ALG, req->use.sig_alg);
	dc_put_str(&e, DC_F_DIGEST_ALG, req->use.digest_alg);
	dc_put_str(&e, DC_F_MGF1_ALG, req->use.mgf1_alg);
	if (req->use.salt_len)
		dc_put_u32_field(&e, DC_F_SALT_LEN, req->use.salt_len);
	dc_put_buf(&e, DC_F_DIGEST, &req->use.digest);
	dc_put_str(&e, DC_F_SAN, req->csr.san);
	return dc_enc_end(&e, msg, len);
}

int dc_response_encode(const struct dc_response *resp, uint8_t **msg, size_t *len)
{
	struct dc_enc e;

	dc_enc_begin(&e, DC_PROTO_RESPONSE);
	dc_put_u32_field(&e, DC_F_STATUS, resp->status);
	dc_put_buf(&e, DC_F_STDOUT, &resp->out);
	dc_put_buf(&e, DC_F_STDERR, &resp->err);
	dc_put_buf(&e, DC_F_CSR, &resp->csr);
	dc_put_buf(&e, DC_F_CSR_KEY, &resp->csr_key);
	dc_put_str(&e, DC_F_FILE_NAME, resp->file_name);
	dc_put_str(&e, DC_F_SLOT, resp->slot);
	dc_put_u64_field(&e, DC_F_GENERATION, resp->generation);
	dc_put_buf(&e, DC_F_STAMP, &resp->stamp);
	dc_put_buf(&e, DC_F_CHAIN, &resp->chain);
	if (resp->may_sign)
		dc_put_u32_field(&e, DC_F_MAY_SIGN, resp->may_sign);
	dc_put_buf(&e, DC_F_SIGNATURE, &resp->signature);
	return dc_enc_end(&e, msg, len);
}

/* Parsing. */

static uint32_t dc_get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t dc_get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static uint16_t dc_get_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

/* One field: its type and where its value lies inside the message. */
struct dc_field_view {
	unsigned int type;
	const uint8_t *data;
	size_t len;
};

static int dc_check_header(const uint8_t *msg, size_t len, uint32_t magic, const char **why)
{
	*why = "message shorter than its header";
	if (len < DC_PROTO_HDR_LEN)
		return -EBADMSG;
	*why = "message longer than DC_PROTO_MSG_MAX";
	if (len > DC_PROTO_MSG_MAX)
		return -EBADMSG;
	*why = "wrong magic";
	if (dc_get_u32(msg) != magic)
		return -EBADMSG;
	*why = "unsupported protocol version";
	if (dc_get_u32(msg + 4) != DC_PROTO_VERSION)
		return -EPROTO;
	*why = "length in the header does not match the message";
	if (dc_get_u32(msg + 8) != len - DC_PROTO_HDR_LEN)
		return -EBADMSG;
	return 0;
}

/* Cuts the field at @off out of the message and moves @off past it. */
static int dc_next_field(const uint8_t *msg, size_t len, size_t *off,
			 struct dc_field_view *f, const char **why)
{
	const uint8_t *p = msg + *off;
	uint32_t flen;

	*why = "truncated field header";
	if (len - *off < DC_FIELD_HDR_LEN)
		return -EBADMSG;
	*why = "reserved bits of a field header not zero";
	if (dc_get_u16(p + 2))
		return -EBADMSG;
	flen = dc_get_u32(p + 4);
	*why = "field longer than the rest of the message";
	if (flen > len - *off - DC_FIELD_HDR_LEN)
		return -EBADMSG;
	f->type = dc_get_u16(p);
	f->data = p + DC_FIELD_HDR_LEN;
	f->len = flen;
	*off += DC_FIELD_HDR_LEN + flen;
	return 0;
}

static int dc_check_str(const struct dc_field_view *f, uint32_t max, const char **why)
{
	size_t i;

	*why = "string field longer than its limit (DC_PROTO_STR_MAX, _NAME_MAX, _SOURCE_MAX)";
	if (f->len > max)
		return -EBADMSG;
	*why = "string field holding a NUL";
	if (memchr(f->data, '\0', f->len))
		return -EBADMSG;
	*why = "string field holding a control character";
	for (i = 0; i < f->len; i++)
		if (!dc_str_byte_ok(f->data[i]))
			return -EBADMSG;
	return 0;
}

/* Checks @f against its rule; @seen has a bit per field type already met. */
static int dc_check_field(const struct dc_field_view *f, uint32_t magic, uint64_t *seen,
			  const char **why)
{
	const struct dc_rule *r = f->type <= DC_F_LAST ? &dc_rules[f->type] : NULL;

	*why = "unknown field type";
	if (!r || r->kind == DC_K_UNKNOWN)
		return -EBADMSG;
	*why = magic == DC_PROTO_REQUEST ? "response field in a request"
					 : "request field in a response";
	if (!(r->in & (magic == DC_PROTO_REQUEST ? DC_IN_REQ : DC_IN_RESP)))
		return -EBADMSG;
	*why = "field repeated";
	if (*seen & (1ull << f->type))
		return -EBADMSG;
	*seen |= 1ull << f->type;
	switch (r->kind) {
	case DC_K_STR:
		return dc_check_str(f, r->max, why);
	case DC_K_U32:
		*why = "integer field not 4 bytes long";
		return f->len == 4 ? 0 : -EBADMSG;
	case DC_K_U64:
		*why = "64-bit integer field not 8 bytes long";
		return f->len == 8 ? 0 : -EBADMSG;
	case DC_K_BLOB:
		*why = r->max == DC_PROTO_BLOB_MAX ? "blob field longer than DC_PROTO_BLOB_MAX" :
		       f->type == DC_F_DIGEST ? "digest longer than DC_PROTO_DIGEST_MAX" :
		       f->type == DC_F_SIGNATURE ? "signature longer than DC_PROTO_SIG_MAX" :
						   "stamp longer than DC_PROTO_STAMP_LEN";
		return f->len <= r->max ? 0 : -EBADMSG;
	default:
		*why = "text field longer than DC_PROTO_TEXT_MAX";
		return f->len <= r->max ? 0 : -EBADMSG;
	}
}

/*
 * Checks the header and every field of a message, calling @take for each
 * field once it passed; returns the types met in @seen.
 */
static int dc_walk(const uint8_t *msg, size_t len, uint32_t magic, uint64_t *seen,
		   void (*take)(void *dst, const struct dc_field_view *f), void *dst,
		   const char **why)
{
	struct dc_field_view f;
	size_t off = DC_PROTO_HDR_LEN;
	int ret;

	*seen = 0;
	ret = dc_check_header(msg, len, magic, why);
	while (!ret && off < len) {
		ret = dc_next_field(msg, len, &off, &f, why);
		if (!ret)
			ret = dc_check_field(&f, magic, seen, why);
		if (!ret)
			take(dst, &f);
	}
	return ret;
}

static void dc_take_str(char *dst, const struct dc_field_view *f)
{
	memcpy(dst, f->data, f->len);
	dst[f->len] = '\0';
}

static void dc_take_buf(struct dc_buf *dst, const struct dc_field_view *f)
{
	dst->data = f->data;
	dst->len = f->len;
}

static void dc_take_request(void *dst, const struct dc_field_view *f)
{
	struct dc_request *req = dst;

	switch (f->type) {
	case DC_F_VERB: dc_take_str(req->verb, f); break;
	case DC_F_ARG1: dc_take_str(req->arg1, f); break;
	case DC_F_ARG2: dc_take_str(req->arg2, f); break;
	case DC_F_SOURCE: dc_take_str(req->source, f); break;
	case DC_F_FLAGS: req->flags = dc_get_u32(f->data); break;
	case DC_F_CERT: dc_take_buf(&req->cert, f); break;
	case DC_F_KEY: dc_take_buf(&req->key, f); break;
	case DC_F_PASSPHRASE: dc_take_buf(&req->passphrase, f); break;
	case DC_F_KEY_TYPE: dc_take_str(req->csr.key_type, f); break;
	case DC_F_KEEP_KEY: dc_take_str(req->csr.keep_key, f); break;
	case DC_F_SUBJ_CN: dc_take_str(req->csr.cn, f); break;
	case DC_F_SUBJ_O: dc_take_str(req->csr.org, f); break;
	case DC_F_SUBJ_EMAIL: dc_take_str(req->csr.email, f); break;
	case DC_F_SUBJ_C: dc_take_str(req->csr.country, f); break;
	case DC_F_SUBJ_ST: dc_take_str(req->csr.state, f); break;
	case DC_F_SLOT: dc_take_str(req->use.slot, f); break;
	case DC_F_GENERATION: req->use.generation = dc_get_u64(f->data); break;
	case DC_F_STAMP: dc_take_buf(&req->use.stamp, f); break;
	case DC_F_SIG_ALG: dc_take_str(req->use.sig_alg, f); break;
	case DC_F_DIGEST_ALG: dc_take_str(req->use.digest_alg, f); break;
	case DC_F_MGF1_ALG: dc_take_str(req->use.mgf1_alg, f); break;
	case DC_F_SALT_LEN: req->use.salt_len = dc_get_u32(f->data); break;
	case DC_F_DIGEST: dc_take_buf(&req->use.digest, f); break;
	case DC_F_SAN: dc_take_str(req->csr.san, f); break;
	}
}

static void dc_take_response(void *dst, const struct dc_field_view *f)
{
	struct dc_response *resp = dst;

	switch (f->type) {
	case DC_F_STATUS: resp->status = dc_get_u32(f->data); break;
	case DC_F_STDOUT: dc_take_buf(&resp->out, f); break;
	case DC_F_STDERR: dc_take_buf(&resp->err, f); break;
	case DC_F_CSR: dc_take_buf(&resp->csr, f); break;
	case DC_F_CSR_KEY: dc_take_buf(&resp->csr_key, f); break;
	case DC_F_FILE_NAME: dc_take_str(resp->file_name, f); break;
	case DC_F_SLOT: dc_take_str(resp->slot, f); break;
	case DC_F_GENERATION: resp->generation = dc_get_u64(f->data); break;
	case DC_F_STAMP: dc_take_buf(&resp->stamp, f); break;
	case DC_F_CHAIN: dc_take_buf(&resp->chain, f); break;
	case DC_F_MAY_SIGN: resp->may_sign = dc_get_u32(f->data); break;
	case DC_F_SIGNATURE: dc_take_buf(&resp->signature, f); break;
	}
}

int dc_request_parse(const uint8_t *msg, size_t len, struct dc_request *req, const char **why)
{
	const char *reason;
	uint64_t seen;
	int ret;

	memset(req, 0, sizeof(*req));
	ret = dc_walk(msg, len, DC_PROTO_REQUEST, &seen, dc_take_request, req, &reason);
	if (!ret && !req->verb[0]) {
		reason = "request without a command";
		ret = -EBADMSG;
	}
	if (ret)
		memset(req, 0, sizeof(*req));
	if (why)
		*why = ret ? reason : NULL;
	return ret;
}

int dc_response_parse(const uint8_t *msg, size_t len, struct dc_response *resp,
		      const char **why)
{
	const char *reason;
	uint64_t seen;
	int ret;

	memset(resp, 0, sizeof(*resp));
	ret = dc_walk(msg, len, DC_PROTO_RESPONSE, &seen, dc_take_response, resp, &reason);
	if (!ret && !(seen & (1ull << DC_F_STATUS))) {
		reason = "response without a status";
		ret = -EBADMSG;
	}
	if (ret)
		memset(resp, 0, sizeof(*resp));
	if (why)
		*why = ret ? reason : NULL;
	return ret;
}
