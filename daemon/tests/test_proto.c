// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the devcredd socket protocol (common/proto.c): round trips,
 * one test per refusal, every truncation, byte flips and random mutations
 * (run under ASan/UBSan: every parse reads from a heap copy of exactly the
 * message's length), and the socket helpers over socketpairs. TAP on stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/frame.h"
#include "common/io.h"
#include "common/proto.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A hand-built message: any header, any fields, valid or not. */
struct msg {
	uint8_t *b;
	size_t len;
	size_t cap;
};

static void m_raw(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->b = realloc(m->b, m->cap);
		if (!m->b)
			abort();
	}
	if (n)
		memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void m_u16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };

	m_raw(m, b, 2);
}

static void m_u32(struct msg *m, uint32_t v)
{
	uint8_t b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	m_raw(m, b, 4);
}

static void put_u32_at(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* A header with the length still 0; m_end() sets it. */
static void m_begin(struct msg *m, uint32_t magic)
{
	memset(m, 0, sizeof(*m));
	m_u32(m, magic);
	m_u32(m, DC_PROTO_VERSION);
	m_u32(m, 0);
}

static void m_end(struct msg *m)
{
	put_u32_at(m->b + 8, m->len - DC_PROTO_HDR_LEN);
}

/* A field whose header says @claimed bytes, followed by @n bytes of @p. */
static void m_field_raw(struct msg *m, uint16_t type, uint16_t reserved, uint32_t claimed,
			const void *p, size_t n)
{
	m_u16(m, type);
	m_u16(m, reserved);
	m_u32(m, claimed);
	m_raw(m, p, n);
}

static void m_field(struct msg *m, uint16_t type, const void *p, size_t n)
{
	m_field_raw(m, type, 0, n, p, n);
}

static void m_str(struct msg *m, uint16_t type, const char *s)
{
	m_field(m, type, s, strlen(s));
}

static void m_field_u32(struct msg *m, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put_u32_at(b, v);
	m_field(m, type, b, 4);
}

/* A field of @n bytes of 'A' (allocated here). */
static void m_fill(struct msg *m, uint16_t type, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	memset(p, 'A', n);
	m_field(m, type, p, n);
	free(p);
}

/* A request with only a verb, ready for one more field and m_end(). */
static void m_request(struct msg *m)
{
	m_begin(m, DC_PROTO_REQUEST);
	m_str(m, DC_F_VERB, "status");
}

static void m_response(struct msg *m)
{
	m_begin(m, DC_PROTO_RESPONSE);
	m_field_u32(m, DC_F_STATUS, 0);
}

/*
 * The parsers on a heap copy of exactly @len bytes, so that ASan sees any
 * read past the end; @copy receives it (the parsed struct points into it).
 */
static int parse_req(const uint8_t *b, size_t len, struct dc_request *req, const char **why,
		     uint8_t **copy)
{
	*copy = calloc(1, len ? len : 1);
	if (len)
		memcpy(*copy, b, len);
	return dc_request_parse(*copy, len, req, why);
}

static int parse_resp(const uint8_t *b, size_t len, struct dc_response *resp, const char **why,
		      uint8_t **copy)
{
	*copy = calloc(1, len ? len : 1);
	if (len)
		memcpy(*copy, b, len);
	return dc_response_parse(*copy, len, resp, why);
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* A refused request: the error, the reason, and a struct left all zero. */
#define CHECK_REQ_REFUSED(m, err, because) do {				\
	struct dc_request _r;						\
	const char *_why = NULL;					\
	uint8_t *_c;							\
									\
	memset(&_r, 0x5a, sizeof(_r));					\
	CHECK_EQ(parse_req((m)->b, (m)->len, &_r, &_why, &_c), err);	\
	CHECK_STR(_why, because);					\
	CHECK(all_zero(&_r, sizeof(_r)));				\
	free(_c);							\
} while (0)

#define CHECK_RESP_REFUSED(m, err, because) do {			\
	struct dc_response _r;						\
	const char *_why = NULL;					\
	uint8_t *_c;							\
									\
	memset(&_r, 0x5a, sizeof(_r));					\
	CHECK_EQ(parse_resp((m)->b, (m)->len, &_r, &_why, &_c), err);	\
	CHECK_STR(_why, because);					\
	CHECK(all_zero(&_r, sizeof(_r)));				\
	free(_c);							\
} while (0)

static void m_free(struct msg *m)
{
	free(m->b);
	memset(m, 0, sizeof(*m));
}

static int buf_eq(const struct dc_buf *b, const void *p, size_t n)
{
	return b->len == n && (!n || !memcmp(b->data, p, n));
}

/* Round trips. */

static const uint8_t cert_bytes[] = "-----BEGIN CERTIFICATE-----\nMIIB\0\x01\xff\n";
static const uint8_t key_bytes[] = { 0x30, 0x82, 0x00, 0x00, 0xff, 0x0a, 0x0d };
static const uint8_t pass_bytes[] = { 's', 'e', 0, 'c', 'r', 'e', 't', 0xc3, 0xa9 };
static const uint8_t stamp_bytes[DC_PROTO_STAMP_LEN] = { 0xff, 0, 1, 2, [31] = 0x80 };
static const uint8_t digest_bytes[48] = { 0, 0xde, 0xad, [47] = 0xff };

static void full_request(struct dc_request *req)
{
	memset(req, 0, sizeof(*req));
	strcpy(req->verb, "install");
	strcpy(req->arg1, "platform1");
	strcpy(req->arg2, "second");
	req->flags = DC_REQ_JSON | DC_REQ_FORCE | DC_REQ_CHAIN | DC_REQ_BUNDLE | 0x80000000u;
	req->cert = (struct dc_buf){ cert_bytes, sizeof(cert_bytes) };
	req->key = (struct dc_buf){ key_bytes, sizeof(key_bytes) };
	req->passphrase = (struct dc_buf){ pass_bytes, sizeof(pass_bytes) };
	strcpy(req->source, "cert.pem, key.pem, pass \xc3\xa9.txt");
	strcpy(req->csr.key_type, "ec-p256");
	strcpy(req->csr.keep_key, "platform2");
	strcpy(req->csr.cn, "phone-525400123456.example");
	strcpy(req->csr.org, "Exampl\xc3\xa9 Inc.");
	strcpy(req->csr.email, "ops@example.com");
	strcpy(req->csr.country, "DE");
	strcpy(req->csr.state, "Bayern");
	strcpy(req->use.slot, "app1");
	req->use.generation = 0x0123456789abcdefull;
	req->use.stamp = (struct dc_buf){ stamp_bytes, sizeof(stamp_bytes) };
	strcpy(req->use.sig_alg, "rsa-pss");
	strcpy(req->use.digest_alg, "sha384");
	strcpy(req->use.mgf1_alg, "sha256");
	req->use.salt_len = 0xfffffffeu;
	req->use.digest = (struct dc_buf){ digest_bytes, sizeof(digest_bytes) };
	strcpy(req->csr.san, "DNS:phone.example,IP:192.0.2.1,email:ops@example.com");
}

static void check_same_request(const struct dc_request *a, const struct dc_request *b)
{
	CHECK_STR(a->verb, b->verb);
	CHECK(!strcmp(a->verb, b->verb));
	CHECK(!strcmp(a->arg1, b->arg1));
	CHECK(!strcmp(a->arg2, b->arg2));
	CHECK(!strcmp(a->source, b->source));
	CHECK(!strcmp(a->csr.key_type, b->csr.key_type));
	CHECK(!strcmp(a->csr.keep_key, b->csr.keep_key));
	CHECK(!strcmp(a->csr.cn, b->csr.cn));
	CHECK(!strcmp(a->csr.org, b->csr.org));
	CHECK(!strcmp(a->csr.email, b->csr.email));
	CHECK(!strcmp(a->csr.country, b->csr.country));
	CHECK(!strcmp(a->csr.state, b->csr.state));
	CHECK(!strcmp(a->csr.san, b->csr.san));
	CHECK_EQ(a->flags, b->flags);
	CHECK(buf_eq(&a->cert, b->cert.data, b->cert.len));
	CHECK(buf_eq(&a->key, b->key.data, b->key.len));
	CHECK(buf_eq(&a->passphrase, b->passphrase.data, b->passphrase.len));
	CHECK(!strcmp(a->use.slot, b->use.slot));
	CHECK(a->use.generation == b->use.generation);
	CHECK(buf_eq(&a->use.stamp, b->use.stamp.data, b->use.stamp.len));
	CHECK(!strcmp(a->use.sig_alg, b->use.sig_alg));
	CHECK(!strcmp(a->use.digest_alg, b->use.digest_alg));
	CHECK(!strcmp(a->use.mgf1_alg, b->use.mgf1_alg));
	CHECK_EQ(a->use.salt_len, b->use.salt_len);
	CHECK(buf_eq(&a->use.digest, b->use.digest.data, b->use.digest.len));
}

