// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate and key input: PEM blocks (read with PEM_read_bio_ex() until
 * PEM_R_NO_START_LINE, as Linux certs/extract-cert.c does), DER
 * certificates and PKCS#7, and the diagnosis of input that is neither.
 */
#define _GNU_SOURCE	/* memmem() */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include "cred_internal.h"

enum block_kind {
	BLOCK_OTHER, BLOCK_CERT, BLOCK_TRUSTED_CERT, BLOCK_PKCS7,
	BLOCK_KEY, BLOCK_PUBKEY, BLOCK_IGNORED,
};

static const struct {
	const char *name;
	enum block_kind kind;
} block_kinds[] = {
	{ PEM_STRING_X509, BLOCK_CERT },
	{ PEM_STRING_X509_OLD, BLOCK_CERT },
	{ PEM_STRING_X509_TRUSTED, BLOCK_TRUSTED_CERT },
	{ PEM_STRING_PKCS7, BLOCK_PKCS7 },
	{ PEM_STRING_PKCS7_SIGNED, BLOCK_PKCS7 },
	{ PEM_STRING_PKCS8INF, BLOCK_KEY },
	{ PEM_STRING_PKCS8, BLOCK_KEY },
	{ PEM_STRING_RSA, BLOCK_KEY },
	{ PEM_STRING_ECPRIVATEKEY, BLOCK_KEY },
	{ PEM_STRING_DSA, BLOCK_KEY },
	{ PEM_STRING_PUBLIC, BLOCK_PUBKEY },
	{ PEM_STRING_RSA_PUBLIC, BLOCK_PUBKEY },
	/* "openssl ecparam -genkey" writes the curve before the key. */
	{ PEM_STRING_ECPARAMETERS, BLOCK_IGNORED },
};

/* One PEM block; @data is its decoded body. */
struct pem_block {
	char *name;
	char *header;
	unsigned char *data;
	long len;
	size_t begin;	/* byte offset of its -----BEGIN line */
	size_t end;	/* byte offset just after its -----END line */
};

static enum block_kind block_kind(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(block_kinds); i++)
		if (!strcmp(name, block_kinds[i].name))
			return block_kinds[i].kind;
	return BLOCK_OTHER;
}

static size_t find_begin(const struct cred_input *in, size_t from)
{
	static const char begin[] = "-----BEGIN ";
	const unsigned char *p;

	p = memmem(in->buf + from, in->len - from, begin, sizeof(begin) - 1);
	return p ? (size_t)(p - in->buf) : in->len;
}

bool cred_input_is_pem(const struct cred_input *in)
{
	return find_begin(in, 0) < in->len;
}

/*
 * Explanatory text may come before a block; binary data may not: it is a
 * DER file with PEM glued on, or damage.
 */
static int check_text(const struct cred_input *in, size_t from, size_t to,
		      struct cred_error *err)
{
	size_t i;

	for (i = from; i < to; i++) {
		unsigned char c = in->buf[i];

		if ((c < 0x20 && !isspace(c)) || c == 0x7f)
			return cred_err(err, -EBADMSG,
					"%s: binary data at byte offset %zu, before the PEM block at byte offset %zu",
					in->what, i, to);
	}
	return 0;
}

static int check_tail(const struct cred_input *in, size_t from,
		      struct cred_error *err)
{
	size_t i;

	for (i = from; i < in->len && isspace(in->buf[i]); i++)
		;
	if (i == in->len)
		return 0;
	return cred_err(err, -EBADMSG,
			"%s: trailing data at byte offset %zu (%zu bytes after the last PEM block, which ends at byte offset %zu); remove it",
			in->what, i, in->len - i, from);
}

/* Pushes @x onto in->certs, taking the reference. */
static int push_cert(struct cred_input *in, X509 *x, struct cred_error *err)
{
	if (!sk_X509_push(in->certs, x)) {
		X509_free(x);
		return cred_err_ssl(err, -ENOMEM, "%s: out of memory", in->what);
	}
	return 0;
}

/* The certificates of a certs-only (signed-data) PKCS#7. */
static int add_pkcs7(struct cred_input *in, PKCS7 *p7, size_t at,
		     struct cred_error *err)
{
	STACK_OF(X509) *certs = NULL;
	int i, ret = 0;

	if (PKCS7_type_is_signed(p7) && p7->d.sign)
		certs = p7->d.sign->cert;
	if (!PKCS7_type_is_signed(p7))
		ret = cred_err(err, -EINVAL,
			       "%s: the PKCS#7 at byte offset %zu is not signed-data (certs-only)",
			       in->what, at);
	else if (sk_X509_num(certs) <= 0)
		ret = cred_err(err, -EINVAL,
			       "%s: the PKCS#7 at byte offset %zu holds no certificate",
			       in->what, at);
	for (i = 0; !ret && i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);

