// SPDX-License-Identifier: GPL-2.0
/*
 * credctl: manage the device's TLS credentials through devcredd.
 *
 *	credctl list
 *	credctl install platform1 --cert cert.pem --key key.pem
 *	credctl bind 802.1x platform1
 *
 * A thin client: it checks the command line, reads the input files, sends
 * one request to devcredd (lib/proto.h) and prints the answer verbatim.
 * Every rule about certificates and slots lives in the daemon. Exit status:
 * 0 done, 1 refused or failed (one message on standard error), 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "proto.h"

#define DEFAULT_SOCKET		"/run/devcred/devcredd.sock"
#define ANSWER_TIMEOUT_S	30	/* install may be slow on emulated flash */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define STR_(x)			#x
#define STR(x)			STR_(x)

#define EXIT_DONE	0
#define EXIT_FAILED	1
#define EXIT_USAGE	2

static const char *const slot_names[] = {
	"builtin", "platform1", "platform2", "app1", "app2", "app3", "app4", "app5", "app6",
};
#define SLOT_LIST "builtin, platform1, platform2, app1, app2, app3, app4, app5, app6"

static const char *const op_names[] = {
	"802.1x", "syslog", "provisioning", "sip", "browser", "presence", "ldap",
};
#define OP_LIST "802.1x, syslog, provisioning, sip, browser, presence, ldap"

/*
 * Options, by index into long_opts[]; O() of them are the bits of struct
 * verb's @opts. getopt_long returns OPT_VAL + the index, clear of the
 * letters and of 0 (which its optopt uses for "unknown").
 */
enum opt { OPT_JSON, OPT_FORCE, OPT_CHAIN, OPT_BUNDLE, OPT_CERT, OPT_KEY, OPT_PASS,
	   OPT_HELP, OPT_COUNT };
#define O(x)	(1u << (x))
#define OPT_VAL	0x100

static const struct option long_opts[] = {
	[OPT_JSON] = { "json", no_argument, NULL, OPT_VAL + OPT_JSON },
	[OPT_FORCE] = { "force", no_argument, NULL, OPT_VAL + OPT_FORCE },
	[OPT_CHAIN] = { "chain", no_argument, NULL, OPT_VAL + OPT_CHAIN },
	[OPT_BUNDLE] = { "bundle", required_argument, NULL, OPT_VAL + OPT_BUNDLE },
	[OPT_CERT] = { "cert", required_argument, NULL, OPT_VAL + OPT_CERT },
	[OPT_KEY] = { "key", required_argument, NULL, OPT_VAL + OPT_KEY },
	[OPT_PASS] = { "passphrase-file", required_argument, NULL, OPT_VAL + OPT_PASS },
	[OPT_HELP] = { "help", no_argument, NULL, OPT_VAL + OPT_HELP },
	[OPT_COUNT] = { NULL, 0, NULL, 0 },
};

static const char *const opt_help[OPT_COUNT] = {
	[OPT_JSON] = "    --json                 machine-readable output",
	[OPT_FORCE] = "    --force                accept an expired or not yet valid certificate",
	[OPT_CHAIN] = "    --chain                the whole chain, leaf first, not only the certificate",
	[OPT_BUNDLE] = "    --bundle FILE          certificate(s) and private key in one PEM file",
	[OPT_CERT] = "    --cert FILE            certificate: PEM, PEM chain, PKCS#7 or DER",
	[OPT_KEY] = "    --key FILE             private key: PKCS#8, RSA or EC, PEM or DER, maybe encrypted",
	[OPT_PASS] = "    --passphrase-file F    the encrypted key's passphrase (one trailing newline dropped)",
	[OPT_HELP] = "-h, --help                 show this help",
};

/* What the command line says, before any file is read. */
struct args {
	const struct verb *verb;
	unsigned int seen;		/* O(OPT_*) of the options given */
	const char *file[OPT_COUNT];	/* FILE of --bundle, --cert, --key, --passphrase-file */
	int argc;			/* the positional arguments */
	char **argv;
};

/**
 * struct verb - one credctl command
 * @name: the command
 * @min_args: fewest positional arguments
 * @max_args: most positional arguments
 * @arg: their names, for messages
 * @prepare: checks what the table cannot and fills the request; returns an
 *	exit status (0: send it)
 * @opts: the options it takes, O(OPT_*)
 * @synopsis: its arguments and options, after the name
 * @help: what it does, one line
 */
struct verb {
	const char *name;
	int min_args;
	int max_args;
	const char *arg[2];
	int (*prepare)(const struct args *a, struct dc_request *req);
	unsigned int opts;
	const char *synopsis;
	const char *help;
};

