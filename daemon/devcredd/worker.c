// SPDX-License-Identifier: GPL-2.0
/*
 * Slow work in threads: see worker.h. A thread takes work from the
 * queues, the first one's before the other's, until both are empty; done
 * work goes back to the loop through a pipe, one pointer per write
 * (atomic: far below PIPE_BUF).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "worker.h"

/**
 * struct dd_queued - work waiting for a thread
 * @work: the work
 * @next: the next in line
 */
struct dd_queued {
	struct dd_work *work;
	struct dd_queued *next;
};

/**
 * struct dd_queue - work waiting, in order
 * @head: the next in line
 * @tail: the last
 */
struct dd_queue {
	struct dd_queued *head;
	struct dd_queued *tail;
};

/* The queues (0: root's and the admin group's), the threads running, the pipe to the loop. */
static pthread_mutex_t dd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dd_queue dd_queues[2];
static int dd_running;
static int dd_done_pipe[2] = { -1, -1 };

/* The next work in line, or NULL (then the calling thread ends). */
static struct dd_work *dd_next(void)
{
	struct dd_queue *queue = &dd_queues[0];
	struct dd_queued *q;
	struct dd_work *w = NULL;

	pthread_mutex_lock(&dd_lock);
	if (!queue->head)
		queue = &dd_queues[1];
	q = queue->head;
	if (q) {
		queue->head = q->next;
		if (!queue->head)
			queue->tail = NULL;
		w = q->work;
	} else {
		dd_running--;
	}
	pthread_mutex_unlock(&dd_lock);
	free(q);
	return w;
}

static void *dd_worker(void *arg)
{
	struct dd_work *w = arg;

	while (w) {
		w->run(w);
		/* The loop reads it whole: the write of a pointer is atomic. */
		while (write(dd_done_pipe[1], &w, sizeof(w)) < 0 && errno == EINTR)
			;
		w = dd_next();
	}
	return NULL;
}

int dd_workers_init(void)
{
	if (pipe2(dd_done_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	/* Writers wait for room; the loop reads without waiting. */
	fcntl(dd_done_pipe[1], F_SETFL, 0);
	return dd_done_pipe[0];
}

int dd_work_start(struct dd_work *w)
{
	struct dd_queue *queue = &dd_queues[w->first ? 0 : 1];
	struct dd_queued *q = NULL;
	pthread_attr_t attr;
	pthread_t t;
	int ret = 0;

	pthread_mutex_lock(&dd_lock);
	if (dd_running < DD_WORKERS_MAX) {
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ret = -pthread_create(&t, &attr, dd_worker, w);
		pthread_attr_destroy(&attr);
		if (!ret)
			dd_running++;
	} else {
		q = malloc(sizeof(*q));
		if (!q) {
			ret = -ENOMEM;
		} else {
			*q = (struct dd_queued){ .work = w };
			if (queue->tail)
				queue->tail->next = q;
			else
				queue->head = q;
			queue->tail = q;
		}
	}
	pthread_mutex_unlock(&dd_lock);
	return ret;
}

struct dd_work *dd_work_done(void)
{
	struct dd_work *w;

	if (read(dd_done_pipe[0], &w, sizeof(w)) != sizeof(w))
		return NULL;
	return w;
}