/* Encodes @req, parses it back from an exact heap copy, compares. */
static void round_trip_request(const struct dc_request *req)
{
	struct dc_request back;
	const char *why = "unset";
	uint8_t *msg, *copy;
	size_t len = 0;

	dc_request_encode(req, &msg, &len);
	if (!CHECK(msg != NULL))
		return;
	CHECK(len >= DC_PROTO_HDR_LEN && len <= DC_PROTO_MSG_MAX);
	if (CHECK_EQ(parse_req(msg, len, &back, &why, &copy), 0)) {
		CHECK(why == NULL);
		check_same_request(&back, req);
	} else {
		printf("# refused: %s\n", why);
	}
	free(copy);
	free(msg);
}

static void test_request_round_trip(void)
{
	struct dc_request req;

	full_request(&req);
	round_trip_request(&req);
}

static void test_request_round_trip_minimal(void)
{
	struct dc_request req = { .verb = "list" };
	uint8_t *msg;
	size_t len;

	round_trip_request(&req);
	/* Header, verb "list", flags: absent fields are not sent. */
	dc_request_encode(&req, &msg, &len);
	CHECK_EQ(len, DC_PROTO_HDR_LEN + 8 + 4 + 8 + 4);
	free(msg);
}

static void test_request_round_trip_limits(void)
{
	size_t n = DC_PROTO_BLOB_MAX;
	uint8_t *c = malloc(n), *k = malloc(n), *p = malloc(n);
	struct dc_request req;

	memset(c, 'c', n);
	memset(k, 0, n);
	memset(p, 0xff, n);
	memset(&req, 0, sizeof(req));
	memset(req.verb, 'v', DC_PROTO_STR_MAX);
	memset(req.arg1, '1', DC_PROTO_STR_MAX);
	memset(req.arg2, '2', DC_PROTO_STR_MAX);
	memset(req.source, 's', DC_PROTO_SOURCE_MAX);
	memset(req.csr.key_type, 'k', DC_PROTO_STR_MAX);
	memset(req.csr.keep_key, 'p', DC_PROTO_STR_MAX);
	memset(req.csr.cn, 'c', DC_PROTO_NAME_MAX);
	memset(req.csr.org, 'o', DC_PROTO_NAME_MAX);
	memset(req.csr.email, 'e', DC_PROTO_NAME_MAX);
	memset(req.csr.country, 'C', DC_PROTO_NAME_MAX);
	memset(req.csr.state, 'S', DC_PROTO_NAME_MAX);
	memset(req.csr.san, 'A', DC_PROTO_SAN_MAX);
	req.flags = UINT32_MAX;
	req.cert = (struct dc_buf){ c, n };
	req.key = (struct dc_buf){ k, n };
	req.passphrase = (struct dc_buf){ p, n };
	round_trip_request(&req);
	free(c);
	free(k);
	free(p);
}

static void round_trip_response(const struct dc_response *resp)
{
	struct dc_response back;
	const char *why = "unset";
	uint8_t *msg, *copy;
	size_t len = 0;

	dc_response_encode(resp, &msg, &len);
	if (!CHECK(msg != NULL))
		return;
	if (CHECK_EQ(parse_resp(msg, len, &back, &why, &copy), 0)) {
		CHECK(why == NULL);
		CHECK_EQ(back.status, resp->status);
		CHECK(buf_eq(&back.out, resp->out.data, resp->out.len));
		CHECK(buf_eq(&back.err, resp->err.data, resp->err.len));
		CHECK(buf_eq(&back.csr, resp->csr.data, resp->csr.len));
		CHECK(buf_eq(&back.csr_key, resp->csr_key.data, resp->csr_key.len));
		CHECK(!strcmp(back.file_name, resp->file_name));
		CHECK(!strcmp(back.slot, resp->slot));
		CHECK(back.generation == resp->generation);
		CHECK(buf_eq(&back.stamp, resp->stamp.data, resp->stamp.len));
		CHECK(buf_eq(&back.chain, resp->chain.data, resp->chain.len));
		CHECK_EQ(back.may_sign, resp->may_sign);
		CHECK(buf_eq(&back.signature, resp->signature.data, resp->signature.len));
	} else {
		printf("# refused: %s\n", why);
	}
	free(copy);
	free(msg);
}

static void test_response_round_trip(void)
{
	static const char out[] = "platform1  present  installed\n\0binary\xff";
	static const char err[] = "credctl: app1: refused\n";
	struct dc_response resp = {
		.status = 1,
		.out = { (const uint8_t *)out, sizeof(out) },
		.err = { (const uint8_t *)err, sizeof(err) - 1 },
	};

	round_trip_response(&resp);
	resp.status = 0;
	round_trip_response(&resp);
	resp.status = 2;
	resp.out.len = 0;
	round_trip_response(&resp);
}

/* What "csr" answers: the request, its key, the file name. */
static void test_response_round_trip_csr(void)
{
	static const char csr[] = "-----BEGIN CERTIFICATE REQUEST-----\nMIIC\n";
	static const uint8_t key[] = { 0x30, 0x82, 0, 0xff, '\n' };
	struct dc_response resp = {
		.status = 0,
		.csr = { (const uint8_t *)csr, sizeof(csr) - 1 },
		.csr_key = { key, sizeof(key) },
		.file_name = "525400123456",
	};

	round_trip_response(&resp);
	resp.csr_key.len = 0;
	round_trip_response(&resp);
	memset(resp.file_name, 'f', DC_PROTO_STR_MAX);
	round_trip_response(&resp);
}

/* What "credential" and "sign" answer (the devcred provider's requests). */
static void test_response_round_trip_key_use(void)
{
	static const char chain[] = "-----BEGIN CERTIFICATE-----\nMIIB\n";
	static uint8_t sig[DC_PROTO_SIG_MAX];
	struct dc_response resp = {
		.slot = "platform2",
		.generation = UINT64_MAX,
		.stamp = { stamp_bytes, sizeof(stamp_bytes) },
		.chain = { (const uint8_t *)chain, sizeof(chain) - 1 },
		.may_sign = 1,
	};

	round_trip_response(&resp);
	memset(sig, 0xa5, sizeof(sig));
	resp = (struct dc_response){ .signature = { sig, sizeof(sig) } };
	round_trip_response(&resp);
	resp.signature.len = 71;
	round_trip_response(&resp);
}

/* A request's key use at each field's limit, and a u64 of 0 left out. */
static void test_request_round_trip_key_use(void)
{
	static uint8_t digest[DC_PROTO_DIGEST_MAX];
	struct dc_request req = { .verb = "sign", .arg1 = "op=802.1x" };
	uint8_t *msg;
	size_t len, plain;

	dc_request_encode(&req, &msg, &len);
	plain = len;
	free(msg);
	req.use.generation = 1;
	dc_request_encode(&req, &msg, &len);
	CHECK_EQ(len, plain + 8 + 8);
	free(msg);
	memset(digest, 0xee, sizeof(digest));
	memset(req.use.slot, 's', DC_PROTO_STR_MAX);
	req.use.generation = UINT64_MAX;
	req.use.digest = (struct dc_buf){ digest, sizeof(digest) };
	req.use.stamp = (struct dc_buf){ stamp_bytes, sizeof(stamp_bytes) };
	req.use.salt_len = 1;
	round_trip_request(&req);
}

/* A status of 0xffffffff is a status, not "none": absence is tracked apart. */
static void test_response_round_trip_status_only(void)
{
	struct dc_response resp = { .status = UINT32_MAX };

	round_trip_response(&resp);
	resp.status = 0;
	round_trip_response(&resp);
}

static void test_response_round_trip_limits(void)
{
	size_t n = DC_PROTO_TEXT_MAX;
	uint8_t *t = malloc(n);
	struct dc_response resp = { .status = 0, .out = { t, n } };

	memset(t, 'o', n);
	round_trip_response(&resp);
	resp.out.len = 0;
	resp.err = (struct dc_buf){ t, n };
	round_trip_response(&resp);
	free(t);
}

/* The encoders refuse what the parsers would. */

static void check_encode_refused(const struct dc_request *req)
{
	uint8_t *msg;
	size_t len = 12345;

	CHECK_EQ(dc_request_encode(req, &msg, &len), -EINVAL);
	CHECK_EQ(len, 12345);
}

