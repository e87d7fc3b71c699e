/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The credentials as files, for TLS programs that read PEM files: for each
 * operation OP, DIR/OP/cert.pem (the certificate), DIR/OP/chain.pem (the
 * certificate then its issuers) and DIR/OP/key.pem (the private key), of
 * the slot OP is bound to.
 *
 * DIR/OP is a symbolic link to a directory holding the three files. An
 * update writes a new directory and then renames a new link over the old
 * one, so a reader sees the old three files or the new three, never a
 * certificate with another one's key. When OP's slot is empty, DIR/OP is
 * removed.
 */
#ifndef DEVCRED_PUBLISH_H
#define DEVCRED_PUBLISH_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/devcred.h>

#define DC_RUN_DIR "/run/devcred"

/**
 * struct dc_publisher - what has been published where
 * @dir: the directory, e.g. DC_RUN_DIR
 * @key_gid: group of key.pem (mode 0640), or (gid_t)-1 for root only (0600)
 * @generation: the store generation last published
 * @slot: per operation, the slot published, -1 for none
 * @slot_generation: per operation, that slot's generation when published
 */
struct dc_publisher {
	const char *dir;
	gid_t key_gid;
	uint64_t generation;
	int slot[DEVCRED_OP_COUNT];
	uint64_t slot_generation[DEVCRED_OP_COUNT];
};

/* Removes what an earlier run left in @p->dir and publishes everything. */
void dc_publish_init(struct dc_publisher *p, int fd);

/* Brings the files up to date if the store changed since the last call. */
void dc_publish(struct dc_publisher *p, int fd);

#endif /* DEVCRED_PUBLISH_H */
