/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serving clients: one event loop (epoll) over the listening socket, every
 * client's connection, the slow work's results, the signals and a timer.
 *
 * Anyone may connect, so nobody may hold devcredd up: each client has a
 * deadline to send its request and another to take its answer; clients
 * that may not change the store send small requests, are capped in number,
 * and their requests wait behind root's (and the admin group's); slow work
 * runs in worker threads (worker.h), where their signatures are bounded
 * too: at most one per user at a time, DD_USER_SIGNS_MAX in all, the rest
 * waiting their turn. Requests run one at a time in the loop, which
 * serializes every change of the store. SIGHUP reads the key access file
 * again.
 */
#ifndef DEVCRED_DD_SERVER_H
#define DEVCRED_DD_SERVER_H

#include "commands.h"
#include "key_access.h"
#include "peer.h"

/* To send a whole request, and to take a whole answer. */
#define DD_REQUEST_TIMEOUT_MS	5000
#define DD_ANSWER_TIMEOUT_MS	5000
/* How often changes made around devcredd (another ioctl user) are looked for. */
#define DD_PUBLISH_EVERY_MS	2000
/* Open connections at most, and of them from callers who may not change the store. */
#define DD_CLIENTS_MAX		1024
#define DD_USER_CLIENTS_MAX	512
/* The longest request of a caller who may not change the store (no input files). */
#define DD_USER_REQUEST_MAX	4096
/* Their requests run between two looks for root's, at most. */
#define DD_USER_BATCH		4
/*
 * Their signatures in the workers' hands at once: so many in all, one per
 * user, so that one busy user neither takes every worker nor starves
 * another user's signatures (root's and the admin group's are not counted,
 * and go first).
 */
#define DD_USER_SIGNS_MAX	DD_WORKERS_MAX

/**
 * struct dd_server_opts - what serving takes
 * @listen_fd: the listening socket
 * @base: the context every request starts from (store, trust, publisher...)
 * @admins: who may change the store besides root
 * @access: who may sign with which key, read again on SIGHUP (the one
 *	@base points to)
 */
struct dd_server_opts {
	int listen_fd;
	const struct dd_ctx *base;
	struct dd_admins admins;
	struct dd_key_access *access;
};

/* Serves until SIGTERM or SIGINT; 0 or a negative errno (logged). */
int dd_serve(const struct dd_server_opts *o);

#endif /* DEVCRED_DD_SERVER_H */
