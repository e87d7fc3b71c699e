// SPDX-License-Identifier: GPL-2.0
/*
 * devcredd's socket: one devcredd per path (a lock beside it), bound and
 * listening before its path appears.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen.h"

/* How long a second devcredd waits for the lock before it gives up. */
#define LOCK_WAIT_MS	2000
#define LOCK_POLL_MS	50

/*
 * One devcredd per socket. A second one on the same path (started by hand
 * beside the service, or by two supervisors) would publish into the same
 * folder and take the socket over from the first, or trade the PATH.new
 * name with it. So PATH.lock is held with flock() from before anything is
 * published, and it goes with the process however it ends (a respawn
 * after kill -9 finds it free).
 *
 * The file is devcredd's alone (0600, a regular file of its user's, not a
 * link): flock() needs no more than a descriptor open for reading, and a
 * user who could open it could hold the lock and keep every later
 * devcredd from starting. One that is not so is refused, as something
 * else put it there.
 *
 * The lock is tried for LOCK_WAIT_MS: the devcredd before, killed, lets it
 * go only once its last thread has exited, after its pid may already read
 * as gone. The holder's pid is in the file, for the message.
 *
 * Makes the socket's folder (one level) if needed. Returns the lock's
 * descriptor, kept open for the process's life, or -errno: -ENAMETOOLONG
 * for a path over DD_SOCKET_PATH_MAX, -EADDRINUSE with the holder's pid in
 * *@holder (0 if unknown) when another devcredd keeps it, -EPERM when the
 * file is not devcredd's.
 */
int dd_lock_socket_path(const char *path, long *holder)
{
	char lock[PATH_MAX], dir[PATH_MAX], pid[24];
	struct stat st;
	int fd, waited;
	ssize_t n;

	*holder = 0;
	if (strlen(path) > DD_SOCKET_PATH_MAX)
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/') && strrchr(dir, '/') != dir) {
		*strrchr(dir, '/') = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
	}
	snprintf(lock, sizeof(lock), "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600) {
		close(fd);
		return -EPERM;
	}
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB); waited += LOCK_POLL_MS) {
		int err = errno == EWOULDBLOCK ? -EADDRINUSE : -errno;

		if (err == -EADDRINUSE && waited < LOCK_WAIT_MS) {
			usleep(LOCK_POLL_MS * 1000);
			continue;
		}
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		if (n > 0) {
			pid[n] = '\0';
			*holder = strtol(pid, NULL, 10);
		}
		close(fd);
		return err;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, n, 0) != n) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/*
 * The socket is bound under a name of its own and renamed to @path once it
 * listens: whoever sees @path (init, a test, credctl started right after
 * devcredd) can connect, rather than be refused in the moment between
 * bind() and listen(). Its mode comes from the umask at bind(), not from a
 * chmod() of the path afterwards, which would follow whatever the path had
 * become by then. Called before any thread starts (the umask is the
 * process's).
 */
int dd_listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	mode_t mask;
	int fd, ret;

	/* dd_lock_socket_path() checked the length and made the folder. */
	memcpy(sa.sun_path, path, len);
	memcpy(sa.sun_path + len, ".new", sizeof(".new"));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(sa.sun_path);
	/* Everyone may ask (0666); the peer's credentials decide what they may do. */
	mask = umask(0111);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(mask);
	if (ret || listen(fd, SOMAXCONN) || rename(sa.sun_path, path)) {
		int err = -errno;

		unlink(sa.sun_path);
		close(fd);
		return err;
	}
	return fd;
}
