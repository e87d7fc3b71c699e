// SPDX-License-Identifier: GPL-2.0
/*
 * Chain order. The input's order is not trusted: a PKCS#7 certificate set
 * has none, and chains are often pasted root first. The certificates are
 * put leaf first, each followed by its issuer; the leaf is the one
 * certificate that issued none of the others. Anything that is not one
 * path (two leaves, a certificate off the path, the same certificate twice,
 * two candidate issuers) is refused rather than guessed at.
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "cred_internal.h"

#define WHAT "certificate input"

/* Names, key identifiers and key usage; cred_validate() checks signatures. */
static bool issued(X509 *issuer, X509 *subject)
{
	return X509_check_issued(issuer, subject) == X509_V_OK;
}

static bool issued_any(STACK_OF(X509) *certs, int i)
{
	int j;

	for (j = 0; j < sk_X509_num(certs); j++)
		if (j != i && issued(sk_X509_value(certs, i), sk_X509_value(certs, j)))
			return true;
	return false;
}

static int check_duplicates(STACK_OF(X509) *certs, struct cred_error *err)
{
	char name[256];
	int i, j, n = sk_X509_num(certs);

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (X509_cmp(sk_X509_value(certs, i), sk_X509_value(certs, j)))
				continue;
			cred_describe(sk_X509_value(certs, i), name, sizeof(name));
			return cred_err(err, -EINVAL,
					WHAT ": certificates %d and %d are the same certificate ('%s'); give it once",
					i + 1, j + 1, name);
		}
	}
	return 0;
}

static int find_leaf(STACK_OF(X509) *certs, int *leaf, struct cred_error *err)
{
	char a[256], b[256];
	int i;

	*leaf = -1;
	for (i = 0; i < sk_X509_num(certs); i++) {
		if (issued_any(certs, i))
			continue;
		if (*leaf >= 0) {
			cred_describe(sk_X509_value(certs, *leaf), a, sizeof(a));
			cred_describe(sk_X509_value(certs, i), b, sizeof(b));
			return cred_err(err, -EINVAL,
					WHAT ": the certificates are not one chain: '%s' and '%s' both issued none of the others, so either could be the leaf",
					a, b);
		}
		*leaf = i;
	}
	if (*leaf < 0)
		return cred_err(err, -EINVAL,
				WHAT ": the certificates are not one chain: each issued another, so none is the leaf");
	return 0;
}

static bool in_path(STACK_OF(X509) *path, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(path); i++)
		if (sk_X509_value(path, i) == x)
			return true;
	return false;
}

/* The issuer of @cur among the certificates not yet in @path, or NULL. */
static int next_issuer(STACK_OF(X509) *certs, STACK_OF(X509) *path, X509 *cur,
		       X509 **next, struct cred_error *err)
{
	char a[256], b[256], c[256];
	int i;

	*next = NULL;
	for (i = 0; i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);

		if (in_path(path, x) || !issued(x, cur))
			continue;
		if (*next) {
			cred_describe(cur, a, sizeof(a));
			cred_describe(*next, b, sizeof(b));
			cred_describe(x, c, sizeof(c));
			return cred_err(err, -EINVAL,
					WHAT ": '%s' has two possible issuers, '%s' and '%s'; give one",
					a, b, c);
		}
		*next = x;
	}
	return 0;
}

/* The certificates in @path order, leaf first, or a message. */
static int build_path(STACK_OF(X509) *certs, int leaf, STACK_OF(X509) *path,
		      struct cred_error *err)
{
	char a[256], b[256];
	X509 *cur = sk_X509_value(certs, leaf);
	int i, ret = 0;

	while (cur && !ret) {
		if (!sk_X509_push(path, cur))
			return cred_err_ssl(err, -ENOMEM, WHAT ": out of memory");
		ret = next_issuer(certs, path, cur, &cur, err);
	}
	for (i = 0; !ret && i < sk_X509_num(certs); i++) {
		if (in_path(path, sk_X509_value(certs, i)))
			continue;
		cred_describe(sk_X509_value(certs, i), a, sizeof(a));
		cred_describe(sk_X509_value(certs, leaf), b, sizeof(b));
		ret = cred_err(err, -EINVAL,
			       WHAT ": '%s' is not part of the chain of '%s'; remove it",
			       a, b);
	}
	return ret;
}

int cred_chain_order(STACK_OF(X509) *certs, struct cred_error *err)
{
	STACK_OF(X509) *path;
	int i, leaf, ret;

	ret = check_duplicates(certs, err);
	if (!ret)
		ret = find_leaf(certs, &leaf, err);
	if (ret)
		return ret;
	path = sk_X509_new_reserve(NULL, sk_X509_num(certs));
	if (!path)
		return cred_err_ssl(err, -ENOMEM, WHAT ": out of memory");
	ret = build_path(certs, leaf, path, err);
	for (i = 0; !ret && i < sk_X509_num(path); i++)
		sk_X509_set(certs, i, sk_X509_value(path, i));
	sk_X509_free(path);
	ERR_clear_error();
	return ret;
}
