// SPDX-License-Identifier: GPL-2.0
/*
 * credctl: manage the device's TLS credentials through devcredd.
 *
 *	credctl list
 *	credctl install platform1 --cert cert.pem --key https://host/key.pem
 *	credctl bind 802.1x platform1
 *
 * A thin client: it checks the command line, reads the inputs (files or
 * URIs: it fetches them itself, with its user's rights), sends one request
 * to devcredd (common/proto.h) and prints the answer verbatim. Every rule
 * about certificates and slots lives in the daemon. A few commands need no
 * daemon (path). Exit status: 0 done, 1 refused or failed (one message on
 * standard error), 2 usage error.
 *
 * This file: the verb table, the command line and the help. verbs.c fills
 * the requests, input.c and fetch.c read the inputs, client.c talks to
 * devcredd, csr.c and path.c are the commands that do more than ask.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "common/names.h"
#include "credctl.h"
#include "input.h"
#ifdef CREDCTL_FACTORY_EXPECTED
#include "factory_expected.h"
#endif

/* getopt_long returns OPT_VAL + the option, clear of the letters and of 0. */
#define OPT_VAL	0x100

/**
 * struct opt_def - one option
 * @name: its long name, without "--"
 * @has_arg: no_argument or required_argument
 * @help: its line in the command's help
 */
struct opt_def {
	const char *name;
	int has_arg;
	const char *help;
};

static const struct opt_def opt_defs[OPT_COUNT] = {
	[OPT_JSON] = { "json", no_argument,
		"    --json                 machine-readable output" },
	[OPT_FORCE] = { "force", no_argument,
		"    --force                accept an expired or not yet valid certificate" },
	[OPT_CHAIN] = { "chain", no_argument,
		"    --chain                the whole chain, leaf first, not only the certificate" },
	[OPT_BUNDLE] = { "bundle", required_argument,
		"    --bundle FILE          certificate(s) and private key in one PEM file" },
	[OPT_CERT] = { "cert", required_argument,
		"    --cert FILE            certificate: PEM, PEM chain, PKCS#7 or DER" },
	[OPT_KEY] = { "key", required_argument,
		"    --key FILE             private key: PKCS#8, RSA or EC, PEM or DER, maybe encrypted" },
	[OPT_PASS] = { "passphrase-file", required_argument,
		"    --passphrase-file F    the encrypted key's passphrase, one trailing\n"
		"                           newline dropped (a local file, not a URI)" },
	[OPT_CACERT] = { "cacert", required_argument,
		"    --cacert FILE          CA bundle to verify https servers with (default:\n"
		"                           provisioning.conf's ca, else\n"
		"                           /etc/devcred/provisioning-ca.pem if there, else\n"
		"                           the system's)" },
	[OPT_NO_CLIENT_CERT] = { "no-client-cert", no_argument,
		"    --no-client-cert       present no client certificate to https servers\n"
		"                           (default: the credential bound to provisioning,\n"
		"                           its key used through devcredd)" },
	[OPT_TIMEOUT] = { "timeout", required_argument,
		"    --timeout SECONDS      limit on each transfer (default 60)" },
	[OPT_NETRC] = { "netrc-file", required_argument,
		"    --netrc-file FILE      logins and passwords for servers, in netrc form,\n"
		"                           so that none is on the command line" },
	[OPT_CN] = { "cn", required_argument,
		"    --cn CN                the subject's common name (required)" },
	[OPT_ORG] = { "org", required_argument,
		"    --org O                the subject's organization" },
	[OPT_EMAIL] = { "email", required_argument,
		"    --email E              the subject's e-mail address" },
	[OPT_COUNTRY] = { "country", required_argument,
		"    --country CC           the subject's country: two letters A-Z, e.g. US" },
	[OPT_STATE] = { "state", required_argument,
		"    --state S              the subject's state or province" },
	[OPT_SAN] = { "san", required_argument,
		"    --san NAMES            subjectAltName, comma-separated: DNS:name,\n"
		"                           IP:address, email:address; e.g.\n"
		"                           DNS:phone.example,IP:192.0.2.1" },
	[OPT_KEY_TYPE] = { "key-type", required_argument,
		"    --key-type TYPE        the new key: rsa2048 (default), rsa3072 or ec-p256" },
	/* csr's --key before --key-type; --key is a file or a flag elsewhere. */
	[OPT_KEY_TYPE_OLD] = { "key", required_argument,
		"    --key TYPE             the same as --key-type (its older spelling)" },
	[OPT_OUT] = { "out", required_argument,
		"    --out DIR              where MAC.csr and MAC-private.key go (default .)" },
	[OPT_UPLOAD] = { "upload", optional_argument,
		"    --upload [URL]         also send the CSR there (HTTP PUT or tftp); a URL\n"
		"                           ending in / gets the file name appended; without\n"
		"                           URL, MAC.csr goes to provisioning.conf's upload,\n"
		"                           else its server" },
	[OPT_UPLOAD_KEY] = { "upload-key", no_argument,
		"    --upload-key           with --upload https://.../, send the private key\n"
		"                           there too (https only; --keep-key keeps it in\n"
		"                           the device instead)" },
	[OPT_KEEP_KEY] = { "keep-key", required_argument,
		"    --keep-key SLOT        keep the key in the device as SLOT's pending key,\n"
		"                           for 'credctl install SLOT --cert SIGNED'; only\n"
		"                           the CSR is written" },
	[OPT_CERT_PATH] = { "cert", no_argument,
		"    --cert                 only the certificate's path (cert.pem, the leaf)" },
	[OPT_CHAIN_PATH] = { "chain", no_argument,
		"    --chain                only the chain's path (chain.pem: leaf, CAs)" },
	[OPT_KEY_PATH] = { "key", no_argument,
		"    --key                  only the private key's path (key.pem)" },
	[OPT_HELP] = { "help", no_argument,
		"-h, --help                 show this help" },
};