static int prepare_plain(const struct args *a, struct dc_request *req);
static int prepare_slot(const struct args *a, struct dc_request *req);
static int prepare_install(const struct args *a, struct dc_request *req);
static int prepare_bind(const struct args *a, struct dc_request *req);
static int prepare_factory(const struct args *a, struct dc_request *req);

static const struct verb verbs[] = {
	{ "status", 0, 0, { NULL }, prepare_plain, O(OPT_JSON), "[--json]",
	  "the device certificate's status, as the Status menu shows it" },
	{ "list", 0, 0, { NULL }, prepare_plain, O(OPT_JSON), "[--json]",
	  "every slot: name, state, origin, common name, not-after, lengths" },
	{ "show", 1, 1, { "SLOT" }, prepare_slot, O(OPT_JSON), "SLOT [--json]",
	  "one slot's certificate in detail" },
	{ "install", 1, 1, { "SLOT" }, prepare_install,
	  O(OPT_BUNDLE) | O(OPT_CERT) | O(OPT_KEY) | O(OPT_PASS) | O(OPT_FORCE),
	  "SLOT (--bundle FILE | --cert FILE [--key FILE]) [--passphrase-file F] [--force]",
	  "store a certificate and its private key in platform1, platform2 or app1..app6" },
	{ "remove", 1, 1, { "SLOT" }, prepare_slot, 0, "SLOT",
	  "empty platform1, platform2 or one of app1..app6" },
	{ "export", 1, 1, { "SLOT" }, prepare_slot, O(OPT_CHAIN), "SLOT [--chain]",
	  "write a slot's certificate as PEM (never its key)" },
	{ "bind", 2, 2, { "OPERATION", "SLOT" }, prepare_bind, 0, "OPERATION SLOT",
	  "make OPERATION use the credential in SLOT" },
	{ "bindings", 0, 0, { NULL }, prepare_plain, O(OPT_JSON), "[--json]",
	  "which slot each operation uses" },
	{ "factory-install", 0, 0, { NULL }, prepare_factory, O(OPT_CERT) | O(OPT_KEY),
	  "--cert FILE --key FILE", "store the factory credential in the builtin slot" },
};

/* Help and usage errors. */

static void help_all(void)
{
	size_t i;

	printf("Usage: credctl COMMAND [ARGUMENTS] [OPTIONS]\n\n"
	       "Manage the device's TLS credentials (through devcredd).\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		printf("  %-16s %s\n", verbs[i].name, verbs[i].help);
	printf("\nSLOT: " SLOT_LIST "\nOPERATION: " OP_LIST "\n"
	       "FILE may be - for standard input (one input at most).\n"
	       "Exit status: 0 done, 1 refused or failed, 2 usage error.\n"
	       "Run 'credctl COMMAND --help' for a command's options.\n");
}

static void help_verb(const struct verb *v)
{
	int o;

	printf("Usage: credctl %s %s\n\n%c%s.\n\nOptions:\n", v->name, v->synopsis,
	       v->help[0] - 'a' + 'A', v->help + 1);
	for (o = 0; o < OPT_COUNT; o++)
		if ((v->opts | O(OPT_HELP)) & O(o))
			printf("  %s\n", opt_help[o]);
	if (strstr(v->synopsis, "SLOT"))
		printf("\nSLOT: " SLOT_LIST "\n");
	if (strstr(v->synopsis, "OPERATION"))
		printf("OPERATION: " OP_LIST "\n");
	if (strstr(v->synopsis, "FILE"))
		printf("FILE may be - for standard input (one input at most).\n");
}

/* Prints "credctl: [COMMAND: ]MESSAGE" and the hint; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3)))
static int usage_error(const struct verb *v, const char *fmt, ...)
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
	return EXIT_USAGE;
}

/* The options of @v, "--json, --force" for messages; "" when none. */
static const char *opt_list(const struct verb *v, char *buf, size_t size)
{
	size_t n = 0;
	int o;

	buf[0] = '\0';
	for (o = 0; o < OPT_HELP; o++)
		if (v->opts & O(o))
			n += snprintf(buf + n, size - n, "%s--%s", n ? ", " : "",
				      long_opts[o].name);
	return buf;
}

/* Parsing the command line. */

/* "status, list, ..." for messages; @buf holds VERB_LIST_SIZE bytes. */
#define VERB_LIST_SIZE 160
static const char *verb_list(char *buf)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(verbs) && n < VERB_LIST_SIZE; i++)
		n += snprintf(buf + n, VERB_LIST_SIZE - n, "%s%s", i ? ", " : "", verbs[i].name);
	return buf;
}

