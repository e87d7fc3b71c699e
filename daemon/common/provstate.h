/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provisioning state, $DEVCRED_RUN_DIR/provision.state: what
 * devcred-provision did last and will do next, for "credctl provision".
 * Written by the service (root) whole and renamed into place, mode 0644:
 * nothing in it is secret. One "key=value" per line, keys in any order,
 * unknown keys skipped (a newer service may write more):
 *
 *	pid=412			the service
 *	round=3			rounds finished since it started
 *	server=https://prov.example.com/phones/
 *	attempt=1796520000	when the last round began (Unix time), 0 none yet
 *	result=ok		ok, failed, or "" before the first round
 *	file=site.cfg		the file a failure concerns, "" for none
 *	reason=...		why it failed, one line
 *	slot=platform1		the credential bound to provisioning then, and
 *	subject=CN=...		its subject ("" when none could be read)
 *	master=0004f206075d.cfg	the master file used
 *	files=site.cfg,p1.cfg	the files applied, in their order
 *	next=1796520300		when the next round is due, 0 for none
 *	failures=2		failed rounds in a row (the backoff's step)
 */
#ifndef DEVCRED_COMMON_PROVSTATE_H
#define DEVCRED_COMMON_PROVSTATE_H

#include <stddef.h>

#define DC_PROVSTATE_FILE	"provision.state"
#define DC_PROVSTATE_SIZE_MAX	(16 * 1024)

/* struct dc_provstate - the state file's contents; strings "" when absent */
struct dc_provstate {
	long pid;
	unsigned long round;
	char server[2048];
	long long attempt;
	char result[16];
	char file[256];
	char reason[1024];
	char slot[64];
	char subject[512];
	char master[64];
	char files[4096];
	long long next;
	unsigned int failures;
};

/* $DEVCRED_RUN_DIR/provision.state (DC_RUN_DIR by default), in @buf. */
const char *dc_provstate_path(char *buf, size_t size);

/*
 * Writes @st to @path atomically (a temporary file beside it, renamed),
 * mode 0644. Control characters in strings become '?', so that no value
 * can forge a line. 0 or a negative errno.
 */
int dc_provstate_write(const char *path, const struct dc_provstate *st);

/*
 * Reads @path into @st. 0; -ENOENT when there is none (the service never
 * ran); -EINVAL for a file that is not one (too large, a line without
 * '='); another negative errno when it cannot be read.
 */
int dc_provstate_read(const char *path, struct dc_provstate *st);

#endif /* DEVCRED_COMMON_PROVSTATE_H */