#define FETCH_OPTS	(O(OPT_CACERT) | O(OPT_TIMEOUT) | O(OPT_NETRC) | O(OPT_NO_CLIENT_CERT))
#define CSR_OPTS	(O(OPT_CN) | O(OPT_ORG) | O(OPT_EMAIL) | O(OPT_COUNTRY) | O(OPT_STATE) | O(OPT_SAN) | \
			 O(OPT_KEY_TYPE) | O(OPT_KEY_TYPE_OLD) | O(OPT_OUT) | O(OPT_UPLOAD) | O(OPT_UPLOAD_KEY) | \
			 O(OPT_KEEP_KEY) | FETCH_OPTS)

#ifdef CREDCTL_FACTORY_EXPECTED
static int run_factory_expected(const struct ctl_args *a)
{
	return ctl_factory_expected(a->argv[0], a->argv[1]);
}
#endif

static const struct ctl_verb verbs[] = {
	{ "status", 0, 0, { NULL }, ctl_prepare_plain, NULL, O(OPT_JSON), "[--json]",
	  "the device certificate's status, as the Status menu shows it" },
	{ "list", 0, 0, { NULL }, ctl_prepare_plain, NULL, O(OPT_JSON), "[--json]",
	  "every slot: name, state, origin, common name, not-after, lengths" },
	{ "show", 1, 1, { "SLOT" }, ctl_prepare_slot, NULL, O(OPT_JSON), "SLOT [--json]",
	  "one slot's certificate in detail" },
	{ "install", 1, 1, { "SLOT" }, ctl_prepare_install, NULL,
	  O(OPT_BUNDLE) | O(OPT_CERT) | O(OPT_KEY) | O(OPT_PASS) | O(OPT_FORCE) | FETCH_OPTS,
	  "SLOT (--bundle FILE | --cert FILE [--key FILE]) [--passphrase-file F] [--force] [--cacert FILE] [--timeout SECONDS] [--netrc-file FILE] [--no-client-cert]",
	  "store a certificate and its private key in platform1, platform2 or app1..app6" },
	{ "remove", 1, 1, { "SLOT" }, ctl_prepare_slot, NULL, 0, "SLOT",
	  "empty platform1, platform2 or one of app1..app6" },
	{ "export", 1, 1, { "SLOT" }, ctl_prepare_slot, NULL, O(OPT_CHAIN), "SLOT [--chain]",
	  "write a slot's certificate as PEM (never its key)" },
	{ "bind", 2, 2, { "OPERATION", "SLOT" }, ctl_prepare_bind, NULL, 0, "OPERATION SLOT",
	  "make OPERATION use the credential in SLOT" },
	{ "bindings", 0, 0, { NULL }, ctl_prepare_plain, NULL, O(OPT_JSON), "[--json]",
	  "which slot each operation uses" },
	{ "profiles", 0, 0, { NULL }, ctl_prepare_plain, NULL, O(OPT_JSON), "[--json]",
	  "the TLS profile settings, where each came from, what each operation uses" },
	{ "factory-install", 0, 0, { NULL }, ctl_prepare_factory, NULL,
	  O(OPT_CERT) | O(OPT_KEY) | FETCH_OPTS,
	  "--cert FILE --key FILE [--cacert FILE] [--timeout SECONDS] [--netrc-file FILE] [--no-client-cert]",
	  "store the factory credential in the builtin slot" },
	{ "format", 0, 0, { NULL }, ctl_prepare_plain, NULL, 0, "",
	  "start a damaged store afresh (refused while any record is readable)" },
	{ "apply", 1, 1, { "FILE|URI" }, ctl_prepare_apply, NULL, FETCH_OPTS,
	  "FILE|URI [--cacert FILE] [--timeout SECONDS] [--netrc-file FILE] [--no-client-cert]",
	  "apply a provisioning configuration file (XML)" },
	{ "csr", 0, 0, { NULL }, NULL, ctl_run_csr, CSR_OPTS,
	  "--cn CN [--org O] [--email E] [--country CC] [--state S] [--san NAMES] [--key-type rsa2048|rsa3072|ec-p256] [--out DIR] [--upload [URL] [--upload-key]] [--keep-key SLOT] [--cacert FILE] [--timeout SECONDS] [--netrc-file FILE] [--no-client-cert]",
	  "make a private key and a certificate signing request (CSR)" },
	{ "path", 1, 1, { "OPERATION" }, NULL, ctl_run_path,
	  O(OPT_CERT_PATH) | O(OPT_CHAIN_PATH) | O(OPT_KEY_PATH), "OPERATION [--cert|--chain|--key]",
	  "the files devcredd publishes for OPERATION now (the version the link names)" },
	{ "provision", 1, 1, { "status|now" }, NULL, ctl_run_provision,
	  O(OPT_JSON) | O(OPT_TIMEOUT), "status|now [--json] [--timeout SECONDS]",
	  "the provisioning server's state (status), or fetch and apply at once (now)" },
	{ "web-password", 0, 0, { NULL }, NULL, ctl_run_web_password, 0, "",
	  "set devcred-web's administrator password, read from standard input" },
#ifdef CREDCTL_FACTORY_EXPECTED
	{ "factory-expected", 2, 2, { "PART", "REVISION" }, NULL, run_factory_expected, 0,
	  "PART REVISION", "whether a board of PART and REVISION ships with a factory certificate" },
#endif
};

