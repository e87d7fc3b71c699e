// SPDX-License-Identifier: GPL-2.0
/* What devcredd does at start: log the store, make the self-signed builtin. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/credential.h"
#include "lib/cred/info.h"
#include "lib/cred/selfsigned.h"
#include "builtin.h"
#include "cmd.h"
#include "seed_log.h"

static void dd_log_slot(int fd, unsigned int slot)
{
	struct devcred_slot_status st;
	struct store_blob cert = { 0 };
	STACK_OF(X509) *chain = NULL;
	struct cred_info ci;

	if (store_slot_status(fd, slot, &st) || !(st.flags & DEVCRED_SLOT_PRESENT)) {
		dc_log(slot < DEVCRED_FLASH_SLOTS ? DC_LOG_INFO : DC_LOG_DEBUG,
		       "%s certificate is not available", dc_slot_names[slot]);
		dd_seed_log_boot(slot, 0, 0, 0, NULL);
		return;
	}
	if (!store_read_cert(fd, slot, &cert))
		cred_parse_chain(cert.data, cert.len, &chain);
	if (chain) {
		cred_info_get(sk_X509_value(chain, 0), &ci);
		dc_log(DC_LOG_INFO, "%s certificate length %u, MD5 fingerprint %s, common name '%s'; key length %u",
		       dc_slot_names[slot], st.cert_len, ci.md5, ci.cn, st.key_len);
		dd_seed_log_boot(slot, 1, st.cert_len, st.key_len, &ci);
		dc_log(DC_LOG_DEBUG, "%s: subject %s, issuer %s, valid %s to %s, key %s",
		       dc_slot_names[slot], ci.subject, ci.issuer, ci.not_before, ci.not_after,
		       ci.key_type);
	} else {
		dc_log(DC_LOG_WARN, "%s certificate length %u does not parse; key length %u",
		       dc_slot_names[slot], st.cert_len, st.key_len);
		dd_seed_log_boot(slot, 1, st.cert_len, st.key_len, NULL);
	}
	sk_X509_pop_free(chain, X509_free);
	store_blob_free(&cert);
}

void dd_log_store(int fd)
{
	unsigned int slot;

	for (slot = 0; slot < DEVCRED_SLOT_COUNT; slot++)
		dd_log_slot(fd, slot);
}

int dd_ensure_builtin(int fd, const char *mac)
{
	struct devcred_slot_status st;
	struct devcred_info info;
	struct cred_error err;
	char *cert, *key;
	size_t cert_len, key_len;
	int ret;

	ret = store_info(fd, &info);
	if (!ret)
		ret = store_slot_status(fd, DEVCRED_SLOT_BUILTIN, &st);
	if (ret)
		return ret;
	if (st.flags & DEVCRED_SLOT_PRESENT)
		return 0;
	if (info.flags & (DEVCRED_INFO_DAMAGED | DEVCRED_INFO_READONLY)) {
		dc_log(DC_LOG_ERR, "no built-in certificate, and the store is %s: not making one",
		       info.flags & DEVCRED_INFO_DAMAGED ? "damaged" : "read-only");
		return -EROFS;
	}
	ret = cred_selfsigned_make(mac, time(NULL), &cert, &cert_len, &key, &key_len, &err);
	if (ret) {
		dc_log(DC_LOG_ERR, "%s", err.msg);
		return ret;
	}
	ret = store_write(fd, DEVCRED_SLOT_BUILTIN, DEVCRED_ORIGIN_SELF_SIGNED, cert, cert_len,
			   key, key_len, st.generation);
	if (ret)
		dc_log(DC_LOG_ERR, "cannot store the self-signed built-in certificate: %s",
		       strerror(-ret));
	else
		dc_log(DC_LOG_INFO, "no factory certificate: made a self-signed built-in certificate for %s",
		       mac);
	free(cert);
	OPENSSL_secure_clear_free(key, key_len + 1);
	return ret;
}
