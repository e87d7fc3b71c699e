// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "pem_take.h"
#include "selfsigned.h"

static int dc_read_sysfs(const char *iface, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", iface, attr);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok ? 0 : -EIO;
}

/* The first interface, by name, whose type is Ethernet (ARPHRD_ETHER, 1). */
static int dc_first_ethernet(char *name, size_t len)
{
	struct dirent **list;
	char type[16];
	int n, i, found = -ENODEV;

	n = scandir("/sys/class/net", &list, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (found && list[i]->d_name[0] != '.' && strcmp(list[i]->d_name, "lo") &&
		    !dc_read_sysfs(list[i]->d_name, "type", type, sizeof(type)) &&
		    !strcmp(type, "1")) {
			snprintf(name, len, "%s", list[i]->d_name);
			found = 0;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

int dc_mac_address(const char *iface, char out[13])
{
	char name[NAME_MAX + 1], addr[32];
	unsigned int b[6];
	int ret, i;

	if (!iface) {
		ret = dc_first_ethernet(name, sizeof(name));
		if (ret)
			return ret;
		iface = name;
	}
	ret = dc_read_sysfs(iface, "address", addr, sizeof(addr));
	if (ret)
		return ret;
	if (sscanf(addr, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		snprintf(out + 2 * i, 3, "%02X", b[i]);
	return 0;
}

static int dc_add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static X509 *dc_build_cert(EVP_PKEY *key, const char *cn, time_t now)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *serial = BN_new();
	int ok;

	ok = x && name && serial && X509_set_version(x, X509_VERSION_3) &&
	     BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
	     BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
	     X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) &&
	     X509_time_adj_ex(X509_getm_notAfter(x), 20 * 365, 0, &now) &&
	     X509_set_pubkey(x, key) &&
	     dc_add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
	     dc_add_ext(x, NID_key_usage, "critical,digitalSignature,keyAgreement") &&
	     dc_add_ext(x, NID_ext_key_usage, "serverAuth,clientAuth") &&
	     dc_add_ext(x, NID_subject_key_identifier, "hash") &&
	     X509_sign(x, key, EVP_sha256());
	X509_NAME_free(name);
	BN_free(serial);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int dc_selfsigned_make(const char *cn, time_t now, char **cert_pem, size_t *cert_len,
		       char **key_pem, size_t *key_len, char *err, size_t errlen)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	BIO *cb = BIO_new(BIO_s_mem()), *kb = BIO_new(BIO_s_secmem());
	X509 *x = key ? dc_build_cert(key, cn, now) : NULL;
	int ret = -1;

	*cert_pem = *key_pem = NULL;
	if (!x || !cb || !kb || !PEM_write_bio_X509(cb, x) ||
	    !PEM_write_bio_PKCS8PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL)) {
		snprintf(err, errlen, "cannot make a self-signed certificate: %s",
			 ERR_reason_error_string(ERR_peek_last_error()));
		goto out;
	}
	*cert_pem = dc_bio_take(cb, cert_len, 0);
	*key_pem = dc_bio_take(kb, key_len, 1);
	if (*cert_pem && *key_pem)
		ret = 0;
	else
		snprintf(err, errlen, "out of memory");
out:
	if (ret) {
		free(*cert_pem);
		if (*key_pem)
			OPENSSL_secure_clear_free(*key_pem, *key_len + 1);
		*cert_pem = *key_pem = NULL;
	}
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(key);
	BIO_free(cb);
	BIO_free(kb);
	return ret;
}
