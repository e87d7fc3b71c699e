// SPDX-License-Identifier: GPL-2.0
/* The worker threads: see pool.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "pool.h"

/* The queue of jobs waiting for a worker, its length and its signal. */
static pthread_mutex_t web_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t web_pool_wake = PTHREAD_COND_INITIALIZER;
static struct web_job *web_pool_head, *web_pool_tail;
static int web_pool_waiting;
static int web_pool_pipe[2] = { -1, -1 };

static struct web_job *web_pool_take(void)
{
	struct web_job *job;

	pthread_mutex_lock(&web_pool_lock);
	while (!web_pool_head)
		pthread_cond_wait(&web_pool_wake, &web_pool_lock);
	job = web_pool_head;
	web_pool_head = job->next;
	if (!web_pool_head)
		web_pool_tail = NULL;
	web_pool_waiting--;
	pthread_mutex_unlock(&web_pool_lock);
	job->next = NULL;
	return job;
}

static void *web_pool_worker(void *arg)
{
	struct web_job *job;

	(void)arg;
	for (;;) {
		job = web_pool_take();
		web_app_handle(&job->rq, &job->rs);
		while (write(web_pool_pipe[1], &job, sizeof(job)) < 0 && errno == EINTR)
			;
	}
	return NULL;
}

int web_pool_start(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int i, ret = 0;

	if (pipe2(web_pool_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	/* Workers wait for room in the pipe; the loop reads without waiting. */
	fcntl(web_pool_pipe[1], F_SETFL, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; !ret && i < WEB_WORKERS; i++)
		ret = -pthread_create(&t, &attr, web_pool_worker, NULL);
	pthread_attr_destroy(&attr);
	return ret ? ret : web_pool_pipe[0];
}

int web_pool_queue(struct web_job *job)
{
	int ret = 0;

	pthread_mutex_lock(&web_pool_lock);
	if (web_pool_waiting >= WEB_QUEUE_MAX) {
		ret = -EBUSY;
	} else {
		job->next = NULL;
		if (web_pool_tail)
			web_pool_tail->next = job;
		else
			web_pool_head = job;
		web_pool_tail = job;
		web_pool_waiting++;
		pthread_cond_signal(&web_pool_wake);
	}
	pthread_mutex_unlock(&web_pool_lock);
	return ret;
}

struct web_job *web_pool_done(void)
{
	struct web_job *job;

	if (read(web_pool_pipe[0], &job, sizeof(job)) != sizeof(job))
		return NULL;
	return job;
}