static void test_encode_refuses_long_string(void)
{
	struct dc_request req;

	full_request(&req);
	memset(req.arg1, 'x', sizeof(req.arg1));	/* no NUL within the array */
	check_encode_refused(&req);
	full_request(&req);
	memset(req.source, 'x', DC_PROTO_SOURCE_MAX + 1);
	check_encode_refused(&req);
	full_request(&req);
	memset(req.csr.cn, 'x', DC_PROTO_NAME_MAX + 1);
	check_encode_refused(&req);
	full_request(&req);
	memset(req.csr.keep_key, 'x', DC_PROTO_STR_MAX + 1);
	check_encode_refused(&req);
}

/* Each string at its own limit: a 65-byte source or a 100-byte CN is fine. */
static void test_encode_string_limits_per_field(void)
{
	struct dc_request req;

	full_request(&req);
	memset(req.source, 'x', DC_PROTO_STR_MAX + 1);
	memset(req.csr.email, 'e', DC_PROTO_STR_MAX + 36);
	round_trip_request(&req);
}

static void test_encode_refuses_file_name(void)
{
	uint8_t *msg;
	struct dc_response resp = { .status = 0 };
	size_t len = 1;

	memset(resp.file_name, 'x', sizeof(resp.file_name));	/* no NUL inside */
	CHECK_EQ(dc_response_encode(&resp, &msg, &len), -EINVAL);
	strcpy(resp.file_name, "a/b\n");
	CHECK_EQ(dc_response_encode(&resp, &msg, &len), -EINVAL);
}

static void test_encode_refuses_control_char(void)
{
	struct dc_request req;

	full_request(&req);
	strcpy(req.arg1, "app1\nforged log line");
	check_encode_refused(&req);
}

static void test_encode_refuses_missing_verb(void)
{
	struct dc_request req;

	full_request(&req);
	req.verb[0] = '\0';
	check_encode_refused(&req);
}

static void test_encode_refuses_long_blob(void)
{
	uint8_t *b = calloc(1, DC_PROTO_BLOB_MAX + 1);
	struct dc_request req;

	full_request(&req);
	req.key = (struct dc_buf){ b, DC_PROTO_BLOB_MAX + 1 };
	check_encode_refused(&req);
	free(b);
}

static void test_encode_refuses_long_text(void)
{
	uint8_t *msg;
	uint8_t *t = calloc(1, DC_PROTO_TEXT_MAX + 1);
	struct dc_response resp = { .err = { t, DC_PROTO_TEXT_MAX + 1 } };
	size_t len;

	CHECK_EQ(dc_response_encode(&resp, &msg, &len), -EINVAL);
	/* Both texts at their limit make a message over DC_PROTO_MSG_MAX. */
	resp.out = (struct dc_buf){ t, DC_PROTO_TEXT_MAX };
	resp.err = (struct dc_buf){ t, DC_PROTO_TEXT_MAX };
	CHECK_EQ(dc_response_encode(&resp, &msg, &len), -EINVAL);
	free(t);
}

/* The header. */

static void test_refuse_empty(void)
{
	struct msg m = { 0 };
	uint8_t one = 0;

	CHECK_REQ_REFUSED(&m, -EBADMSG, "shorter than its header");
	CHECK_RESP_REFUSED(&m, -EBADMSG, "shorter than its header");
	m_raw(&m, &one, 1);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "shorter than its header");
	m_free(&m);
}

static void test_refuse_short_header(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m.len = DC_PROTO_HDR_LEN - 1;
	CHECK_REQ_REFUSED(&m, -EBADMSG, "shorter than its header");
	m_free(&m);
}

static void test_refuse_wrong_magic(void)
{
	struct msg m;

	m_response(&m);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "wrong magic");
	m_free(&m);
	m_request(&m);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "wrong magic");
	put_u32_at(m.b, 0x44435251);	/* "QRCD": the wrong byte order */
	CHECK_REQ_REFUSED(&m, -EBADMSG, "wrong magic");
	m_free(&m);
}

static void test_refuse_wrong_version(void)
{
	static const uint32_t versions[] = { 0, 2, 0x01000000, UINT32_MAX };
	struct msg m;
	size_t i;

	m_request(&m);
	m_end(&m);
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		put_u32_at(m.b + 4, versions[i]);
		CHECK_REQ_REFUSED(&m, -EPROTO, "version");
	}
	m_free(&m);
	m_response(&m);
	m_end(&m);
	put_u32_at(m.b + 4, 2);
	CHECK_RESP_REFUSED(&m, -EPROTO, "version");
	m_free(&m);
}

static void test_refuse_length_too_big(void)
{
	struct msg m;

	m_request(&m);
	m_end(&m);
	put_u32_at(m.b + 8, m.len - DC_PROTO_HDR_LEN + 1);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "length in the header");
	put_u32_at(m.b + 8, UINT32_MAX);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "length in the header");
	put_u32_at(m.b + 8, UINT32_MAX - DC_PROTO_HDR_LEN + 1);	/* wraps to 0 in u32 */
	CHECK_REQ_REFUSED(&m, -EBADMSG, "length in the header");
	m_free(&m);
}

/* Trailing bytes after what the header announces. */
static void test_refuse_length_too_small(void)
{
	struct msg m;

	m_request(&m);
	m_end(&m);
	m_raw(&m, "\0\0\0\0", 4);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "length in the header");
	m_free(&m);
	m_response(&m);
	m_end(&m);
	m_raw(&m, "x", 1);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "length in the header");
	m_free(&m);
}

static void test_refuse_oversize_message(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m_fill(&m, DC_F_CERT, DC_PROTO_MSG_MAX + 1 - DC_PROTO_HDR_LEN - 8);
	m_end(&m);
	CHECK_EQ(m.len, DC_PROTO_MSG_MAX + 1);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than DC_PROTO_MSG_MAX");
	m_free(&m);
}

/* Field headers. */

static void test_refuse_truncated_field_header(void)
{
	size_t extra;
	struct msg m;

	for (extra = 1; extra < 8; extra++) {
		m_request(&m);
		m_raw(&m, "\x02\0\0\0\0\0\0", extra);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "truncated field header");
		m_free(&m);
	}
}

static void test_refuse_field_past_end(void)
{
	struct msg m;

	m_request(&m);
	m_field_raw(&m, DC_F_ARG1, 0, 5, "app1", 4);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than the rest");
	m_free(&m);
}

/* Lengths near 2^32 must not wrap the bounds check around. */
static void test_refuse_field_length_overflow(void)
{
	static const uint32_t lens[] = { UINT32_MAX, UINT32_MAX - 7, UINT32_MAX - 11,
					 0x80000000u, DC_PROTO_MSG_MAX };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		m_request(&m);
		m_field_raw(&m, DC_F_CERT, 0, lens[i], "abcd", 4);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than the rest");
		m_free(&m);
		m_response(&m);
		m_field_raw(&m, DC_F_STDOUT, 0, lens[i], "abcd", 4);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "longer than the rest");
		m_free(&m);
	}
}

static void test_refuse_reserved(void)
{
	static const uint16_t bits[] = { 1, 0x0100, 0x8000, 0xffff };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		m_request(&m);
		m_field_raw(&m, DC_F_ARG1, bits[i], 4, "app1", 4);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "reserved");
		m_free(&m);
		m_response(&m);
		m_field_raw(&m, DC_F_STDOUT, bits[i], 2, "ok", 2);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "reserved");
		m_free(&m);
	}
}

/* Reserved bits on the very first field (the verb) too. */
static void test_refuse_reserved_on_verb(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m_field_raw(&m, DC_F_VERB, 0x0001, 4, "list", 4);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "reserved");
	m_free(&m);
}

static void test_refuse_unknown_type(void)
{
	static const uint16_t types[] = { 0, 34, 35, 63, 64, 0x100, 0xffff };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m_request(&m);
		m_field(&m, types[i], "x", 1);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "unknown field type");
		m_free(&m);
		m_response(&m);
		m_field(&m, types[i], "x", 1);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "unknown field type");
		m_free(&m);
	}
}

static void test_refuse_response_field_in_request(void)
{
	static const uint16_t types[] = { DC_F_STATUS, DC_F_STDOUT, DC_F_STDERR, DC_F_CSR,
					  DC_F_CSR_KEY, DC_F_FILE_NAME, DC_F_CHAIN, DC_F_MAY_SIGN,
					  DC_F_SIGNATURE };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m_request(&m);
		m_field(&m, types[i], "\0\0\0\0", 4);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "response field in a request");
		m_free(&m);
	}
}

