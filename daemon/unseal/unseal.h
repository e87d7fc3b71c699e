/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcred-unseal: gives the store its key-encryption key at boot, before
 * devcredd starts (Documentation/devcred/key-sealing.rst, "Who creates the
 * KEK, and loading it at boot"). On a sealed store it unseals the stored
 * blobs through the kernel's trusted and encrypted keys; on a store in
 * clear with a TPM 2.0 it makes the keys and the store adopts them (the
 * migration); without a TPM it says keys stay in clear.
 *
 * Functions return 0 or a negative errno; the one that fails has logged
 * the step, the errno and what to do about it.
 */
#ifndef DEVCRED_UNSEAL_H
#define DEVCRED_UNSEAL_H

#include <stddef.h>
#include <keyutils.h>

#define US_CONF_FILE		"seal.conf"
/* Where the board's TPM shows in sysfs (seal.conf's tpm=). */
#define US_TPM_DEFAULT		"/sys/class/tpm/tpm0"
#define US_OPTIONS_MAX		512
#define US_PATH_MAX		256
#define US_CONF_SIZE_MAX	4096

/**
 * struct us_conf - seal.conf
 * @trusted_options: what follows "new 32" and "load BLOB" for the trusted
 *	key: keyhandle=0x81000001 on the board; "" for a trust source that
 *	needs none (TEE, CAAM, DCP)
 * @tpm: the TPM's sysfs folder; the store is sealed when it is a TPM 2.0
 */
struct us_conf {
	char trusted_options[US_OPTIONS_MAX + 1];
	char tpm[US_PATH_MAX + 1];
};

/*
 * Parses @len bytes of seal.conf at @text: "key=value" lines, '#' comment
 * lines, blank lines; every other line refused, naming it in @why.
 */
int us_conf_parse(const char *text, size_t len, struct us_conf *c, char *why, size_t whylen);
/* Reads and parses @path; @why names the file and what is wrong. */
int us_conf_load(const char *path, struct us_conf *c, char *why, size_t whylen);

/**
 * struct us_keys - the kernel keys this run added, revoked before it ends
 * @kmk: the trusted master key DEVCRED_KMK_DESC, 0 when none
 * @kek: the encrypted key-encryption key DEVCRED_KEK_DESC, 0 when none
 */
struct us_keys {
	key_serial_t kmk;
	key_serial_t kek;
};

/* A new anonymous session keyring: the keys added next are found by the
 * ioctls of this process only. */
int us_keyring_new(void);
/* The trusted key from its stored blob, then the encrypted key from its. */
int us_keys_load(struct us_keys *k, const struct us_conf *c, const char *kmk_blob,
		 const char *kek_blob);
/* New keys: 32 random bytes sealed by the TPM, and a KEK of 32 under it. */
int us_keys_new(struct us_keys *k, const struct us_conf *c);
/* Revokes what @k holds: nothing of it outlives the run. */
void us_keys_revoke(struct us_keys *k);

/*
 * Logs "STEP failed (ENAME): FIX", FIX being what @err means there, or the
 * errno's text when @fix is NULL.
 */
void us_failed(const char *step, int err, const char *fix);

/* Whether @dir is a TPM 2.0 (its tpm_version_major says 2). */
int us_tpm2_present(const char *dir);

#endif /* DEVCRED_UNSEAL_H */
