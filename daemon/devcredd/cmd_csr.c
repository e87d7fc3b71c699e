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

#include "lib/cred/pem_take.h"
#include "lib/cred/info.h"
#include "cmd.h"
#include "common/log.h"
#include "common/names.h"

/**
 * struct dc_key_type - a key csr can make
 * @name: as credctl's --key says it
 * @algorithm: OpenSSL's name for it
 * @bits: RSA modulus size; 0 for EC
 * @curve: EC curve; NULL for RSA
 */
struct dc_key_type {
	const char *name;
	const char *algorithm;
	size_t bits;
	const char *curve;
};

static const struct dc_key_type dc_key_types[] = {
	{ "rsa2048", "RSA", 2048, NULL },	/* the default */
	{ "rsa3072", "RSA", 3072, NULL },
	{ "ec-p256", "EC", 0, "P-256" },
};

/* The subject's attributes in the order a DN lists them, and where each comes from. */
static const struct {
	const char *option;
	int nid;
	size_t offset;
} dc_subject_attrs[] = {
	{ "--country", NID_countryName, offsetof(struct dc_csr_request, country) },
	{ "--state", NID_stateOrProvinceName, offsetof(struct dc_csr_request, state) },
	{ "--org", NID_organizationName, offsetof(struct dc_csr_request, org) },
	{ "--cn", NID_commonName, offsetof(struct dc_csr_request, cn) },
	{ "--email", NID_pkcs9_emailAddress, offsetof(struct dc_csr_request, email) },
};

static const struct dc_key_type *dc_key_type(const char *name)
{
	size_t i;

	if (!name[0])
		return &dc_key_types[0];
	for (i = 0; i < sizeof(dc_key_types) / sizeof(dc_key_types[0]); i++)
		if (!strcmp(dc_key_types[i].name, name))
			return &dc_key_types[i];
	return NULL;
}

/* OpenSSL's last reason, for messages; empties the queue. */
static const char *dc_ssl_reason(void)
{
	const char *why = ERR_reason_error_string(ERR_peek_last_error());

	ERR_clear_error();
	return why ? why : "no reason given";
}

/* Country codes are ISO 3166 alpha-2: exactly two letters A-Z. */
static int dc_country_ok(const char *c)
{
	return !c[0] || (c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2]);
}

/*
 * The subject from the request. OpenSSL's string table holds each
 * attribute's limits (a CN is at most 64 characters, ...); its refusal is
 * reported with them.
 */
