// SPDX-License-Identifier: GPL-2.0
/*
 * csr: a new private key and a certificate signing request (CSR) for it,
 * made on the device, as phones do for a CA to sign:
 *
 *	credctl csr --cn phone.example.com --keep-key platform1
 *	(the CA signs MAC.csr)
 *	credctl install platform1 --cert signed.pem
 *
 * The key is rsa2048 (default), rsa3072 or ec-p256; the request is signed
 * with SHA-256 and its subject comes from the options. The answer carries
 * the request, the file base name (the MAC address) and the key, unless
 * the key stays in the device as the pending key of a slot (keep-key),
 * which install later pairs with the signed certificate.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/info.h"
#include "lib/cred/pem_take.h"
#include "cmd.h"

/**
 * struct dd_key_params - how OpenSSL makes a key type of common/names.h
 * @algorithm: OpenSSL's name for it
 * @bits: RSA modulus size; 0 for EC
 * @curve: EC curve; NULL for RSA
 */
struct dd_key_params {
	const char *algorithm;
	size_t bits;
	const char *curve;
};

static const struct dd_key_params dd_key_params[DC_KEY_TYPE_COUNT] = {
	[DC_KEY_RSA2048] = { "RSA", 2048, NULL },
	[DC_KEY_RSA3072] = { "RSA", 3072, NULL },
	[DC_KEY_EC_P256] = { "EC", 0, "P-256" },
};

/* The subject's attributes in the order a DN lists them, and where each comes from. */
static const struct {
	const char *option;
	int nid;
	size_t offset;
} dd_subject_attrs[] = {
	{ "--country", NID_countryName, offsetof(struct dc_csr_request, country) },
	{ "--state", NID_stateOrProvinceName, offsetof(struct dc_csr_request, state) },
	{ "--org", NID_organizationName, offsetof(struct dc_csr_request, org) },
	{ "--cn", NID_commonName, offsetof(struct dc_csr_request, cn) },
	{ "--email", NID_pkcs9_emailAddress, offsetof(struct dc_csr_request, email) },
};

/* The key type credctl asked for (DC_KEY_*; "" is the default), or -1. */
static int dd_key_type(const char *name)
{
	return name[0] ? dc_key_type_by_name(name) : DC_KEY_RSA2048;
}

/* OpenSSL's last reason, for messages; empties the queue. */
static const char *dd_ssl_reason(void)
{
	const char *why = ERR_reason_error_string(ERR_peek_last_error());

	ERR_clear_error();
	return why ? why : "no reason given";
}

/* Country codes are ISO 3166 alpha-2: exactly two letters A-Z. */
static int dd_country_ok(const char *c)
{
	return !c[0] || (c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2]);
}

/*
 * The subject from the request. OpenSSL's string table holds each
 * attribute's limits (a CN is at most 64 characters, ...); its refusal is
 * reported with them.
 */