/* Help and usage errors. */

static void help_all(void)
{
	size_t i;

	printf("Usage: credctl COMMAND [ARGUMENTS] [OPTIONS]\n\n"
	       "Manage the device's TLS credentials (through devcredd).\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		printf("  %-16s %s\n", verbs[i].name, verbs[i].help);
	printf("\nSLOT: %s\nOPERATION: %s\n", dc_slot_list(), dc_op_list());
	printf("FILE may be - for standard input (one input at most), or a URI: http://,\n"
	       "https://, tftp:// or file://, fetched by credctl with your rights.\n"
	       "Exit status: 0 done, 1 refused or failed, 2 usage error.\n"
	       "Run 'credctl COMMAND --help' for a command's options, 'credctl --version'\n"
	       "for the version.\n");
}

/* The length of the synopsis' next group: a word, or a [...] or (...) whole. */
static size_t group_len(const char *p)
{
	size_t n;
	int depth = 0;

	for (n = 0; p[n] && (depth || p[n] != ' '); n++)
		depth += (p[n] == '[' || p[n] == '(') - (p[n] == ']' || p[n] == ')');
	return n;
}

/* "Usage: credctl NAME SYNOPSIS", wrapped before column 80 between groups. */
static void print_usage_line(const struct ctl_verb *v)
{
	int indent = printf("Usage: credctl %s", v->name), col = indent;
	const char *p = v->synopsis;
	size_t n;

	while (*p) {
		n = group_len(p);
		if (col > indent && col + 1 + (int)n >= 80)
			col = printf("\n%*s", indent, "") - 1;
		col += printf(" %.*s", (int)n, p);
		p += n;
		p += strspn(p, " ");
	}
	printf("\n");
}

/* Each line of @text, two spaces in. */
static void print_indented(const char *text)
{
	size_t n;

	for (; *text; text += n + !!text[n]) {
		n = strcspn(text, "\n");
		printf("  %.*s\n", (int)n, text);
	}
}

static void help_verb(const struct ctl_verb *v)
{
	int o;

	print_usage_line(v);
	printf("\n%c%s.\n\nOptions:\n", v->help[0] - 'a' + 'A', v->help + 1);
	for (o = 0; o < OPT_COUNT; o++)
		if ((v->opts | O(OPT_HELP)) & O(o))
			print_indented(opt_defs[o].help);
	if (strstr(v->synopsis, "SLOT"))
		printf("\nSLOT: %s\n", dc_slot_list());
	if (strstr(v->synopsis, "OPERATION"))
		printf("OPERATION: %s\n", dc_op_list());
	if (strstr(v->synopsis, "FILE") && v->prepare)
		printf("FILE may be - for standard input (one input at most), or a URI: http://,\n"
		       "https://, tftp:// or file://, fetched by credctl with your rights.\n");
}

int ctl_usage_error(const struct ctl_verb *v, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "credctl: ");
	if (v)
		fprintf(stderr, "%s: ", v->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (v)
		fprintf(stderr, "\nTry 'credctl %s --help'.\n", v->name);
	else
		fprintf(stderr, "\nTry 'credctl --help'.\n");
	return DC_EXIT_USAGE;
}

/* The options of @v, "--json, --force" for messages; "" when none. */
static const char *opt_list(const struct ctl_verb *v, char *buf, size_t size)
{
	size_t n = 0;
	int o;

	buf[0] = '\0';
	for (o = 0; o < OPT_HELP; o++)
		if ((v->opts & O(o)) && n < size)
			n += snprintf(buf + n, size - n, "%s--%s", n ? ", " : "", opt_defs[o].name);
	return buf;
}

/* Parsing the command line. */

/* "status, list, ..." for messages; @buf holds VERB_LIST_SIZE bytes. */
#define VERB_LIST_SIZE 256
static const char *verb_list(char *buf)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(verbs) && n < VERB_LIST_SIZE; i++)
		n += snprintf(buf + n, VERB_LIST_SIZE - n, "%s%s", i ? ", " : "", verbs[i].name);
	return buf;
}

