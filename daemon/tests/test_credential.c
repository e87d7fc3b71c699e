// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the credential library against the corpus that
 * gen-corpus.sh made: test_credential CORPUS-DIR. TAP on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include "lib/cred/credential.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *corpus;

struct blob {
	unsigned char *p;
	size_t n;
};

static struct blob load(const char *name)
{
	struct blob b = { NULL, 0 };
	char path[512];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, name);
	f = fopen(path, "rb");
	if (!CHECK(f != NULL) || fstat(fileno(f), &st)) {
		printf("# cannot read %s\n", path);
		if (f)
			fclose(f);
		return b;
	}
	b.n = st.st_size;
	b.p = malloc(b.n + 1);
	if (!CHECK(b.p && fread(b.p, 1, b.n, f) == b.n))
		b.n = 0;
	else
		b.p[b.n] = '\0';
	fclose(f);
	return b;
}

static size_t file_size(const char *name)
{
	struct blob b = load(name);

	free(b.p);
	return b.n;
}

/* The first line of a corpus file: passphrase, fingerprint. */
static char *load_line(const char *name)
{
	struct blob b = load(name);

	if (b.p)
		b.p[strcspn((char *)b.p, "\r\n")] = '\0';
	return (char *)b.p;
}

static int decode_files(struct credential *c, const char *cert,
			const char *key, const char *pass,
			struct cred_error *err)
{
	struct blob cb = load(cert), kb = { NULL, 0 };
	int ret;

	if (key)
		kb = load(key);
	ret = cred_decode(c, cb.p, cb.n, kb.p, kb.n, pass, err);
	free(cb.p);
	free(kb.p);
	if (ret)
		printf("# %s: %s\n", cert, err->msg);
	return ret;
}

static void check_cn(X509 *x, const char *want)
{
	char cn[256];

	CHECK_EQ(cred_common_name(x, cn, sizeof(cn)), 0);
	CHECK_STR(cn, want);
}

/* Decodes and validates; the credential is left in @c for more checks. */
static void good(struct credential *c, const char *cert, const char *key,
		 const char *pass, int chain_len, const char *leaf_cn)
{
	struct cred_error err;
	unsigned int flags = key ? CRED_REQUIRE_KEY : 0;

	if (!CHECK_EQ(decode_files(c, cert, key, pass, &err), 0))
		return;
	CHECK_EQ(sk_X509_num(c->chain), chain_len);
	check_cn(sk_X509_value(c->chain, 0), leaf_cn);
	CHECK(!strncmp(c->cert_pem, "-----BEGIN CERTIFICATE-----\n", 28));
	CHECK_EQ(strlen(c->cert_pem), c->cert_pem_len);
	if (c->key) {
		CHECK(!strncmp(c->key_pem, "-----BEGIN PRIVATE KEY-----\n", 28));
		CHECK_EQ(strlen(c->key_pem), c->key_pem_len);
	}
	if (!CHECK_EQ(cred_validate(c, time(NULL), flags, &err), 0))
		printf("# %s\n", err.msg);
	CHECK(ERR_peek_error() == 0);
}

static void good_pair(const char *cert, const char *key, const char *pass,
		      int chain_len, const char *leaf_cn)
{
	struct credential c;

	good(&c, cert, key, pass, chain_len, leaf_cn);
	CHECK(c.key != NULL);
	cred_free(&c);
}

/* cred_decode() refuses with @want and a message containing @msg. */
static void bad_decode(const char *cert, const char *key, const char *pass,
		       int want, const char *msg)
{
	struct credential c;
	struct cred_error err;

	CHECK_EQ(decode_files(&c, cert, key, pass, &err), want);
	CHECK_STR(err.msg, msg);
	CHECK(!c.chain && !c.key && !c.cert_pem && !c.key_pem);
	CHECK(ERR_peek_error() == 0);
}

/* cred_decode() accepts, cred_validate() refuses with @want and @msg. */
static void bad_validate(const char *cert, const char *key, time_t now,
			 unsigned int flags, int want, const char *msg)
{
	struct credential c;
	struct cred_error err;

	if (CHECK_EQ(decode_files(&c, cert, key, NULL, &err), 0)) {
		CHECK_EQ(cred_validate(&c, now, flags, &err), want);
		CHECK_STR(err.msg, msg);
		printf("# %s\n", err.msg);
		CHECK(ERR_peek_error() == 0);
	}
	cred_free(&c);
}

