// SPDX-License-Identifier: GPL-2.0
/*
 * credctl provision status|now: what devcred-provision did last and will do
 * next, from its state file (common/provstate.h, world-readable, no
 * secrets); "now" signals the service (SIGUSR1) and waits for the round
 * that began after the request, so that the service alone ever runs a
 * round and two never overlap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/output.h"
#include "common/provstate.h"
#include "credctl.h"

/* How long "now" waits by default: a round's fetches, one URI_TIMEOUT_S each at worst. */
#define CTL_PROVISION_WAIT_S	120

/* 1 when @pid is devcred-provision (its name, as the kernel keeps it: 15 bytes). */
static int is_service(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (pid <= 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strncmp(comm, "devcred-provisi", 15);
}

static const char *when(long long t, char *buf, size_t size)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm))
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

static void print_text(const struct dc_provstate *st, int running)
{
	char a[64], n[64];

	printf("Server:         %s\n", st->server[0] ? st->server : "-");
	printf("Service:        %s", running ? "running" : "not running");
	if (running)
		printf(" (pid %ld)", st->pid);
	printf("\nLast attempt:   %s", when(st->attempt, a, sizeof(a)));
	if (!strcmp(st->result, "ok"))
		printf(": ok\n");
	else if (st->result[0])
		printf(": %s: %s%s%s\n", st->result, st->file, st->file[0] ? ": " : "", st->reason);
	else
		printf("\n");
	printf("Credential:     %s%s%s%s\n", st->slot[0] ? st->slot : "-",
	       st->subject[0] ? " (" : "", st->subject, st->subject[0] ? ")" : "");
	printf("Master file:    %s\n", st->master[0] ? st->master : "-");
	printf("Files applied:  %s\n", st->files[0] ? st->files : "-");
	printf("Next attempt:   %s", st->next ? when(st->next, n, sizeof(n)) :
	       st->result[0] ? "none (interval 0: at boot only)" : "-");
	if (st->failures)
		printf(" (%u failed in a row)", st->failures);
	printf("\n");
}

static void json_field(struct dc_out *o, const char *key, const char *value, int first)
{
	dc_out_printf(o, "%s\"%s\": ", first ? "" : ", ", key);
	dc_out_json_str(o, value && *value ? value : NULL);
}

/* A Unix time, null for none. */
static void json_time(struct dc_out *o, const char *key, long long t)
{
	if (t)
		dc_out_printf(o, ", \"%s\": %lld", key, t);
	else
		dc_out_printf(o, ", \"%s\": null", key);
}

static int print_json(const struct dc_provstate *st, int running)
{
	struct dc_out o = { 0 };
	const char *p, *comma;
	int first = 1;

	dc_out_printf(&o, "{");
	json_field(&o, "server", st->server, 1);
	dc_out_printf(&o, ", \"running\": %s, \"pid\": %ld", running ? "true" : "false",
		      running ? st->pid : 0L);
	json_time(&o, "last_attempt", st->attempt);
	json_field(&o, "result", st->result, 0);
	json_field(&o, "file", st->file, 0);
	json_field(&o, "reason", st->reason, 0);
	dc_out_printf(&o, ", \"credential\": {");
	json_field(&o, "slot", st->slot, 1);
	json_field(&o, "subject", st->subject, 0);
	dc_out_printf(&o, "}");
	json_field(&o, "master", st->master, 0);
	dc_out_printf(&o, ", \"files\": [");
	for (p = st->files; *p; p = *comma ? comma + 1 : comma) {
		char name[sizeof(st->files)];

		comma = strchrnul(p, ',');
		snprintf(name, sizeof(name), "%.*s", (int)(comma - p), p);
		dc_out_printf(&o, "%s", first ? "" : ", ");
		dc_out_json_str(&o, name);
		first = 0;
	}
	dc_out_printf(&o, "]");
	json_time(&o, "next_attempt", st->next);
	dc_out_printf(&o, ", \"failures\": %u}\n", st->failures);
	if (!o.failed)
		fwrite(o.buf, 1, o.len, stdout);
	dc_out_free(&o);
	return o.failed ? DC_EXIT_FAILED : DC_EXIT_DONE;
}

static int read_state(const char *path, struct dc_provstate *st)
{
	int ret = dc_provstate_read(path, st);

	if (ret == -ENOENT)
		fprintf(stderr, "credctl: provision: no %s: devcred-provision has not run (it starts at boot when /etc/devcred/provisioning.conf exists)\n",
			path);
	else if (ret)
		fprintf(stderr, "credctl: provision: cannot read %s: %s\n", path, strerror(-ret));
	return ret ? DC_EXIT_FAILED : 0;
}

static int provision_now(const struct ctl_args *a, const char *path, struct dc_provstate *st)
{
	long wait_s = a->fetch.timeout_s ? a->fetch.timeout_s : CTL_PROVISION_WAIT_S;
	unsigned long before = st->round;
	time_t asked = time(NULL), until = asked + wait_s;

	if (!is_service(st->pid)) {
		fprintf(stderr, "credctl: provision now: devcred-provision is not running (pid %ld in %s)\n",
			st->pid, path);
		return DC_EXIT_FAILED;
	}
	if (kill(st->pid, SIGUSR1)) {
		fprintf(stderr, "credctl: provision now: cannot signal devcred-provision (pid %ld): %s%s\n",
			st->pid, strerror(errno), errno == EPERM ? "; run it as root" : "");
		return DC_EXIT_FAILED;
	}
	/* A round already under way when asked does not count: its files may be older. */
	while (time(NULL) < until) {
		usleep(100 * 1000);
		if (read_state(path, st))
			return DC_EXIT_FAILED;
		if (st->round > before && st->attempt >= asked)
			return 0;
	}
	fprintf(stderr, "credctl: provision now: no round finished within %ld s (--timeout)\n",
		wait_s);
	return DC_EXIT_FAILED;
}

int ctl_run_provision(const struct ctl_args *a)
{
	const char *what = a->argv[0];
	struct dc_provstate st;
	char path[4096];
	int ret, running;

	if (strcmp(what, "status") && strcmp(what, "now"))
		return ctl_usage_error(a->verb, "'%s': give status or now", what);
	if (!strcmp(what, "status") && (a->seen & O(OPT_TIMEOUT)))
		return ctl_usage_error(a->verb, "--timeout is for 'now'");
	dc_provstate_path(path, sizeof(path));
	ret = read_state(path, &st);
	if (!ret && !strcmp(what, "now"))
		ret = provision_now(a, path, &st);
	if (ret)
		return ret;
	running = is_service(st.pid);
	if (a->seen & O(OPT_JSON))
		ret = print_json(&st, running);
	else
		print_text(&st, running);
	return ret ? ret : strcmp(what, "now") || !strcmp(st.result, "ok") ? DC_EXIT_DONE : DC_EXIT_FAILED;
}