static void test_refuse_request_field_in_response(void)
{
	static const uint16_t types[] = { DC_F_VERB, DC_F_ARG1, DC_F_ARG2, DC_F_FLAGS,
					  DC_F_CERT, DC_F_KEY, DC_F_PASSPHRASE, DC_F_SOURCE,
					  DC_F_KEY_TYPE, DC_F_KEEP_KEY, DC_F_SUBJ_CN, DC_F_SUBJ_O,
					  DC_F_SUBJ_EMAIL, DC_F_SUBJ_C, DC_F_SUBJ_ST, DC_F_SIG_ALG,
					  DC_F_DIGEST_ALG, DC_F_MGF1_ALG, DC_F_SALT_LEN, DC_F_DIGEST, DC_F_SAN };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m_response(&m);
		m_field(&m, types[i], "list", 4);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "request field in a response");
		m_free(&m);
	}
}

/* Every request field type twice, each in its own message. */
static void test_refuse_duplicate_request_fields(void)
{
	static const uint16_t types[] = { DC_F_VERB, DC_F_ARG1, DC_F_ARG2, DC_F_FLAGS,
					  DC_F_CERT, DC_F_KEY, DC_F_PASSPHRASE, DC_F_SOURCE,
					  DC_F_KEY_TYPE, DC_F_KEEP_KEY, DC_F_SUBJ_CN, DC_F_SUBJ_O,
					  DC_F_SUBJ_EMAIL, DC_F_SUBJ_C, DC_F_SUBJ_ST, DC_F_SLOT,
					  DC_F_STAMP, DC_F_SIG_ALG, DC_F_DIGEST_ALG, DC_F_MGF1_ALG,
					  DC_F_SALT_LEN, DC_F_DIGEST, DC_F_SAN };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m_request(&m);
		m_field(&m, types[i], "abcd", 4);
		if (types[i] != DC_F_VERB)
			m_field(&m, types[i], "abcd", 4);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "field repeated");
		m_free(&m);
	}
}

static void test_refuse_duplicate_response_fields(void)
{
	static const uint16_t types[] = { DC_F_STATUS, DC_F_STDOUT, DC_F_STDERR, DC_F_CSR,
					  DC_F_CSR_KEY, DC_F_FILE_NAME, DC_F_SLOT, DC_F_STAMP,
					  DC_F_CHAIN, DC_F_MAY_SIGN, DC_F_SIGNATURE };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		/* Four bytes valid as a status, a text, a blob and a string. */
		const char *v = types[i] == DC_F_STATUS ? "\0\0\0\0" : "abcd";

		m_response(&m);
		m_field(&m, types[i], v, 4);
		if (types[i] != DC_F_STATUS)
			m_field(&m, types[i], v, 4);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "field repeated");
		m_free(&m);
	}
}

/* A repeat is refused even when the two are far apart and the first empty. */
static void test_refuse_duplicate_apart(void)
{
	struct msg m;

	m_request(&m);
	m_field(&m, DC_F_CERT, "", 0);
	m_str(&m, DC_F_ARG1, "app1");
	m_field_u32(&m, DC_F_FLAGS, 0);
	m_str(&m, DC_F_CERT, "x");
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "field repeated");
	m_free(&m);
}

/* Strings. */

/* Every string field of a request, and its limit. */
static const struct { uint16_t type; uint32_t max; } req_strings[] = {
	{ DC_F_VERB, DC_PROTO_STR_MAX }, { DC_F_ARG1, DC_PROTO_STR_MAX },
	{ DC_F_ARG2, DC_PROTO_STR_MAX }, { DC_F_SOURCE, DC_PROTO_SOURCE_MAX },
	{ DC_F_KEY_TYPE, DC_PROTO_STR_MAX }, { DC_F_KEEP_KEY, DC_PROTO_STR_MAX },
	{ DC_F_SUBJ_CN, DC_PROTO_NAME_MAX }, { DC_F_SUBJ_O, DC_PROTO_NAME_MAX },
	{ DC_F_SUBJ_EMAIL, DC_PROTO_NAME_MAX }, { DC_F_SUBJ_C, DC_PROTO_NAME_MAX },
	{ DC_F_SUBJ_ST, DC_PROTO_NAME_MAX }, { DC_F_SAN, DC_PROTO_SAN_MAX },
};

static void test_refuse_string_with_nul(void)
{
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req_strings); i++) {
		m_begin(&m, DC_PROTO_REQUEST);
		if (req_strings[i].type != DC_F_VERB)
			m_str(&m, DC_F_VERB, "show");
		m_field(&m, req_strings[i].type, "app1\0app2", 9);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "holding a NUL");
		m_free(&m);
	}
	m_response(&m);
	m_field(&m, DC_F_FILE_NAME, "a\0b", 3);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "holding a NUL");
	m_free(&m);
	m_request(&m);
	m_field(&m, DC_F_ARG1, "\0", 1);	/* a lone NUL, not a "" */
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "holding a NUL");
	m_free(&m);
}

static void test_refuse_string_with_control_char(void)
{
	static const char *const bad[] = { "app1\n", "\r", "\x1b[31m", "a\tb", "\x7f" };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		m_request(&m);
		m_str(&m, DC_F_SOURCE, bad[i]);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "control character");
		m_free(&m);
	}
}

static void test_refuse_long_string(void)
{
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req_strings); i++) {
		m_begin(&m, DC_PROTO_REQUEST);
		if (req_strings[i].type != DC_F_VERB)
			m_str(&m, DC_F_VERB, "show");
		m_fill(&m, req_strings[i].type, req_strings[i].max + 1);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than its limit");
		m_free(&m);
	}
	m_response(&m);
	m_fill(&m, DC_F_FILE_NAME, DC_PROTO_STR_MAX + 1);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "longer than its limit");
	m_free(&m);
}

/* The string @type of a parsed request. */
static const char *req_string(const struct dc_request *r, uint16_t type)
{
	switch (type) {
	case DC_F_VERB: return r->verb;
	case DC_F_ARG1: return r->arg1;
	case DC_F_ARG2: return r->arg2;
	case DC_F_SOURCE: return r->source;
	case DC_F_KEY_TYPE: return r->csr.key_type;
	case DC_F_KEEP_KEY: return r->csr.keep_key;
	case DC_F_SUBJ_CN: return r->csr.cn;
	case DC_F_SUBJ_O: return r->csr.org;
	case DC_F_SUBJ_EMAIL: return r->csr.email;
	case DC_F_SUBJ_C: return r->csr.country;
	case DC_F_SAN: return r->csr.san;
	default: return r->csr.state;
	}
}

/* Each string at its own limit is fine, and comes back NUL-terminated. */
static void test_accept_string_at_limit(void)
{
	struct dc_response resp;
	struct dc_request req;
	const char *why;
	uint8_t *copy;
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req_strings); i++) {
		m_begin(&m, DC_PROTO_REQUEST);
		if (req_strings[i].type != DC_F_VERB)
			m_str(&m, DC_F_VERB, "show");
		m_fill(&m, req_strings[i].type, req_strings[i].max);
		m_end(&m);
		CHECK_EQ(parse_req(m.b, m.len, &req, &why, &copy), 0);
		CHECK_EQ(strlen(req_string(&req, req_strings[i].type)), req_strings[i].max);
		free(copy);
		m_free(&m);
	}
	m_response(&m);
	m_fill(&m, DC_F_FILE_NAME, DC_PROTO_STR_MAX);
	m_end(&m);
	CHECK_EQ(parse_resp(m.b, m.len, &resp, &why, &copy), 0);
	CHECK_EQ(strlen(resp.file_name), DC_PROTO_STR_MAX);
	free(copy);
	m_free(&m);
}

/* Blobs and texts. */

static void test_refuse_long_cert(void)
{
	struct msg m;

	m_request(&m);
	m_fill(&m, DC_F_CERT, DC_PROTO_BLOB_MAX + 1);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than DC_PROTO_BLOB_MAX");
	m_free(&m);
}

static void test_refuse_long_key(void)
{
	struct msg m;

	m_request(&m);
	m_fill(&m, DC_F_KEY, DC_PROTO_BLOB_MAX + 1);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than DC_PROTO_BLOB_MAX");
	m_free(&m);
}

static void test_refuse_long_passphrase(void)
{
	struct msg m;

	m_request(&m);
	m_fill(&m, DC_F_PASSPHRASE, DC_PROTO_BLOB_MAX + 1);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "longer than DC_PROTO_BLOB_MAX");
	m_free(&m);
}

static void test_refuse_long_text(void)
{
	static const uint16_t types[] = { DC_F_STDOUT, DC_F_STDERR };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		m_response(&m);
		m_fill(&m, types[i], DC_PROTO_TEXT_MAX + 1);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "longer than DC_PROTO_TEXT_MAX");
		m_free(&m);
	}
}

