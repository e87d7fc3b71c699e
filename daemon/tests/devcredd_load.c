// SPDX-License-Identifier: GPL-2.0
/*
 * devcredd_load: unprivileged clients that try to freeze devcredd while
 * root's commands must go on being answered.
 *
 *	devcredd_load [-u UID] [-g GID] [-i IDLE] [-s SLOW] [-p PIECE_MS]
 *		      [-t SECONDS] [-l LIMIT_MS] -- COMMAND...
 *
 * A child process, with UID and GID (default 65534) and no supplementary
 * group, keeps IDLE connections to devcredd open that send nothing (each
 * one that devcredd closes is opened again), and SLOW clients that send a
 * status, list or bindings request in 12 pieces PIECE_MS apart (default
 * 200), then read the answer 64 bytes every 100 ms, check it and start
 * over. Meanwhile this process (root) runs the shell COMMANDs in turn for
 * SECONDS (default 20), each of which must exit 0 within LIMIT_MS (default
 * 1000; the time is the command's whole run, credctl's start included).
 *
 * Prints what happened and exits 0 when every command succeeded in time,
 * no slow client was cut off, every slow request got its answer, and some
 * did;
 * 1 otherwise, 2 for a usage error. The socket is $DEVCRED_SOCKET, else
 * the default.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/paths.h"
#include "common/proto.h"

#define PIECES		12
#define READ_PIECE	64
#define READ_EVERY_MS	100
#define ANSWER_MAX	(64 * 1024)

enum state { CONNECTING, SENDING, READING, CLOSED };

/**
 * struct client - one unprivileged connection
 * @fd: its socket, -1 when closed
 * @slow: a slow client (else idle)
 * @state: where it is
 * @msg: the request, @len bytes, @sent of them sent
 * @answer: what came back, @got bytes
 * @next_ms: when it may send or read next
 */
struct client {
	int fd;
	int slow;
	enum state state;
	uint8_t *msg;
	size_t len;
	size_t sent;
	uint8_t answer[ANSWER_MAX];
	size_t got;
	long long next_ms;
};

/* What the unprivileged side counts, sent to the parent at the end. */
struct load_stats {
	unsigned long idle_opened;
	unsigned long idle_closed;
	unsigned long connect_refused;
	unsigned long slow_sent;
	unsigned long slow_answered;
	unsigned long slow_lost;
	unsigned long slow_cut;
	char first_loss[160];
};

static volatile sig_atomic_t stop;
static const char *sock_path;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->msg);
	c->msg = NULL;
	c->state = CLOSED;
}

static void lost(struct load_stats *s, const char *fmt, const char *why)
{
	s->slow_lost++;
	if (!s->first_loss[0])
		snprintf(s->first_loss, sizeof(s->first_loss), fmt, why);
}

/* (Re)opens @c: idle clients only connect, slow ones prepare a request. */
static void client_open(struct client *c, struct load_stats *s, unsigned long seq)
{
	static const char *const verbs[] = { "status", "list", "bindings" };
	struct dc_request req = { .flags = 0 };

	c->fd = connect_daemon();
	if (c->fd < 0) {
		s->connect_refused++;
		c->state = CLOSED;
		c->next_ms = now_ms() + 100;
		return;
	}
	c->got = 0;
	c->sent = 0;
	if (!c->slow) {
		s->idle_opened++;
		c->state = READING;	/* waits for the daemon to close it */
		return;
	}
	snprintf(req.verb, sizeof(req.verb), "%s", verbs[seq % 3]);
	if (dc_request_encode(&req, &c->msg, &c->len)) {
		client_close(c);
		return;
	}
	c->state = SENDING;
	c->next_ms = now_ms();
}