/* --- every key type, every key encoding -------------------------------- */

static void test_rsa2048(void)
{
	good_pair("rsa2048.pem", "rsa2048.key", NULL, 1, "rsa2048.example");
}

static void test_rsa3072(void)
{
	good_pair("rsa3072.pem", "rsa3072.key", NULL, 1, "rsa3072.example");
}

static void test_rsa4096(void)
{
	good_pair("rsa4096.pem", "rsa4096.key", NULL, 1, "rsa4096.example");
}

static void test_ec256(void)
{
	good_pair("ec256.pem", "ec256.key", NULL, 1, "ec256.example");
}

static void test_ec384(void)
{
	good_pair("ec384.pem", "ec384.key", NULL, 1, "ec384.example");
}

static void test_ed25519(void)
{
	good_pair("ed25519.pem", "ed25519.key", NULL, 1, "ed25519.example");
}

static void test_rsa_traditional(void)
{
	good_pair("rsa2048.pem", "rsa2048.rsakey", NULL, 1, "rsa2048.example");
}

static void test_ec_traditional(void)
{
	good_pair("ec256.pem", "ec256.eckey", NULL, 1, "ec256.example");
}

static void test_ec_parameters_block(void)
{
	good_pair("ecparam.pem", "ecparam.key", NULL, 1, "ec256.example");
}

static void test_der_pkcs8_key(void)
{
	good_pair("rsa2048.pem", "rsa2048.key.der", NULL, 1, "rsa2048.example");
}

static void test_cert_only(void)
{
	struct credential c;
	struct cred_error err;

	good(&c, "rsa2048.pem", NULL, NULL, 1, "rsa2048.example");
	CHECK(!c.key && !c.key_pem && !c.key_pem_len);
	CHECK_EQ(cred_validate(&c, time(NULL), CRED_REQUIRE_KEY, &err), -ENOKEY);
	CHECK_STR(err.msg, "no private key");
	cred_free(&c);
}

/* --- chains and containers --------------------------------------------- */

static void check_chain_order(const struct credential *c)
{
	if (!CHECK_EQ(sk_X509_num(c->chain), 3))
		return;
	check_cn(sk_X509_value(c->chain, 0), "phone-0004f2000001");
	check_cn(sk_X509_value(c->chain, 1), "devcred test intermediate");
	check_cn(sk_X509_value(c->chain, 2), "devcred test root");
}

static void chain_case(const char *cert, const char *key)
{
	struct credential c;

	good(&c, cert, key, NULL, 3, "phone-0004f2000001");
	if (c.chain)
		check_chain_order(&c);
	cred_free(&c);
}

static void test_chain_leaf_first(void)
{
	chain_case("chain.pem", "leaf.key");
}

static void test_chain_root_first(void)
{
	chain_case("chain-reversed.pem", "leaf.key");
}

static void test_chain_shuffled(void)
{
	chain_case("chain-shuffled.pem", "leaf.key");
}

static void test_pkcs7_pem(void)
{
	chain_case("chain.p7b", "leaf.key");
}

static void test_pkcs7_der(void)
{
	chain_case("chain.p7b.der", "leaf.key");
}

static void test_der_cert(void)
{
	good_pair("leaf.der", "leaf.key", NULL, 1, "phone-0004f2000001");
}

static void test_bundle_spec(void)
{
	good_pair("bundle-spec.pem", NULL, NULL, 1, "rsa2048.example");
}

static void test_bundle_chain(void)
{
	chain_case("bundle-chain.pem", NULL);
}

static void test_bundle_pkcs7(void)
{
	chain_case("bundle-p7.pem", NULL);
}

static void test_explanatory_text(void)
{
	good_pair("rsa2048-text.pem", "rsa2048.key", NULL, 1, "rsa2048.example");
}

static void test_crlf(void)
{
	good_pair("rsa2048-crlf.pem", "rsa2048.key", NULL, 1, "rsa2048.example");
}

/* --- encrypted keys ---------------------------------------------------- */

static void test_encrypted_with_passphrase(void)
{
	char *pass = load_line("pass.txt");

	good_pair("rsa2048.pem", "rsa2048.enckey", pass, 1, "rsa2048.example");
	good_pair("ec256.pem", "ec256.enckey", pass, 1, "ec256.example");
	good_pair("bundle-enc.pem", NULL, pass, 1, "rsa2048.example");
	free(pass);
}

