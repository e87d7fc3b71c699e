// SPDX-License-Identifier: GPL-2.0
/*
 * credctl path OP: where devcredd publishes the credential OP is bound to,
 * for programs that take files (curl --cert, a TLS server's configuration):
 *
 *	$DEVCRED_RUN_DIR/OP/cert.pem	the leaf certificate
 *	$DEVCRED_RUN_DIR/OP/chain.pem	the leaf, then its intermediate CAs
 *	$DEVCRED_RUN_DIR/OP/key.pem	the private key (root, or devcredd's key group)
 *
 * With devcredd's key files off (--no-key-files) there is no key.pem; in
 * its place OP/key.uri holds where the key is, the devcred provider's
 * URI, "devcred:op=OP", which credctl path prints instead of a path.
 *
 * DEVCRED_RUN_DIR defaults to /run/devcred. Local: the files say it all, and
 * they are there only while OP's slot holds a credential and devcredd runs.
 *
 * OP is a link that devcredd swaps to a new directory on every update. The
 * paths printed are in the directory it names now, resolved: a program
 * that opens them reads one version's certificate and key, never one with
 * the next one's (that directory stays ten seconds after an update).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/names.h"
#include "common/paths.h"
#include "credctl.h"


/* The files, in the order they are printed. */
static const struct {
	enum opt opt;
	const char *name;
} published[] = {
	{ OPT_CERT_PATH, "cert.pem" },
	{ OPT_CHAIN_PATH, "chain.pem" },
	{ OPT_KEY_PATH, "key.pem" },
};

/*
 * With key files off: the URI @dir/key.uri holds, into @out; 0, or -1 with
 * errno set (ENOENT: key files are on, or nothing is published).
 */
static int key_uri(const char *dir, char *out, size_t size)
{
	char file[PATH_MAX + 16];
	FILE *f;
	int ok;

	snprintf(file, sizeof(file), "%s/key.uri", dir);
	f = fopen(file, "r");
	if (!f)
		return -1;
	ok = fgets(out, size, f) && !strncmp(out, "devcred:", 8);
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
	if (!ok)
		errno = EINVAL;
	return ok ? 0 : -1;
}

int ctl_run_path(const struct ctl_args *a)
{
	const char *op = a->argv[0], *run_dir = getenv("DEVCRED_RUN_DIR");
	unsigned int want = a->seen & (O(OPT_CERT_PATH) | O(OPT_CHAIN_PATH) | O(OPT_KEY_PATH));
	char link[PATH_MAX], path[ARRAY_SIZE(published)][PATH_MAX + 16], *dir;
	struct stat st;
	size_t i;
	int ret = DC_EXIT_DONE;

	if (dc_op_by_name(op) < 0)
		return ctl_usage_error(a->verb, "unknown operation '%s'; operations are %s", op,
				       dc_op_list());
	if (!run_dir || !run_dir[0])
		run_dir = DC_RUN_DIR;
	if (!want)
		want = ~0u;
	snprintf(link, sizeof(link), "%s/%s", run_dir, op);
	/* The directory the link names now: the files of one version. */
	dir = realpath(link, NULL);
	/* All there, or nothing printed: half a credential is no use. */
	for (i = 0; i < ARRAY_SIZE(published) && ret == DC_EXIT_DONE; i++) {
		if (!(want & O(published[i].opt)))
			continue;
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir ? dir : link, published[i].name);
		errno = 0;	/* stays 0 for something that is not a file */
		if (dir && !stat(path[i], &st) && S_ISREG(st.st_mode))
			continue;
		/* Key files off: where the key is instead. */
		if (dir && errno == ENOENT && published[i].opt == OPT_KEY_PATH &&
		    !key_uri(dir, path[i], sizeof(path[i])))
			continue;
		if (!dir || errno == ENOENT || errno == ENOTDIR || !errno)
			fprintf(stderr, "credctl: %s: no credential published at %s (its slot is empty, or devcredd is not running)\n",
				op, link);
		else
			fprintf(stderr, "credctl: %s: %s\n", path[i], strerror(errno));
		ret = DC_EXIT_FAILED;
	}
	for (i = 0; i < ARRAY_SIZE(published) && ret == DC_EXIT_DONE; i++)
		if (want & O(published[i].opt))
			printf("%s\n", path[i]);
	free(dir);
	return ret;
}
