// SPDX-License-Identifier: GPL-2.0
/*
 * devcred-web: the device's Web Configuration Utility. HTTPS with the
 * credential bound to the browser operation (tls.h), pages and a JSON API
 * (app.c, api.c) over devcredd's socket, as credctl uses it.
 *
 * Started as root (by init or systemd), it binds its port and becomes its
 * own unprivileged user (--user) before it reads anything a client can
 * reach: from then on it holds no capability, talks to devcredd as a
 * member of devcredd's admin group and reads the published credential as
 * a member of devcredd's key group. It never opens /dev/devcred. Started
 * as that user already (a unit with AmbientCapabilities=CAP_NET_BIND_SERVICE),
 * it needs no --user. It refuses to serve as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "common/log.h"
#include "common/names.h"
#include "common/paths.h"
#include "auth.h"
#include "server.h"
#include "tls.h"
#include "web.h"

#define WEB_DEFAULT_PORT	443
#define WEB_DEFAULT_OP		"browser"

struct web_opts {
	const char *listen;
	long port;
	const char *op;
	const char *run_dir;
	const char *confdir;
	const char *user;
	long timeout_s;
	long max_conns;
	int key_from;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: devcred-web [OPTIONS]\n\n"
		"The Web Configuration Utility: HTTPS with the credential bound to an\n"
		"operation, pages and a JSON API over devcredd.\n\n"
		"  -l, --listen ADDR      address to listen on (default 0.0.0.0; :: for IPv6)\n"
		"  -p, --port PORT        port (default 443)\n"
		"  -o, --operation OP     whose credential to serve (default browser)\n"
		"  -u, --user NAME        started as root: become NAME, with its groups,\n"
		"                         once the port is bound\n"
		"  -s, --socket PATH      devcredd's socket (default $DEVCRED_SOCKET or\n"
		"                         " DC_SOCKET_PATH ")\n"
		"  -r, --run-dir DIR      the published credentials (default\n"
		"                         $DEVCRED_RUN_DIR or " DC_RUN_DIR ")\n"
		"  -c, --confdir DIR      web-password, provisioning-ca.pem (default\n"
		"                         $DEVCRED_CONFDIR or " DC_CONFDIR ")\n"
		"  -t, --timeout SECONDS  a connection's time to send a whole request,\n"
		"                         and to stay idle between two (default %d)\n"
		"  -m, --max-connections N  connections at once; beyond, clients wait\n"
		"                         (default %d)\n"
		"  -k, --key-source FROM  where the TLS key comes from: provider (the\n"
		"                         devcred provider, devcred:op=OP: the key stays\n"
		"                         in devcredd), files (DIR/OP/key.pem), auto (the\n"
		"                         provider when it loads, else files; default)\n"
		"  -v, --verbose LEVEL    0 errors .. 3 every request (default 2)\n"
		"      --syslog           log to syslog instead of standard error\n",
		WEB_TIMEOUT_S, WEB_CONNS_MAX);
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && v[0] ? v : dflt;
}

/* @arg as a number from @min to @max into *@out; 0, or -1 with the reason printed. */
static int parse_num(const char *opt, const char *arg, long min, long max, long *out)
{
	char *end;

	*out = strtol(arg, &end, 10);
	if (*end || end == arg || *out < min || *out > max) {
		fprintf(stderr, "devcred-web: --%s takes %ld to %ld, not '%s'\n", opt, min, max, arg);
		return -1;
	}
	return 0;
}

