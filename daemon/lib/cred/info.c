// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "credential.h"
#include "info.h"

static void name_text(const X509_NAME *name, char *out, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;

	out[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_get_mem_data(b, &data);
		snprintf(out, len, "%.*s", (int)n, data);
	}
	BIO_free(b);
}

static void time_text(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm))
		strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(out, len, "?");
}

static void key_text(X509 *x, char *out, size_t len)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char group[64] = "";
	const char *nist;
	size_t glen;

	if (!k) {
		snprintf(out, len, "unknown");
		return;
	}
	if (EVP_PKEY_is_a(k, "EC") &&
	    EVP_PKEY_get_group_name(k, group, sizeof(group), &glen)) {
		nist = EC_curve_nid2nist(OBJ_txt2nid(group));
		snprintf(out, len, "EC %.60s", nist ? nist : group);
	} else {
		snprintf(out, len, "%s %d", EVP_PKEY_get0_type_name(k) ?: "?",
			 EVP_PKEY_get_bits(k));
	}
}

void cred_text_safe(const char *in, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0;
	int c1;

	for (; *p && n + 1 < outlen; p++) {
		c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
		if (*p >= 0x20 && *p != 0x7f && !c1) {
			out[n++] = *p;
			continue;
		}
		if (n + (c1 ? 8 : 4) >= outlen)
			break;
		n += snprintf(out + n, outlen - n, "\\x%02x", *p);
		if (c1)
			n += snprintf(out + n, outlen - n, "\\x%02x", *++p);
	}
	out[n] = '\0';
}

void cred_info_get(X509 *x, struct cred_info *ci)
{
	char cn[sizeof(ci->cn)];

	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	memset(ci, 0, sizeof(*ci));
	name_text(X509_get_subject_name(x), ci->subject, sizeof(ci->subject));
	name_text(X509_get_issuer_name(x), ci->issuer, sizeof(ci->issuer));
	if (!cred_common_name(x, cn, sizeof(cn)))
		cred_text_safe(cn, ci->cn, sizeof(ci->cn));
	snprintf(ci->serial, sizeof(ci->serial), "%s", hex ? hex : "?");
	time_text(X509_get0_notBefore(x), ci->not_before, sizeof(ci->not_before));
	time_text(X509_get0_notAfter(x), ci->not_after, sizeof(ci->not_after));
	key_text(x, ci->key_type, sizeof(ci->key_type));
	cred_fingerprint(x, "MD5", ci->md5, sizeof(ci->md5));
	cred_fingerprint(x, "SHA1", ci->sha1, sizeof(ci->sha1));
	cred_fingerprint(x, "SHA256", ci->sha256, sizeof(ci->sha256));
	OPENSSL_free(hex);
	BN_free(bn);
	ERR_clear_error();
}

int cred_parse_chain(const char *pem, size_t len, STACK_OF(X509) **chain)
{
	struct credential c;
	int ret;

	*chain = NULL;
	ret = cred_decode(&c, pem, len, NULL, 0, NULL, NULL);
	if (ret)
		return ret;
	*chain = c.chain;
	c.chain = NULL;
	cred_free(&c);
	return 0;
}
