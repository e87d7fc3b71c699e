/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl's command line: the options, what parse_argv() makes of them, the
 * verb table's entries, and the verbs implemented outside main.c.
 */
#ifndef CREDCTL_H
#define CREDCTL_H

#include "common/proto.h"
#include "credctl/uri/fetch.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Options, by index into the option table; O() of them are the bits of
 * struct ctl_verb's @opts. Some long names mean different things to different
 * verbs (--key FILE to install, --key TYPE to csr, --key alone to path):
 * each meaning is its own option, and a verb takes at most one of them.
 */
enum opt {
	OPT_JSON, OPT_FORCE, OPT_CHAIN, OPT_BUNDLE, OPT_CERT, OPT_KEY, OPT_PASS,
	OPT_CN, OPT_ORG, OPT_EMAIL, OPT_COUNTRY, OPT_STATE, OPT_SAN, OPT_KEY_TYPE, OPT_KEY_TYPE_OLD, OPT_OUT,
	OPT_UPLOAD, OPT_UPLOAD_KEY, OPT_KEEP_KEY,
	OPT_CACERT, OPT_TIMEOUT, OPT_NETRC, OPT_NO_CLIENT_CERT,
	OPT_CERT_PATH, OPT_CHAIN_PATH, OPT_KEY_PATH,
	OPT_HELP, OPT_COUNT
};
#define O(x)	(1u << (x))

/* What the command line says, before any file is read. */
struct ctl_args {
	const struct ctl_verb *verb;
	unsigned int seen;		/* O(OPT_*) of the options given */
	const char *value[OPT_COUNT];	/* the options' arguments */
	struct uri_opts fetch;	/* --cacert, --timeout, --netrc-file, --no-client-cert */
	struct dc_provconf prov;	/* provisioning.conf, for commands on the network */
	char upload[DC_PROVCONF_VALUE_MAX + 2];	/* --upload alone: prov's, ending in / */
	int argc;			/* the positional arguments */
	char **argv;
};

/**
 * struct ctl_verb - one credctl command
 * @name: the command
 * @min_args: fewest positional arguments
 * @max_args: most positional arguments
 * @arg: their names, for messages
 * @prepare: for a command devcredd runs and answers in text: checks what
 *	the table cannot and fills the request; returns an exit status (0:
 *	send it, then print the answer)
 * @run: for any other command (local ones, csr): does all of it; returns
 *	the exit status. Exactly one of @prepare and @run is set.
 * @opts: the options it takes, O(OPT_*)
 * @synopsis: its arguments and options, after the name
 * @help: what it does, one line
 */
struct ctl_verb {
	const char *name;
	int min_args;
	int max_args;
	const char *arg[2];
	int (*prepare)(const struct ctl_args *a, struct dc_request *req);
	int (*run)(const struct ctl_args *a);
	unsigned int opts;
	const char *synopsis;
	const char *help;
};

/* Prints "credctl: [COMMAND: ]MESSAGE" and the hint; returns DC_EXIT_USAGE. */
int ctl_usage_error(const struct ctl_verb *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* verbs.c: the commands devcredd answers in text. */
int ctl_prepare_plain(const struct ctl_args *a, struct dc_request *req);
int ctl_prepare_slot(const struct ctl_args *a, struct dc_request *req);
int ctl_prepare_install(const struct ctl_args *a, struct dc_request *req);
int ctl_prepare_bind(const struct ctl_args *a, struct dc_request *req);
int ctl_prepare_factory(const struct ctl_args *a, struct dc_request *req);
int ctl_prepare_apply(const struct ctl_args *a, struct dc_request *req);

/* csr.c */
int ctl_run_csr(const struct ctl_args *a);

/* path.c */
int ctl_run_path(const struct ctl_args *a);

/* provision.c */
int ctl_run_provision(const struct ctl_args *a);

/* web_password.c */
int ctl_run_web_password(const struct ctl_args *a);

#endif /* CREDCTL_H */
