// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates and keys inside XML attributes. XML turns the line breaks
 * of an attribute value into spaces (attribute value normalization), so a
 * PEM block arrives as one line: "-----BEGIN PKCS7----- MIIB... -----END
 * PKCS7-----". The line structure PEM needs is put back before decoding.
 *
 * The phones' most common provisioning mistake is pasting a PKCS#7 body
 * without its BEGIN/END lines; it is recognised, so that the error can say
 * exactly that.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>

#include "lib/cred/secret.h"
#include "pem.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *config_pem_unfold(const char *in, size_t len, size_t *out_len)
{
	char *out = cred_secret_dup(in, len + 1);	/* room for a final newline */
	const char *end = in + len, *label;
	char *fit;
	size_t n = 0;

	if (!out)
		return NULL;
	while (in < end) {
		if (is_space(*in)) {
			while (in < end && is_space(*in))
				in++;
			if (n)
				out[n++] = '\n';
			continue;
		}
		/* "-----BEGIN X-----" and "-----END X-----" keep their spaces. */
		if (end - in >= 5 && !memcmp(in, "-----", 5)) {
			label = memmem(in + 5, end - in - 5, "-----", 5);
			if (label) {
				memcpy(out + n, in, label + 5 - in);
				n += label + 5 - in;
				in = label + 5;
				continue;
			}
		}
		out[n++] = *in++;
	}
	if (n && out[n - 1] != '\n')
		out[n++] = '\n';
	fit = cred_secret_dup(out, n);
	cred_secret_free(out, len + 1);
	*out_len = n;
	return fit;
}

int config_is_bare_pkcs7(const char *text, size_t len)
{
	BIO *b64, *mem;
	PKCS7 *p7 = NULL;
	char *flat;
	size_t i, n = 0;

	if (memmem(text, len, "-----BEGIN", 10))
		return 0;
	/* One line without whitespace: the base64 BIO then takes any length. */
	flat = malloc(len + 1);
	if (!flat)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_space(text[i]))
			flat[n++] = text[i];
	mem = BIO_new_mem_buf(flat, (int)n);
	b64 = BIO_new(BIO_f_base64());
	if (mem && b64) {
		BIO_set_flags(b64, BIO_FLAGS_BASE64_NO_NL);
		mem = BIO_push(b64, mem);
		b64 = NULL;
		p7 = d2i_PKCS7_bio(mem, NULL);
	}
	BIO_free_all(mem);
	BIO_free(b64);
	free(flat);
	PKCS7_free(p7);
	return p7 != NULL;
}