static X509_NAME *dd_csr_subject(struct dd_ctx *ctx, const struct dc_csr_request *csr)
{
	X509_NAME *name = X509_NAME_new();
	const ASN1_STRING_TABLE *limits;
	const char *value;
	size_t i;

	if (!name) {
		dd_fail(ctx, "csr: out of memory");
		return NULL;
	}
	for (i = 0; i < sizeof(dd_subject_attrs) / sizeof(dd_subject_attrs[0]); i++) {
		value = (const char *)csr + dd_subject_attrs[i].offset;
		if (!value[0] || X509_NAME_add_entry_by_NID(name, dd_subject_attrs[i].nid,
							    MBSTRING_UTF8,
							    (const unsigned char *)value, -1, -1, 0))
			continue;
		limits = ASN1_STRING_TABLE_get(dd_subject_attrs[i].nid);
		if (limits && limits->maxsize > 0)
			dd_fail(ctx, "%s '%s' does not fit a certificate subject: %ld to %ld characters (%s)",
				dd_subject_attrs[i].option, value, limits->minsize, limits->maxsize,
				dd_ssl_reason());
		else
			dd_fail(ctx, "%s '%s' does not fit a certificate subject (%s)",
				dd_subject_attrs[i].option, value, dd_ssl_reason());
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

/* The signed request for @key and @subject, as PEM into ctx->reply. */
static int dd_csr_make(struct dd_ctx *ctx, EVP_PKEY *key, X509_NAME *subject,
		       char *digest, size_t digest_len)
{
	X509_REQ *req = X509_REQ_new();
	BIO *bio = BIO_new(BIO_s_mem());
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0, i;
	int ok;

	ok = req && bio && X509_REQ_set_version(req, X509_REQ_VERSION_1) &&
	     X509_REQ_set_subject_name(req, subject) && X509_REQ_set_pubkey(req, key) &&
	     X509_REQ_sign(req, key, EVP_sha256()) > 0 && PEM_write_bio_X509_REQ(bio, req) &&
	     X509_REQ_digest(req, EVP_sha256(), md, &md_len);
	if (ok)
		ctx->reply.csr = cred_pem_take(bio, &ctx->reply.csr_len, 0);
	if (!ok || !ctx->reply.csr)
		dd_fail(ctx, "csr: cannot make the request: %s", dd_ssl_reason());
	for (i = 0; ok && i < md_len && 3 * i + 3 <= digest_len; i++)
		snprintf(digest + 3 * i, 4, "%02X%s", md[i], i + 1 < md_len ? ":" : "");
	X509_REQ_free(req);
	BIO_free(bio);
	return ctx->reply.csr ? 0 : -EINVAL;
}

/* The key as unencrypted PKCS#8 PEM in the secure heap; NULL on failure. */
static char *dd_key_pem(EVP_PKEY *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *pem = NULL;

	if (bio && PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		pem = cred_pem_take(bio, len, 1);
	BIO_free(bio);
	return pem;
}

/* Hands the key to the kernel as @slot's pending key, within the slot's limit. */
static int dd_keep_key(struct dd_ctx *ctx, int slot, const char *pem, size_t len)
{
	struct devcred_info info;
	int flash = slot < DEVCRED_FLASH_SLOTS;
	size_t max = flash ? DEVCRED_FLASH_KEY_MAX : (size_t)-1;
	int ret;

	if (!store_info(ctx->fd, &info))
		max = flash ? info.flash_key_max : info.app_blob_max;
	if (len > max)
		return dd_fail(ctx, "%s: the new private key is %zu bytes; %s slots hold at most %zu (choose a smaller --key)",
			       dc_slot_names[slot], len, flash ? "platform" : "application", max);
	ret = store_set_pending(ctx->fd, slot, pem, len);
	switch (ret) {
	case 0:
		return 0;
	case -EROFS:
		return dd_fail(ctx, "%s: the credential partition is read-only", dc_slot_names[slot]);
	case -ENOSPC:
		return dd_fail(ctx, "%s: the application store is full (devcred module parameter app_store_max)",
			       dc_slot_names[slot]);
	default:
		return dd_fail(ctx, "%s: the store refused the pending key: %s", dc_slot_names[slot],
			       strerror(-ret));
	}
}

/* The checks that need no key: the MAC address, the key type, the slot, the subject. */
static int dd_csr_check(struct dd_ctx *ctx, const struct dc_csr_request *csr, int *slot)
{
	*slot = -1;
	if (!ctx->mac || !ctx->mac[0])
		return dd_fail(ctx, "csr: the device's MAC address is unknown, and the files are named after it (start devcredd with --interface IF)");
	if (dd_key_type(csr->key_type) < 0)
		return dd_fail(ctx, "csr: unknown key type '%s'; key types are %s",
			       csr->key_type, dc_key_type_list());
	if (csr->keep_key[0]) {
		*slot = dc_slot_by_name(csr->keep_key);
		if (*slot < 0)
			return dd_fail(ctx, "unknown slot '%s'; slots are %s", csr->keep_key,
				       dc_slot_list());
		if (*slot == DEVCRED_SLOT_BUILTIN)
			return dd_fail(ctx, "--keep-key builtin: the built-in credential comes from the factory or is self-signed; keep the key in platform1, platform2 or app1 to app6");
	}
	if (!csr->cn[0])
		return dd_fail(ctx, "csr needs --cn CN, the subject's common name");
	if (!dd_country_ok(csr->country))
		return dd_fail(ctx, "--country '%s': give the two-letter country code (ISO 3166), A to Z, e.g. US",
			       csr->country);
	return 0;
}

static void dd_csr_log(const struct dc_csr_request *csr, X509_NAME *subject, int slot,
		       const char *digest)
{
	char dn[512] = "";
	BIO *bio = BIO_new(BIO_s_mem());
	int n;

	if (bio && X509_NAME_print_ex(bio, subject, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(bio, dn, sizeof(dn) - 1);
		dn[n > 0 ? n : 0] = '\0';
	}
	BIO_free(bio);
	dc_log(DC_LOG_INFO, "csr: made an %s key and a certificate signing request for '%s', SHA256 %s; %s%s",
	       dc_key_type_names[dd_key_type(csr->key_type)], dn, digest,
	       slot < 0 ? "the key went to credctl" : "the key is the pending key of ",
	       slot < 0 ? "" : dc_slot_names[slot]);
}

int dd_cmd_csr(struct dd_ctx *ctx, const struct dc_request *req)
{
	const struct dc_csr_request *csr = &req->csr;
	int type = dd_key_type(csr->key_type);
	const struct dd_key_params *kp = &dd_key_params[type < 0 ? DC_KEY_RSA2048 : type];
	char digest[3 * EVP_MAX_MD_SIZE + 1] = "", *pem = NULL;
	X509_NAME *subject = NULL;
	EVP_PKEY *key = NULL;
	size_t len = 0, i;
	int slot, ret;

	ret = dd_csr_check(ctx, csr, &slot);
	if (!ret) {
		subject = dd_csr_subject(ctx, csr);
		ret = subject ? 0 : -EINVAL;
	}
	if (!ret) {
		key = kp->curve ? EVP_PKEY_Q_keygen(NULL, NULL, kp->algorithm, kp->curve)
				: EVP_PKEY_Q_keygen(NULL, NULL, kp->algorithm, kp->bits);
		pem = key ? dd_key_pem(key, &len) : NULL;
		if (!pem)
			ret = dd_fail(ctx, "csr: cannot make a %s key: %s", dc_key_type_names[type],
				      dd_ssl_reason());
	}
	if (!ret)
		ret = dd_csr_make(ctx, key, subject, digest, sizeof(digest));
	if (!ret && slot >= 0)
		ret = dd_keep_key(ctx, slot, pem, len);
	if (!ret) {
		for (i = 0; i < sizeof(ctx->reply.file_name) - 1 && ctx->mac[i]; i++)
			ctx->reply.file_name[i] = ctx->mac[i] >= 'A' && ctx->mac[i] <= 'F' ?
						  ctx->mac[i] - 'A' + 'a' : ctx->mac[i];
		dd_csr_log(csr, subject, slot, digest);
		if (slot >= 0)
			dc_out_printf(&ctx->out, "%s: the new key is kept as its pending key; 'credctl install %s --cert FILE' pairs it with the signed certificate\n",
				      dc_slot_names[slot], dc_slot_names[slot]);
		if (slot < 0) {
			ctx->reply.key = pem;	/* the reply owns it now */
			ctx->reply.key_len = len;
			pem = NULL;
		}
	}
	if (pem)
		OPENSSL_secure_clear_free(pem, len + 1);
	if (ret)
		dd_reply_free(&ctx->reply);
	EVP_PKEY_free(key);
	X509_NAME_free(subject);
	return ret;
}