static void test_encrypted_without_passphrase(void)
{
	bad_decode("rsa2048.pem", "rsa2048.enckey", NULL, -ENOKEY,
		   "private key is encrypted; give --passphrase-file");
	bad_decode("bundle-enc.pem", NULL, NULL, -ENOKEY,
		   "private key is encrypted; give --passphrase-file");
}

static void test_encrypted_wrong_passphrase(void)
{
	bad_decode("rsa2048.pem", "rsa2048.enckey", "not-the-passphrase",
		   -EKEYREJECTED, "wrong passphrase");
}

static void test_legacy_encrypted(void)
{
	char *pass = load_line("pass.txt");

	good_pair("rsa2048.pem", "rsa2048.legacy-enckey", pass, 1,
		  "rsa2048.example");
	bad_decode("rsa2048.pem", "rsa2048.legacy-enckey", NULL, -ENOKEY,
		   "private key is encrypted; give --passphrase-file");
	bad_decode("rsa2048.pem", "rsa2048.legacy-enckey", "wrong",
		   -EKEYREJECTED, "wrong passphrase");
	free(pass);
}

/* --- keys that are not the right one ------------------------------------ */

static void test_mismatch_rsa(void)
{
	bad_validate("mismatch.pem", NULL, time(NULL), 0, -EKEYREJECTED,
		     "private key does not match the certificate 'CN=rsa2048.example,O=devcred test'");
}

static void test_mismatch_ec(void)
{
	bad_validate("mismatch-ec.pem", "mismatch-ec.key", time(NULL), 0,
		     -EKEYREJECTED, "private key does not match the certificate");
}

static void test_mismatch_type(void)
{
	bad_validate("mismatch-type.pem", "mismatch-type.key", time(NULL), 0,
		     -EKEYREJECTED, "private key does not match the certificate");
}

static void test_public_key_file(void)
{
	bad_decode("rsa2048.pem", "rsa2048.pub", NULL, -EINVAL,
		   "-----BEGIN PUBLIC KEY----- block at byte offset 0 is a public key");
	bad_decode("bundle-pub.pem", NULL, NULL, -EINVAL, "is a public key");
}

static void test_public_key_der(void)
{
	bad_decode("rsa2048.pem", "rsa2048.pub.der", NULL, -EINVAL,
		   "key input: this is a DER public key; the private key is needed");
}

/* A credential built by hand around a public key: cred_validate() refuses. */
static void test_validate_public_only(void)
{
	static const char *const certs[] = { "rsa2048.pem", "ec256.pem", "ed25519.pem" };
	struct credential c;
	struct cred_error err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(certs); i++) {
		if (CHECK_EQ(decode_files(&c, certs[i], NULL, NULL, &err), 0)) {
			c.key = X509_get_pubkey(sk_X509_value(c.chain, 0));
			CHECK_EQ(cred_validate(&c, time(NULL), 0, &err), -EINVAL);
			CHECK_STR(err.msg, "the key is a public key");
			printf("# %s: %s\n", certs[i], err.msg);
		}
		cred_free(&c);
	}
}

/* @key's n and e with d + 2, without the CRT factors: a wrong private half. */
static EVP_PKEY *wrong_private_half(EVP_PKEY *key)
{
	BIGNUM *n = NULL, *e = NULL, *d = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *bad = NULL;

	if (!CHECK(bld && ctx) ||
	    !CHECK(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) &&
		   EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) &&
		   EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d)) ||
	    !CHECK(BN_add_word(d, 2) &&
		   OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		   OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
		   OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	CHECK(params && EVP_PKEY_fromdata_init(ctx) == 1 &&
	      EVP_PKEY_fromdata(ctx, &bad, EVP_PKEY_KEYPAIR, params) == 1);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	return bad;
}

