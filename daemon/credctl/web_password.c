// SPDX-License-Identifier: GPL-2.0
/*
 * credctl web-password: sets the password of devcred-web's administrator,
 * "admin", from standard input (one trailing newline dropped), so that it
 * shows in no command line and no process list:
 *
 *	printf '%s\n' "$PASSWORD" | credctl web-password
 *
 * Only a slow salted hash is kept (common/password.h), in
 * $DEVCRED_CONFDIR/web-password (default /etc/devcred), replaced whole
 * (a new file renamed over the old one): mode 0640 and group devcred-web
 * when that group exists, so that the web server, which runs as its own
 * user in that group, reads it and nobody else does; else 0600. devcred-web
 * notices the new file at the next login, and ends the sessions of the old
 * password.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/io.h"
#include "common/password.h"
#include "common/paths.h"
#include "credctl.h"
#include "input.h"

int ctl_run_web_password(const struct ctl_args *a)
{
	const char *dir = getenv("DEVCRED_CONFDIR");
	char path[PATH_MAX], line[DC_PASSWORD_LINE_MAX];
	const struct group *gr = getgrnam(DC_WEB_GROUP);
	struct dc_buf pw = { 0 };
	const char *why;
	int ret;

	(void)a;
	if (!dir || !dir[0])
		dir = DC_CONFDIR;
	snprintf(path, sizeof(path), "%s/%s", dir, DC_WEB_PASSWORD_FILE);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "credctl: web-password: type the new password and a newline\n");
	if (ctl_input_read_passphrase("-", &pw))
		return DC_EXIT_FAILED;
	why = dc_password_problem((const char *)pw.data, pw.len);
	ret = why ? -EINVAL : dc_password_line((const char *)pw.data, pw.len, line, sizeof(line));
	ctl_input_free(&pw);
	if (why) {
		fprintf(stderr, "credctl: web-password: %s (%u to %u bytes, no NUL, CR or LF)\n", why,
			DC_PASSWORD_MIN, DC_PASSWORD_MAX);
		return DC_EXIT_FAILED;
	}
	if (!ret)
		/* Readable by devcred-web's group when there is one, else root alone. */
		ret = dc_replace_file(path, line, strlen(line), gr ? 0640 : 0600,
				      gr ? gr->gr_gid : (gid_t)-1);
	explicit_bzero(line, sizeof(line));
	if (ret) {
		fprintf(stderr, "credctl: web-password: cannot write %s: %s\n", path, strerror(-ret));
		return DC_EXIT_FAILED;
	}
	printf("web-password: the password of user admin is set (%s%s)\n", path,
	       gr ? ", group " DC_WEB_GROUP ", mode 0640" :
		    "; no group " DC_WEB_GROUP ": readable by root alone, mode 0600");
	return DC_EXIT_DONE;
}
