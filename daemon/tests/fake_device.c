// SPDX-License-Identifier: GPL-2.0
/* A fake /dev/devcred over a folder, for the host tests: see fake_device.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/names.h"
#include "lib/store/store.h"
#include "fake_device.h"

/* The module's defaults (driver/devcred_main.c). */
#define FAKE_APP_BLOB_MAX	(64 * 1024)
#define FAKE_APP_STORE_MAX	(256 * 1024)

static fake_device_hook_fn *hook_fn;
static void *hook_arg;
static int in_hook;

void fake_device_hook(fake_device_hook_fn *fn, void *arg)
{
	hook_fn = fn;
	hook_arg = arg;
}

/* Appends "CALL SLOT" to the folder's trace file, when there is one. */
static void trace(int dir, const char *call, unsigned int slot)
{
	int fd = openat(dir, "trace", O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return;
	dprintf(fd, "%s %s\n", call, dc_slot_names[slot]);
	close(fd);
}

/* Returns @ret, tracing the call and calling the hook first when it is 0. */
static int done(int fd, const char *call, unsigned int slot, int ret)
{
	if (!ret)
		trace(fd, call, slot);
	if (!ret && hook_fn && !in_hook) {
		in_hook = 1;
		hook_fn(fd, call, slot, hook_arg);
		in_hook = 0;
	}
	return ret;
}

static void slot_file(char *buf, size_t size, unsigned int slot, const char *ext)
{
	snprintf(buf, size, "%s.%s", dc_slot_names[slot], ext);
}

/* The file @name of the folder @dir, NUL-terminated, in *@buf. */
static int read_file(int dir, const char *name, char **buf, size_t *len, int secret)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	*buf = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	*buf = secret ? OPENSSL_secure_zalloc(st.st_size + 1) : calloc(1, st.st_size + 1);
	n = *buf ? read(fd, *buf, st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		if (secret)
			OPENSSL_secure_clear_free(*buf, st.st_size + 1);
		else
			free(*buf);
		*buf = NULL;
		return -EIO;
	}
	*len = st.st_size;
	return 0;
}

/* Replaces file @name with @len bytes at @data, whole or not at all. */
static int write_file(int dir, const char *name, const void *data, size_t len)
{
	char tmp[64];
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len)
		ret = -EIO;
	close(fd);
	if (!ret && renameat(dir, tmp, dir, name))
		ret = -errno;
	return ret;
}

static int has_file(int dir, const char *name)
{
	return !faccessat(dir, name, F_OK, 0);
}

static size_t file_size(int dir, const char *name)
{
	struct stat st;

	return fstatat(dir, name, &st, 0) ? 0 : (size_t)st.st_size;
}

static uint64_t read_number(int dir, const char *name)
{
	char *buf;
	size_t len;
	uint64_t v = 0;

	if (!read_file(dir, name, &buf, &len, 0))
		v = strtoull(buf, NULL, 10);
	free(buf);
	return v;
}

/* The slot's "ORIGIN GENERATION". */
static void read_meta(int dir, unsigned int slot, unsigned int *origin, uint64_t *gen)
{
	char name[32], *buf;
	size_t len;

	*origin = 0;
	*gen = 0;
	slot_file(name, sizeof(name), slot, "meta");
	if (!read_file(dir, name, &buf, &len, 0) &&
	    sscanf(buf, "%u %" SCNu64, origin, gen) != 2)
		*origin = 0;
	free(buf);
}

/* A change: the next store generation, given to @slot (-1: none) with @origin. */
static int bump(int dir, int slot, unsigned int origin)
{
	uint64_t gen = read_number(dir, "generation") + 1;
	char text[48], name[32];
	int ret;

	snprintf(text, sizeof(text), "%" PRIu64 "\n", gen);
	ret = write_file(dir, "generation", text, strlen(text));
	if (ret || slot < 0)
		return ret;
	snprintf(text, sizeof(text), "%u %" PRIu64 "\n", origin, gen);
	slot_file(name, sizeof(name), slot, "meta");
	return write_file(dir, name, text, strlen(text));
}

