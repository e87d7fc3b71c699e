/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may sign with which key: CONFDIR/key-access (/etc/devcred/key-access),
 * read at start and on SIGHUP. One key reference per line, then the users
 * and groups that may use it:
 *
 *	# KEY            WHO...
 *	op=provisioning  user:provd group:netdev
 *	op=sip           user:1001
 *	slot=app3        group:www-data
 *
 * KEY is op=OPERATION or slot=SLOT (common/keyref.h); a WHO is user:NAME,
 * user:UID, group:NAME or group:GID; a key may have several lines. Root
 * may use every key; nobody else any key the file does not name for them.
 *
 * The file must be a regular file owned by root and writable by root
 * alone; one that is not, or that has a line devcredd cannot read (an
 * unknown name, a bad key), is not used at all: it is logged, and until a
 * good one is read, root alone signs (at start), or the previous table
 * stays (on SIGHUP). A missing file is a file naming nobody.
 */
#ifndef DEVCRED_DD_KEY_ACCESS_H
#define DEVCRED_DD_KEY_ACCESS_H

#include <stddef.h>
#include <sys/types.h>

#include "common/keyref.h"

/* Entries at most (a device names a few services). */
#define DD_KEY_ACCESS_MAX	1024
/* A line's longest length. */
#define DD_KEY_ACCESS_LINE_MAX	1024

/**
 * struct dd_access_entry - one WHO of one KEY
 * @ref: the key
 * @group: @id is a group id (else a user id)
 * @id: the user or group
 */
struct dd_access_entry {
	struct dc_keyref ref;
	int group;
	unsigned int id;
};

/**
 * struct dd_key_access - the table in use
 * @path: the file
 * @entries: what it grants, @n of them
 */
struct dd_key_access {
	const char *path;
	struct dd_access_entry *entries;
	size_t n;
};

/*
 * (Re)reads @a->path into @a; on any problem logs it and leaves @a as it
 * was. 0 or a negative errno (-ENOENT for a missing file, which empties
 * the table).
 */
int dd_key_access_load(struct dd_key_access *a);

void dd_key_access_free(struct dd_key_access *a);

/**
 * struct dd_caller - who asks to sign, as the kernel saw it connect
 * @uid: its user
 * @gid: its group
 * @groups: its supplementary groups, @ngroups of them
 */
struct dd_caller {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
};

/* Whether @who may sign with the key @ref names: root, or named for it. */
int dd_key_access_allows(const struct dd_key_access *a, const struct dc_keyref *ref,
			 const struct dd_caller *who);

#endif /* DEVCRED_DD_KEY_ACCESS_H */
