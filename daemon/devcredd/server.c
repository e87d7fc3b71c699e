// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: see server.h.
 *
 * Deadlines are kept in two lists, one per timeout: a client joins the
 * reading list when it connects and the writing list when its answer is
 * ready, each time at the end with now + that timeout, so both lists are
 * in deadline order and the next deadline is at one of their heads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "client.h"
#include "publish.h"
#include "server.h"
#include "verbs.h"
#include "worker.h"

TAILQ_HEAD(dd_clients, dd_client);

/* Warnings a client can cause: at most this many per window, then counted. */
#define DD_WARN_BURST		10
#define DD_WARN_WINDOW_S	10

/**
 * struct dd_server - the loop's state
 * @o: what it serves with
 * @ep: the epoll instance
 * @sig_fd: SIGTERM and SIGINT (stop), SIGHUP (read the key access file again)
 * @work_fd: readable when slow work is done
 * @spare_fd: held open, closed to refuse a connection when out of descriptors
 * @reading: clients sending their request, by deadline
 * @writing: clients taking their answer, by deadline
 * @closed: clients closed while the events of one wait are handled, freed
 *	after them (a later event of the same wait may name one)
 * @admin_queue: requests of callers who may change the store, in order
 * @user_queue: the others' requests, in order
 * @clients: open connections; @user_clients of callers who may not change the store
 * @working: clients a worker computes for (also once hung up)
 * @user_signs: signatures of callers who may not change the store that
 *	the workers have; @signing_uid: whose (-1: a free place)
 * @next_publish: when to look for changes made around devcredd
 * @warn_window: when the current warning window started (CLOCK_MONOTONIC s)
 * @warned: warnings logged in it; @unlogged: warnings not logged
 */
struct dd_server {
	const struct dd_server_opts *o;
	int ep;
	int sig_fd;
	int work_fd;
	int spare_fd;
	struct dd_clients reading;
	struct dd_clients writing;
	struct dd_clients closed;
	struct dd_clients admin_queue;
	struct dd_clients user_queue;
	unsigned int clients;
	unsigned int user_clients;
	unsigned int working;
	unsigned int user_signs;
	uid_t signing_uid[DD_USER_SIGNS_MAX];
	int64_t next_publish;
	time_t warn_window;
	unsigned int warned;
	unsigned long unlogged;
};

/* epoll data for the descriptors that are not clients. */
static char dd_listen_tag, dd_signal_tag, dd_work_tag;

static int64_t dd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether a warning a client caused may be logged: DD_WARN_BURST per
 * window, so that no client can flood the log. What was held back is
 * counted in one line when the next window opens.
 */
static int dd_may_warn(struct dd_server *s)
{
	time_t now = dd_now_ms() / 1000;

	if (now - s->warn_window >= DD_WARN_WINDOW_S) {
		if (s->unlogged)
			dc_log(DC_LOG_WARN, "%lu more warnings about clients were not logged in %d s",
			       s->unlogged, DD_WARN_WINDOW_S);
		s->warn_window = now;
		s->warned = 0;
		s->unlogged = 0;
	}
	if (s->warned < DD_WARN_BURST) {
		s->warned++;
		return 1;
	}
	s->unlogged++;
	return 0;
}

static int dd_watch(struct dd_server *s, int op, int fd, uint32_t events, void *data)
{
	struct epoll_event ev = { .events = events, .data.ptr = data };

	return epoll_ctl(s->ep, op, fd, &ev) ? -errno : 0;
}

/*
 * Watches @c for @events, or not at all with 0: a request that waits its
 * turn or for a worker is not watched (epoll would report a hang-up again
 * and again); it runs all the same, and the answer finds out.
 */
static void dd_watch_client(struct dd_server *s, struct dd_client *c, uint32_t events)
{
	if (!events && c->watched)
		epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
	else if (events)
		dd_watch(s, c->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, events, c);
	c->watched = !!events;
}

