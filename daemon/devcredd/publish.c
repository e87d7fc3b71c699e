// SPDX-License-Identifier: GPL-2.0
/* The credentials as files under /run/devcred: see publish.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/pem.h>

#include "common/log.h"
#include "common/names.h"
#include "lib/cred/credential.h"
#include "lib/cred/pem_take.h"
#include "lib/store/store.h"
#include "publish.h"
#include "sealing.h"

static const char *const dd_pub_files[] = { "cert.pem", "chain.pem", "key.pem", "key.uri" };

/* Removes directory @dir and the files this code puts in it. */
static void dd_remove_dir(const char *dir)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dd_pub_files[i]);
		unlink(path);
	}
	if (rmdir(dir) && errno != ENOENT)
		dc_log(DC_LOG_WARN, "cannot remove %s: %s", dir, strerror(errno));
}

/* Removes the directory called @name in @p->dir, if @name is not "". */
static void dd_remove_named(const struct dd_publisher *p, const char *name)
{
	char path[PATH_MAX * 2];

	if (!name[0])
		return;
	snprintf(path, sizeof(path), "%s/%s", p->dir, name);
	dd_remove_dir(path);
}

static time_t dd_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Keeps directory @name of operation @op for readers that resolved the link
 * before it was replaced, removing the one kept before.
 */
static void dd_keep_replaced(struct dd_publisher *p, int op, const char *name)
{
	dd_remove_named(p, p->replaced[op]);
	snprintf(p->replaced[op], sizeof(p->replaced[op]), "%s", name);
	p->replaced_at[op] = dd_monotonic_s();
}

/* Removes operation @op's kept directory, if any. */
static void dd_drop_replaced(struct dd_publisher *p, int op)
{
	dd_keep_replaced(p, op, "");
}

/* The name link @link points to, in @buf; "" when none or too long. */
static void dd_link_target(const char *link, char *buf, size_t size)
{
	ssize_t n = readlink(link, buf, size - 1);

	buf[n > 0 && n < (ssize_t)size - 1 ? n : 0] = '\0';
}

/* Removes the replaced directories kept for DD_PUBLISH_KEEP_S already. */
static void dd_expire_replaced(struct dd_publisher *p)
{
	time_t now = dd_monotonic_s();
	int op;

	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		if (p->replaced[op][0] && now - p->replaced_at[op] >= DD_PUBLISH_KEEP_S)
			dd_drop_replaced(p, op);
}

/* Removes DIR/OP, the directory it points to and the one it replaced. */
static void dd_unpublish(struct dd_publisher *p, int op)
{
	char link[PATH_MAX], target[NAME_MAX + 1];

	snprintf(link, sizeof(link), "%s/%s", p->dir, dc_op_names[op]);
	dd_link_target(link, target, sizeof(target));
	if (unlink(link) && errno != ENOENT)
		dc_log(DC_LOG_WARN, "cannot remove %s: %s", link, strerror(errno));
	dd_remove_named(p, target);
	dd_drop_replaced(p, op);
}