		X509_up_ref(x);
		ret = push_cert(in, x, err);
	}
	return ret;
}

/*
 * Parses one certificate (@kind BLOCK_CERT or BLOCK_TRUSTED_CERT) or PKCS#7
 * from DER into in->certs. Returns the bytes it used, or a negative errno
 * with @err set.
 */
static long add_der(struct cred_input *in, enum block_kind kind,
		    const unsigned char *der, long len, size_t at,
		    struct cred_error *err)
{
	const unsigned char *p = der;
	PKCS7 *p7;
	X509 *x;
	int ret;

	if (kind == BLOCK_PKCS7) {
		p7 = d2i_PKCS7(NULL, &p, len);
		if (!p7)
			return cred_err_ssl(err, -EBADMSG,
					    "%s: the PKCS#7 at byte offset %zu does not parse",
					    in->what, at);
		ret = add_pkcs7(in, p7, at, err);
		PKCS7_free(p7);
		return ret ? ret : p - der;
	}
	x = kind == BLOCK_TRUSTED_CERT ? d2i_X509_AUX(NULL, &p, len) :
					 d2i_X509(NULL, &p, len);
	if (!x)
		return cred_err_ssl(err, -EBADMSG,
				    "%s: the certificate at byte offset %zu does not parse",
				    in->what, at);
	ret = push_cert(in, x, err);
	return ret ? ret : p - der;
}

static int add_cert_block(struct cred_input *in, enum block_kind kind,
			  const struct pem_block *b, struct cred_error *err)
{
	long used;

	if (!in->certs)
		return cred_err(err, -EBADMSG,
				"%s: a -----BEGIN %s----- block at byte offset %zu; this input takes only the private key",
				in->what, b->name, b->begin);
	used = add_der(in, kind, b->data, b->len, b->begin, err);
	if (used < 0)
		return used;
	if (used != b->len)
		return cred_err(err, -EBADMSG,
				"%s: the -----BEGIN %s----- block at byte offset %zu holds %ld bytes of trailing data after its structure",
				in->what, b->name, b->begin, b->len - used);
	return 0;
}

static int add_key_block(struct cred_input *in, const struct pem_block *b,
			 struct cred_error *err)
{
	if (in->has_key)
		return cred_err(err, -EINVAL,
				"%s: a second private key at byte offset %zu (the first is at byte offset %zu); give one key",
				in->what, b->begin, in->key_start);
	in->has_key = true;
	in->key_start = b->begin;
	in->key_end = b->end;
	return 0;
}

static int add_block(struct cred_input *in, const struct pem_block *b,
		     struct cred_error *err)
{
	enum block_kind kind = block_kind(b->name);

	switch (kind) {
	case BLOCK_CERT:
	case BLOCK_TRUSTED_CERT:
	case BLOCK_PKCS7:
		return add_cert_block(in, kind, b, err);
	case BLOCK_KEY:
		return add_key_block(in, b, err);
	case BLOCK_PUBKEY:
		return cred_err(err, -EINVAL,
				"%s: the -----BEGIN %s----- block at byte offset %zu is a public key; the private key is needed",
				in->what, b->name, b->begin);
	case BLOCK_IGNORED:
		return 0;
	default:
		return cred_err(err, -EBADMSG,
				"%s: unexpected -----BEGIN %.64s----- block at byte offset %zu; expected certificates, PKCS7 or a private key",
				in->what, b->name, b->begin);
	}
}

/*
 * Reads the next block from @bio into @b. At the end of the blocks returns
 * 0 with b->name NULL.
 */
static int read_block(const struct cred_input *in, BIO *bio,
		      struct pem_block *b, struct cred_error *err)
{
	size_t from = in->len - BIO_pending(bio);
	unsigned long e;

	memset(b, 0, sizeof(*b));
	b->begin = find_begin(in, from);
	/* Secure flag: every buffer it uses is cleared, as may hold a key. */
	if (PEM_read_bio_ex(bio, &b->name, &b->header, &b->data, &b->len,
			    PEM_FLAG_SECURE | PEM_FLAG_EAY_COMPATIBLE)) {
		b->end = in->len - BIO_pending(bio);
		/* Its BEGIN line is the last one before its end. */
		while (find_begin(in, b->begin + 1) < b->end)
			b->begin = find_begin(in, b->begin + 1);
		return check_text(in, from, b->begin, err);
	}
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
		ERR_clear_error();
		b->end = from;
		return 0;
	}
	return cred_err_ssl(err, -EBADMSG,
			    "%s: the PEM block at byte offset %zu is damaged or truncated",
			    in->what, b->begin);
}