static void dd_close(struct dd_server *s, struct dd_client *c)
{
	if (c->state == DD_CLIENT_READING || c->state == DD_CLIENT_WRITING)
		TAILQ_REMOVE(c->state == DD_CLIENT_READING ? &s->reading : &s->writing, c, timer);
	dd_watch_client(s, c, 0);
	s->clients--;
	if (!c->peer.admin)
		s->user_clients--;
	c->state = DD_CLIENT_CLOSED;
	TAILQ_INSERT_TAIL(&s->closed, c, timer);
}

static void dd_free_closed(struct dd_server *s)
{
	struct dd_client *c;

	while ((c = TAILQ_FIRST(&s->closed))) {
		TAILQ_REMOVE(&s->closed, c, timer);
		dd_client_free(c);
	}
}

/* Sends what the client takes now; closes it once all is sent or it failed. */
static void dd_send(struct dd_server *s, struct dd_client *c)
{
	int ret = dd_client_write(c);

	if (ret)
		dd_close(s, c);
	else
		dd_watch_client(s, c, EPOLLOUT);
}

/* The answer is ready: the client has DD_ANSWER_TIMEOUT_MS to take it. */
static void dd_answer(struct dd_server *s, struct dd_client *c, uint32_t status,
		      struct dd_ctx *ctx)
{
	dd_client_answer(c, status, ctx);
	c->state = DD_CLIENT_WRITING;
	c->deadline = dd_now_ms() + DD_ANSWER_TIMEOUT_MS;
	TAILQ_INSERT_TAIL(&s->writing, c, timer);
	dd_send(s, c);
}

/* Answers a request that could not be read, and logs why. */
static void dd_refuse(struct dd_server *s, struct dd_client *c, const char *why)
{
	struct dd_ctx ctx = { .fd = -1 };

	if (dd_may_warn(s))
		dc_log(DC_LOG_WARN, "dropped a bad request from uid %u: %s", c->peer.uid, why);
	dc_out_printf(&ctx.err, "devcredd: bad request: %s\n", why);
	TAILQ_REMOVE(&s->reading, c, timer);
	dd_answer(s, c, DC_EXIT_FAILED, &ctx);
}

/* Refuses a connection over the caps with a short answer, at once. */
static void dd_turn_away(struct dd_server *s, int fd, const struct dd_peer *peer)
{
	struct dd_ctx ctx = { .fd = -1 };
	struct dd_client *c = dd_client_new(fd, peer, 0);

	if (dd_may_warn(s))
		dc_log(DC_LOG_WARN, "turned away uid %u: %u connections are open, %u of callers who may not change the store",
		       peer->uid, s->clients, s->user_clients);
	if (!c) {
		close(fd);
		return;
	}
	dc_out_printf(&ctx.err, "credctl: devcredd is busy: %u connections are open; try again\n",
		      s->clients);
	dd_client_answer(c, DC_EXIT_FAILED, &ctx);
	dd_client_write(c);	/* a short answer into an empty socket */
	dd_client_free(c);
}

static void dd_take(struct dd_server *s, int fd)
{
	struct dd_client *c;
	struct dd_peer peer;

	if (dd_peer_get(fd, &s->o->admins, &peer)) {
		close(fd);
		return;
	}
	if (s->clients >= DD_CLIENTS_MAX ||
	    (!peer.admin && s->user_clients >= DD_USER_CLIENTS_MAX)) {
		dd_turn_away(s, fd, &peer);
		return;
	}
	/* Only what changes the store carries files. */
	c = dd_client_new(fd, &peer, peer.admin ? DC_PROTO_MSG_MAX : DD_USER_REQUEST_MAX);
	if (!c) {
		close(fd);
		return;
	}
	dd_watch_client(s, c, EPOLLIN | EPOLLRDHUP);
	if (!c->watched) {
		dd_client_free(c);
		return;
	}
	s->clients++;
	if (!peer.admin)
		s->user_clients++;
	c->since = dd_now_ms();
	c->deadline = c->since + DD_REQUEST_TIMEOUT_MS;
	TAILQ_INSERT_TAIL(&s->reading, c, timer);
}