/* Only the signature round trip tells: the public halves are the same. */
static void test_validate_wrong_private_half(void)
{
	struct credential c;
	struct cred_error err;
	EVP_PKEY *bad;

	if (CHECK_EQ(decode_files(&c, "rsa2048.pem", "rsa2048.key", NULL, &err), 0)) {
		bad = wrong_private_half(c.key);
		EVP_PKEY_free(c.key);
		c.key = bad;
		CHECK_EQ(cred_validate(&c, time(NULL), 0, &err), -EKEYREJECTED);
		CHECK_STR(err.msg, "private key does not match the certificate 'CN=rsa2048.example,O=devcred test': a signature made with it does not verify");
		printf("# %s\n", err.msg);
	}
	cred_free(&c);
}

/* --- validity window ---------------------------------------------------- */

static void test_expired(void)
{
	struct credential c;
	struct cred_error err;

	bad_validate("expired-chain.pem", "leaf.key", time(NULL), 0, -EKEYEXPIRED,
		     "certificate 1 ('CN=expired') expired on 2021-01-01 00:00:00 UTC");
	if (CHECK_EQ(decode_files(&c, "expired.pem", "leaf.key", NULL, &err), 0))
		CHECK_EQ(cred_validate(&c, time(NULL), CRED_ALLOW_EXPIRED, &err), 0);
	cred_free(&c);
}

static void test_not_yet_valid(void)
{
	struct credential c;
	struct cred_error err;

	bad_validate("notyet-chain.pem", "leaf.key", time(NULL), 0, -EKEYEXPIRED,
		     "not yet valid: not before 2040-01-01 00:00:00 UTC");
	if (CHECK_EQ(decode_files(&c, "notyet.pem", "leaf.key", NULL, &err), 0))
		CHECK_EQ(cred_validate(&c, time(NULL), CRED_ALLOW_EXPIRED, &err), 0);
	cred_free(&c);
}

/* @now decides: a good certificate seen from 1970 and from 2100. */
static void test_validity_against_now(void)
{
	bad_validate("rsa2048.pem", "rsa2048.key", 0, 0, -EKEYEXPIRED,
		     "(now is 1970-01-01 00:00:00 UTC)");
	bad_validate("rsa2048.pem", "rsa2048.key", 4102444800 /* 2100 */, 0,
		     -EKEYEXPIRED, "expired on");
	/* The chain's intermediate is checked as well as the leaf. */
	bad_validate("expired-chain.pem", "leaf.key", 1600000000 /* 2020 */, 0,
		     -EKEYEXPIRED, "certificate 2 ('CN=devcred test intermediate') is not yet valid");
}

/* --- input that is not a credential ------------------------------------- */

static void test_truncated(void)
{
	bad_decode("truncated.pem", "rsa2048.key", NULL, -EBADMSG,
		   "the PEM block at byte offset 0 is damaged or truncated: error:");
}

static void test_empty(void)
{
	struct credential c;
	struct cred_error err;

	bad_decode("empty.pem", "rsa2048.key", NULL, -ENODATA,
		   "certificate input is empty");
	bad_decode("blank.pem", NULL, NULL, -ENODATA, "only whitespace");
	CHECK_EQ(cred_decode(&c, NULL, 0, NULL, 0, NULL, &err), -ENODATA);
	CHECK_EQ(cred_decode(&c, NULL, 5, NULL, 0, NULL, &err), -EINVAL);
}

static void test_garbage(void)
{
	bad_decode("garbage.bin", NULL, NULL, -EBADMSG,
		   "certificate input is neither PEM (no -----BEGIN line) nor a DER certificate or PKCS#7: error:");
	bad_decode("rsa2048.pem", "garbage.bin", NULL, -EBADMSG,
		   "key input: the private key at byte offset 0 does not decode");
}

static void test_oversize(void)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "certificate input is %zu bytes; at most 262144 bytes (CRED_INPUT_MAX)",
		 file_size("oversize.pem"));
	bad_decode("oversize.pem", NULL, NULL, -E2BIG, msg);
	bad_decode("rsa2048.pem", "oversize.pem", NULL, -E2BIG,
		   "key input is ");
}

/* A certificate padded with newlines to exactly the limit, then one more. */
static void test_input_limit(void)
{
	struct blob b = load("rsa2048.pem");
	unsigned char *buf = malloc(CRED_INPUT_MAX + 1);
	struct credential c;
	struct cred_error err;

	if (!CHECK(buf && b.p))
		goto out;
	memset(buf, '\n', CRED_INPUT_MAX + 1);
	memcpy(buf, b.p, b.n);
	CHECK_EQ(cred_decode(&c, buf, CRED_INPUT_MAX, NULL, 0, NULL, &err), 0);
	cred_free(&c);
	CHECK_EQ(cred_decode(&c, buf, CRED_INPUT_MAX + 1, NULL, 0, NULL, &err), -E2BIG);
	CHECK_STR(err.msg, "262145 bytes");
out:
	free(buf);
	free(b.p);
}