static int read_bindings(int dir, unsigned char slot[DEVCRED_OP_COUNT])
{
	char *buf, *p;
	size_t len;
	int op;

	memset(slot, DEVCRED_SLOT_BUILTIN, DEVCRED_OP_COUNT);
	if (read_file(dir, "bindings", &buf, &len, 0))
		return 0;
	p = buf;
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		slot[op] = strtoul(p, &p, 10);
	free(buf);
	return 0;
}

/*
 * The platform profile settings, as the record keeps them: the bytes of
 * profile_cert[] and profile_select[] in file "profiles".
 */
static void read_profiles(int dir, struct devcred_bindings *b)
{
	char *buf;
	size_t len;

	if (read_file(dir, "profiles", &buf, &len, 0))
		return;
	if (len == sizeof(b->profile_cert) + sizeof(b->profile_select)) {
		memcpy(b->profile_cert, buf, sizeof(b->profile_cert));
		memcpy(b->profile_select, buf + sizeof(b->profile_cert), sizeof(b->profile_select));
	}
	free(buf);
}

/* The kernel's ranges (driver/record.c, devcred_check_profiles()). */
static int check_profiles(const struct devcred_bindings *b)
{
	unsigned int i;

	for (i = 0; i < sizeof(b->profile_cert); i++)
		if (b->profile_cert[i] > (i < DEVCRED_PLATFORM_PROFILES ?
					  DEVCRED_PROFILE_SLOT(DEVCRED_FLASH_SLOTS - 1) : 0))
			return -EINVAL;
	for (i = 0; i < sizeof(b->profile_select); i++)
		if (b->profile_select[i] > (i < DEVCRED_OP_FLASH_ONLY_END ?
					    DEVCRED_PLATFORM_PROFILES : 0))
			return -EINVAL;
	return 0;
}

/* Without DEVCRED_BIND_PROFILES the settings must be zero. */
static int profiles_zero(const struct devcred_bindings *b)
{
	static const unsigned char zero[sizeof(b->profile_cert)];

	return !memcmp(b->profile_cert, zero, sizeof(zero)) &&
	       !memcmp(b->profile_select, zero, sizeof(zero));
}

static int write_profiles(int dir, const struct devcred_bindings *b)
{
	unsigned char bytes[sizeof(b->profile_cert) + sizeof(b->profile_select)];

	memcpy(bytes, b->profile_cert, sizeof(b->profile_cert));
	memcpy(bytes + sizeof(b->profile_cert), b->profile_select, sizeof(b->profile_select));
	return write_file(dir, "profiles", bytes, sizeof(bytes));
}