static const struct ctl_verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

/*
 * Whether option @o belongs in @v's getopt table. A long name with several
 * meanings appears once: with the meaning @v takes, else the first one (so
 * that it is still recognized, and refused by name).
 */
static int opt_in_table(const struct ctl_verb *v, int o)
{
	unsigned int mine = v->opts | O(OPT_HELP);
	int p;

	if (mine & O(o))
		return 1;
	for (p = 0; p < OPT_COUNT; p++)
		if (p != o && !strcmp(opt_defs[p].name, opt_defs[o].name) &&
		    ((mine & O(p)) || p < o))
			return 0;
	return 1;
}

static void build_long_opts(const struct ctl_verb *v, struct option *table)
{
	int o, n = 0;

	for (o = 0; o < OPT_COUNT; o++)
		if (opt_in_table(v, o))
			table[n++] = (struct option){ opt_defs[o].name, opt_defs[o].has_arg, NULL,
						      OPT_VAL + o };
	table[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* getopt_long's '?' or ':' as a message. */
static int bad_option(const struct ctl_verb *v, int c, char **argv)
{
	const char *name = optopt >= OPT_VAL ? opt_defs[optopt - OPT_VAL].name : NULL;

	if (c == ':' && name)
		return ctl_usage_error(v, "option '--%s' needs an argument", name);
	if (c == ':')
		return ctl_usage_error(v, "option '-%c' needs an argument", optopt);
	if (name)
		return ctl_usage_error(v, "option '--%s' takes no argument", name);
	if (optopt)
		return ctl_usage_error(v, "unknown option '-%c'", optopt);
	return ctl_usage_error(v, "unknown or ambiguous option '%s'", argv[optind - 1]);
}

static int take_option(struct ctl_args *a, int o)
{
	const struct ctl_verb *v = a->verb;
	char buf[256];

	if (!(v->opts & O(o))) {
		if (!v->opts)
			return ctl_usage_error(v, "'--%s' is not an option of %s, which takes none",
					   opt_defs[o].name, v->name);
		return ctl_usage_error(v, "'--%s' is not an option of %s; its options are %s",
				   opt_defs[o].name, v->name, opt_list(v, buf, sizeof(buf)));
	}
	if (o == OPT_KEY_TYPE_OLD)
		o = OPT_KEY_TYPE;
	if (a->seen & O(o))
		return ctl_usage_error(v, "'--%s' given twice%s", opt_defs[o].name,
				   o == OPT_KEY_TYPE ? " (--key is its older spelling)" : "");
	a->seen |= O(o);
	/* --upload alone: "", the provisioning server's (take_provisioning()). */
	a->value[o] = o == OPT_UPLOAD && !optarg ? "" : optarg;
	return 0;
}

/* The permitted values of a positional argument, for messages; NULL if free. */
static const char *arg_choices(const char *name)
{
	if (!strcmp(name, "SLOT"))
		return dc_slot_list();
	if (!strcmp(name, "OPERATION"))
		return dc_op_list();
	return NULL;
}

static int check_arg_count(const struct ctl_args *a)
{
	const struct ctl_verb *v = a->verb;
	const char *missing = a->argc < v->min_args ? v->arg[a->argc] : NULL;

	if (missing && arg_choices(missing))
		return ctl_usage_error(v, "missing %s, one of %s; usage: credctl %s %s", missing,
				   arg_choices(missing), v->name, v->synopsis);
	if (missing)
		return ctl_usage_error(v, "missing %s; usage: credctl %s %s", missing, v->name,
				   v->synopsis);
	if (a->argc > v->max_args)
		return ctl_usage_error(v, "unexpected argument '%s'; usage: credctl %s %s",
				   a->argv[v->max_args], v->name, v->synopsis);
	return 0;
}

/* Whether the command line names a URI: the command goes to the network. */
static int names_uri(const struct ctl_args *a)
{
	static const enum opt inputs[] = { OPT_BUNDLE, OPT_CERT, OPT_KEY, OPT_UPLOAD };
	size_t i;
	int n;

	if (a->seen & O(OPT_UPLOAD))
		return 1;
	for (n = 0; n < a->argc; n++)
		if (uri_is(a->argv[n]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(inputs); i++)
		if (a->value[inputs[i]] && uri_is(a->value[inputs[i]]))
			return 1;
	return 0;
}

/*
 * provisioning.conf, read by a command that goes to the network: its CA and
 * the provisioning client certificate for https (unless --no-client-cert),
 * and where --upload alone sends the CSR. A broken file stops the command:
 * the server it names is the one the device trusts.
 */
static int take_provisioning(struct ctl_args *a)
{
	char err[URI_ERR_MAX];
	const char *where;
	size_t n;
	int ret;

	if (!(a->verb->opts & FETCH_OPTS) || !names_uri(a))
		return 0;
	ret = uri_provisioning(&a->fetch, &a->prov, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "credctl: %s (fix it, or remove it for a device without a provisioning server)\n",
			err);
		return DC_EXIT_FAILED;
	}
	if (a->seen & O(OPT_NO_CLIENT_CERT))
		a->fetch.client_cert = NULL;
	if (!a->value[OPT_UPLOAD] || a->value[OPT_UPLOAD][0])
		return 0;
	where = a->prov.upload[0] ? a->prov.upload : a->prov.server;
	if (!where[0])
		return ctl_usage_error(a->verb, "--upload without a URL sends the CSR to the provisioning server, and there is none: %s/%s does not exist; give --upload URL",
				       uri_confdir(), DC_PROVCONF_FILE);
	/* A folder: the file name is appended. provconf bounds the length. */
	n = strlen(where);
	if (n + 2 > sizeof(a->upload))
		return DC_EXIT_FAILED;
	memcpy(a->upload, where, n);
	a->upload[n] = '/';
	a->upload[where[n - 1] == '/' ? n : n + 1] = '\0';
	a->value[OPT_UPLOAD] = a->upload;
	return 0;
}

/*
 * --cacert, --timeout, --netrc-file and --no-client-cert, for the commands
 * that fetch or upload.
 */
static int take_uri_opts(struct ctl_args *a)
{
	const char *t = a->value[OPT_TIMEOUT];
	char *end;
	long s;

	a->fetch.cacert = a->value[OPT_CACERT];
	a->fetch.netrc = a->value[OPT_NETRC];
	if (!t)
		return take_provisioning(a);
	errno = 0;
	s = strtol(t, &end, 10);
	if (errno || end == t || *end || s < 1 || s > URI_TIMEOUT_MAX_S)
		return ctl_usage_error(a->verb, "--timeout takes whole seconds from 1 to %d, not '%s'",
				   URI_TIMEOUT_MAX_S, t);
	a->fetch.timeout_s = s;
	return take_provisioning(a);
}

/*
 * Fills @a from the command line; returns -1 when it is complete, else the
 * exit status (0 after printing help).
 */
static int parse_argv(struct ctl_args *a, int argc, char **argv)
{
	struct option long_opts[OPT_COUNT + 1];
	char buf[VERB_LIST_SIZE];
	int c, ret;

	if (argc < 2)
		return ctl_usage_error(NULL, "missing command; commands are %s", verb_list(buf));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help_all();
		return DC_EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("credctl (devcred) %s, devcredd protocol %u\n", DEVCRED_VERSION,
		       DC_PROTO_VERSION);
		return DC_EXIT_DONE;
	}
	a->verb = find_verb(argv[1]);
	if (!a->verb && argv[1][0] == '-')
		return ctl_usage_error(NULL, "unknown option '%s' (options go after the command)", argv[1]);
	if (!a->verb)
		return ctl_usage_error(NULL, "unknown command '%s'; commands are %s", argv[1],
				   verb_list(buf));
	build_long_opts(a->verb, long_opts);
	/* Parse the command's own argv: argv[0] is the command, as a program name. */
	argc--;
	argv++;
	optind = 0;	/* GNU getopt: start afresh */
	opterr = 0;	/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		if (c == 'h' || c == OPT_VAL + OPT_HELP) {
			help_verb(a->verb);
			return DC_EXIT_DONE;
		}
		/* --upload URL as well as --upload=URL; csr takes no other word. */
		if (c == OPT_VAL + OPT_UPLOAD && !optarg && optind < argc && argv[optind][0] != '-')
			optarg = argv[optind++];
		if (c == OPT_VAL + OPT_UPLOAD && optarg && !optarg[0])
			return ctl_usage_error(a->verb, "--upload= is empty: give a URL, or --upload alone for the provisioning server");
		ret = c == '?' || c == ':' ? bad_option(a->verb, c, argv)
					   : take_option(a, c - OPT_VAL);
		if (ret)
			return ret;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	ret = check_arg_count(a);
	if (!ret)
		ret = take_uri_opts(a);
	return ret ? ret : -1;
}

/* A command devcredd answers in text: prepare, ask, print. */
static int run(const struct ctl_args *a)
{
	struct dc_request req;
	int ret;

	if (a->verb->run)
		return a->verb->run(a);
	memset(&req, 0, sizeof(req));
	snprintf(req.verb, sizeof(req.verb), "%s", a->verb->name);
	ret = a->verb->prepare(a, &req);
	if (!ret)
		ret = ctl_ask(&req);
	ctl_input_free(&req.cert);	/* a bundle holds a key */
	ctl_input_free(&req.key);
	ctl_input_free(&req.passphrase);
	return ret;
}

int main(int argc, char **argv)
{
	struct ctl_args a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = parse_argv(&a, argc, argv);
	if (ret < 0)
		ret = run(&a);
	if (fflush(stdout) || ferror(stdout)) {
		if (!ret)
			fprintf(stderr, "credctl: standard output: %s\n", strerror(errno));
		ret = ret ? ret : DC_EXIT_FAILED;
	}
	return ret;
}