/* The key use's blobs have their own limits. */
static void test_refuse_long_key_use_blobs(void)
{
	struct msg m;

	m_request(&m);
	m_fill(&m, DC_F_DIGEST, DC_PROTO_DIGEST_MAX + 1);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "digest longer than DC_PROTO_DIGEST_MAX");
	m_free(&m);
	m_request(&m);
	m_fill(&m, DC_F_STAMP, DC_PROTO_STAMP_LEN + 1);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "stamp longer than DC_PROTO_STAMP_LEN");
	m_free(&m);
	m_response(&m);
	m_fill(&m, DC_F_STAMP, DC_PROTO_STAMP_LEN + 1);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "stamp longer than DC_PROTO_STAMP_LEN");
	m_free(&m);
	m_response(&m);
	m_fill(&m, DC_F_SIGNATURE, DC_PROTO_SIG_MAX + 1);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "signature longer than DC_PROTO_SIG_MAX");
	m_free(&m);
}

/* Integers. */

/* A generation is 8 bytes, in a request and in a response; nothing else. */
static void test_refuse_generation_not_8_bytes(void)
{
	static const size_t lens[] = { 0, 4, 7, 9, 16 };
	static const uint8_t v[16] = { 1 };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		m_request(&m);
		m_field(&m, DC_F_GENERATION, v, lens[i]);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "not 8 bytes");
		m_free(&m);
		m_response(&m);
		m_field(&m, DC_F_GENERATION, v, lens[i]);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "not 8 bytes");
		m_free(&m);
	}
}

/* The pin's fields go both ways: the slot, its generation, its stamp. */
static void test_accept_pin_both_ways(void)
{
	static const uint8_t gen[8] = { 0x2a, 0, 0, 0, 0, 0, 0, 0x80 };
	struct dc_response resp;
	struct dc_request req;
	const char *why;
	uint8_t *copy;
	struct msg m;

	m_request(&m);
	m_str(&m, DC_F_SLOT, "app6");
	m_field(&m, DC_F_GENERATION, gen, 8);
	m_field(&m, DC_F_STAMP, stamp_bytes, sizeof(stamp_bytes));
	m_end(&m);
	if (CHECK_EQ(parse_req(m.b, m.len, &req, &why, &copy), 0)) {
		CHECK(!strcmp(req.use.slot, "app6"));
		CHECK(req.use.generation == 0x800000000000002aull);
		CHECK(buf_eq(&req.use.stamp, stamp_bytes, sizeof(stamp_bytes)));
	}
	free(copy);
	m_free(&m);
	m_response(&m);
	m_str(&m, DC_F_SLOT, "app6");
	m_field(&m, DC_F_GENERATION, gen, 8);
	m_field(&m, DC_F_STAMP, stamp_bytes, sizeof(stamp_bytes));
	m_end(&m);
	if (CHECK_EQ(parse_resp(m.b, m.len, &resp, &why, &copy), 0)) {
		CHECK(!strcmp(resp.slot, "app6"));
		CHECK(resp.generation == 0x800000000000002aull);
		CHECK(buf_eq(&resp.stamp, stamp_bytes, sizeof(stamp_bytes)));
	}
	free(copy);
	m_free(&m);
}

static void test_refuse_flags_not_4_bytes(void)
{
	static const size_t lens[] = { 0, 1, 3, 5, 8 };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		m_request(&m);
		m_field(&m, DC_F_FLAGS, "\1\0\0\0\0\0\0\0", lens[i]);
		m_end(&m);
		CHECK_REQ_REFUSED(&m, -EBADMSG, "not 4 bytes");
		m_free(&m);
	}
}

static void test_refuse_status_not_4_bytes(void)
{
	static const size_t lens[] = { 0, 2, 8 };
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		m_begin(&m, DC_PROTO_RESPONSE);
		m_field(&m, DC_F_STATUS, "\0\0\0\0\0\0\0\0", lens[i]);
		m_end(&m);
		CHECK_RESP_REFUSED(&m, -EBADMSG, "not 4 bytes");
		m_free(&m);
	}
}

/* Required fields. */

static void test_refuse_request_without_verb(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "without a command");
	m_free(&m);
	m_begin(&m, DC_PROTO_REQUEST);
	m_str(&m, DC_F_ARG1, "app1");
	m_field_u32(&m, DC_F_FLAGS, DC_REQ_JSON);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "without a command");
	m_free(&m);
}

static void test_refuse_request_with_empty_verb(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m_field(&m, DC_F_VERB, "", 0);
	m_end(&m);
	CHECK_REQ_REFUSED(&m, -EBADMSG, "without a command");
	m_free(&m);
}

static void test_refuse_response_without_status(void)
{
	struct msg m;

	m_begin(&m, DC_PROTO_RESPONSE);
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "without a status");
	m_free(&m);
	m_begin(&m, DC_PROTO_RESPONSE);
	m_str(&m, DC_F_STDOUT, "ok\n");
	m_str(&m, DC_F_STDERR, "");
	m_end(&m);
	CHECK_RESP_REFUSED(&m, -EBADMSG, "without a status");
	m_free(&m);
}

/* Field order is free; empty fields equal absent ones; @why may be NULL. */
static void test_accept_any_order_and_null_why(void)
{
	struct dc_request req;
	struct dc_response resp;
	uint8_t *copy;
	struct msg m;

	m_begin(&m, DC_PROTO_REQUEST);
	m_str(&m, DC_F_SOURCE, "-");
	m_field(&m, DC_F_KEY, "", 0);
	m_str(&m, DC_F_ARG2, "app1");
	m_str(&m, DC_F_VERB, "bind");
	m_str(&m, DC_F_ARG1, "sip");
	m_end(&m);
	CHECK_EQ(parse_req(m.b, m.len, &req, NULL, &copy), 0);
	CHECK(!strcmp(req.verb, "bind") && !strcmp(req.arg1, "sip") && !strcmp(req.arg2, "app1"));
	CHECK(req.key.len == 0 && req.cert.len == 0 && req.flags == 0);
	free(copy);
	m_free(&m);
	m_begin(&m, DC_PROTO_RESPONSE);
	m_str(&m, DC_F_STDERR, "e");
	m_field_u32(&m, DC_F_STATUS, 7);
	m_end(&m);
	CHECK_EQ(parse_resp(m.b, m.len, &resp, NULL, &copy), 0);
	CHECK_EQ(resp.status, 7);
	CHECK(buf_eq(&resp.err, "e", 1) && resp.out.len == 0);
	free(copy);
	m_free(&m);
}

/* Truncations. */

/* Offsets of the field boundaries of a well-formed message. */
static int is_boundary(const uint8_t *b, size_t len, size_t at)
{
	size_t off = DC_PROTO_HDR_LEN;

	while (off < len && off < at)
		off += 8 + (b[off + 4] | b[off + 5] << 8 | b[off + 6] << 16 |
			    (size_t)b[off + 7] << 24);
	return off == at;
}

/*
 * Every proper prefix is refused as it is; with its header length fixed to
 * match, it is refused unless it ends on a field boundary (then it is a
 * shorter valid message, accepted only with its required field).
 */
static void test_truncated_requests(void)
{
	struct dc_request req, back;
	uint8_t *msg, *cut, *copy;
	size_t len, n, bad = 0;
	const char *why;
	int ret;

	full_request(&req);
	dc_request_encode(&req, &msg, &len);
	if (!CHECK(msg))
		return;
	for (n = 0; n < len; n++) {
		bad += parse_req(msg, n, &back, &why, &copy) == 0;
		free(copy);
		if (n < DC_PROTO_HDR_LEN)
			continue;
		cut = malloc(n);
		memcpy(cut, msg, n);
		put_u32_at(cut + 8, n - DC_PROTO_HDR_LEN);
		ret = parse_req(cut, n, &back, &why, &copy);
		/* The verb is the first field: a boundary after it is valid. */
		if (is_boundary(msg, len, n) && n > DC_PROTO_HDR_LEN)
			bad += ret != 0;
		else
			bad += ret == 0;
		free(copy);
		free(cut);
	}
	CHECK_EQ(bad, 0);
	free(msg);
}

