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
 * with SHA-256 and its subject, and subjectAltName if asked, come from the
 * options. The answer carries
 * the request, the file base name (the MAC address) and the key, unless
 * the key stays in the device as the pending key of a slot (keep-key),
 * which install later pairs with the signed certificate.
 *
 * The request is checked in the loop; the key and the CSR are made by a
 * worker (seconds for RSA on a small board, worker.h); the loop then
 * keeps the key in the store and answers.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/credential.h"
#include "lib/cred/csr.h"
#include "lib/cred/info.h"
#include "lib/cred/secret.h"
#include "cmd.h"
#include "sealing.h"

/**
 * struct dd_csr_work - what a worker makes for csr, and from what
 * @work: the worker's handle
 * @type: the key type, DC_KEY_*
 * @slot: the slot whose pending key it becomes, -1 for credctl
 * @subject: the request's subject
 * @san: its subjectAltName extension, NULL for none
 * @san_text: the same as credctl gave it, for the log
 * @key: the new key
 * @pem: the key as PEM (secure heap), @pem_len bytes
 * @csr: the request as PEM, @csr_len bytes
 * @digest: the request's SHA-256
 * @ret: 0, or why the worker failed (@err)
 */
struct dd_csr_work {
	struct dd_work work;
	enum dc_key_type type;
	int slot;
	X509_NAME *subject;
	X509_EXTENSION *san;
	char san_text[DC_PROTO_SAN_MAX + 1];
	EVP_PKEY *key;
	char *pem;
	size_t pem_len;
	char *csr;
	size_t csr_len;
	char digest[CRED_FP_LEN];
	int ret;
	struct cred_error err;
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
		return dd_fail(ctx, "%s: the new private key is %zu bytes; %s slots hold at most %zu (choose a smaller --key-type)",
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
	case -ENOKEY:
		return dd_fail(ctx, "%s: the new private key not kept: %s", dc_slot_names[slot],
			       dd_enokey_reason(ctx->fd, -1));
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

static void dd_csr_log(const struct dd_csr_work *w)
{
	char dn[512] = "";
	BIO *bio = BIO_new(BIO_s_mem());
	int n;

	if (bio && X509_NAME_print_ex(bio, w->subject, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(bio, dn, sizeof(dn) - 1);
		dn[n > 0 ? n : 0] = '\0';
	}
	BIO_free(bio);
	dc_log(DC_LOG_INFO, "csr: made an %s key and a certificate signing request for '%s'%s%s, SHA256 %s; %s%s",
	       dc_key_type_names[w->type], dn, w->san ? ", subjectAltName " : "", w->san_text,
	       w->digest,
	       w->slot < 0 ? "the key went to credctl" : "the key is the pending key of ",
	       w->slot < 0 ? "" : dc_slot_names[w->slot]);
}

/* In a worker: the key, its PEM and the request; nothing else is touched. */
static void dd_csr_run(struct dd_work *work)
{
	struct dd_csr_work *w = (struct dd_csr_work *)work;

	w->ret = cred_keygen(w->type, &w->key, &w->err);
	if (!w->ret)
		w->ret = cred_key_pem(w->key, &w->pem, &w->pem_len, &w->err);
	if (!w->ret)
		w->ret = cred_csr_make(w->key, w->subject, w->san, &w->csr, &w->csr_len,
				       w->digest, &w->err);
	ERR_clear_error();
}

/* Back in the loop: the key kept or handed over, the answer. */
static int dd_csr_finish(struct dd_work *work, struct dd_ctx *ctx)
{
	struct dd_csr_work *w = (struct dd_csr_work *)work;
	int ret = w->ret ? dd_fail(ctx, "csr: %s", w->err.msg) : 0;
	size_t i;

	if (!ret && w->slot >= 0)
		ret = dd_keep_key(ctx, w->slot, w->pem, w->pem_len);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(ctx->reply.file_name) - 1 && ctx->mac[i]; i++)
		ctx->reply.file_name[i] = ctx->mac[i] >= 'A' && ctx->mac[i] <= 'F' ?
					  ctx->mac[i] - 'A' + 'a' : ctx->mac[i];
	dd_csr_log(w);
	ctx->reply.csr = w->csr;	/* the reply owns them now */
	ctx->reply.csr_len = w->csr_len;
	w->csr = NULL;
	if (w->slot >= 0) {
		dc_out_printf(&ctx->out, "%s: the new key is kept as its pending key; 'credctl install %s --cert FILE' pairs it with the signed certificate\n",
			      dc_slot_names[w->slot], dc_slot_names[w->slot]);
	} else {
		ctx->reply.key = w->pem;
		ctx->reply.key_len = w->pem_len;
		w->pem = NULL;
	}
	return 0;
}

static void dd_csr_free(struct dd_work *work)
{
	struct dd_csr_work *w = (struct dd_csr_work *)work;

	X509_NAME_free(w->subject);
	X509_EXTENSION_free(w->san);
	EVP_PKEY_free(w->key);
	cred_secret_free(w->pem, w->pem_len);
	free(w->csr);
	free(w);
}

int dd_cmd_csr(struct dd_ctx *ctx, const struct dc_request *req)
{
	const struct dc_csr_request *csr = &req->csr;
	struct dd_csr_work *w;
	int slot, ret;

	ret = dd_csr_check(ctx, csr, &slot);
	if (ret)
		return ret;
	w = calloc(1, sizeof(*w));
	if (!w)
		return dd_fail(ctx, "csr: out of memory");
	w->type = dd_key_type(csr->key_type);
	w->slot = slot;
	w->subject = dd_csr_subject(ctx, csr);
	if (!w->subject) {
		free(w);
		return -EINVAL;
	}
	if (csr->san[0]) {
		ret = cred_san_make(csr->san, &w->san, &w->err);
		if (ret) {
			dd_fail(ctx, "--san %s", w->err.msg);
			X509_NAME_free(w->subject);
			free(w);
			return ret;
		}
		memcpy(w->san_text, csr->san, sizeof(w->san_text));
	}
	w->work = (struct dd_work){ .run = dd_csr_run, .finish = dd_csr_finish,
				    .free = dd_csr_free };
	ctx->work = &w->work;
	return 0;
}