int store_open(const char *path, int flags)
{
	int fd;

	(void)flags;
	if (!path)
		return -EINVAL;
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The store has a key-encryption key: its keys are sealed on "flash". */
static int sealed(int dir)
{
	return has_file(dir, "kek.blob");
}

static int kek_loaded(int dir)
{
	return has_file(dir, "kek_loaded");
}

/* @slot's keys are sealed and cannot be opened: ENOKEY for reading them. */
static int key_locked(int dir, unsigned int slot)
{
	return slot < DEVCRED_FLASH_SLOTS && sealed(dir) && !kek_loaded(dir);
}

/* A key for @slot would be refused (ENOKEY): sealed or sealing required, no KEK. */
static int key_refused(int dir, unsigned int slot)
{
	return slot < DEVCRED_FLASH_SLOTS && !kek_loaded(dir) &&
	       (sealed(dir) || has_file(dir, "require_sealing"));
}

static unsigned int info_flags(int dir)
{
	return (has_file(dir, "readonly") ? DEVCRED_INFO_READONLY : 0) |
	       (has_file(dir, "factory_mode") ? DEVCRED_INFO_FACTORY_MODE : 0) |
	       (has_file(dir, "damaged") ? DEVCRED_INFO_DAMAGED : 0) |
	       (sealed(dir) ? 0 : DEVCRED_INFO_KEYS_CLEAR) |
	       (kek_loaded(dir) ? DEVCRED_INFO_KEK_LOADED : 0) |
	       (has_file(dir, "require_sealing") ? DEVCRED_INFO_SEALING_REQUIRED : 0);
}

/* DEVCRED_SLOT_INVALID with its reason, for a flash slot whose key is sealed. */
static unsigned int key_flags(int dir, unsigned int slot)
{
	char key[32], corrupt[32];

	slot_file(key, sizeof(key), slot, "key");
	slot_file(corrupt, sizeof(corrupt), slot, "corrupt");
	if (!has_file(dir, key))
		return 0;
	if (key_locked(dir, slot))
		return DEVCRED_SLOT_INVALID | DEVCRED_SLOT_KEY_SEALED;
	if (slot < DEVCRED_FLASH_SLOTS && kek_loaded(dir) && has_file(dir, corrupt))
		return DEVCRED_SLOT_INVALID | DEVCRED_SLOT_KEY_CORRUPT;
	return 0;
}

static size_t app_store_used(int dir, unsigned int except)
{
	static const char *const ext[] = { "cert", "key", "pending" };
	unsigned int slot, i;
	char name[32];
	size_t used = 0;

	for (slot = DEVCRED_SLOT_APP1; slot < DEVCRED_SLOT_COUNT; slot++) {
		for (i = 0; slot != except && i < 3; i++) {
			slot_file(name, sizeof(name), slot, ext[i]);
			used += file_size(dir, name);
		}
	}
	return used;
}

int store_info(int fd, struct devcred_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_version = DEVCRED_ABI_VERSION;
	info->slot_count = DEVCRED_SLOT_COUNT;
	info->op_count = DEVCRED_OP_COUNT;
	info->flags = info_flags(fd);
	info->flash_cert_max = DEVCRED_FLASH_CERT_MAX;
	info->flash_key_max = DEVCRED_FLASH_KEY_MAX;
	info->app_blob_max = FAKE_APP_BLOB_MAX;
	info->app_store_max = FAKE_APP_STORE_MAX;
	info->app_store_used = app_store_used(fd, DEVCRED_SLOT_COUNT);
	info->generation = read_number(fd, "generation");
	return done(fd, "info", 0, 0);
}

int store_slot_status(int fd, unsigned int slot, struct devcred_slot_status *st)
{
	char cert[32], key[32], pending[32];
	uint64_t gen;

	if (slot >= DEVCRED_SLOT_COUNT)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->slot = slot;
	slot_file(cert, sizeof(cert), slot, "cert");
	slot_file(key, sizeof(key), slot, "key");
	slot_file(pending, sizeof(pending), slot, "pending");
	st->flags = (slot < DEVCRED_FLASH_SLOTS ? DEVCRED_SLOT_FLASH : 0) |
		    (has_file(fd, cert) ? DEVCRED_SLOT_PRESENT : 0) |
		    (has_file(fd, pending) ? DEVCRED_SLOT_PENDING_KEY : 0) |
		    (slot < DEVCRED_FLASH_SLOTS && has_file(fd, "damaged") ? DEVCRED_SLOT_INVALID : 0) |
		    key_flags(fd, slot);
	st->cert_len = file_size(fd, cert);
	st->key_len = file_size(fd, key);
	st->pending_key_len = file_size(fd, pending);
	read_meta(fd, slot, &st->origin, &gen);
	st->generation = gen;
	return done(fd, "status", slot, 0);
}

static int read_blob(int fd, unsigned int slot, const char *ext, int secret,
		     struct store_blob *out)
{
	unsigned int origin;
	char name[32];
	int ret;

	memset(out, 0, sizeof(*out));
	if (slot >= DEVCRED_SLOT_COUNT)
		return -EINVAL;
	slot_file(name, sizeof(name), slot, ext);
	ret = read_file(fd, name, &out->data, &out->len, secret);
	if (!ret)
		read_meta(fd, slot, &origin, &out->generation);
	return ret;
}

int store_read_cert(int fd, unsigned int slot, struct store_blob *out)
{
	return done(fd, "read_cert", slot, read_blob(fd, slot, "cert", 0, out));
}

int store_read_key(int fd, unsigned int slot, int pending, struct store_blob *out)
{
	memset(out, 0, sizeof(*out));
	/* As the module: a key sealed and not opened, or altered, is ENOKEY. */
	if (slot < DEVCRED_SLOT_COUNT && (key_locked(fd, slot) ||
					  (key_flags(fd, slot) & DEVCRED_SLOT_KEY_CORRUPT)))
		return -ENOKEY;
	return done(fd, "read_key", slot, read_blob(fd, slot, pending ? "pending" : "key", 1, out));
}

/* The kernel's checks of a write to @slot, in its order. */
static int check_write(int fd, unsigned int slot, unsigned int origin, size_t cert_len,
		       size_t key_len, uint64_t expect)
{
	int flash = slot < DEVCRED_FLASH_SLOTS;
	unsigned int cur_origin;
	uint64_t gen;

	if (slot >= DEVCRED_SLOT_COUNT || !cert_len ||
	    (slot == DEVCRED_SLOT_BUILTIN ? origin != DEVCRED_ORIGIN_FACTORY &&
	     origin != DEVCRED_ORIGIN_SELF_SIGNED : origin != DEVCRED_ORIGIN_INSTALLED))
		return -EINVAL;
	if (has_file(fd, "readonly"))
		return -EROFS;
	if (key_len && key_refused(fd, slot))
		return -ENOKEY;
	if (cert_len > (flash ? DEVCRED_FLASH_CERT_MAX : FAKE_APP_BLOB_MAX) ||
	    key_len > (flash ? DEVCRED_FLASH_KEY_MAX : FAKE_APP_BLOB_MAX))
		return -EFBIG;
	if (!flash && app_store_used(fd, slot) + cert_len + key_len > FAKE_APP_STORE_MAX)
		return -ENOSPC;
	read_meta(fd, slot, &cur_origin, &gen);
	if (slot == DEVCRED_SLOT_BUILTIN && cur_origin == DEVCRED_ORIGIN_FACTORY &&
	    !has_file(fd, "factory_mode"))
		return -EPERM;
	if (expect && expect != gen)
		return -EAGAIN;
	return 0;
}

static int write_pair(int fd, unsigned int slot, unsigned int origin, const void *cert,
		      size_t cert_len, const void *key, size_t key_len)
{
	char name[32];
	int ret;

	slot_file(name, sizeof(name), slot, "cert");
	ret = write_file(fd, name, cert, cert_len);
	slot_file(name, sizeof(name), slot, "key");
	if (!ret)
		ret = write_file(fd, name, key, key_len);
	/* A new key is sealed anew: an altered one is gone. */
	slot_file(name, sizeof(name), slot, "corrupt");
	unlinkat(fd, name, 0);
	return ret ? ret : bump(fd, slot, origin);
}

int store_write(int fd, unsigned int slot, unsigned int origin, const void *cert,
		size_t cert_len, const void *key, size_t key_len, uint64_t expect_generation)
{
	int ret = key_len ? check_write(fd, slot, origin, cert_len, key_len, expect_generation)
			  : -EINVAL;

	if (!ret)
		ret = write_pair(fd, slot, origin, cert, cert_len, key, key_len);
	return done(fd, "write", slot, ret);
}

int store_write_with_pending(int fd, unsigned int slot, unsigned int origin, const void *cert,
			     size_t cert_len, uint64_t expect_generation)
{
	struct store_blob key;
	char name[32];
	int ret = read_blob(fd, slot, "pending", 1, &key);

	if (!ret)
		ret = check_write(fd, slot, origin, cert_len, key.len, expect_generation);
	if (!ret)
		ret = write_pair(fd, slot, origin, cert, cert_len, key.data, key.len);
	slot_file(name, sizeof(name), slot, "pending");
	if (!ret)
		unlinkat(fd, name, 0);
	store_secret_free(&key);
	return done(fd, "write", slot, ret);
}

int store_set_pending(int fd, unsigned int slot, const void *key, size_t key_len)
{
	unsigned int origin;
	uint64_t gen;
	char name[32];
	int ret = 0;

	if (slot >= DEVCRED_SLOT_COUNT)
		return -EINVAL;
	if (has_file(fd, "readonly"))
		return -EROFS;
	if (key_len && key_refused(fd, slot))
		return -ENOKEY;
	if (key_len > (slot < DEVCRED_FLASH_SLOTS ? DEVCRED_FLASH_KEY_MAX : FAKE_APP_BLOB_MAX))
		return -EFBIG;
	slot_file(name, sizeof(name), slot, "pending");
	if (key_len)
		ret = write_file(fd, name, key, key_len);
	else
		unlinkat(fd, name, 0);
	read_meta(fd, slot, &origin, &gen);
	return done(fd, "set_pending", slot, ret ? ret : bump(fd, slot, origin));
}

int store_erase(int fd, unsigned int slot)
{
	static const char *const ext[] = { "cert", "key", "pending" };
	unsigned int origin, i;
	uint64_t gen;
	char name[32];

	if (slot >= DEVCRED_SLOT_COUNT)
		return -EINVAL;
	if (has_file(fd, "readonly"))
		return -EROFS;
	read_meta(fd, slot, &origin, &gen);
	if (slot == DEVCRED_SLOT_BUILTIN && origin == DEVCRED_ORIGIN_FACTORY &&
	    !has_file(fd, "factory_mode"))
		return -EPERM;
	for (i = 0; i < 3; i++) {
		slot_file(name, sizeof(name), slot, ext[i]);
		unlinkat(fd, name, 0);
	}
	slot_file(name, sizeof(name), slot, "corrupt");
	unlinkat(fd, name, 0);
	return done(fd, "erase", slot, bump(fd, slot, DEVCRED_ORIGIN_NONE));
}

/*
 * As the module's FORMAT: refused while a record is readable (the folder
 * has no file "damaged"), outside factory mode; then the flash slots are
 * empty and every operation is on builtin.
 */
int store_format(int fd)
{
	static const char *const ext[] = { "cert", "key", "pending", "meta" };
	unsigned int slot, i;
	char name[32];

	if (has_file(fd, "readonly"))
		return -EROFS;
	if (!has_file(fd, "damaged") && !has_file(fd, "factory_mode"))
		return -EEXIST;
	for (slot = 0; slot < DEVCRED_SLOT_APP1; slot++)
		for (i = 0; i < 4; i++) {
			slot_file(name, sizeof(name), slot, ext[i]);
			unlinkat(fd, name, 0);
		}
	unlinkat(fd, "bindings", 0);
	unlinkat(fd, "profiles", 0);
	unlinkat(fd, "damaged", 0);
	return done(fd, "format", 0, bump(fd, -1, 0));
}

int store_get_bindings(int fd, struct devcred_bindings *b)
{
	char name[32];
	int op;

	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	read_bindings(fd, b->slot);
	read_profiles(fd, b);
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		slot_file(name, sizeof(name), b->slot[op], "cert");
		if (!has_file(fd, name))
			b->unavailable |= 1u << op;
	}
	return done(fd, "get_bindings", 0, 0);
}