static void client_send(struct client *c, struct load_stats *s)
{
	size_t piece = (c->len + PIECES - 1) / PIECES, n = c->len - c->sent;
	ssize_t w;

	w = send(c->fd, c->msg + c->sent, n < piece ? n : piece, MSG_NOSIGNAL);
	if (w < 0 && errno == EAGAIN)
		return;
	if (w <= 0) {
		s->slow_cut++;	/* closed before the request was whole */
		client_close(c);
		return;
	}
	c->sent += w;
	if (c->sent == c->len) {
		s->slow_sent++;
		c->state = READING;
		c->next_ms = now_ms();
	}
}

/* The answer is whole: a response with status 0 and some text. */
static void client_check(struct client *c, struct load_stats *s)
{
	struct dc_response resp;
	const char *why;

	if (dc_response_parse(c->answer, c->got, &resp, &why))
		lost(s, "a bad answer: %s", why);
	else if (resp.status || !resp.out.len)
		lost(s, "an answer with status %s or no text", resp.status ? "not 0" : "0");
	else
		s->slow_answered++;
	client_close(c);
}

static void client_read(struct client *c, struct load_stats *s, int piece)
{
	size_t want = piece ? READ_PIECE : sizeof(c->answer) - c->got;
	ssize_t r;

	if (c->got == sizeof(c->answer)) {
		lost(s, "%s", "an answer over 64 KiB");
		client_close(c);
		return;
	}
	if (want > sizeof(c->answer) - c->got)
		want = sizeof(c->answer) - c->got;
	r = recv(c->fd, c->answer + c->got, want, 0);
	if (r < 0 && errno == EAGAIN)
		return;
	if (r > 0) {
		c->got += r;
		c->next_ms = now_ms() + READ_EVERY_MS;
		return;
	}
	if (!c->slow) {
		s->idle_closed++;
		client_close(c);
	} else if (c->got >= DC_PROTO_HDR_LEN) {
		client_check(c, s);
	} else {
		lost(s, "%s", r < 0 ? strerror(errno) : "closed without an answer");
		client_close(c);
	}
}

/* Whether @c has something to do at @now, and the events it waits for. */
static short client_events(const struct client *c, long long now)
{
	if (c->state == SENDING)
		return now >= c->next_ms ? POLLOUT : 0;
	if (c->state == READING)
		return !c->slow || now >= c->next_ms ? POLLIN : 0;
	return 0;
}

static void run_load(struct client *cl, int count, long long piece_ms, struct load_stats *s)
{
	struct pollfd *pfd = calloc(count, sizeof(*pfd));
	unsigned long seq = 0;
	long long now;
	int i;

	while (!stop && pfd) {
		now = now_ms();
		for (i = 0; i < count; i++) {
			if (cl[i].state == CLOSED && now >= cl[i].next_ms)
				client_open(&cl[i], s, seq++);
			pfd[i].fd = cl[i].fd;
			pfd[i].events = cl[i].fd >= 0 ? client_events(&cl[i], now) : 0;
			if (!pfd[i].events)
				pfd[i].fd = -1;
		}
		if (poll(pfd, count, 20) < 0 && errno != EINTR)
			break;
		for (i = 0; i < count; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (cl[i].state == SENDING) {
				client_send(&cl[i], s);
				cl[i].next_ms = now_ms() + piece_ms;
			} else {
				client_read(&cl[i], s, cl[i].slow);
			}
		}
	}
	free(pfd);
}

/* The unprivileged side: runs until SIGTERM, then writes its counts to @out. */
static void load_child(int out, int ready, uid_t uid, gid_t gid, int idle, int slow,
		       long long piece_ms)
{
	struct client *cl = calloc(idle + slow, sizeof(*cl));
	struct load_stats s = { 0 };
	int i;

	if (!cl || setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("devcredd_load: cannot become the unprivileged user");
		_exit(1);
	}
	for (i = 0; i < idle + slow; i++) {
		cl[i].fd = -1;
		cl[i].slow = i >= idle;
		cl[i].state = CLOSED;
		client_open(&cl[i], &s, i);
	}
	if (write(ready, "r", 1) != 1)
		_exit(1);
	close(ready);
	run_load(cl, idle + slow, piece_ms, &s);
	for (i = 0; i < idle + slow; i++)
		client_close(&cl[i]);
	free(cl);
	if (write(out, &s, sizeof(s)) != sizeof(s))
		_exit(1);
	_exit(0);
}