static X509_NAME *dc_csr_subject(struct dc_ctx *ctx, const struct dc_csr_request *csr)
{
	X509_NAME *name = X509_NAME_new();
	const ASN1_STRING_TABLE *limits;
	const char *value;
	size_t i;

	if (!name) {
		dc_fail(ctx, "csr: out of memory");
		return NULL;
	}
	for (i = 0; i < sizeof(dc_subject_attrs) / sizeof(dc_subject_attrs[0]); i++) {
		value = (const char *)csr + dc_subject_attrs[i].offset;
		if (!value[0] || X509_NAME_add_entry_by_NID(name, dc_subject_attrs[i].nid,
							    MBSTRING_UTF8,
							    (const unsigned char *)value, -1, -1, 0))
			continue;
		limits = ASN1_STRING_TABLE_get(dc_subject_attrs[i].nid);
		if (limits && limits->maxsize > 0)
			dc_fail(ctx, "%s '%s' does not fit a certificate subject: %ld to %ld characters (%s)",
				dc_subject_attrs[i].option, value, limits->minsize, limits->maxsize,
				dc_ssl_reason());
		else
			dc_fail(ctx, "%s '%s' does not fit a certificate subject (%s)",
				dc_subject_attrs[i].option, value, dc_ssl_reason());
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

/* The signed request for @key and @subject, as PEM into ctx->reply. */
static int dc_csr_make(struct dc_ctx *ctx, EVP_PKEY *key, X509_NAME *subject,
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
		ctx->reply.csr = dc_bio_take(bio, &ctx->reply.csr_len, 0);
	if (!ok || !ctx->reply.csr)
		dc_fail(ctx, "csr: cannot make the request: %s", dc_ssl_reason());
	for (i = 0; ok && i < md_len && 3 * i + 3 <= digest_len; i++)
		snprintf(digest + 3 * i, 4, "%02X%s", md[i], i + 1 < md_len ? ":" : "");
	X509_REQ_free(req);
	BIO_free(bio);
	return ctx->reply.csr ? 0 : 1;
}

/* The key as unencrypted PKCS#8 PEM in the secure heap; NULL on failure. */
static char *dc_key_pem(EVP_PKEY *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *pem = NULL;

	if (bio && PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		pem = dc_bio_take(bio, len, 1);
	BIO_free(bio);
	return pem;
}

/* Hands the key to the kernel as @slot's pending key, within the slot's limit. */
static int dc_keep_key(struct dc_ctx *ctx, int slot, const char *pem, size_t len)
{
	struct devcred_info info;
	int flash = slot < DEVCRED_FLASH_SLOTS;
	size_t max = flash ? DEVCRED_FLASH_KEY_MAX : (size_t)-1;
	int ret;

	if (!dc_dev_info(ctx->fd, &info))
		max = flash ? info.flash_key_max : info.app_blob_max;
	if (len > max)
		return dc_fail(ctx, "%s: the new private key is %zu bytes; %s slots hold at most %zu (choose a smaller --key)",
			       dc_slot_names[slot], len, flash ? "platform" : "application", max);
	ret = dc_dev_set_pending(ctx->fd, slot, pem, len);
	switch (ret) {
	case 0:
		return 0;
	case -EROFS:
		return dc_fail(ctx, "%s: the credential partition is read-only", dc_slot_names[slot]);
	case -ENOSPC:
		return dc_fail(ctx, "%s: the application store is full (devcred module parameter app_store_max)",
			       dc_slot_names[slot]);
	default:
		return dc_fail(ctx, "%s: the store refused the pending key: %s", dc_slot_names[slot],
			       strerror(-ret));
	}
}

/* The checks that need no key: the MAC address, the key type, the slot, the subject. */
static int dc_csr_check(struct dc_ctx *ctx, const struct dc_csr_request *csr, int *slot)
{
	*slot = -1;
	if (!ctx->mac || !ctx->mac[0])
		return dc_fail(ctx, "csr: the device's MAC address is unknown, and the files are named after it (start devcredd with --interface IF)");
	if (!dc_key_type(csr->key_type))
		return dc_fail(ctx, "csr: unknown key type '%s'; key types are rsa2048, rsa3072, ec-p256",
			       csr->key_type);
	if (csr->keep_key[0]) {
		*slot = dc_slot_by_name(csr->keep_key);
		if (*slot < 0)
			return dc_fail(ctx, "unknown slot '%s'; slots are %s", csr->keep_key,
				       dc_slot_list());
		if (*slot == DEVCRED_SLOT_BUILTIN)
			return dc_fail(ctx, "--keep-key builtin: the built-in credential comes from the factory or is self-signed; keep the key in platform1, platform2 or app1 to app6");
	}
	if (!csr->cn[0])
		return dc_fail(ctx, "csr needs --cn CN, the subject's common name");
	if (!dc_country_ok(csr->country))
		return dc_fail(ctx, "--country '%s': give the two-letter country code (ISO 3166), A to Z, e.g. US",
			       csr->country);
	return 0;
}

static void dc_csr_log(const struct dc_csr_request *csr, X509_NAME *subject, int slot,
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
	       dc_key_type(csr->key_type)->name, dn, digest,
	       slot < 0 ? "the key went to credctl" : "the key is the pending key of ",
	       slot < 0 ? "" : dc_slot_names[slot]);
}

int dc_cmd_csr(struct dc_ctx *ctx, const struct dc_request *req)
{
	const struct dc_csr_request *csr = &req->csr;
	const struct dc_key_type *type = dc_key_type(csr->key_type);
	char digest[3 * EVP_MAX_MD_SIZE + 1] = "", *pem = NULL;
	X509_NAME *subject = NULL;
	EVP_PKEY *key = NULL;
	size_t len = 0, i;
	int slot, ret;

	ret = dc_csr_check(ctx, csr, &slot);
	if (!ret) {
		subject = dc_csr_subject(ctx, csr);
		ret = !subject;
	}
	if (!ret) {
		key = type->curve ? EVP_PKEY_Q_keygen(NULL, NULL, type->algorithm, type->curve)
				  : EVP_PKEY_Q_keygen(NULL, NULL, type->algorithm, type->bits);
		pem = key ? dc_key_pem(key, &len) : NULL;
		if (!pem)
			ret = dc_fail(ctx, "csr: cannot make a %s key: %s", type->name, dc_ssl_reason());
	}
	if (!ret)
		ret = dc_csr_make(ctx, key, subject, digest, sizeof(digest));
	if (!ret && slot >= 0)
		ret = dc_keep_key(ctx, slot, pem, len);
	if (!ret) {
		for (i = 0; i < sizeof(ctx->reply.file_name) - 1 && ctx->mac[i]; i++)
			ctx->reply.file_name[i] = ctx->mac[i] >= 'A' && ctx->mac[i] <= 'F' ?
						  ctx->mac[i] - 'A' + 'a' : ctx->mac[i];
		dc_csr_log(csr, subject, slot, digest);
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
		dc_reply_free(&ctx->reply);
	EVP_PKEY_free(key);
	X509_NAME_free(subject);
	return ret;
}

void dc_reply_to(const struct dc_reply *r, struct dc_response *resp)
{
	resp->csr = (struct dc_buf){ (const uint8_t *)r->csr, r->csr ? r->csr_len : 0 };
	resp->csr_key = (struct dc_buf){ (const uint8_t *)r->key, r->key ? r->key_len : 0 };
	snprintf(resp->file_name, sizeof(resp->file_name), "%s", r->file_name);
}

void dc_reply_free(struct dc_reply *r)
{
	free(r->csr);
	if (r->key)
		OPENSSL_secure_clear_free(r->key, r->key_len + 1);
	memset(r, 0, sizeof(*r));
}