static void test_trailing_text(void)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "trailing data at byte offset %zu ",
		 file_size("rsa2048.pem"));
	bad_decode("trailing.pem", NULL, NULL, -EBADMSG, msg);
	bad_decode("trailing-bin.pem", NULL, NULL, -EBADMSG, msg);
}

static void test_trailing_der(void)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "trailing data at byte offset %zu (16 bytes after the DER",
		 file_size("rsa2048.der"));
	bad_decode("trailing.der", NULL, NULL, -EBADMSG, msg);
}

/* DER glued before PEM is not explanatory text. */
static void test_binary_before_pem(void)
{
	struct blob der = load("rsa2048.der"), pem = load("rsa2048.pem");
	unsigned char *buf = malloc(der.n + pem.n + 1);
	struct credential c;
	struct cred_error err;
	char msg[64];

	if (!CHECK(buf && der.p && pem.p))
		goto out;
	memcpy(buf, der.p, der.n);
	/* On a line of its own, the BEGIN line starts a block... */
	buf[der.n] = '\n';
	memcpy(buf + der.n + 1, pem.p, pem.n);
	CHECK_EQ(cred_decode(&c, buf, der.n + 1 + pem.n, NULL, 0, NULL, &err), -EBADMSG);
	snprintf(msg, sizeof(msg), "before the PEM block at byte offset %zu", der.n + 1);
	CHECK_STR(err.msg, "binary data at byte offset ");
	CHECK_STR(err.msg, msg);
	/*
	 * ...and glued to binary data it does not. The glue is a byte that is
	 * no line end: the DER's own last byte (the signature's, different
	 * for each generated certificate) is a '\n' one time in 256.
	 */
	buf[der.n] = 'x';
	CHECK_EQ(cred_decode(&c, buf, der.n + 1 + pem.n, NULL, 0, NULL, &err), -EBADMSG);
	CHECK_STR(err.msg, "no PEM block OpenSSL can read");
out:
	free(buf);
	free(der.p);
	free(pem.p);
}

static void test_pkcs7_body_without_lines(void)
{
	bad_decode("p7-body.txt", "leaf.key", NULL, -EBADMSG,
		   "certificate input looks like a PKCS#7 body without its -----BEGIN PKCS7----- / -----END PKCS7----- lines");
}

static void test_cert_body_without_lines(void)
{
	bad_decode("cert-body.txt", NULL, NULL, -EBADMSG,
		   "looks like a certificate body without its -----BEGIN CERTIFICATE----- / -----END CERTIFICATE----- lines");
}

static void test_unexpected_block(void)
{
	char msg[128];

	snprintf(msg, sizeof(msg),
		 "unexpected -----BEGIN CERTIFICATE REQUEST----- block at byte offset %zu",
		 file_size("rsa2048.pem"));
	bad_decode("unexpected-block.pem", NULL, NULL, -EBADMSG, msg);
}

static void test_key_as_certificate(void)
{
	bad_decode("cert-is-key.pem", NULL, NULL, -EINVAL,
		   "certificate input holds a private key but no certificate");
}

static void test_two_keys(void)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "certificate input holds one at byte offset %zu",
		 file_size("rsa2048.pem"));
	bad_decode("bundle-spec.pem", "rsa2048.key", NULL, -EINVAL, msg);
}

static void test_certificate_as_key(void)
{
	bad_decode("rsa2048.pem", "rsa2048.pem", NULL, -EBADMSG,
		   "key input: a -----BEGIN CERTIFICATE----- block at byte offset 0; this input takes only the private key");
	bad_decode("rsa2048.pem", "leaf.der", NULL, -EBADMSG,
		   "key input: the private key at byte offset 0 does not decode");
}

static void test_chain_unrelated(void)
{
	bad_decode("chain-unrelated.pem", NULL, NULL, -EINVAL,
		   "the certificates are not one chain: 'CN=phone-0004f2000001' and 'CN=rsa3072.example'");
}