/* Runs @cmd with sh -c; its exit status, or -1. */
static int run_command(const char *cmd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: devcredd_load [-u UID] [-g GID] [-i IDLE] [-s SLOW] [-p PIECE_MS] [-t SECONDS] [-l LIMIT_MS] -- COMMAND...\n");
	return 2;
}

int main(int argc, char **argv)
{
	long uid = 65534, gid = 65534, idle = 200, slow = 200, piece_ms = 200, secs = 20,
	     limit_ms = 1000;
	unsigned long runs = 0, over = 0, failed = 0;
	long long t0, t, end, worst = 0;
	struct sigaction sa = { .sa_handler = on_term };
	struct load_stats s = { 0 };
	int c, i, out[2], ready[2], rc, status;
	char r;
	pid_t child;

	while ((c = getopt(argc, argv, "u:g:i:s:p:t:l:")) != -1) {
		long *v = c == 'u' ? &uid : c == 'g' ? &gid : c == 'i' ? &idle : c == 's' ? &slow :
			  c == 'p' ? &piece_ms : c == 't' ? &secs : c == 'l' ? &limit_ms : NULL;

		if (!v)
			return usage();
		*v = strtol(optarg, NULL, 10);
	}
	if (optind >= argc || idle < 0 || slow < 0 || idle + slow == 0)
		return usage();
	sock_path = getenv("DEVCRED_SOCKET") ? getenv("DEVCRED_SOCKET") : DC_SOCKET_PATH;
	signal(SIGPIPE, SIG_IGN);
	if (pipe(out) || pipe(ready))
		return 1;
	child = fork();
	if (child == 0) {
		sigaction(SIGTERM, &sa, NULL);
		close(out[0]);
		close(ready[0]);
		load_child(out[1], ready[1], uid, gid, idle, slow, piece_ms);
	}
	close(out[1]);
	close(ready[1]);
	if (child < 0 || read(ready[0], &r, 1) != 1) {
		fprintf(stderr, "devcredd_load: the unprivileged clients did not start\n");
		return 1;
	}
	end = now_ms() + secs * 1000;
	for (i = 0; now_ms() < end; i = (i + 1) % (argc - optind)) {
		t0 = now_ms();
		rc = run_command(argv[optind + i]);
		t = now_ms() - t0;
		runs++;
		worst = t > worst ? t : worst;
		if (rc) {
			failed++;
			printf("root: '%s' exited %d after %lld ms\n", argv[optind + i], rc, t);
		} else if (t > limit_ms) {
			over++;
			printf("root: '%s' took %lld ms\n", argv[optind + i], t);
		}
	}
	kill(child, SIGTERM);
	rc = read(out[0], &s, sizeof(s)) == sizeof(s);
	waitpid(child, &status, 0);
	printf("root: %lu commands, %lu failed, %lu over %ld ms, slowest %lld ms\n", runs, failed,
	       over, limit_ms, worst);
	printf("unprivileged: idle connections opened %lu, closed by devcredd %lu; connects refused %lu\n",
	       s.idle_opened, s.idle_closed, s.connect_refused);
	printf("unprivileged: slow requests sent %lu, answered %lu, lost %lu%s%s; cut before sent %lu\n",
	       s.slow_sent, s.slow_answered, s.slow_lost, s.first_loss[0] ? ", first: " : "",
	       s.first_loss, s.slow_cut);
	return rc && !failed && !over && !s.slow_lost && !s.slow_cut && s.slow_answered && runs ?
	       0 : 1;
}
