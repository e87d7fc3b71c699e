// SPDX-License-Identifier: GPL-2.0
/*
 * Who is at the other end of a client's connection: see peer.h.
 *
 * The kernel says it: SO_PEERCRED gives the user and group, SO_PEERGROUPS
 * the supplementary groups the client held when it connected. The group
 * database is not asked: a process that dropped the admin group is not
 * admin because /etc/group still lists its user, and a lookup through NSS
 * (LDAP, say) could stall the loop that serves everyone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "peer.h"

int dd_peer_groups(int fd, gid_t **groups, size_t *n)
{
	socklen_t len = 64 * sizeof(gid_t);
	gid_t *g = malloc(len);
	int ret = 0;

	*groups = NULL;
	*n = 0;
	if (!g)
		return -ENOMEM;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len)) {
		ret = errno == ERANGE ? 0 : -errno;
		/* More than 64: len says how many bytes they take. */
		if (!ret) {
			free(g);
			g = malloc(len ? len : 1);
			if (!g)
				return -ENOMEM;
			if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len))
				ret = -errno;
		}
	}
	if (ret) {
		free(g);
		return ret;
	}
	*groups = g;
	*n = len / sizeof(*g);
	return 0;
}

/* Whether @gid is among the supplementary groups @fd's peer held. */
static int dd_peer_in_group(int fd, gid_t gid, int *in)
{
	gid_t *groups;
	size_t i, n;
	int ret = dd_peer_groups(fd, &groups, &n);

	*in = 0;
	for (i = 0; !ret && i < n; i++)
		if (groups[i] == gid)
			*in = 1;
	free(groups);
	return ret;
}

int dd_peer_get(int fd, const struct dd_admins *admins, struct dd_peer *p)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int in = 0, ret;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return -errno;
	p->uid = cr.uid;
	p->gid = cr.gid;
	p->pid = cr.pid;
	p->admin = !cr.uid || (admins->set && cr.gid == admins->gid);
	if (!p->admin && admins->set) {
		ret = dd_peer_in_group(fd, admins->gid, &in);
		if (ret)
			return ret;
		p->admin = in;
	}
	return 0;
}