int store_set_bindings(int fd, const struct devcred_bindings *b)
{
	unsigned char slot[DEVCRED_OP_COUNT];
	char text[64];
	size_t n = 0;
	int op, ret;

	if (b->mask & ~(((1u << DEVCRED_OP_COUNT) - 1) | DEVCRED_BIND_PROFILES))
		return -EINVAL;
	if (b->mask & DEVCRED_BIND_PROFILES ? check_profiles(b) : !profiles_zero(b))
		return -EINVAL;
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		if (!(b->mask & (1u << op)))
			continue;
		if (b->slot[op] >= DEVCRED_SLOT_COUNT)
			return -EINVAL;
		if (op < DEVCRED_OP_FLASH_ONLY_END && b->slot[op] >= DEVCRED_SLOT_APP1)
			return -EXDEV;
	}
	if (has_file(fd, "readonly"))
		return -EROFS;
	read_bindings(fd, slot);
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		if (b->mask & (1u << op))
			slot[op] = b->slot[op];
		n += snprintf(text + n, sizeof(text) - n, "%u%s", slot[op],
			      op + 1 < DEVCRED_OP_COUNT ? " " : "\n");
	}
	ret = write_file(fd, "bindings", text, n);
	if (!ret && b->mask & DEVCRED_BIND_PROFILES)
		ret = write_profiles(fd, b);
	return done(fd, "set_bindings", 0, ret ? ret : bump(fd, -1, 0));
}

