// SPDX-License-Identifier: GPL-2.0
/*
 * The devcred provider as an application uses it, through OpenSSL's API
 * alone (test_provider.sh runs it against the host devcredd). The module
 * is found by OPENSSL_MODULES, as tpm2-openssl's tests find theirs.
 *
 *	test_provider sign URI
 *		OSSL_STORE_open_ex() on URI: the certificate and the key; the
 *		key matches the certificate, exports no private half, and
 *		signs in every scheme its type has (EVP_DigestSign and
 *		EVP_PKEY_sign), each signature verified with the
 *		certificate's public key in the default provider. Prints
 *		"verified N signatures".
 *	test_provider key URI
 *		loads the key alone; exit 1 with OpenSSL's errors on stderr
 *		when it does not load (a caller devcredd refuses).
 *	test_provider scan URI MASK MASKED
 *		signs with URI's key, then searches this process's memory for
 *		the private number MASK ^ MASKED (hex, big-endian), in either
 *		byte order; the number itself is never in memory unless the
 *		key brought it. Exit 0 when it is nowhere, 1 when found.
 *		With a key file as URI (the file loader of the default
 *		provider) it is found: the search works.
 *	test_provider session URI
 *		a program that keeps a key: reads commands from stdin, "open"
 *		(loads URI again) and "sign" (one RSA PKCS#1 or ECDSA SHA-256
 *		signature, verified), and answers each on stdout with one line:
 *		"opened", "verified", or "error: " and OpenSSL's last error.
 *		URI is opened first.
 *
 * Exit status: 0 done, 1 a failed check (why on stderr), 2 usage.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>
#include <openssl/store.h>
#include <openssl/x509.h>

static OSSL_LIB_CTX *libctx;

static int fail(const char *what)
{
	fprintf(stderr, "test_provider: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 1;
}

/* The certificate and the key of @uri (either may be left NULL). */
static int load(const char *uri, X509 **cert, EVP_PKEY **key)
{
	OSSL_STORE_CTX *store = OSSL_STORE_open_ex(uri, libctx, NULL, NULL, NULL, NULL, NULL, NULL);
	OSSL_STORE_INFO *info;

	*cert = NULL;
	*key = NULL;
	if (!store)
		return fail("OSSL_STORE_open_ex failed");
	while (!OSSL_STORE_eof(store)) {
		info = OSSL_STORE_load(store);
		if (!info)
			break;
		if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_CERT && !*cert)
			*cert = OSSL_STORE_INFO_get1_CERT(info);
		else if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY && !*key)
			*key = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(store);
	return 0;
}

/* The certificate's public key, decoded again by the default provider alone. */
static EVP_PKEY *default_pub(X509 *cert)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	EVP_PKEY *pub;
	int len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);

	if (len <= 0)
		return NULL;
	p = der;
	pub = d2i_PUBKEY_ex(NULL, &p, len, libctx, "provider=default");
	OPENSSL_free(der);
	return pub;
}

/**
 * struct scheme - one way to sign
 * @md: the digest
 * @pad: RSA padding (0 for ECDSA)
 * @salt: PSS salt length (OpenSSL's RSA_PSS_SALTLEN_* or bytes)
 */
struct scheme {
	const char *md;
	int pad;
	int salt;
};

static const struct scheme rsa_schemes[] = {
	{ "SHA256", RSA_PKCS1_PADDING, 0 },
	{ "SHA384", RSA_PKCS1_PADDING, 0 },
	{ "SHA512", RSA_PKCS1_PADDING, 0 },
	{ "SHA256", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST },	/* TLS 1.3's */
	{ "SHA384", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST },
	{ "SHA512", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_MAX },
	{ "SHA256", RSA_PKCS1_PSS_PADDING, 20 },
};

static const struct scheme ec_schemes[] = {
	{ "SHA256", 0, 0 }, { "SHA384", 0, 0 }, { "SHA512", 0, 0 },
};

static int set_scheme(EVP_PKEY_CTX *pctx, const struct scheme *s)
{
	if (!s->pad)
		return 1;
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, s->pad) <= 0)
		return 0;
	return s->pad != RSA_PKCS1_PSS_PADDING || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, s->salt) > 0;
}

static int verify(EVP_PKEY *pub, const struct scheme *s, const unsigned char *sig, size_t len,
		  const char *msg)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	/* The salt length PSS verification recovers from the signature. */
	struct scheme v = { s->md, s->pad, s->pad == RSA_PKCS1_PSS_PADDING ?
			    RSA_PSS_SALTLEN_AUTO : 0 };

	ok = md && EVP_DigestVerifyInit_ex(md, &pctx, s->md, libctx, "provider=default", pub,
					   NULL) > 0 &&
	     set_scheme(pctx, &v) && EVP_DigestVerify(md, sig, len, (const void *)msg,
						       strlen(msg)) == 1;
	EVP_MD_CTX_free(md);
	return ok;
}

