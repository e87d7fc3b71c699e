// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel keys behind the store's key-encryption key, through
 * libkeyutils: the trusted master DEVCRED_KMK_DESC (sealed by the TPM) and
 * the encrypted key DEVCRED_KEK_DESC under it, added to a session keyring
 * of this process alone and revoked before it ends. Each failure is logged
 * with the step, the errno and what it means on a device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/devcred.h>

#include "common/log.h"
#include "unseal.h"

/* The encrypted key's master, as its "new" and "load" name it. */
#define US_KEK_MASTER	"trusted:" DEVCRED_KMK_DESC

/* What an errno of adding the trusted key means; NULL: nothing to add. */
static const char *trusted_fix(int err, int loading)
{
	switch (err) {
	case EPERM:
		return loading ? "the TPM refused to unseal it: sealed by another TPM, or the TPM was cleared, or it is in dictionary-attack lockout" :
				 "the TPM refused to seal: is keyhandle in seal.conf's trusted_options a storage key of this TPM?";
	case ENODEV:
		return "the kernel has no trusted keys backed by a TPM (CONFIG_TRUSTED_KEYS with a TPM 2.0 found at boot)";
	case EINVAL:
		return loading ? "the kernel refused the stored blob or seal.conf's trusted_options" :
				 "the kernel refused seal.conf's trusted_options";
	case EBUSY:
	case EAGAIN:
		return "the TPM is busy: run devcred-unseal again";
	default:
		return NULL;
	}
}

static const char *encrypted_fix(int err, int loading)
{
	switch (err) {
	case EINVAL:
		return loading ? "its blob does not authenticate under devcred:kmk: altered on flash, or made with another master" :
				 "the kernel refused the key's format";
	case ENOKEY:
		return "its master " US_KEK_MASTER " is not in the keyring";
	case ENODEV:
		return "the kernel has no encrypted keys (CONFIG_ENCRYPTED_KEYS)";
	default:
		return NULL;
	}
}

/* add_key(@type, @desc, "@verb @arg[ @options]") into the session keyring. */
static int add(key_serial_t *serial, const char *type, const char *desc, const char *verb,
	       const char *arg, const char *options)
{
	size_t len = strlen(verb) + strlen(arg) + strlen(options) + 3;
	char *payload = malloc(len);
	int err;

	if (!payload)
		return -ENOMEM;
	snprintf(payload, len, "%s %s%s%s", verb, arg, *options ? " " : "", options);
	*serial = add_key(type, desc, payload, strlen(payload), KEY_SPEC_SESSION_KEYRING);
	err = *serial < 0 ? errno : 0;
	free(payload);
	if (err)
		*serial = 0;
	return -err;
}

int us_keyring_new(void)
{
	int err;

	if (keyctl_join_session_keyring(NULL) >= 0)
		return 0;
	err = errno;
	us_failed("a session keyring of its own: keyctl_join_session_keyring", err,
		  err == ENOSYS || err == EOPNOTSUPP ? "the kernel has no keys (CONFIG_KEYS)" : NULL);
	return -err;
}

int us_keys_load(struct us_keys *k, const struct us_conf *c, const char *kmk_blob,
		 const char *kek_blob)
{
	int ret = add(&k->kmk, "trusted", DEVCRED_KMK_DESC, "load", kmk_blob, c->trusted_options);

	if (ret) {
		us_failed("trusted key " DEVCRED_KMK_DESC ": load", -ret, trusted_fix(-ret, 1));
		return ret;
	}
	ret = add(&k->kek, "encrypted", DEVCRED_KEK_DESC, "load", kek_blob, "");
	if (ret)
		us_failed("encrypted key " DEVCRED_KEK_DESC ": load", -ret, encrypted_fix(-ret, 1));
	return ret;
}

int us_keys_new(struct us_keys *k, const struct us_conf *c)
{
	int ret = add(&k->kmk, "trusted", DEVCRED_KMK_DESC, "new", "32", c->trusted_options);

	if (ret) {
		us_failed("trusted key " DEVCRED_KMK_DESC ": new", -ret, trusted_fix(-ret, 0));
		return ret;
	}
	ret = add(&k->kek, "encrypted", DEVCRED_KEK_DESC, "new", "default " US_KEK_MASTER " 32", "");
	if (ret)
		us_failed("encrypted key " DEVCRED_KEK_DESC ": new", -ret, encrypted_fix(-ret, 0));
	return ret;
}

static void revoke(key_serial_t *serial, const char *desc)
{
	if (*serial > 0 && keyctl_revoke(*serial))
		dc_log(DC_LOG_WARN, "key %s: revoke failed: %s", desc, strerror(errno));
	*serial = 0;
}

void us_keys_revoke(struct us_keys *k)
{
	/* The KEK first: it is the one a program could still use. */
	revoke(&k->kek, DEVCRED_KEK_DESC);
	revoke(&k->kmk, DEVCRED_KMK_DESC);
}