int store_bind(int fd, unsigned int op, unsigned int slot)
{
	struct devcred_bindings b = { .size = sizeof(b) };

	if (op >= DEVCRED_OP_COUNT)
		return -EINVAL;
	b.mask = 1u << op;
	b.slot[op] = slot;
	return store_set_bindings(fd, &b);
}

int store_read_seal(int fd, unsigned int which, struct store_blob *out)
{
	memset(out, 0, sizeof(*out));
	if (which > DEVCRED_SEAL_KEK)
		return -EINVAL;
	if (!sealed(fd))
		return -ENOENT;
	return done(fd, "read_seal", 0, read_file(fd, which == DEVCRED_SEAL_KMK ? "kmk.blob" :
						  "kek.blob", &out->data, &out->len, 0));
}

/* Whether file @name holds exactly @blob. */
static int same_blob(int fd, const char *name, const char *blob)
{
	char *data;
	size_t len;
	int same;

	if (read_file(fd, name, &data, &len, 0))
		return 0;
	same = len == strlen(blob) && !memcmp(data, blob, len);
	free(data);
	return same;
}

/* DEVCRED_KEK_NEW in factory mode on a store sealed with a key it lost. */
static void empty_locked_slots(int fd)
{
	static const char *const ext[] = { "cert", "key", "pending", "corrupt" };
	unsigned int slot, i;
	char name[32];

	for (slot = 0; slot < DEVCRED_FLASH_SLOTS; slot++) {
		slot_file(name, sizeof(name), slot, "key");
		if (!has_file(fd, name))
			continue;
		for (i = 0; i < 4; i++) {
			slot_file(name, sizeof(name), slot, ext[i]);
			unlinkat(fd, name, 0);
		}
	}
}