/* One signature through EVP_DigestSign, and one through EVP_PKEY_sign of the digest. */
static int sign_both_ways(EVP_PKEY *key, EVP_PKEY *pub, const struct scheme *s)
{
	static const char msg[] = "signed by devcredd through the devcred provider";
	unsigned char sig[1024], dgst[EVP_MAX_MD_SIZE];
	unsigned int dlen;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD *mdalg = EVP_MD_fetch(libctx, s->md, "provider=default");
	size_t len = sizeof(sig);
	int ok;

	ok = md && mdalg && EVP_DigestSignInit_ex(md, &pctx, s->md, libctx, NULL, key, NULL) > 0 &&
	     set_scheme(pctx, s) &&
	     EVP_DigestSign(md, sig, &len, (const void *)msg, strlen(msg)) > 0;
	if (!ok || !verify(pub, s, sig, len, msg)) {
		fprintf(stderr, "EVP_DigestSign %s pad %d: %s\n", s->md, s->pad,
			ok ? "does not verify" : "failed");
		ok = 0;
		goto out;
	}
	pctx = EVP_PKEY_CTX_new_from_pkey(libctx, key, NULL);
	len = sizeof(sig);
	ok = pctx && EVP_Digest(msg, strlen(msg), dgst, &dlen, mdalg, NULL) &&
	     EVP_PKEY_sign_init(pctx) > 0 && EVP_PKEY_CTX_set_signature_md(pctx, mdalg) > 0 &&
	     set_scheme(pctx, s) && EVP_PKEY_sign(pctx, sig, &len, dgst, dlen) > 0;
	EVP_PKEY_CTX_free(pctx);
	if (!ok || !verify(pub, s, sig, len, msg)) {
		fprintf(stderr, "EVP_PKEY_sign %s pad %d: %s\n", s->md, s->pad,
			ok ? "does not verify" : "failed");
		ok = 0;
	}
out:
	EVP_MD_free(mdalg);
	EVP_MD_CTX_free(md);
	return ok;
}

/* Every scheme of @key's type; the number of signatures verified, or -1. */
static int sign_all(X509 *cert, EVP_PKEY *key)
{
	EVP_PKEY *pub = default_pub(cert);
	const struct scheme *s = EVP_PKEY_is_a(key, "RSA") ? rsa_schemes : ec_schemes;
	size_t n = EVP_PKEY_is_a(key, "RSA") ? sizeof(rsa_schemes) / sizeof(*s) :
		   sizeof(ec_schemes) / sizeof(*s), i;
	int done = pub ? 0 : -1;

	for (i = 0; done >= 0 && i < n; i++)
		done = sign_both_ways(key, pub, &s[i]) ? done + 2 : -1;
	EVP_PKEY_free(pub);
	return done;
}

/* The private half stays out: no export of it, no encoding of it. */
static int no_private_export(EVP_PKEY *key)
{
	OSSL_PARAM *params = NULL;
	unsigned char *der = NULL;
	int len;

	if (EVP_PKEY_todata(key, EVP_PKEY_KEYPAIR, &params) == 1) {
		OSSL_PARAM_free(params);
		return 0;
	}
	len = i2d_PrivateKey(key, &der);
	OPENSSL_free(der);
	ERR_clear_error();
	return len <= 0;
}

static int cmd_sign(const char *uri)
{
	X509 *cert;
	EVP_PKEY *key;
	int n, ret = 1;

	if (load(uri, &cert, &key))
		return 1;
	if (!cert || !key)
		ret = fail(cert ? "no key loaded" : "no certificate loaded");
	else if (X509_check_private_key(cert, key) != 1)
		ret = fail("the key does not match the certificate");
	else if (!no_private_export(key))
		ret = fail("the private half of the key exports");
	else if ((n = sign_all(cert, key)) < 0)
		ret = fail("a signature failed");
	else
		ret = printf("verified %d signatures\n", n) < 0;
	EVP_PKEY_free(key);
	X509_free(cert);
	return ret;
}

static int cmd_key(const char *uri)
{
	X509 *cert;
	EVP_PKEY *key;
	int ret;

	if (load(uri, &cert, &key))
		return 1;
	ret = key ? 0 : fail("no key loaded");
	if (!ret)
		printf("loaded a %s key\n", EVP_PKEY_get0_type_name(key));
	EVP_PKEY_free(key);
	X509_free(cert);
	return ret;
}

static int unhex(const char *hex, unsigned char *out, size_t room)
{
	size_t n = 0;

	while (n < room && sscanf(hex + 2 * n, "%2hhx", &out[n]) == 1)
		n++;
	return hex[2 * n] ? -1 : (int)n;
}

/* Whether the @n bytes at @p are mask ^ masked (forwards, or backwards: @rev). */
static int is_secret(const unsigned char *p, const unsigned char *mask,
		     const unsigned char *masked, int n, int rev)
{
	int i;

	for (i = 0; i < n; i++)
		if ((p[rev ? n - 1 - i : i] ^ mask[i]) != masked[i])
			return 0;
	return 1;
}