static const struct verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

static int name_index(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* getopt_long's '?' or ':' as a message. */
static int bad_option(const struct verb *v, int c, char **argv)
{
	const char *name = optopt >= OPT_VAL ? long_opts[optopt - OPT_VAL].name : NULL;

	if (c == ':' && name)
		return usage_error(v, "option '--%s' needs an argument", name);
	if (c == ':')
		return usage_error(v, "option '-%c' needs an argument", optopt);
	if (name)
		return usage_error(v, "option '--%s' takes no argument", name);
	if (optopt)
		return usage_error(v, "unknown option '-%c'", optopt);
	return usage_error(v, "unknown or ambiguous option '%s'", argv[optind - 1]);
}

static int take_option(struct args *a, int o)
{
	const struct verb *v = a->verb;
	char buf[128];

	if (!(v->opts & O(o))) {
		if (!v->opts)
			return usage_error(v, "'--%s' is not an option of %s, which takes none",
					   long_opts[o].name, v->name);
		return usage_error(v, "'--%s' is not an option of %s; its options are %s",
				   long_opts[o].name, v->name, opt_list(v, buf, sizeof(buf)));
	}
	if (a->seen & O(o))
		return usage_error(v, "'--%s' given twice", long_opts[o].name);
	a->seen |= O(o);
	a->file[o] = optarg;
	return 0;
}

static int check_arg_count(const struct args *a)
{
	const struct verb *v = a->verb;
	const char *missing = a->argc < v->min_args ? v->arg[a->argc] : NULL;

	if (missing)
		return usage_error(v, "missing %s, one of %s; usage: credctl %s %s", missing,
				   strcmp(missing, "SLOT") ? OP_LIST : SLOT_LIST, v->name,
				   v->synopsis);
	if (a->argc > v->max_args)
		return usage_error(v, "unexpected argument '%s'; usage: credctl %s %s",
				   a->argv[v->max_args], v->name, v->synopsis);
	return 0;
}

/*
 * Fills @a from the command line; returns -1 when it is complete, else the
 * exit status (0 after printing help).
 */
static int parse_argv(struct args *a, int argc, char **argv)
{
	char buf[VERB_LIST_SIZE];
	int c, ret;

	if (argc < 2)
		return usage_error(NULL, "missing command; commands are %s", verb_list(buf));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help_all();
		return EXIT_DONE;
	}
	a->verb = find_verb(argv[1]);
	if (!a->verb && argv[1][0] == '-')
		return usage_error(NULL, "unknown option '%s' (options go after the command)", argv[1]);
	if (!a->verb)
		return usage_error(NULL, "unknown command '%s'; commands are %s", argv[1],
				   verb_list(buf));
	/* Parse the command's own argv: argv[0] is the command, as a program name. */
	argc--;
	argv++;
	optind = 0;	/* GNU getopt: start afresh */
	opterr = 0;	/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		if (c == 'h' || c == OPT_VAL + OPT_HELP) {
			help_verb(a->verb);
			return EXIT_DONE;
		}
		ret = c == '?' || c == ':' ? bad_option(a->verb, c, argv)
					   : take_option(a, c - OPT_VAL);
		if (ret)
			return ret;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	ret = check_arg_count(a);
	return ret ? ret : -1;
}

/* Reading input files. */

static void buf_free(struct dc_buf *b)
{
	if (b->data) {
		explicit_bzero((void *)b->data, b->len);
		free((void *)b->data);
	}
	b->data = NULL;
	b->len = 0;
}

static const char *file_label(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/* Reads up to DC_PROTO_BLOB_MAX + 1 bytes of @fd into @buf; the count or -errno. */
static ssize_t read_capped(int fd, uint8_t *buf)
{
	size_t len = 0;
	ssize_t n;

	while (len <= DC_PROTO_BLOB_MAX) {
		n = read(fd, buf + len, DC_PROTO_BLOB_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	return len;
}

/* Reads FILE ("-": standard input) into @out; 0 or EXIT_FAILED with a message. */
static int read_input(const char *path, struct dc_buf *out)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : STDIN_FILENO;
	uint8_t *buf;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "credctl: %s: %s\n", path, strerror(errno));
		return EXIT_FAILED;
	}
	buf = malloc(DC_PROTO_BLOB_MAX + 1);
	n = buf ? read_capped(fd, buf) : -ENOMEM;
	if (fd != STDIN_FILENO)
		close(fd);
	if (n < 0 || n > (ssize_t)DC_PROTO_BLOB_MAX || n == 0) {
		if (n < 0)
			fprintf(stderr, "credctl: %s: %s\n", file_label(path), strerror(-n));
		else if (n)
			fprintf(stderr, "credctl: %s: larger than %u bytes\n", file_label(path),
				DC_PROTO_BLOB_MAX);
		else
			fprintf(stderr, "credctl: %s: empty\n", file_label(path));
		if (buf)
			explicit_bzero(buf, DC_PROTO_BLOB_MAX + 1);
		free(buf);
		return EXIT_FAILED;
	}
	out->data = buf;
	out->len = n;
	return 0;
}