static int parse_argv(struct web_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "operation", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'u' },
		{ "socket", required_argument, NULL, 's' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "confdir", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "key-source", required_argument, NULL, 'k' },
		{ "max-connections", required_argument, NULL, 'm' },
		{ "verbose", required_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	long level = DC_LOG_INFO;
	int c, use_syslog = 0;

	while ((c = getopt_long(argc, argv, "l:p:o:u:s:r:c:t:k:m:v:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 'o': o->op = optarg; break;
		case 'u': o->user = optarg; break;
		case 's': setenv("DEVCRED_SOCKET", optarg, 1); break;
		case 'r': o->run_dir = optarg; break;
		case 'c': o->confdir = optarg; break;
		case 'S': use_syslog = 1; break;
		case 'k':
			if (!strcmp(optarg, "provider")) {
				o->key_from = WEB_KEY_PROVIDER;
			} else if (!strcmp(optarg, "files")) {
				o->key_from = WEB_KEY_FILES;
			} else if (!strcmp(optarg, "auto")) {
				o->key_from = WEB_KEY_AUTO;
			} else {
				fprintf(stderr, "devcred-web: --key-source is provider, files or auto, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'p':
			if (parse_num("port", optarg, 1, 65535, &o->port))
				return -1;
			break;
		case 't':
			if (parse_num("timeout", optarg, 1, 3600, &o->timeout_s))
				return -1;
			break;
		case 'm':
			if (parse_num("max-connections", optarg, 1, 1000, &o->max_conns))
				return -1;
			break;
		case 'v':
			if (parse_num("verbose", optarg, 0, 3, &level))
				return -1;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if (dc_op_by_name(o->op) < 0) {
		fprintf(stderr, "devcred-web: unknown operation '%s'; operations are %s\n", o->op,
			dc_op_list());
		return -1;
	}
	/* fetch.c finds provisioning-ca.pem through the environment, as credctl does. */
	setenv("DEVCRED_CONFDIR", o->confdir, 1);
	dc_log_setup(level, use_syslog);
	return 0;
}

/* The listening socket; or -1 with the reason logged. */
static int listen_on(const char *addr, long port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, one = 1;

	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		len = sizeof(*in6);
	} else {
		dc_log(DC_LOG_ERR, "--listen %s: not an IPv4 or IPv6 address", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 64)) {
		dc_log(DC_LOG_ERR, "cannot listen on %s port %ld: %s", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Becomes @name with its groups, for good; 0 or -1 with the reason logged. */
static int become(const char *name)
{
	const struct passwd *pw = getpwnam(name);

	if (!pw) {
		dc_log(DC_LOG_ERR, "--user %s: no such user", name);
		return -1;
	}
	if (initgroups(name, pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		dc_log(DC_LOG_ERR, "--user %s: cannot become it: %s", name, strerror(errno));
		return -1;
	}
	if (!setuid(0)) {
		dc_log(DC_LOG_ERR, "--user %s: root could be regained", name);
		return -1;
	}
	return 0;
}

/* No core, not dumpable (keys and passwords pass through memory), no new privileges. */
static int harden(void)
{
	const struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		dc_log(DC_LOG_ERR, "cannot harden the process: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct web_opts o = {
		.listen = "0.0.0.0", .port = WEB_DEFAULT_PORT, .op = WEB_DEFAULT_OP,
		.run_dir = env_or("DEVCRED_RUN_DIR", DC_RUN_DIR),
		.confdir = env_or("DEVCRED_CONFDIR", DC_CONFDIR),
		.timeout_s = WEB_TIMEOUT_S,
		.max_conns = WEB_CONNS_MAX,
	};
	struct web_server_opts so = { 0 };
	struct web_cred_source *src;
	enum web_pw_state st;
	int ret;

	dc_log_set_name("devcred-web");
	if (parse_argv(&o, argc, argv))
		return 2;
	so.timeout_s = o.timeout_s;
	so.max_conns = o.max_conns;
	so.listen_fd = listen_on(o.listen, o.port);
	if (so.listen_fd < 0 || (o.user && become(o.user)))
		return 1;
	if (!geteuid()) {
		dc_log(DC_LOG_ERR, "refusing to serve as root: give --user NAME (see devcred-web(8))");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	o.key_from = web_key_from_settle(o.key_from);
	if (o.key_from < 0)
		return 1;
	src = web_cred_source_new(o.run_dir, o.op, o.key_from);
	if (harden() || !src || web_auth_init(o.confdir))
		return 1;
	so.tls = web_tls_ctx(src);
	if (!so.tls)
		return 1;
	st = web_auth_state(NULL, 0);
	dc_log(DC_LOG_INFO, "serving https on %s port %ld as uid %u with the credential bound to %s, key from %s%s",
	       o.listen, o.port, (unsigned int)geteuid(), o.op, web_key_from_name(o.key_from),
	       st == WEB_PW_SET ? "" : "; no administrator password yet: set one with credctl web-password");
	ret = web_serve(&so);
	SSL_CTX_free(so.tls);
	web_cred_source_free(src);
	web_key_from_release();
	close(so.listen_fd);
	return ret ? 1 : 0;
}