static void test_chain_duplicate(void)
{
	bad_decode("chain-duplicate.pem", NULL, NULL, -EINVAL,
		   "certificates 1 and 3 are the same certificate ('CN=phone-0004f2000001')");
}

/* The leaf 17 times: too many before it is found to repeat itself. */
static void test_chain_too_long(void)
{
	struct blob b = load("leaf.pem");
	unsigned char *buf = malloc(b.n * (CRED_CHAIN_MAX + 1));
	struct credential c;
	struct cred_error err;
	int i;

	if (CHECK(buf && b.p)) {
		for (i = 0; i <= CRED_CHAIN_MAX; i++)
			memcpy(buf + i * b.n, b.p, b.n);
		CHECK_EQ(cred_decode(&c, buf, b.n * (CRED_CHAIN_MAX + 1), NULL, 0,
				     NULL, &err), -E2BIG);
		CHECK_STR(err.msg, "certificate input holds 17 certificates; at most 16 (CRED_CHAIN_MAX)");
	}
	free(buf);
	free(b.p);
}

/* --- normal form -------------------------------------------------------- */

static void test_normalized_redecodes(void)
{
	struct credential a, b;
	struct cred_error err;
	char *pass = load_line("pass.txt");
	int i;

	good(&a, "chain-reversed.pem", "leaf.key", NULL, 3, "phone-0004f2000001");
	if (CHECK(a.cert_pem && a.key_pem) &&
	    CHECK_EQ(cred_decode(&b, a.cert_pem, a.cert_pem_len, a.key_pem,
				 a.key_pem_len, NULL, &err), 0)) {
		CHECK_EQ(sk_X509_num(b.chain), 3);
		for (i = 0; i < 3 && i < sk_X509_num(b.chain); i++)
			CHECK(!X509_cmp(sk_X509_value(a.chain, i), sk_X509_value(b.chain, i)));
		CHECK_EQ(EVP_PKEY_eq(a.key, b.key), 1);
		CHECK_EQ(b.cert_pem_len, a.cert_pem_len);
		CHECK(!memcmp(a.cert_pem, b.cert_pem, a.cert_pem_len));
		CHECK_EQ(b.key_pem_len, a.key_pem_len);
		CHECK(!memcmp(a.key_pem, b.key_pem, a.key_pem_len));
		cred_free(&b);
	}
	cred_free(&a);
	/* An encrypted key is stored decrypted: the store holds the secret. */
	good(&a, "rsa2048.pem", "rsa2048.enckey", pass, 1, "rsa2048.example");
	CHECK(a.key_pem && !strstr(a.key_pem, "ENCRYPTED"));
	cred_free(&a);
	free(pass);
}

static void test_validate_order(void)
{
	struct credential c;
	struct cred_error err;
	X509 *x;

	if (CHECK_EQ(decode_files(&c, "chain.pem", "leaf.key", NULL, &err), 0)) {
		x = sk_X509_value(c.chain, 1);
		sk_X509_set(c.chain, 1, sk_X509_value(c.chain, 2));
		sk_X509_set(c.chain, 2, x);
		CHECK_EQ(cred_validate(&c, time(NULL), 0, &err), -EINVAL);
		CHECK_STR(err.msg, "the chain is not leaf first: certificate 1 ('CN=phone-0004f2000001') is not issued by certificate 2 ('CN=devcred test root')");
	}
	cred_free(&c);
}

static void test_validate_arguments(void)
{
	struct credential c;
	struct cred_error err;

	memset(&c, 0, sizeof(c));
	CHECK_EQ(cred_validate(&c, 0, 0, &err), -EINVAL);
	CHECK_STR(err.msg, "no certificate");
	CHECK_EQ(cred_validate(&c, 0, 0x80, &err), -EINVAL);
	CHECK_STR(err.msg, "unknown validation flags 0x80");
	CHECK_EQ(cred_validate(NULL, 0, 0, NULL), -EINVAL);
}

/* --- fingerprints and names --------------------------------------------- */

