/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The worker threads that run the application (web.h): the event loop
 * queues each request and goes on serving connections and handshakes; a
 * worker answers it, blocking as long as devcredd, a download or a
 * password hash takes; the loop sends the answer.
 *
 * A fixed number of threads, started once; a bounded queue, so that a
 * flood of requests is answered 503 at once instead of growing memory.
 * Answers come back through a pipe, one pointer per write (atomic, far
 * below PIPE_BUF).
 */
#ifndef DEVCRED_WEB_POOL_H
#define DEVCRED_WEB_POOL_H

#include "web.h"

#define WEB_WORKERS		4
#define WEB_QUEUE_MAX		64

/**
 * struct web_job - one request on its way through a worker
 * @rq: the request (the loop's copy)
 * @rs: the answer (the worker's)
 * @owner: the loop's: what the answer goes to (libevent's request)
 * @next: the next job in the queue
 */
struct web_job {
	struct web_request rq;
	struct web_response rs;
	void *owner;
	struct web_job *next;
};

/*
 * Starts the workers; returns the descriptor the loop watches (readable
 * when answers are ready), or a negative errno.
 */
int web_pool_start(void);

/* Queues @job; 0, or -EBUSY when WEB_QUEUE_MAX jobs wait already. */
int web_pool_queue(struct web_job *job);

/* An answered job, one at a time; NULL when none is (yet). */
struct web_job *web_pool_done(void);

#endif /* DEVCRED_WEB_POOL_H */
