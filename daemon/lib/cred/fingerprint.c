// SPDX-License-Identifier: GPL-2.0
/* What a certificate is called: fingerprints, common name, subject. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "cred_internal.h"
#include "info.h"

int cred_fingerprint(const X509 *x, const char *digest_name, char *out,
		     size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	EVP_MD *type;
	int ret = 0;

	if (!x || !digest_name || !out)
		return -EINVAL;
	type = EVP_MD_fetch(NULL, digest_name, NULL);
	if (!type || !X509_digest(x, type, md, &n))
		ret = -EINVAL;
	/* Uppercase hex, ':' between bytes, NUL-terminated. */
	else if (!OPENSSL_buf2hexstr_ex(out, outlen, NULL, md, n, ':'))
		ret = -ENOSPC;
	EVP_MD_free(type);
	ERR_clear_error();
	return ret;
}

int cred_common_name(const X509 *x, char *out, size_t outlen)
{
	const X509_NAME *name;
	unsigned char *utf8 = NULL;
	int i = -1, last = -1, n, ret = 0;

	if (!x || !out)
		return -EINVAL;
	name = X509_get_subject_name(x);
	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return -ENOENT;
	n = ASN1_STRING_to_UTF8(&utf8,
				X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last)));
	if (n < 0 || memchr(utf8, '\0', n)) {
		ret = -EINVAL;
	} else if ((size_t)n >= outlen) {
		ret = -ENOSPC;
	} else {
		memcpy(out, utf8, n);
		out[n] = '\0';
	}
	OPENSSL_free(utf8);
	ERR_clear_error();
	return ret;
}

void cred_describe(const X509 *x, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n = 0;

	if (b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
				    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0)
		n = BIO_get_mem_data(b, &p);
	if (n <= 0 || !p) {
		snprintf(buf, len, "(unreadable subject)");
	} else {
		/* UTF-8 is kept, so its C1 controls are escaped here. */
		char *raw = strndup(p, n);

		if (raw)
			cred_text_safe(raw, buf, len);
		else
			snprintf(buf, len, "(unreadable subject)");
		free(raw);
	}
	BIO_free(b);
}