static void check_fingerprints(const char *name)
{
	static const char *const digests[][2] = {
		{ "MD5", "md5" }, { "SHA1", "sha1" }, { "SHA256", "sha256" },
	};
	char file[64], fp[EVP_MAX_MD_SIZE * 3], *want;
	struct credential c;
	struct cred_error err;
	size_t i;

	snprintf(file, sizeof(file), "%s.pem", name);
	if (!CHECK_EQ(decode_files(&c, file, NULL, NULL, &err), 0))
		return;
	for (i = 0; i < ARRAY_SIZE(digests); i++) {
		snprintf(file, sizeof(file), "%s.fp-%s", name, digests[i][1]);
		want = load_line(file);
		CHECK_EQ(cred_fingerprint(sk_X509_value(c.chain, 0), digests[i][0],
					  fp, sizeof(fp)), 0);
		if (!CHECK(want && !strcmp(fp, want)))
			printf("# %s: got %s, openssl says %s\n", file, fp, want);
		free(want);
	}
	cred_free(&c);
}

static void test_fingerprints(void)
{
	check_fingerprints("rsa2048");
	check_fingerprints("ec256");
	check_fingerprints("leaf");
}

static void test_fingerprint_errors(void)
{
	struct credential c;
	struct cred_error err;
	char fp[EVP_MAX_MD_SIZE * 3];

	if (!CHECK_EQ(decode_files(&c, "rsa2048.pem", NULL, NULL, &err), 0))
		return;
	CHECK_EQ(cred_fingerprint(sk_X509_value(c.chain, 0), "SHA256", fp, 32 * 3 - 1), -ENOSPC);
	CHECK_EQ(cred_fingerprint(sk_X509_value(c.chain, 0), "SHA256", fp, 32 * 3), 0);
	CHECK_EQ(strlen(fp), 32 * 3 - 1);
	CHECK_EQ(cred_fingerprint(sk_X509_value(c.chain, 0), "NO-SUCH-DIGEST", fp, sizeof(fp)), -EINVAL);
	CHECK(ERR_peek_error() == 0);
	cred_free(&c);
}

static void test_common_name(void)
{
	struct credential c;
	struct cred_error err;
	char cn[64];

	if (!CHECK_EQ(decode_files(&c, "utf8.pem", NULL, NULL, &err), 0))
		return;
	CHECK_EQ(cred_common_name(sk_X509_value(c.chain, 0), cn, sizeof(cn)), 0);
	CHECK_STR(cn, "T\xc3\xa9l\xc3\xa9phone Z\xc3\xbcrich");
	CHECK_EQ(strlen(cn), strlen("T\xc3\xa9l\xc3\xa9phone Z\xc3\xbcrich"));
	CHECK_EQ(cred_common_name(sk_X509_value(c.chain, 0), cn, strlen(cn)), -ENOSPC);
	cred_free(&c);
}