/*
 * As the module's LOAD_KEK: the keys come from the caller's keyrings
 * (fake_keyring_kek(), tests/fake_keyutils.c, when linked: ENOKEY
 * otherwise); a sealed store takes only its own blobs; DEVCRED_KEK_NEW
 * seals a store in clear, or in factory mode replaces a lost key.
 */
int store_load_kek(int fd, unsigned int flags)
{
	char kmk[2048], kek[2048];
	int ret;

	if (flags & ~DEVCRED_KEK_NEW)
		return -EINVAL;
	if (has_file(fd, "readonly"))
		return -EROFS;
	if (!fake_keyring_kek || fake_keyring_kek(kmk, sizeof(kmk), kek, sizeof(kek)))
		return -ENOKEY;
	if (sealed(fd) && same_blob(fd, "kmk.blob", kmk) && same_blob(fd, "kek.blob", kek))
		return done(fd, "load_kek", 0, write_file(fd, "kek_loaded", "", 0));
	if (!(flags & DEVCRED_KEK_NEW))
		return sealed(fd) ? -EKEYREJECTED : -EINVAL;
	if (sealed(fd) && !has_file(fd, "factory_mode"))
		return -EEXIST;
	if (sealed(fd))
		empty_locked_slots(fd);
	ret = write_file(fd, "kmk.blob", kmk, strlen(kmk));
	if (!ret)
		ret = write_file(fd, "kek.blob", kek, strlen(kek));
	if (!ret)
		ret = write_file(fd, "kek_loaded", "", 0);
	return done(fd, "load_kek", 0, ret ? ret : bump(fd, -1, 0));
}
