// SPDX-License-Identifier: GPL-2.0
/* Who is at the other end of a client's connection: see peer.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>

#include "peer.h"

/* The groups of @uid's user in the group database. */
static int dd_in_group(uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);
	gid_t groups[64];
	int n = 64, i;

	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

int dd_peer_get(int fd, const struct dd_admins *admins, struct dd_peer *p)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return -errno;
	p->uid = cr.uid;
	p->gid = cr.gid;
	p->pid = cr.pid;
	p->admin = !cr.uid || (admins->set && (cr.gid == admins->gid ||
					       dd_in_group(cr.uid, admins->gid)));
	return 0;
}