static void test_free(void)
{
	struct credential c;

	good(&c, "bundle-spec.pem", NULL, NULL, 1, "rsa2048.example");
	cred_free(&c);
	CHECK(!c.chain && !c.key && !c.cert_pem && !c.key_pem && !c.key_pem_len);
	cred_free(&c);
	cred_free(NULL);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_rsa2048, "RSA 2048 self-signed, PKCS#8 key"),
	TAP_TEST(test_rsa3072, "RSA 3072 self-signed, PKCS#8 key"),
	TAP_TEST(test_rsa4096, "RSA 4096 self-signed, PKCS#8 key"),
	TAP_TEST(test_ec256, "EC P-256 self-signed, PKCS#8 key"),
	TAP_TEST(test_ec384, "EC P-384 self-signed, PKCS#8 key"),
	TAP_TEST(test_ed25519, "Ed25519 self-signed, PKCS#8 key"),
	TAP_TEST(test_rsa_traditional, "RSA PRIVATE KEY (traditional) key"),
	TAP_TEST(test_ec_traditional, "EC PRIVATE KEY (traditional) key"),
	TAP_TEST(test_ec_parameters_block, "EC PARAMETERS block before the key is ignored"),
	TAP_TEST(test_der_pkcs8_key, "DER PKCS#8 key"),
	TAP_TEST(test_cert_only, "certificate without key; CRED_REQUIRE_KEY refuses it"),
	TAP_TEST(test_chain_leaf_first, "PEM chain leaf first"),
	TAP_TEST(test_chain_root_first, "PEM chain root first is put leaf first"),
	TAP_TEST(test_chain_shuffled, "PEM chain out of order is put leaf first"),
	TAP_TEST(test_pkcs7_pem, "certs-only PKCS#7 PEM"),
	TAP_TEST(test_pkcs7_der, "certs-only PKCS#7 DER"),
	TAP_TEST(test_der_cert, "DER certificate"),
	TAP_TEST(test_bundle_spec,
		 "single file: certificate + RSA PRIVATE KEY (the spec's example)"),
	TAP_TEST(test_bundle_chain, "single file: chain + PKCS#8 key"),
	TAP_TEST(test_bundle_pkcs7, "single file: PKCS#7 + PKCS#8 key"),
	TAP_TEST(test_explanatory_text, "explanatory text before the PEM block is accepted"),
	TAP_TEST(test_crlf, "CRLF line ends are accepted"),
	TAP_TEST(test_encrypted_with_passphrase, "encrypted PKCS#8 key with its passphrase"),
	TAP_TEST(test_encrypted_without_passphrase, "encrypted key without passphrase is refused"),
	TAP_TEST(test_encrypted_wrong_passphrase,
		 "encrypted key with a wrong passphrase is refused"),
	TAP_TEST(test_legacy_encrypted, "legacy encrypted PEM (Proc-Type) key"),
	TAP_TEST(test_mismatch_rsa, "mismatched RSA key is refused"),
	TAP_TEST(test_mismatch_ec, "mismatched EC key is refused"),
	TAP_TEST(test_mismatch_type, "EC key for an RSA certificate is refused"),
	TAP_TEST(test_public_key_file, "PUBLIC KEY in place of the private key is refused"),
	TAP_TEST(test_public_key_der, "DER public key in place of the private key is refused"),
	TAP_TEST(test_validate_public_only, "cred_validate refuses a public-only key"),
	TAP_TEST(test_validate_wrong_private_half,
		 "cred_validate refuses a key whose private half does not match"),
	TAP_TEST(test_expired, "expired certificate is refused with its date"),
	TAP_TEST(test_not_yet_valid, "not yet valid certificate is refused with its date"),
	TAP_TEST(test_validity_against_now,
		 "validity is checked against now, for every certificate"),
	TAP_TEST(test_truncated, "truncated PEM is refused"),
	TAP_TEST(test_empty, "empty input is refused"),
	TAP_TEST(test_garbage, "garbage bytes are refused"),
	TAP_TEST(test_oversize, "oversize input is refused with its size and the limit"),
	TAP_TEST(test_input_limit,
		 "input of exactly CRED_INPUT_MAX bytes is accepted, one more is not"),
	TAP_TEST(test_trailing_text,
		 "trailing data after the last PEM block is refused with its offset"),
	TAP_TEST(test_trailing_der,
		 "trailing data after a DER certificate is refused with its offset"),
	TAP_TEST(test_binary_before_pem, "binary data before a PEM block is refused"),
	TAP_TEST(test_pkcs7_body_without_lines, "PKCS#7 body without BEGIN/END lines is diagnosed"),
	TAP_TEST(test_cert_body_without_lines,
		 "certificate body without BEGIN/END lines is diagnosed"),
	TAP_TEST(test_unexpected_block, "unexpected PEM block is refused"),
	TAP_TEST(test_key_as_certificate, "a key given as certificate input is refused"),
	TAP_TEST(test_two_keys, "two private keys are refused"),
	TAP_TEST(test_certificate_as_key, "a certificate given as key input is refused"),
	TAP_TEST(test_chain_unrelated, "an unrelated certificate in the chain is refused"),
	TAP_TEST(test_chain_duplicate, "the same certificate twice is refused"),
	TAP_TEST(test_chain_too_long, "more than CRED_CHAIN_MAX certificates are refused"),
	TAP_TEST(test_normalized_redecodes, "the normal form re-decodes to the same chain and key"),
	TAP_TEST(test_validate_order, "cred_validate refuses a chain out of order"),
	TAP_TEST(test_validate_arguments, "cred_validate refuses no certificate and unknown flags"),
	TAP_TEST(test_fingerprints, "MD5/SHA1/SHA256 fingerprints match openssl x509 -fingerprint"),
	TAP_TEST(test_fingerprint_errors, "fingerprint buffer too small, unknown digest"),
	TAP_TEST(test_common_name, "UTF-8 common name"),
	TAP_TEST(test_free, "cred_free zeroes the credential and takes NULL"),
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	return tap_run(tests, TAP_COUNT(tests));
}
