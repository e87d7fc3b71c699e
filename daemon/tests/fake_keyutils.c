// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's keyrings and its trusted and encrypted keys, faked for the
 * host tests of devcred-unseal: the libkeyutils calls it makes, linked in
 * place of the library. The TPM is a folder, $FAKE_TPM (the test's model
 * of swtpm's state): its file "seed" is the TPM's identity, and a trusted
 * blob made with one seed does not load with another (EPERM, as the
 * kernel's TPM 2.0 unseal). Without $FAKE_TPM/seed the kernel has no
 * trusted keys (ENODEV). A file "fail_CALL" there (CALL: session,
 * trusted_new, trusted_load, encrypted_new, encrypted_load) holding an
 * errno number makes that call fail with it. Every call is appended to
 * $FAKE_TPM/calls: "add DESCRIPTION VERB" for a key added ("refused ..."
 * when it was not), "revoke DESCRIPTION", "session NAME", so that a test
 * can check what was asked and that nothing outlived the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keyutils.h>
#include <linux/devcred.h>

#include "fake_device.h"

#define FAKE_KEYS	4
#define FAKE_BLOB_MAX	512

struct fake_key {
	key_serial_t serial;
	char type[16];
	char desc[32];
	char blob[FAKE_BLOB_MAX];
	int revoked;
};

static struct fake_key keys[FAKE_KEYS];
static int nkeys, joined;

static void tpm_file(char *buf, size_t size, const char *name)
{
	const char *dir = getenv("FAKE_TPM");

	snprintf(buf, size, "%s/%s", dir ? dir : "/nonexistent", name);
}

/* The first line of $FAKE_TPM/@name, or "" when it is missing. */
static void tpm_read(const char *name, char *buf, size_t size)
{
	char path[512];
	FILE *f;

	tpm_file(path, sizeof(path), name);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (f && fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void record(const char *fmt, const char *a, const char *b)
{
	char path[512];
	FILE *f;

	tpm_file(path, sizeof(path), "calls");
	f = fopen(path, "ae");
	if (!f)
		return;
	fprintf(f, fmt, a, b);
	fputc('\n', f);
	fclose(f);
}

/* The errno $FAKE_TPM/fail_@call asks for, or 0. */
static int injected(const char *call)
{
	char name[64], v[16];

	snprintf(name, sizeof(name), "fail_%s", call);
	tpm_read(name, v, sizeof(v));
	return atoi(v);
}

static struct fake_key *find(const char *type, const char *desc)
{
	int i;

	for (i = nkeys - 1; i >= 0; i--)
		if (!keys[i].revoked && !strcmp(keys[i].type, type) && !strcmp(keys[i].desc, desc))
			return &keys[i];
	return NULL;
}

/* A short fingerprint of @s (FNV-1a): an encrypted blob names its master's. */
static unsigned long fingerprint(const char *s)
{
	unsigned long h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h & 0xffffffffu;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* "new 32 OPTIONS" or "load BLOB [OPTIONS]" for the TPM 2.0 seed in $FAKE_TPM. */
static int trusted(struct fake_key *k, const char *payload)
{
	char seed[64], word[FAKE_BLOB_MAX];
	int err;

	tpm_read("seed", seed, sizeof(seed));
	if (!seed[0])
		return fail(ENODEV);
	if (!strncmp(payload, "new 32 ", 7) || !strcmp(payload, "new 32")) {
		err = injected("trusted_new");
		if (err)
			return fail(err);
		if (!strstr(payload, "keyhandle="))
			return fail(EINVAL);	/* TPM 2.0: no default parent */
		snprintf(k->blob, sizeof(k->blob), "tpm2.%s.%d", seed, rand() % 100000);
		return 0;
	}
	if (strncmp(payload, "load ", 5) || sscanf(payload + 5, "%511s", word) != 1)
		return fail(EINVAL);
	err = injected("trusted_load");
	if (err)
		return fail(err);
	if (strncmp(word, "tpm2.", 5))
		return fail(EINVAL);
	if (strncmp(word + 5, seed, strlen(seed)) || word[5 + strlen(seed)] != '.')
		return fail(EPERM);	/* sealed by another TPM */
	snprintf(k->blob, sizeof(k->blob), "%s", word);
	return 0;
}

/* "new default trusted:devcred:kmk 32" or "load default trusted:devcred:kmk 32 HEX". */
static int encrypted(struct fake_key *k, const char *payload)
{
	static const char head[] = "default trusted:" DEVCRED_KMK_DESC " 32";
	const struct fake_key *master = find("trusted", DEVCRED_KMK_DESC);
	unsigned long fp;
	int err;

	if (!strncmp(payload, "new ", 4) && !strcmp(payload + 4, head)) {
		err = injected("encrypted_new");
		if (err)
			return fail(err);
		if (!master)
			return fail(ENOKEY);
		snprintf(k->blob, sizeof(k->blob), "%s %08lx%04x", head, fingerprint(master->blob),
			 rand() % 0x10000);
		return 0;
	}
	if (strncmp(payload, "load ", 5) || strncmp(payload + 5, head, sizeof(head) - 1) ||
	    sscanf(payload + 5 + sizeof(head), "%8lx", &fp) != 1)
		return fail(EINVAL);
	err = injected("encrypted_load");
	if (err)
		return fail(err);
	if (!master)
		return fail(ENOKEY);
	if (fp != fingerprint(master->blob))
		return fail(EINVAL);	/* its HMAC fails under this master */
	if (strlen(payload + 5) >= sizeof(k->blob))
		return fail(EINVAL);
	strcpy(k->blob, payload + 5);
	return 0;
}

key_serial_t add_key(const char *type, const char *desc, const void *payload, size_t plen,
		     key_serial_t ring)
{
	char text[2 * FAKE_BLOB_MAX], verb[8] = "";
	struct fake_key *k;
	int ret;

	if (ring != KEY_SPEC_SESSION_KEYRING || !joined || plen >= sizeof(text) ||
	    nkeys == FAKE_KEYS)
		return fail(EINVAL);
	memcpy(text, payload, plen);
	text[plen] = '\0';
	sscanf(text, "%7s", verb);
	k = &keys[nkeys];
	memset(k, 0, sizeof(*k));
	if (!strcmp(type, "trusted"))
		ret = trusted(k, text);
	else if (!strcmp(type, "encrypted"))
		ret = encrypted(k, text);
	else
		ret = fail(ENODEV);
	record(ret ? "refused %s %s" : "add %s %s", desc, verb);
	if (ret)
		return ret;
	snprintf(k->type, sizeof(k->type), "%s", type);
	snprintf(k->desc, sizeof(k->desc), "%s", desc);
	k->serial = 100 + nkeys++;
	return k->serial;
}

key_serial_t keyctl_join_session_keyring(const char *name)
{
	int err = injected("session");

	record("session %s%s", name ? name : "(anonymous)", "");
	if (err)
		return fail(err);
	joined = 1;
	return 99;
}

long keyctl_revoke(key_serial_t serial)
{
	int i;

	for (i = 0; i < nkeys; i++) {
		if (keys[i].serial == serial && !keys[i].revoked) {
			keys[i].revoked = 1;
			record("revoke %s%s", keys[i].desc, "");
			return 0;
		}
	}
	return fail(ENOKEY);
}

int fake_keyring_kek(char *kmk, size_t kmk_size, char *kek, size_t kek_size)
{
	const struct fake_key *m = find("trusted", DEVCRED_KMK_DESC);
	const struct fake_key *e = find("encrypted", DEVCRED_KEK_DESC);

	if (!m || !e)
		return -1;
	snprintf(kmk, kmk_size, "%s", m->blob);
	snprintf(kek, kek_size, "%s", e->blob);
	return 0;
}
