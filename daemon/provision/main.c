// SPDX-License-Identifier: GPL-2.0
/*
 * devcred-provision: rounds of provisioning (provision.h) at start, every
 * interval after a success, and after a failure again and again with
 * exponential backoff, the store served as it is meanwhile. SIGUSR1 makes a
 * round happen at once ("credctl provision now"); SIGHUP likewise, after
 * provisioning.conf changed. One thread: a round never overlaps another.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/paths.h"
#include "provision.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: devcred-provision [OPTIONS]\n\n"
		"  -c, --confdir DIR    DIR/provisioning.conf names the server\n"
		"                       (default $DEVCRED_CONFDIR or " DC_CONFDIR ")\n"
		"  -r, --run-dir DIR    the state goes to DIR/" DC_PROVSTATE_FILE "\n"
		"                       (default $DEVCRED_RUN_DIR or " DC_RUN_DIR ")\n"
		"  -s, --socket PATH    devcredd's socket (default $DEVCRED_SOCKET or\n"
		"                       " DC_SOCKET_PATH ")\n"
		"  -v, --verbose LEVEL  0 errors .. 3 debug (default 2)\n"
		"      --syslog         log to syslog instead of standard error\n"
		"  -h, --help           this help\n"
		"      --version        the version\n");
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

static int parse_argv(struct pv_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "confdir", required_argument, NULL, 'c' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "verbose", required_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *run_dir = env_or("DEVCRED_RUN_DIR", DC_RUN_DIR);
	int c, level = DC_LOG_INFO, use_syslog = 0;
	char *end;

	o->confdir = env_or("DEVCRED_CONFDIR", DC_CONFDIR);
	while ((c = getopt_long(argc, argv, "c:r:s:v:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o->confdir = optarg; break;
		case 'r': run_dir = optarg; break;
		/* common/connect.c's dc_socket_path() reads it. */
		case 's': setenv("DEVCRED_SOCKET", optarg, 1); break;
		case 'S': use_syslog = 1; break;
		case 'v':
			level = strtol(optarg, &end, 10);
			if (*end || level < 0 || level > 3) {
				fprintf(stderr, "devcred-provision: --verbose takes 0 to 3, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("devcred-provision (devcred) %s\n", DEVCRED_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if ((size_t)snprintf(o->state_path, sizeof(o->state_path), "%s/%s", run_dir,
			     DC_PROVSTATE_FILE) >= sizeof(o->state_path)) {
		fprintf(stderr, "devcred-provision: --run-dir: the path is too long\n");
		return -1;
	}
	dc_log_setup(level, use_syslog);
	return 0;
}

/* Seconds to wait after @failures failed rounds in a row (1 or more). */
static long pv_backoff(unsigned int failures)
{
	long s = PV_BACKOFF_FIRST_S;

	while (--failures && s < PV_BACKOFF_MAX_S)
		s *= 2;
	return s < PV_BACKOFF_MAX_S ? s : PV_BACKOFF_MAX_S;
}

static void pv_save(const struct pv_opts *o, const struct dc_provstate *st)
{
	int ret = dc_provstate_write(o->state_path, st);

	if (ret)
		dc_log(DC_LOG_ERR, "cannot write the provisioning state %s: %s", o->state_path,
		       strerror(-ret));
}

/* Waits until @due (0: forever) or a signal; returns the signal, 0 when due. */
static int pv_wait(const sigset_t *set, time_t due)
{
	struct timespec t = { 0 };
	time_t now;
	int sig;

	for (;;) {
		now = time(NULL);
		if (due && now >= due)
			return 0;
		t.tv_sec = due ? due - now : 3600;
		sig = sigtimedwait(set, NULL, &t);
		if (sig > 0)
			return sig;
		if (errno != EAGAIN && errno != EINTR) {
			dc_log(DC_LOG_ERR, "waiting for signals: %s", strerror(errno));
			return SIGTERM;
		}
	}
}

int main(int argc, char **argv)
{
	struct pv_opts o = { 0 };
	struct dc_provconf conf;
	struct dc_provstate st;
	sigset_t set;
	int sig = 0, ret;

	dc_log_set_name("devcred-provision");
	if (parse_argv(&o, argc, argv))
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL)) {
		dc_log(DC_LOG_ERR, "cannot block signals: %s", strerror(errno));
		return 1;
	}
	memset(&st, 0, sizeof(st));
	st.pid = getpid();
	pv_save(&o, &st);
	dc_log(DC_LOG_INFO, "started; the state is in %s", o.state_path);
	while (sig != SIGTERM && sig != SIGINT) {
		st.next = 0;
		ret = pv_round(&o, &conf, &st);
		if (ret == -ENOENT) {
			/* No server: nothing to try again until asked (SIGUSR1, SIGHUP). */
			st.failures = 0;
		} else if (ret) {
			st.failures++;
			st.next = time(NULL) + pv_backoff(st.failures);
			dc_log(DC_LOG_INFO, "provisioning: trying again in %ld s (failure %u in a row)",
			       pv_backoff(st.failures), st.failures);
		} else {
			st.failures = 0;
			st.next = conf.interval_s ? time(NULL) + conf.interval_s : 0;
		}
		st.round++;
		pv_save(&o, &st);
		sig = pv_wait(&set, st.next);
	}
	dc_log(DC_LOG_INFO, "stopping");
	return 0;
}