static void test_truncated_responses(void)
{
	static const char out[] = "slot state\napp1 empty\n", err[] = "warning\n";
	struct dc_response resp = {
		.status = 1, .out = { (const uint8_t *)out, sizeof(out) - 1 },
		.err = { (const uint8_t *)err, sizeof(err) - 1 },
		.csr = { (const uint8_t *)out, 5 }, .file_name = "525400123456",
	}, back;
	uint8_t *msg, *cut, *copy;
	size_t len, n, bad = 0;
	const char *why;
	int ret;

	dc_response_encode(&resp, &msg, &len);
	if (!CHECK(msg))
		return;
	for (n = 0; n < len; n++) {
		bad += parse_resp(msg, n, &back, &why, &copy) == 0;
		free(copy);
		if (n < DC_PROTO_HDR_LEN)
			continue;
		cut = malloc(n);
		memcpy(cut, msg, n);
		put_u32_at(cut + 8, n - DC_PROTO_HDR_LEN);
		ret = parse_resp(cut, n, &back, &why, &copy);
		if (is_boundary(msg, len, n) && n > DC_PROTO_HDR_LEN)
			bad += ret != 0;
		else
			bad += ret == 0;
		free(copy);
		free(cut);
	}
	CHECK_EQ(bad, 0);
	free(msg);
}

/* Mutations. */

static int inside(const uint8_t *msg, size_t len, const struct dc_buf *b)
{
	if (!b->len)
		return 1;
	return b->data >= msg && b->data <= msg + len && b->len <= (size_t)(msg + len - b->data);
}

static int str_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1), i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n <= max;
}

/* What an accepted request must satisfy, whatever the bytes were. */
static int request_sane(const uint8_t *msg, size_t len, const struct dc_request *r)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req_strings); i++)
		if (!str_ok(req_string(r, req_strings[i].type), req_strings[i].max))
			return 0;
	return r->verb[0] &&
	       inside(msg, len, &r->cert) && r->cert.len <= DC_PROTO_BLOB_MAX &&
	       inside(msg, len, &r->key) && r->key.len <= DC_PROTO_BLOB_MAX &&
	       inside(msg, len, &r->passphrase) && r->passphrase.len <= DC_PROTO_BLOB_MAX;
}

static int response_sane(const uint8_t *msg, size_t len, const struct dc_response *r)
{
	return inside(msg, len, &r->out) && r->out.len <= DC_PROTO_TEXT_MAX &&
	       inside(msg, len, &r->err) && r->err.len <= DC_PROTO_TEXT_MAX &&
	       inside(msg, len, &r->csr) && r->csr.len <= DC_PROTO_BLOB_MAX &&
	       inside(msg, len, &r->csr_key) && r->csr_key.len <= DC_PROTO_BLOB_MAX &&
	       str_ok(r->file_name, DC_PROTO_STR_MAX);
}

/* Parses @b (copied to an exact heap buffer); 0 when sane or refused. */
static int mutant_request(const uint8_t *b, size_t len, size_t *accepted)
{
	struct dc_request r;
	const char *why;
	uint8_t *copy;
	int bad = 0;

	if (!parse_req(b, len, &r, &why, &copy)) {
		++*accepted;
		bad = !request_sane(copy, len, &r);
	}
	free(copy);
	return bad;
}

static int mutant_response(const uint8_t *b, size_t len, size_t *accepted)
{
	struct dc_response r;
	const char *why;
	uint8_t *copy;
	int bad = 0;

	if (!parse_resp(b, len, &r, &why, &copy)) {
		++*accepted;
		bad = !response_sane(copy, len, &r);
	}
	free(copy);
	return bad;
}

static const uint8_t flip_values[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff };

/* Each byte of a valid request, each bit flipped, and set to 0 and 0xff. */
static void test_flip_every_request_byte(void)
{
	struct dc_request req;
	size_t len, i, j, bad = 0, accepted = 0;
	uint8_t *msg, saved;

	full_request(&req);
	dc_request_encode(&req, &msg, &len);
	if (!CHECK(msg))
		return;
	for (i = 0; i < len; i++) {
		saved = msg[i];
		for (j = 0; j < ARRAY_SIZE(flip_values); j++) {
			msg[i] = saved ^ flip_values[j];
			bad += mutant_request(msg, len, &accepted);
		}
		msg[i] = 0;
		bad += mutant_request(msg, len, &accepted);
		msg[i] = 0xff;
		bad += mutant_request(msg, len, &accepted);
		msg[i] = saved;
	}
	printf("# %zu bytes, %zu mutants accepted (payload bytes), none insane\n", len, accepted);
	CHECK_EQ(bad, 0);
	CHECK(accepted > 0 && accepted < len * (ARRAY_SIZE(flip_values) + 2));
	free(msg);
}

static void test_flip_every_response_byte(void)
{
	static const char out[] = "text\n";
	struct dc_response resp = {
		.out = { (const uint8_t *)out, 5 }, .err = { (const uint8_t *)out, 3 },
		.csr = { (const uint8_t *)out, 4 }, .csr_key = { (const uint8_t *)out, 2 },
		.file_name = "525400123456",
	};
	size_t len, i, j, bad = 0, accepted = 0;
	uint8_t *msg, saved;

	dc_response_encode(&resp, &msg, &len);
	if (!CHECK(msg))
		return;
	for (i = 0; i < len; i++) {
		saved = msg[i];
		for (j = 0; j < ARRAY_SIZE(flip_values); j++) {
			msg[i] = saved ^ flip_values[j];
			bad += mutant_response(msg, len, &accepted);
		}
		msg[i] = saved;
	}
	CHECK_EQ(bad, 0);
	free(msg);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 32;
}

/*
 * Random multi-byte mutations, most keeping the header length consistent
 * so that the field walker is what gets exercised, plus random cuts.
 */
static void test_random_mutations(void)
{
	struct dc_request req;
	size_t len, n, i, k, bad = 0, accepted = 0;
	uint8_t *msg, *m;

	full_request(&req);
	dc_request_encode(&req, &msg, &len);
	m = malloc(len);
	if (!CHECK(msg && m))
		return;
	for (i = 0; i < 200000; i++) {
		memcpy(m, msg, len);
		n = rng() % 4 ? len : rng() % (len + 1);
		for (k = 1 + rng() % 4; k; k--)
			m[DC_PROTO_HDR_LEN + rng() % (len - DC_PROTO_HDR_LEN)] = rng();
		if (n >= DC_PROTO_HDR_LEN && rng() % 2)
			put_u32_at(m + 8, n - DC_PROTO_HDR_LEN);
		bad += mutant_request(m, n, &accepted);
		bad += mutant_response(m, n, &accepted);
	}
	printf("# 200000 mutants, %zu accepted, none insane\n", accepted);
	CHECK_EQ(bad, 0);
	free(m);
	free(msg);
}

/* Random field soup behind a valid header: lengths, types, reserved bits. */
static void test_random_fields(void)
{
	size_t i, k, bad = 0, accepted = 0;
	uint8_t val[80];
	struct msg m;

	for (i = 0; i < 50000; i++) {
		m_begin(&m, i % 2 ? DC_PROTO_RESPONSE : DC_PROTO_REQUEST);
		for (k = rng() % 6; k; k--) {
			uint32_t n = rng() % sizeof(val), claimed = rng() % 8 ? n : rng();
			size_t j;

			for (j = 0; j < n; j++)
				val[j] = rng() % 3 ? 'a' + rng() % 26 : rng();
			m_field_raw(&m, rng() % 8 ? rng() % 20 : rng(), rng() % 16 ? 0 : rng(),
				    claimed, val, n);
		}
		m_end(&m);
		bad += mutant_request(m.b, m.len, &accepted);
		bad += mutant_response(m.b, m.len, &accepted);
		m_free(&m);
	}
	printf("# 50000 random messages, %zu accepted, none insane\n", accepted);
	CHECK_EQ(bad, 0);
}

/* The socket helpers. */

/* Child: writes @msg to sv[0] in @chunk pieces, @delay_ms apart. */
static pid_t writer(int sv[2], const uint8_t *msg, size_t len, size_t chunk, int delay_ms)
{
	int fd = sv[0];
	pid_t pid = fork();
	size_t off, n;

	if (pid)
		return pid;
	close(sv[1]);	/* the reader's end is the parent's alone */
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (dc_write_all(fd, msg + off, n))
			_exit(1);
		if (delay_ms)
			usleep(delay_ms * 1000);
	}
	_exit(0);
}