/* Takes every waiting connection. */
static void dd_accept(struct dd_server *s)
{
	int fd;

	for (;;) {
		fd = accept4(s->o->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			dd_take(s, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if ((errno == EMFILE || errno == ENFILE) && s->spare_fd >= 0) {
			/* Out of descriptors: take the connection with the spare, refuse it. */
			close(s->spare_fd);
			fd = accept4(s->o->listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				close(fd);
			s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (dd_may_warn(s))
				dc_log(DC_LOG_WARN, "turned away a connection: %s", strerror(EMFILE));
			continue;
		}
		return;
	}
}

static void dd_readable(struct dd_server *s, struct dd_client *c)
{
	const char *why;
	int ret = dd_client_read(c, &why);

	if (!ret)
		return;
	if (ret == -ECONNRESET && !c->reader.got) {
		dd_close(s, c);	/* connected and went away */
		return;
	}
	if (ret < 0) {
		dd_refuse(s, c, why);
		return;
	}
	/* Whole: it waits its turn, root's (and the admin group's) first. */
	TAILQ_REMOVE(&s->reading, c, timer);
	dd_watch_client(s, c, 0);
	c->state = DD_CLIENT_QUEUED;
	TAILQ_INSERT_TAIL(c->peer.admin ? &s->admin_queue : &s->user_queue, c, queue);
}

/* What is logged and published once a request has its status. */
static void dd_done(struct dd_server *s, struct dd_client *c, int status, struct dd_ctx *ctx)
{
	const struct dc_request *req = &c->req;

	if (status && ctx->err.len && (c->peer.admin || dd_may_warn(s)))
		dc_log(DC_LOG_WARN, "uid %u: %s %s refused: %.*s", c->peer.uid, req->verb,
		       req->arg1, (int)ctx->err.len - 1, ctx->err.buf);
	/* A certificate given without its key: the provider's refusal of the key. */
	else if (!status && ctx->err.len && !strcmp(req->verb, "credential") &&
		 (c->peer.admin || dd_may_warn(s)))
		dc_log(DC_LOG_INFO, "uid %u: %s %s: the certificate only: %.*s", c->peer.uid,
		       req->verb, req->arg1, (int)ctx->err.len - 1, ctx->err.buf);
	/* When credctl returns, the published files show the change. */
	if (c->peer.admin && s->o->base->pub)
		dd_publish(s->o->base->pub, s->o->base->fd);
	dc_log(DC_LOG_DEBUG, "uid %u: %s answered with status %d, %lld ms after connecting",
	       c->peer.uid, req->verb, status, (long long)(dd_now_ms() - c->since));
	dd_answer(s, c, status, ctx);
}

/* Whether @c's request is a signature of a caller who may not change the store. */
static int dd_user_sign(const struct dd_client *c)
{
	return !c->peer.admin && !strcmp(c->req.verb, "sign");
}

/* The place of @uid among the users whose signatures the workers have, or -1. */
static int dd_signing_slot(const struct dd_server *s, uid_t uid)
{
	unsigned int i;

	for (i = 0; i < DD_USER_SIGNS_MAX; i++)
		if (i < s->user_signs && s->signing_uid[i] == uid)
			return i;
	return -1;
}

/* Whether @c's request may run now: a user's signature waits for room. */
static int dd_may_run(const struct dd_server *s, const struct dd_client *c)
{
	return !dd_user_sign(c) ||
	       (s->user_signs < DD_USER_SIGNS_MAX && dd_signing_slot(s, c->peer.uid) < 0);
}

/* Counts @c's signature in (@d 1) or out (-1) of the workers' hands. */
static void dd_user_sign_count(struct dd_server *s, const struct dd_client *c, int d)
{
	int i;

	if (!dd_user_sign(c))
		return;
	if (d > 0) {
		s->signing_uid[s->user_signs++] = c->peer.uid;
		return;
	}
	i = dd_signing_slot(s, c->peer.uid);
	if (i < 0)
		return;
	s->signing_uid[i] = s->signing_uid[--s->user_signs];
}

static void dd_run(struct dd_server *s, struct dd_client *c)
{
	struct dd_ctx ctx = *s->o->base;
	int status;

	ctx.uid = c->peer.uid;
	ctx.gid = c->peer.gid;
	ctx.pid = c->peer.pid;
	ctx.peer_fd = c->fd;
	ctx.admin = c->peer.admin;
	ctx.now = time(NULL);
	dc_log(DC_LOG_DEBUG, "uid %u pid %d: %s %s %s", c->peer.uid, c->peer.pid, c->req.verb,
	       c->req.arg1, c->req.arg2);
	status = dd_run_request(&ctx, &c->req);
	if (status != DD_DEFERRED) {
		dd_done(s, c, status, &ctx);
		return;
	}
	/* Slow work: a worker computes, the loop goes on. */
	c->ctx = ctx;
	c->ctx.work->owner = c;
	c->ctx.work->first = c->peer.admin;
	c->state = DD_CLIENT_WORKING;
	s->working++;
	dd_user_sign_count(s, c, 1);
	if (dd_work_start(c->ctx.work)) {
		s->working--;
		dd_user_sign_count(s, c, -1);
		dd_fail(&c->ctx, "devcredd cannot start its work now: try again");
		dd_done(s, c, dd_finish_request(&c->ctx, -EAGAIN), &c->ctx);
	}
}

/* A worker is done: the request is finished in the loop. */
static void dd_work_finished(struct dd_server *s)
{
	struct dd_client *c;
	struct dd_work *w;

	while ((w = dd_work_done())) {
		c = w->owner;
		s->working--;
		dd_user_sign_count(s, c, -1);
		dd_done(s, c, dd_finish_request(&c->ctx, 0), &c->ctx);
	}
}

/* The first of the others' requests that may run now, or NULL. */
static struct dd_client *dd_next_user(const struct dd_server *s)
{
	struct dd_client *c;

	TAILQ_FOREACH(c, &s->user_queue, queue)
		if (dd_may_run(s, c))
			return c;
	return NULL;
}

/*
 * Runs the waiting requests: all of root's, then a few of the others', in
 * order but for signatures that wait for room in the workers.
 */
static void dd_run_queued(struct dd_server *s)
{
	struct dd_client *c;
	int budget = DD_USER_BATCH;

	while ((c = TAILQ_FIRST(&s->admin_queue))) {
		TAILQ_REMOVE(&s->admin_queue, c, queue);
		dd_run(s, c);
	}
	while (budget-- && (c = dd_next_user(s))) {
		TAILQ_REMOVE(&s->user_queue, c, queue);
		dd_run(s, c);
	}
}

static void dd_event(struct dd_server *s, const struct epoll_event *ev, int *stop)
{
	struct signalfd_siginfo si;
	struct dd_client *c = ev->data.ptr;

	if (ev->data.ptr == &dd_listen_tag) {
		dd_accept(s);
	} else if (ev->data.ptr == &dd_signal_tag) {
		if (read(s->sig_fd, &si, sizeof(si)) != sizeof(si))
			return;
		if (si.ssi_signo == SIGHUP && s->o->access)
			dd_key_access_load(s->o->access);
		else if (si.ssi_signo != SIGHUP)
			*stop = 1;
	} else if (ev->data.ptr == &dd_work_tag) {
		dd_work_finished(s);
	} else if (c->state == DD_CLIENT_READING && (ev->events & EPOLLIN)) {
		dd_readable(s, c);
	} else if (c->state == DD_CLIENT_WRITING && (ev->events & EPOLLOUT)) {
		dd_send(s, c);
	} else if (c->state != DD_CLIENT_CLOSED &&
		   (ev->events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
		dd_close(s, c);	/* gone before its request was whole, or its answer */
	}
}

/* Clients past their deadline: the idle closed, the slow told why. */
static void dd_expire(struct dd_server *s, int64_t now)
{
	struct dd_client *c;

	while ((c = TAILQ_FIRST(&s->reading)) && c->deadline <= now) {
		if (c->reader.got)
			dd_refuse(s, c, "the request did not come whole within 5 s");
		else
			dd_close(s, c);	/* connected and said nothing */
	}
	while ((c = TAILQ_FIRST(&s->writing)) && c->deadline <= now) {
		dc_log(DC_LOG_DEBUG, "uid %u did not take its answer within %d s", c->peer.uid,
		       DD_ANSWER_TIMEOUT_MS / 1000);
		dd_close(s, c);
	}
}

/* How long epoll may wait: until the next deadline or publication. */
static int dd_timeout(struct dd_server *s, int64_t now)
{
	int64_t next = s->next_publish;
	struct dd_client *c;

	/* Signatures waiting for room in the workers wait for a worker's result. */
	if (!TAILQ_EMPTY(&s->admin_queue) || dd_next_user(s))
		return 0;
	c = TAILQ_FIRST(&s->reading);
	if (c && c->deadline < next)
		next = c->deadline;
	c = TAILQ_FIRST(&s->writing);
	if (c && c->deadline < next)
		next = c->deadline;
	return next <= now ? 0 : (int)(next - now);
}

static int dd_server_init(struct dd_server *s, const struct dd_server_opts *o)
{
	sigset_t mask;

	memset(s, 0, sizeof(*s));
	s->o = o;
	TAILQ_INIT(&s->reading);
	TAILQ_INIT(&s->writing);
	TAILQ_INIT(&s->closed);
	TAILQ_INIT(&s->admin_queue);
	TAILQ_INIT(&s->user_queue);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	s->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->work_fd = dd_workers_init();
	s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (s->sig_fd < 0 || s->ep < 0 || s->spare_fd < 0)
		return -errno;
	if (s->work_fd < 0)
		return s->work_fd;
	return dd_watch(s, EPOLL_CTL_ADD, o->listen_fd, EPOLLIN, &dd_listen_tag) ?:
	       dd_watch(s, EPOLL_CTL_ADD, s->sig_fd, EPOLLIN, &dd_signal_tag) ?:
	       dd_watch(s, EPOLL_CTL_ADD, s->work_fd, EPOLLIN, &dd_work_tag);
}

/* Closes every client; waits for the workers' last results to free them. */
static void dd_server_end(struct dd_server *s)
{
	struct dd_client *c;

	while ((c = TAILQ_FIRST(&s->reading)) || (c = TAILQ_FIRST(&s->writing)))
		dd_close(s, c);
	while ((c = TAILQ_FIRST(&s->admin_queue))) {
		TAILQ_REMOVE(&s->admin_queue, c, queue);
		dd_close(s, c);
	}
	while ((c = TAILQ_FIRST(&s->user_queue))) {
		TAILQ_REMOVE(&s->user_queue, c, queue);
		dd_close(s, c);
	}
	fcntl(s->work_fd, F_SETFL, 0);	/* wait for the workers */
	while (s->working) {
		struct dd_work *w = dd_work_done();

		if (!w)
			break;
		c = w->owner;
		s->working--;
		dd_user_sign_count(s, c, -1);
		dd_finish_request(&c->ctx, -ECANCELED);
		dc_out_free(&c->ctx.out);
		dc_out_free(&c->ctx.err);
		dd_reply_free(&c->ctx.reply);
		dd_close(s, c);
	}
	dd_free_closed(s);
	close(s->ep);
	close(s->sig_fd);
	close(s->spare_fd);
}

int dd_serve(const struct dd_server_opts *o)
{
	struct epoll_event ev[64];
	struct dd_server s;
	int64_t now;
	int n, i, stop = 0, ret;

	ret = dd_server_init(&s, o);
	if (ret) {
		dc_log(DC_LOG_ERR, "cannot serve: %s", strerror(-ret));
		return ret;
	}
	s.next_publish = dd_now_ms();
	while (!stop) {
		now = dd_now_ms();
		if (now >= s.next_publish) {
			/* The published files follow the store, whoever changed it. */
			if (o->base->pub)
				dd_publish(o->base->pub, o->base->fd);
			s.next_publish = now + DD_PUBLISH_EVERY_MS;
		}
		n = epoll_wait(s.ep, ev, 64, dd_timeout(&s, now));
		for (i = 0; i < n; i++)
			dd_event(&s, &ev[i], &stop);
		dd_expire(&s, dd_now_ms());
		dd_run_queued(&s);
		dd_free_closed(&s);
	}
	dd_server_end(&s);
	return 0;
}
