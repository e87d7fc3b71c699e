/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The credentials as files, for TLS programs that read PEM files: for each
 * operation OP, DIR/OP/cert.pem (the certificate), DIR/OP/chain.pem (the
 * certificate then its issuers) and DIR/OP/key.pem (the private key), of
 * the slot OP is bound to.
 *
 * DIR/OP is a symbolic link to a directory holding the three files. An
 * update writes a new directory and then renames a new link over the old
 * one. A reader that resolves DIR/OP once and opens the files in the
 * directory it names reads three files of one version, never a certificate
 * with another one's key. The directory replaced is kept for
 * DD_PUBLISH_KEEP_S seconds, or until the next update of OP if that comes
 * first, so such a reader has time to open them rather than the instant
 * between two renames; not longer, since it holds the previous key. When
 * OP's slot is empty, DIR/OP and both directories are removed.
 *
 * The files are there while devcredd runs: a devcredd that stops removes
 * them (no key stays behind in /run); one that crashed cannot, and the next
 * one replaces them in place, link by link, so that its clients are never
 * without files while it comes back.
 */
#ifndef DEVCRED_PUBLISH_H
#define DEVCRED_PUBLISH_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/devcred.h>

#include "common/paths.h"

#define DD_PUBLISH_KEEP_S 10

/**
 * struct dd_publisher - what has been published where
 * @dir: the directory, e.g. DC_RUN_DIR
 * @key_gid: group of key.pem (mode 0640), or (gid_t)-1 for root only (0600)
 * @no_key_files: no key.pem; key.uri (0644) holds the key's URI for the
 *	devcred provider instead, "devcred:op=OP"
 * @generation: the store generation last published
 * @kek_loaded: DEVCRED_INFO_KEK_LOADED of the store then
 * @slot: per operation, the slot published, -1 for none
 * @slot_generation: per operation, that slot's generation when published
 * @replaced: per operation, the name in @dir of the directory the last
 *	update replaced, kept for readers that resolved the link before it;
 *	"" for none
 * @replaced_at: per operation, when (CLOCK_MONOTONIC seconds) it was
 */
struct dd_publisher {
	const char *dir;
	gid_t key_gid;
	int no_key_files;
	uint64_t generation;
	uint32_t kek_loaded;
	int slot[DEVCRED_OP_COUNT];
	uint64_t slot_generation[DEVCRED_OP_COUNT];
	char replaced[DEVCRED_OP_COUNT][NAME_MAX + 1];
	time_t replaced_at[DEVCRED_OP_COUNT];
};

/*
 * Publishes everything at start, in place of what an earlier run left
 * (whose directories are kept as an update's are), then removes what no
 * link names.
 */
void dd_publish_init(struct dd_publisher *p, int fd);

/* devcredd stops: removes every operation's link and directories. */
void dd_publish_stop(struct dd_publisher *p);

/*
 * Brings the files up to date if the store changed since the last call, and
 * removes the replaced directories older than DD_PUBLISH_KEEP_S: call it
 * every few seconds.
 */
void dd_publish(struct dd_publisher *p, int fd);

struct credential;

/*
 * dd_publish() right after @c was written to @slot: where @slot still holds
 * @c's bytes, @c is published as it is rather than read back and decoded
 * again, which on a small board is a good part of an install's time.
 */
void dd_publish_written(struct dd_publisher *p, int fd, int slot, const struct credential *c);

#endif /* DEVCRED_PUBLISH_H */