static void free_block(struct pem_block *b)
{
	OPENSSL_secure_free(b->name);
	OPENSSL_secure_free(b->header);
	/* The body may be a private key. */
	OPENSSL_secure_clear_free(b->data, b->len);
}

int cred_pem_scan(struct cred_input *in, struct cred_error *err)
{
	struct pem_block b;
	bool more = true;
	BIO *bio;
	int ret = 0, n;

	bio = BIO_new_mem_buf(in->buf, (int)in->len);
	if (!bio)
		return cred_err_ssl(err, -ENOMEM, "%s: out of memory", in->what);
	for (n = 0; !ret && more; n++) {
		ret = read_block(in, bio, &b, err);
		more = !!b.name;
		if (!ret && more)
			ret = add_block(in, &b, err);
		free_block(&b);
	}
	BIO_free(bio);
	if (!ret && n == 1)
		ret = cred_err(err, -EBADMSG,
			       "%s: a -----BEGIN line at byte offset %zu but no PEM block OpenSSL can read",
			       in->what, find_begin(in, 0));
	if (!ret)
		ret = check_tail(in, b.end, err);
	return ret;
}

/* Base64-decodes all of @in into @der (in->len bytes); the length or 0. */
static int base64_decode(const struct cred_input *in, unsigned char *der)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int n = 0, m = 0;

	if (!ctx)
		return 0;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, der, &n, in->buf, (int)in->len) < 0 ||
	    EVP_DecodeFinal(ctx, der + n, &m) < 0) {
		n = 0;
		m = 0;
	}
	EVP_ENCODE_CTX_free(ctx);
	return n + m;
}

/* What base64 text without BEGIN/END lines holds, or NULL. */
static const char *headless_pem(const struct cred_input *in)
{
	unsigned char *der = OPENSSL_malloc(in->len);
	const unsigned char *p = der;
	const char *what = NULL;
	int n = der ? base64_decode(in, der) : 0;
	PKCS7 *p7 = n ? d2i_PKCS7(NULL, &p, n) : NULL;
	X509 *x = NULL;

	if (p7) {
		what = "a PKCS#7 body without its -----BEGIN PKCS7----- / -----END PKCS7----- lines";
	} else if (n) {
		p = der;
		x = d2i_X509(NULL, &p, n);
		if (x)
			what = "a certificate body without its -----BEGIN CERTIFICATE----- / -----END CERTIFICATE----- lines";
	}
	PKCS7_free(p7);
	X509_free(x);
	OPENSSL_free(der);
	return what;
}

/*
 * Input without a -----BEGIN line that is not DER either. A PEM body whose
 * BEGIN/END lines were lost is a common paste mistake: say so.
 */
static int diagnose_not_der(const struct cred_input *in, struct cred_error *err)
{
	const char *what;

	ERR_set_mark();
	what = headless_pem(in);
	ERR_pop_to_mark();
	if (what)
		return cred_err(err, -EBADMSG, "%s looks like %s; add them back",
				in->what, what);
	return cred_err_ssl(err, -EBADMSG,
			    "%s is neither PEM (no -----BEGIN line) nor a DER certificate or PKCS#7",
			    in->what);
}

int cred_der_scan(struct cred_input *in, struct cred_error *err)
{
	const unsigned char *p = in->buf;
	PKCS7 *p7 = NULL;
	X509 *x;
	int ret;

	x = d2i_X509(NULL, &p, (long)in->len);
	if (!x) {
		/* Keep the reason it is no certificate; try PKCS#7 quietly. */
		ERR_set_mark();
		p = in->buf;
		p7 = d2i_PKCS7(NULL, &p, (long)in->len);
		ERR_pop_to_mark();
		if (!p7)
			return diagnose_not_der(in, err);
		ERR_clear_error();
	}
	ret = x ? push_cert(in, x, err) : add_pkcs7(in, p7, 0, err);
	PKCS7_free(p7);
	if (!ret && p != in->buf + in->len)
		ret = cred_err(err, -EBADMSG,
			       "%s: trailing data at byte offset %zu (%zu bytes after the DER structure); remove it",
			       in->what, (size_t)(p - in->buf),
			       (size_t)(in->buf + in->len - p));
	return ret;
}
