/* SPDX-License-Identifier: GPL-2.0 */
/* Who is at the other end of a client's connection, and what it may do. */
#ifndef DEVCRED_DD_PEER_H
#define DEVCRED_DD_PEER_H

#include <stddef.h>
#include <sys/types.h>

/**
 * struct dd_peer - a client, as the kernel saw it connect
 * @uid: its user
 * @gid: its group
 * @pid: its process
 * @admin: it may change the store: root, or a process that held the admin
 *	group (as its group or a supplementary one) when it connected
 */
struct dd_peer {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int admin;
};

/**
 * struct dd_admins - who may change the store besides root
 * @gid: the admin group (devcredd --group)
 * @set: whether there is one
 */
struct dd_admins {
	gid_t gid;
	int set;
};

/*
 * @fd's peer and whether @admins count it in, from the kernel alone
 * (SO_PEERCRED, SO_PEERGROUPS); 0 or a negative errno.
 */
int dd_peer_get(int fd, const struct dd_admins *admins, struct dd_peer *p);

/*
 * The supplementary groups @fd's peer held when it connected
 * (SO_PEERGROUPS), malloc'ed in *@groups, *@n of them; 0 or a negative errno.
 */
int dd_peer_groups(int fd, gid_t **groups, size_t *n);

#endif /* DEVCRED_DD_PEER_H */