static int reap(pid_t pid)
{
	int st = -1;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_read_message_large(void)
{
	size_t n = DC_PROTO_BLOB_MAX;
	uint8_t *blob = malloc(n), *msg, *got;
	struct dc_request req, back;
	size_t len, glen = 0;
	const char *why;
	int sv[2];
	pid_t pid;

	memset(blob, 0x42, n);
	full_request(&req);
	req.cert = req.key = req.passphrase = (struct dc_buf){ blob, n };
	dc_request_encode(&req, &msg, &len);
	if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = writer(sv, msg, len, len, 0);
	close(sv[0]);
	dc_read_message(sv[1], DC_PROTO_REQUEST, 5000, &got, &glen);
	CHECK(got != NULL);
	CHECK_EQ(glen, len);
	CHECK(got && !memcmp(got, msg, len));
	CHECK(got && !dc_request_parse(got, glen, &back, &why) && back.cert.len == n);
	CHECK_EQ(reap(pid), 0);
	close(sv[1]);
	free(got);
	free(msg);
	free(blob);
}

/* A message in many small pieces, arriving within the time limit. */
static void test_read_message_in_pieces(void)
{
	struct dc_response resp = { .status = 2, .out = { (const uint8_t *)"abcdefghij", 10 } };
	uint8_t *msg, *got;
	size_t len, glen = 0;
	int sv[2];
	pid_t pid;

	dc_response_encode(&resp, &msg, &len);
	if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = writer(sv, msg, len, 3, 5);
	close(sv[0]);
	dc_read_message(sv[1], DC_PROTO_RESPONSE, 5000, &got, &glen);
	CHECK(got && glen == len && !memcmp(got, msg, len));
	CHECK_EQ(reap(pid), 0);
	close(sv[1]);
	free(got);
	free(msg);
}

static void test_read_message_timeout(void)
{
	uint8_t *got;
	struct timespec t0, t1;
	size_t len = 77;
	long ms;
	int sv[2];

	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(dc_read_message(sv[1], DC_PROTO_REQUEST, 150, &got, &len), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 140 && ms < 2000);
	CHECK_EQ(len, 77);
	close(sv[0]);
	close(sv[1]);
}

/* The time limit is for the whole message: a trickle cannot stretch it. */
static void test_read_message_trickle_times_out(void)
{
	uint8_t *got;
	struct dc_response resp = { .status = 0, .out = { (const uint8_t *)"0123456789012345", 16 } };
	uint8_t *msg;
	size_t len, glen;
	int sv[2];
	pid_t pid;

	dc_response_encode(&resp, &msg, &len);
	if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = writer(sv, msg, len, 1, 40);	/* ~1.5 s in all */
	close(sv[0]);
	CHECK_EQ(dc_read_message(sv[1], DC_PROTO_RESPONSE, 300, &got, &glen), -ETIMEDOUT);
	close(sv[1]);
	CHECK_EQ(reap(pid), 1);	/* its write failed once the reader was gone */
	free(msg);
}

static void test_read_message_short(void)
{
	uint8_t *got;
	struct dc_request req = { .verb = "status" };
	uint8_t *msg;
	size_t len, glen, cut;
	int sv[2];

	dc_request_encode(&req, &msg, &len);
	for (cut = 0; cut < len; cut += 5) {
		if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
			return;
		CHECK_EQ(dc_write_all(sv[0], msg, cut), 0);
		close(sv[0]);
		CHECK_EQ(dc_read_message(sv[1], DC_PROTO_REQUEST, 1000, &got, &glen), -ECONNRESET);
		close(sv[1]);
	}
	free(msg);
}

/* A bad magic or an announced size over the limit: refused before reading on. */
static void test_read_message_bad_header(void)
{
	uint8_t *got;
	uint8_t hdr[DC_PROTO_HDR_LEN];
	size_t glen;
	int sv[2], i;

	for (i = 0; i < 3; i++) {
		if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
			return;
		put_u32_at(hdr, i == 0 ? DC_PROTO_RESPONSE : DC_PROTO_REQUEST);
		put_u32_at(hdr + 4, DC_PROTO_VERSION);
		put_u32_at(hdr + 8, i == 1 ? UINT32_MAX : DC_PROTO_MSG_MAX - DC_PROTO_HDR_LEN + 1);
		CHECK_EQ(dc_write_all(sv[0], hdr, sizeof(hdr)), 0);
		CHECK_EQ(dc_read_message(sv[1], DC_PROTO_REQUEST, 1000, &got, &glen), -EBADMSG);
		close(sv[0]);
		close(sv[1]);
	}
}

/* The event loop's reader: a request as it comes, without waiting. */
static void test_reader_pieces(void)
{
	struct dc_request req = { .verb = "list" };
	struct dc_reader r;
	uint8_t *msg, *got;
	size_t len, glen, i;
	int sv[2];

	dc_request_encode(&req, &msg, &len);
	if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	dc_reader_init(&r, DC_PROTO_REQUEST, 4096);
	CHECK_EQ(dc_reader_feed(&r, sv[1]), 0);	/* nothing yet: no waiting */
	for (i = 0; i < len; i++) {
		CHECK_EQ(dc_write_all(sv[0], msg + i, 1), 0);
		CHECK_EQ(dc_reader_feed(&r, sv[1]), i + 1 < len ? 0 : 1);
	}
	got = dc_reader_take(&r, &glen);
	CHECK(got && glen == len && !memcmp(got, msg, len));
	free(got);
	dc_reader_free(&r);
	close(sv[0]);
	close(sv[1]);
	free(msg);
}

/* A caller's limit below the protocol's: -EMSGSIZE from the header alone. */
static void test_reader_limit(void)
{
	uint8_t hdr[DC_PROTO_HDR_LEN];
	struct dc_reader r;
	int sv[2];

	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	put_u32_at(hdr, DC_PROTO_REQUEST);
	put_u32_at(hdr + 4, DC_PROTO_VERSION);
	put_u32_at(hdr + 8, 4096);	/* 4108 bytes in all */
	CHECK_EQ(dc_write_all(sv[0], hdr, sizeof(hdr)), 0);
	dc_reader_init(&r, DC_PROTO_REQUEST, 4096);
	CHECK_EQ(dc_reader_feed(&r, sv[1]), -EMSGSIZE);
	CHECK(!r.msg);	/* nothing was allocated for it */
	dc_reader_free(&r);
	close(sv[0]);
	CHECK_EQ(dc_reader_feed(&(struct dc_reader){ .magic = DC_PROTO_REQUEST, .max = 4096 }, sv[1]),
		 -ECONNRESET);
	close(sv[1]);
}

/* The largest announced size is read; the version is the parser's to judge. */
static void test_read_message_at_limit(void)
{
	uint8_t *msg = calloc(1, DC_PROTO_MSG_MAX), *got;
	size_t glen = 0;
	int sv[2];
	pid_t pid;

	put_u32_at(msg, DC_PROTO_REQUEST);
	put_u32_at(msg + 4, 99);
	put_u32_at(msg + 8, DC_PROTO_MSG_MAX - DC_PROTO_HDR_LEN);
	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = writer(sv, msg, DC_PROTO_MSG_MAX, DC_PROTO_MSG_MAX, 0);
	close(sv[0]);
	dc_read_message(sv[1], DC_PROTO_REQUEST, 5000, &got, &glen);
	CHECK(got != NULL);
	CHECK_EQ(glen, DC_PROTO_MSG_MAX);
	CHECK_EQ(reap(pid), 0);
	close(sv[1]);
	free(got);
	free(msg);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * Starts (@on) or stops a 1 ms interval timer whose signal interrupts system
 * calls. The handler stays: a signal still in flight must not kill us.
 */
static void interrupt_often(int on)
{
	struct itimerval it = { { 0, on ? 1000 : 0 }, { 0, on ? 1000 : 0 } };
	struct sigaction sa = { .sa_handler = on_alarm };

	if (on) {
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;	/* no SA_RESTART: EINTR and short writes happen */
		sigaction(SIGALRM, &sa, NULL);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Child: reads sv[1] slowly and checks it got @len bytes of 0x37. */
static pid_t slow_reader(int sv[2], size_t len)
{
	int fd = sv[1];
	pid_t pid = fork();
	uint8_t buf[4096];
	size_t got = 0, i;
	ssize_t n;

	if (pid)
		return pid;
	close(sv[0]);	/* else no end of file */
	usleep(50000);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != 0x37)
				_exit(2);
		got += n;
		if (got % (64 * 1024) < sizeof(buf))
			usleep(2000);
	}
	_exit(got == len ? 0 : 1);
}

static void test_write_all_interrupted(void)
{
	size_t len = 3 * DC_PROTO_BLOB_MAX;
	uint8_t *buf = malloc(len);
	int sv[2], ret;
	pid_t pid;

	memset(buf, 0x37, len);
	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = slow_reader(sv, len);
	close(sv[1]);
	interrupt_often(1);
	ret = dc_write_all(sv[0], buf, len);
	interrupt_often(0);
	CHECK_EQ(ret, 0);
	close(sv[0]);
	CHECK_EQ(reap(pid), 0);
	free(buf);
}

static void test_read_message_interrupted(void)
{
	struct dc_response resp = { .status = 0, .out = { (const uint8_t *)"0123456789", 10 } };
	uint8_t *msg, *got;
	size_t len, glen = 0;
	int sv[2];
	pid_t pid;

	dc_response_encode(&resp, &msg, &len);
	if (!CHECK(msg && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	pid = writer(sv, msg, len, 4, 20);
	close(sv[0]);
	interrupt_often(1);
	dc_read_message(sv[1], DC_PROTO_RESPONSE, 5000, &got, &glen);
	interrupt_often(0);
	CHECK(got && glen == len && !memcmp(got, msg, len));
	CHECK_EQ(reap(pid), 0);
	close(sv[1]);
	free(got);
	free(msg);
}

/* A gone peer is -EPIPE, not a SIGPIPE that kills the daemon. */
static void test_write_all_closed_peer(void)
{
	uint8_t buf[64] = { 0 };
	int sv[2];

	if (!CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)))
		return;
	close(sv[1]);
	signal(SIGPIPE, SIG_DFL);
	CHECK_EQ(dc_write_all(sv[0], buf, sizeof(buf)), -EPIPE);
	close(sv[0]);
}

static void test_write_all_bad_fd(void)
{
	CHECK_EQ(dc_write_all(-1, (const uint8_t *)"x", 1), -EBADF);
	CHECK_EQ(dc_write_all(-1, NULL, 0), 0);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_request_round_trip, "request round trip, every field"),
	TAP_TEST(test_request_round_trip_minimal, "request round trip, verb only; absent fields not sent"),
	TAP_TEST(test_request_round_trip_limits, "request round trip, every field at its limit"),
	TAP_TEST(test_response_round_trip, "response round trip, every field"),
	TAP_TEST(test_response_round_trip_status_only, "response round trip, status only, 0 and 0xffffffff"),
	TAP_TEST(test_response_round_trip_limits, "response round trip, a text at its limit"),
	TAP_TEST(test_response_round_trip_csr, "response round trip: csr, its key, the file name"),
	TAP_TEST(test_response_round_trip_key_use, "response round trip: credential's pin and chain, sign's signature"),
	TAP_TEST(test_request_round_trip_key_use, "request round trip: sign's key use at its limits; a u64 of 0 not sent"),
	TAP_TEST(test_refuse_long_key_use_blobs, "refused: digest, stamp, signature over their limits"),
	TAP_TEST(test_refuse_generation_not_8_bytes, "refused: a generation not 8 bytes long, either way"),
	TAP_TEST(test_accept_pin_both_ways, "the slot, generation and stamp are taken in requests and responses"),
	TAP_TEST(test_encode_refuses_long_string, "encoder: a string over its field's limit is EINVAL"),
	TAP_TEST(test_encode_string_limits_per_field, "encoder: source and subject strings over 64 bytes are fine"),
	TAP_TEST(test_encode_refuses_file_name, "encoder: a response file name too long or with a newline is EINVAL"),
	TAP_TEST(test_encode_refuses_control_char, "encoder: string with a newline is EINVAL"),
	TAP_TEST(test_encode_refuses_missing_verb, "encoder: request without a verb is EINVAL"),
	TAP_TEST(test_encode_refuses_long_blob, "encoder: blob over DC_PROTO_BLOB_MAX is EINVAL"),
	TAP_TEST(test_encode_refuses_long_text, "encoder: text over its limit, message over DC_PROTO_MSG_MAX: EINVAL"),
	TAP_TEST(test_refuse_empty, "refused: empty and 1-byte messages"),
	TAP_TEST(test_refuse_short_header, "refused: 11-byte header"),
	TAP_TEST(test_refuse_wrong_magic, "refused: wrong magic (the other message's, byte-swapped)"),
	TAP_TEST(test_refuse_wrong_version, "refused: other versions, with -EPROTO"),
	TAP_TEST(test_refuse_length_too_big, "refused: header length over the message, near 2^32"),
	TAP_TEST(test_refuse_length_too_small, "refused: trailing bytes after the announced length"),
	TAP_TEST(test_refuse_oversize_message, "refused: message over DC_PROTO_MSG_MAX"),
	TAP_TEST(test_refuse_truncated_field_header, "refused: 1..7 bytes of a field header at the end"),
	TAP_TEST(test_refuse_field_past_end, "refused: field one byte longer than what is left"),
	TAP_TEST(test_refuse_field_length_overflow, "refused: field lengths near 2^32 (no wrap-around)"),
	TAP_TEST(test_refuse_reserved, "refused: reserved != 0 in requests and responses"),
	TAP_TEST(test_refuse_reserved_on_verb, "refused: reserved != 0 on the verb"),
	TAP_TEST(test_refuse_unknown_type, "refused: unknown field types (0, 23.., 0xffff)"),
	TAP_TEST(test_refuse_response_field_in_request, "refused: each response field in a request"),
	TAP_TEST(test_refuse_request_field_in_response, "refused: each request field in a response"),
	TAP_TEST(test_refuse_duplicate_request_fields, "refused: each request field twice"),
	TAP_TEST(test_refuse_duplicate_response_fields, "refused: each response field twice"),
	TAP_TEST(test_refuse_duplicate_apart, "refused: a repeat far from an empty first"),
	TAP_TEST(test_refuse_string_with_nul, "refused: NUL inside each string field"),
	TAP_TEST(test_refuse_string_with_control_char, "refused: control characters in strings"),
	TAP_TEST(test_refuse_long_string, "refused: each string field one byte over its limit"),
	TAP_TEST(test_accept_string_at_limit, "accepted: each string field at its limit"),
	TAP_TEST(test_refuse_long_cert, "refused: cert at DC_PROTO_BLOB_MAX + 1"),
	TAP_TEST(test_refuse_long_key, "refused: key at DC_PROTO_BLOB_MAX + 1"),
	TAP_TEST(test_refuse_long_passphrase, "refused: passphrase at DC_PROTO_BLOB_MAX + 1"),
	TAP_TEST(test_refuse_long_text, "refused: stdout, stderr at DC_PROTO_TEXT_MAX + 1"),
	TAP_TEST(test_refuse_flags_not_4_bytes, "refused: flags of 0, 1, 3, 5, 8 bytes"),
	TAP_TEST(test_refuse_status_not_4_bytes, "refused: status of 0, 2, 8 bytes"),
	TAP_TEST(test_refuse_request_without_verb, "refused: request without DC_F_VERB"),
	TAP_TEST(test_refuse_request_with_empty_verb, "refused: request with an empty verb"),
	TAP_TEST(test_refuse_response_without_status, "refused: response without DC_F_STATUS"),
	TAP_TEST(test_accept_any_order_and_null_why, "accepted: any field order, empty fields, why NULL"),
	TAP_TEST(test_truncated_requests, "every truncation of a request refused"),
	TAP_TEST(test_truncated_responses, "every truncation of a response refused"),
	TAP_TEST(test_flip_every_request_byte, "byte flips on a request: no crash, nothing out of bounds"),
	TAP_TEST(test_flip_every_response_byte, "byte flips on a response: no crash, nothing out of bounds"),
	TAP_TEST(test_random_mutations, "200000 random mutations and cuts: nothing out of bounds"),
	TAP_TEST(test_random_fields, "50000 random field sequences: nothing out of bounds"),
	TAP_TEST(test_read_message_large, "dc_read_message: a 768 KiB request over a socket"),
	TAP_TEST(test_read_message_in_pieces, "dc_read_message: a message in 3-byte pieces"),
	TAP_TEST(test_read_message_timeout, "dc_read_message: ETIMEDOUT when nothing comes"),
	TAP_TEST(test_read_message_trickle_times_out, "dc_read_message: the limit bounds the whole message"),
	TAP_TEST(test_read_message_short, "dc_read_message: ECONNRESET at every short length"),
	TAP_TEST(test_read_message_bad_header, "dc_read_message: EBADMSG for bad magic or size"),
	TAP_TEST(test_read_message_at_limit, "dc_read_message: a message of DC_PROTO_MSG_MAX"),
	TAP_TEST(test_read_message_interrupted, "dc_read_message: signals (EINTR) do not break it"),
	TAP_TEST(test_reader_pieces, "dc_reader: a request one byte at a time, never waiting"),
	TAP_TEST(test_reader_limit, "dc_reader: -EMSGSIZE over the caller's limit, -ECONNRESET at EOF"),
	TAP_TEST(test_write_all_interrupted, "dc_write_all: EINTR and short writes, 768 KiB intact"),
	TAP_TEST(test_write_all_closed_peer, "dc_write_all: -EPIPE, no SIGPIPE"),
	TAP_TEST(test_write_all_bad_fd, "dc_write_all: -EBADF; nothing to write is 0"),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}