/* The passphrase file loses one trailing newline, "\n" or "\r\n". */
static int read_passphrase(const char *path, struct dc_buf *out)
{
	int ret = read_input(path, out);

	if (ret)
		return ret;
	if (out->len && out->data[out->len - 1] == '\n') {
		out->len--;
		if (out->len && out->data[out->len - 1] == '\r')
			out->len--;
	}
	if (!out->len) {
		fprintf(stderr, "credctl: %s: the passphrase is empty\n", file_label(path));
		return EXIT_FAILED;	/* the caller frees @out */
	}
	return 0;
}

/* "cert.pem, key.pem" for the daemon's log: printable, cut to the limit. */
static void set_source(const struct args *a, struct dc_request *req)
{
	static const enum opt inputs[] = { OPT_BUNDLE, OPT_CERT, OPT_KEY, OPT_PASS };
	char *s = req->source;
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(inputs); i++)
		if (a->file[inputs[i]] && n < DC_PROTO_STR_MAX)
			n += snprintf(s + n, DC_PROTO_STR_MAX + 1 - n, "%s%s", n ? ", " : "",
				      strcmp(a->file[inputs[i]], "-") ? a->file[inputs[i]] : "stdin");
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}

static int read_inputs(const struct args *a, struct dc_request *req)
{
	int stdin_uses = 0, o;

	for (o = OPT_BUNDLE; o <= OPT_PASS; o++)
		stdin_uses += a->file[o] && !strcmp(a->file[o], "-");
	if (stdin_uses > 1)
		return usage_error(a->verb, "only one input may be - (standard input)");
	if ((a->file[OPT_BUNDLE] && read_input(a->file[OPT_BUNDLE], &req->cert)) ||
	    (a->file[OPT_CERT] && read_input(a->file[OPT_CERT], &req->cert)) ||
	    (a->file[OPT_KEY] && read_input(a->file[OPT_KEY], &req->key)) ||
	    (a->file[OPT_PASS] && read_passphrase(a->file[OPT_PASS], &req->passphrase)))
		return EXIT_FAILED;
	set_source(a, req);
	return 0;
}

/* The verbs' handlers: the checks a table cannot express. */

static int check_slot(const struct args *a, const char *name)
{
	if (name_index(slot_names, ARRAY_SIZE(slot_names), name) < 0)
		return usage_error(a->verb, "unknown slot '%s'; slots are " SLOT_LIST, name);
	return 0;
}

static void set_flags(const struct args *a, struct dc_request *req)
{
	req->flags |= a->seen & O(OPT_JSON) ? DC_REQ_JSON : 0;
	req->flags |= a->seen & O(OPT_FORCE) ? DC_REQ_FORCE : 0;
	req->flags |= a->seen & O(OPT_CHAIN) ? DC_REQ_CHAIN : 0;
	req->flags |= a->seen & O(OPT_BUNDLE) ? DC_REQ_BUNDLE : 0;
}

static int prepare_plain(const struct args *a, struct dc_request *req)
{
	set_flags(a, req);
	return 0;
}

static int prepare_slot(const struct args *a, struct dc_request *req)
{
	int ret = check_slot(a, a->argv[0]);

	if (ret)
		return ret;
	snprintf(req->arg1, sizeof(req->arg1), "%s", a->argv[0]);
	return prepare_plain(a, req);
}

static int prepare_install(const struct args *a, struct dc_request *req)
{
	int bundle = !!a->file[OPT_BUNDLE], cert = !!a->file[OPT_CERT];
	int ret = prepare_slot(a, req);

	if (ret)
		return ret;
	if (bundle == cert)
		return usage_error(a->verb, "give either --bundle FILE or --cert FILE%s",
				   bundle ? ", not both" : "");
	if (bundle && a->file[OPT_KEY])
		return usage_error(a->verb, "--key goes with --cert; a --bundle holds the key");
	return read_inputs(a, req);
}