static int dd_write_file(const char *dir, const char *name, const void *data, size_t len,
			 mode_t mode, gid_t gid)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (gid != (gid_t)-1 && fchown(fd, 0, gid))
		ret = -errno;
	/* The mode is ours, not what the umask devcredd was started with leaves. */
	if (!ret && fchmod(fd, mode))
		ret = -errno;
	if (!ret && write(fd, data, len) != (ssize_t)len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The first certificate of @c in PEM; malloc'ed, or NULL. */
static char *dd_leaf_pem(const struct credential *c, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *out = NULL;

	if (b && PEM_write_bio_X509(b, sk_X509_value(c->chain, 0)))
		out = cred_pem_take(b, len, 0);
	BIO_free(b);
	return out;
}

/*
 * Writes the files of @c, bound to @op, into the new directory @dir: the
 * certificate, the chain and the key, or with key files off in place of
 * the key its URI for the devcred provider.
 */
static int dd_fill_dir(const struct dd_publisher *p, const char *dir, int op,
		       const struct credential *c)
{
	mode_t key_mode = p->key_gid == (gid_t)-1 ? 0600 : 0640;
	size_t leaf_len = 0;
	char *leaf = dd_leaf_pem(c, &leaf_len);
	char uri[64];
	int ret = leaf ? 0 : -ENOMEM;

	if (!ret)
		ret = dd_write_file(dir, "cert.pem", leaf, leaf_len, 0644, (gid_t)-1);
	if (!ret)
		ret = dd_write_file(dir, "chain.pem", c->cert_pem, c->cert_pem_len, 0644,
				    (gid_t)-1);
	if (!ret && p->no_key_files) {
		snprintf(uri, sizeof(uri), "devcred:op=%s\n", dc_op_names[op]);
		ret = dd_write_file(dir, "key.uri", uri, strlen(uri), 0644, (gid_t)-1);
	} else if (!ret) {
		ret = dd_write_file(dir, "key.pem", c->key_pem, c->key_pem_len, key_mode,
				    p->key_gid);
	}
	free(leaf);
	return ret;
}

/* Renames link @tmp over @link, keeping the directory @link pointed to. */
static int dd_swap_link(struct dd_publisher *p, int op, const char *tmp, const char *link)
{
	char old[NAME_MAX + 1];

	dd_link_target(link, old, sizeof(old));
	if (rename(tmp, link))
		return -errno;
	dd_keep_replaced(p, op, old);
	return 0;
}

/* Makes DIR/OP point to a new directory with @c's files. */
static int dd_replace(struct dd_publisher *p, int op, const struct credential *c)
{
	char dir[PATH_MAX], link[PATH_MAX], tmp[PATH_MAX];
	const char *name = dc_op_names[op];
	int ret;

	snprintf(dir, sizeof(dir), "%s/.%s-XXXXXX", p->dir, name);
	if (!mkdtemp(dir))
		return -errno;
	/* mkdtemp makes it 0700; readers of the certificate need to enter it. */
	ret = chmod(dir, 0755) ? -errno : dd_fill_dir(p, dir, op, c);
	snprintf(link, sizeof(link), "%s/%s", p->dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.link", p->dir, name);
	unlink(tmp);
	if (!ret && symlink(strrchr(dir, '/') + 1, tmp))
		ret = -errno;
	if (!ret)
		ret = dd_swap_link(p, op, tmp, link);
	if (ret) {
		unlink(tmp);
		dd_remove_dir(dir);
	}
	return ret;
}

/* Whether @known's PEM is exactly @cert and @key: then it needs no decoding. */
static bool dd_is_known(const struct credential *known, const struct store_blob *cert,
			const struct store_blob *key)
{
	return known && cert->len == known->cert_pem_len && key->len == known->key_pem_len &&
	       !memcmp(cert->data, known->cert_pem, cert->len) &&
	       !memcmp(key->data, known->key_pem, key->len);
}

/*
 * Publishes what operation @op's slot holds now. @known, if not NULL, is
 * what was just written to @known_slot, decoded: it is used when the slot
 * still holds those bytes.
 */
static void dd_publish_op(struct dd_publisher *p, int fd, int op, int slot, int known_slot,
			  const struct credential *known)
{
	struct cred_error err = { .msg = "" };
	struct store_blob cert = { 0 }, key = { 0 };
	struct devcred_slot_status st;
	struct credential decoded = { 0 };
	const struct credential *c = &decoded;
	int ret;

	if (store_slot_status(fd, slot, &st))
		return;
	if (p->slot[op] == slot && p->slot_generation[op] == st.generation)
		return;
	ret = store_read_slot(fd, slot, &cert, &key);
	if (!ret && slot == known_slot && dd_is_known(known, &cert, &key))
		c = known;
	if (ret == -ENOKEY) {
		/* Said once: the store's state changes before it is tried again. */
		dc_log(DC_LOG_WARN, "%s: not published: %s: %s", dc_op_names[op],
		       dc_slot_names[slot], dd_enokey_reason(fd, slot));
		dd_unpublish(p, op);
		p->slot[op] = -1;
	} else if (ret || !cert.len || !key.len) {
		if (p->slot[op] != -1 || ret)
			dc_log(DC_LOG_INFO, "%s: no credential (%s is %s): removed %s/%s",
			       dc_op_names[op], dc_slot_names[slot], ret ? "unreadable" : "empty",
			       p->dir, dc_op_names[op]);
		dd_unpublish(p, op);
		p->slot[op] = -1;
	} else if (c == &decoded &&
		   cred_decode(&decoded, cert.data, cert.len, key.data, key.len, NULL, &err)) {
		dc_log(DC_LOG_ERR, "%s: %s does not decode, not published: %s", dc_op_names[op],
		       dc_slot_names[slot], err.msg);
		dd_unpublish(p, op);
		p->slot[op] = -1;
	} else {
		ret = dd_replace(p, op, c);
		if (ret)
			dc_log(DC_LOG_ERR, "%s: cannot publish %s in %s: %s", dc_op_names[op],
			       dc_slot_names[slot], p->dir, strerror(-ret));
		else
			dc_log(DC_LOG_INFO, "%s: published %s in %s/%s", dc_op_names[op],
			       dc_slot_names[slot], p->dir, dc_op_names[op]);
		p->slot[op] = ret ? -1 : slot;
		cred_free(&decoded);
	}
	p->slot_generation[op] = st.generation;
	store_blob_free(&cert);
	store_secret_free(&key);
}

static void dd_publish_all(struct dd_publisher *p, int fd, int known_slot,
			   const struct credential *known)
{
	struct devcred_bindings b;
	struct devcred_info info;
	int op;

	dd_expire_replaced(p);
	/* Loading the key-encryption key opens keys without a new generation. */
	if (store_info(fd, &info) ||
	    (info.generation == p->generation &&
	     (info.flags & DEVCRED_INFO_KEK_LOADED) == p->kek_loaded) ||
	    store_get_bindings(fd, &b))
		return;
	p->generation = info.generation;
	p->kek_loaded = info.flags & DEVCRED_INFO_KEK_LOADED;
	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		dd_publish_op(p, fd, op, b.slot[op], known_slot, known);
}

void dd_publish(struct dd_publisher *p, int fd)
{
	dd_publish_all(p, fd, -1, NULL);
}

void dd_publish_written(struct dd_publisher *p, int fd, int slot, const struct credential *c)
{
	dd_publish_all(p, fd, slot, c);
}

/* Whether @name in @p->dir is a directory an operation's link names, or one kept. */
static bool dd_in_use(const struct dd_publisher *p, const char *name)
{
	char link[PATH_MAX], target[NAME_MAX + 1];
	int op;

	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		snprintf(link, sizeof(link), "%s/%s", p->dir, dc_op_names[op]);
		dd_link_target(link, target, sizeof(target));
		if (!strcmp(name, target) || !strcmp(name, p->replaced[op]))
			return true;
	}
	return false;
}

/* Removes what a killed predecessor left that no link names: directories, half-made links. */
static void dd_remove_leftovers(const struct dd_publisher *p)
{
	char path[PATH_MAX * 2];
	struct dirent *de;
	DIR *d = opendir(p->dir);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] != '.' || !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    dd_in_use(p, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", p->dir, de->d_name);
		if (de->d_type == DT_DIR)
			dd_remove_dir(path);
		else if (de->d_type == DT_LNK)
			unlink(path);
	}
	if (d)
		closedir(d);
}

void dd_publish_init(struct dd_publisher *p, int fd)
{
	int op;

	if (mkdir(p->dir, 0755) && errno != EEXIST)
		dc_log(DC_LOG_ERR, "%s: %s", p->dir, strerror(errno));
	/*
	 * What a predecessor published is replaced in place, link by link, so
	 * that a devcredd that crashed and comes back leaves no client without
	 * its files; the directories it replaced are kept for their readers
	 * as any update's are.
	 */
	for (op = 0; op < DEVCRED_OP_COUNT; op++) {
		p->replaced[op][0] = '\0';
		p->slot[op] = -1;
	}
	p->generation = UINT64_MAX;	/* no store generation yet */
	dd_publish(p, fd);
	dd_remove_leftovers(p);
}

void dd_publish_stop(struct dd_publisher *p)
{
	int op;

	for (op = 0; op < DEVCRED_OP_COUNT; op++)
		dd_unpublish(p, op);
	dc_log(DC_LOG_INFO, "stopping: removed the published credentials from %s", p->dir);
}