/*
 * Searches every readable mapping (through /proc/self/mem, which skips what
 * cannot be read) but the huge reservations of ASan's shadow.
 */
static int memory_holds(const unsigned char *mask, const unsigned char *masked, int n)
{
	static unsigned char buf[1 << 20];
	unsigned long start, end, at;
	char perms[8], line[512];
	FILE *maps = fopen("/proc/self/maps", "r");
	int mem = open("/proc/self/mem", O_RDONLY), found = 0;
	ssize_t got, i;

	while (maps && mem >= 0 && !found && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 || perms[0] != 'r' ||
		    end - start > (1ul << 30))
			continue;
		for (at = start; at < end && !found; at += sizeof(buf) - n) {
			got = pread(mem, buf, end - at < sizeof(buf) ? end - at : sizeof(buf), at);
			for (i = 0; i + n <= got && !found; i++)
				found = is_secret(buf + i, mask, masked, n, 0) ||
					is_secret(buf + i, mask, masked, n, 1);
			if (got <= 0 || at + got >= end)
				break;
		}
		OPENSSL_cleanse(buf, sizeof(buf));
	}
	if (maps)
		fclose(maps);
	if (mem >= 0)
		close(mem);
	return found;
}

static int cmd_scan(const char *uri, const char *mask_hex, const char *masked_hex)
{
	unsigned char mask[1024], masked[1024];
	int n = unhex(mask_hex, mask, sizeof(mask));
	X509 *cert;
	EVP_PKEY *key;
	int ret;

	if (n < 16 || unhex(masked_hex, masked, sizeof(masked)) != n)
		return fail("MASK and MASKED: the same number of hex bytes, 16 at least");
	if (load(uri, &cert, &key))
		return 1;
	if (!key)
		return fail("no key loaded");
	/* A key file has no certificate with it: the signature is then unchecked. */
	if (cert && sign_all(cert, key) < 0) {
		ret = fail("a signature failed");
	} else if (memory_holds(mask, masked, n)) {
		printf("the private number (%d bytes) is in this process's memory\n", n);
		ret = 1;
	} else {
		printf("the private number (%d bytes) is nowhere in this process's memory\n", n);
		ret = 0;
	}
	EVP_PKEY_free(key);
	X509_free(cert);
	return ret;
}

/* The reason of the last error in the queue, which it empties. */
static void print_error(void)
{
	char buf[512] = "none";
	const char *data = NULL;
	unsigned long e = ERR_peek_last_error_data(&data, NULL);

	if (e)
		snprintf(buf, sizeof(buf), "%s%s%s", ERR_reason_error_string(e) ?: "?",
			 data && data[0] ? ": " : "", data ? data : "");
	ERR_clear_error();
	printf("error: %s\n", buf);
}

static int cmd_session(const char *uri)
{
	const struct scheme *s = NULL;
	EVP_PKEY *key = NULL, *pub = NULL;
	X509 *cert = NULL;
	char line[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	strcpy(line, "open\n");
	do {
		if (!strcmp(line, "open\n")) {
			EVP_PKEY_free(key);
			EVP_PKEY_free(pub);
			X509_free(cert);
			pub = NULL;
			if (!load(uri, &cert, &key) && cert && key && (pub = default_pub(cert))) {
				s = EVP_PKEY_is_a(key, "RSA") ? &rsa_schemes[0] : &ec_schemes[0];
				printf("opened\n");
			} else {
				print_error();
			}
		} else if (!strcmp(line, "sign\n")) {
			if (pub && sign_both_ways(key, pub, s))
				printf("verified\n");
			else
				print_error();
		}
	} while (fgets(line, sizeof(line), stdin));
	EVP_PKEY_free(key);
	EVP_PKEY_free(pub);
	X509_free(cert);
	return 0;
}

int main(int argc, char **argv)
{
	OSSL_PROVIDER *devcred, *dflt;
	int ret = 2;

	libctx = OSSL_LIB_CTX_new();
	dflt = OSSL_PROVIDER_load(libctx, "default");
	devcred = OSSL_PROVIDER_load(libctx, "devcred");
	if (!libctx || !dflt || !devcred)
		return fail("the devcred and default providers do not load (OPENSSL_MODULES?)");
	if (argc == 3 && !strcmp(argv[1], "sign"))
		ret = cmd_sign(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "key"))
		ret = cmd_key(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "session"))
		ret = cmd_session(argv[2]);
	else if (argc == 5 && !strcmp(argv[1], "scan"))
		ret = cmd_scan(argv[2], argv[3], argv[4]);
	else
		fprintf(stderr, "usage: test_provider sign URI | key URI | session URI | scan URI MASK MASKED\n");
	OSSL_PROVIDER_unload(devcred);
	OSSL_PROVIDER_unload(dflt);
	OSSL_LIB_CTX_free(libctx);
	return ret;
}