static int prepare_bind(const struct args *a, struct dc_request *req)
{
	int ret;

	if (name_index(op_names, ARRAY_SIZE(op_names), a->argv[0]) < 0)
		return usage_error(a->verb, "unknown operation '%s'; operations are " OP_LIST,
				   a->argv[0]);
	ret = check_slot(a, a->argv[1]);
	if (ret)
		return ret;
	snprintf(req->arg1, sizeof(req->arg1), "%s", a->argv[0]);
	snprintf(req->arg2, sizeof(req->arg2), "%s", a->argv[1]);
	return prepare_plain(a, req);
}

static int prepare_factory(const struct args *a, struct dc_request *req)
{
	if (!a->file[OPT_CERT] || !a->file[OPT_KEY])
		return usage_error(a->verb, "needs --cert FILE and --key FILE");
	set_flags(a, req);
	return read_inputs(a, req);
}

/* Talking to devcredd. */

/* Connects without waiting: a missing or busy daemon fails at once. */
static int connect_daemon(void)
{
	const char *path = getenv("DEVCRED_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (!path || !path[0])
		path = DEFAULT_SOCKET;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "credctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))
		return fd;
	err = errno;
	if (err == EAGAIN)
		fprintf(stderr, "credctl: devcredd is busy (cannot connect to %s: %s)\n", path,
			strerror(err));
	else
		fprintf(stderr, "credctl: devcredd is not running (cannot connect to %s: %s)\n",
			path, strerror(err));
	if (fd >= 0)
		close(fd);
	return -1;
}

static const char *read_error(int err)
{
	switch (err) {
	case ETIMEDOUT:
		return "no answer within " STR(ANSWER_TIMEOUT_S) " seconds";
	case ECONNRESET:
		return "it closed the connection before answering in full";
	case EBADMSG:
		return "not a devcredd response, or too long";
	default:
		return strerror(err);
	}
}

/* Prints the answer on @fd; returns credctl's exit status. */
static int take_answer(int fd, int send_err)
{
	struct dc_response resp;
	const char *why;
	uint8_t *msg;
	size_t len;
	int ret;

	msg = dc_read_message(fd, DC_PROTO_RESPONSE, &len, ANSWER_TIMEOUT_S * 1000);
	if (!msg && send_err) {
		fprintf(stderr, "credctl: cannot send the request to devcredd: %s\n",
			strerror(send_err));
		return EXIT_FAILED;
	}
	if (!msg || dc_response_parse(msg, len, &resp, &why)) {
		fprintf(stderr, "credctl: bad answer from devcredd: %s\n",
			msg ? why : read_error(errno));
		free(msg);
		return EXIT_FAILED;
	}
	if (resp.out.len)
		fwrite(resp.out.data, 1, resp.out.len, stdout);
	fflush(stdout);
	if (resp.err.len)
		fwrite(resp.err.data, 1, resp.err.len, stderr);
	ret = resp.status <= EXIT_USAGE ? (int)resp.status : EXIT_FAILED;
	free(msg);
	return ret;
}

/* Sends @req to devcredd and prints its answer; returns the exit status. */
static int ask(const struct dc_request *req)
{
	uint8_t *msg;
	size_t len;
	int fd, ret;

	msg = dc_request_encode(req, &len);
	if (!msg) {
		fprintf(stderr, "credctl: cannot build the request: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	fd = connect_daemon();
	ret = fd < 0 ? 0 : dc_write_all(fd, msg, len);
	explicit_bzero(msg, len);
	free(msg);
	if (fd < 0)
		return EXIT_FAILED;
	/* A daemon that stopped reading may still have said why. */
	ret = take_answer(fd, -ret);
	close(fd);
	return ret;
}

static int run(const struct args *a)
{
	struct dc_request req;
	int ret;

	memset(&req, 0, sizeof(req));
	snprintf(req.verb, sizeof(req.verb), "%s", a->verb->name);
	ret = a->verb->prepare(a, &req);
	if (!ret)
		ret = ask(&req);
	buf_free(&req.cert);	/* a bundle holds a key */
	buf_free(&req.key);
	buf_free(&req.passphrase);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = parse_argv(&a, argc, argv);
	if (ret < 0)
		ret = run(&a);
	if (fflush(stdout) || ferror(stdout)) {
		if (!ret)
			fprintf(stderr, "credctl: standard output: %s\n", strerror(errno));
		ret = ret ? ret : EXIT_FAILED;
	}
	return ret;
}
