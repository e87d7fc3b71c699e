/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slow work off the event loop. A request whose answer needs seconds of
 * computing (an RSA key, a signature for another program) must not hold
 * up the clients behind it: its command prepares a struct dd_work in the
 * loop, a worker thread runs it, and the loop finishes the request with
 * the result. Workers only compute (lib/cred/): the store, the files and
 * the clients stay the loop's, so every change is still made by one
 * thread, in order. Work of root and the admin group waits ahead of the
 * others' (the server also bounds how much of theirs is in the queue).
 */
#ifndef DEVCRED_DD_WORKER_H
#define DEVCRED_DD_WORKER_H

struct dd_ctx;

/* Slow work running at once; more waits its turn. */
#define DD_WORKERS_MAX	2

/**
 * struct dd_work - one piece of slow work, embedded in the command's own
 * @run: in a worker thread: computes, touching nothing but the work
 * @finish: back in the loop: finishes the request with the result; 0 or a
 *	negative errno with the reason in the request's answer
 * @free: frees the work (the loop's, after @finish or instead of it)
 * @owner: the loop's: the client the work is for
 * @first: the loop's: the work of root or the admin group, run before the
 *	others' that wait
 */
struct dd_work {
	void (*run)(struct dd_work *w);
	int (*finish)(struct dd_work *w, struct dd_ctx *ctx);
	void (*free)(struct dd_work *w);
	void *owner;
	int first;
};

/*
 * Sets the workers up; returns the descriptor the loop watches (readable
 * when work is done), or a negative errno.
 */
int dd_workers_init(void);

/* Runs @w in a worker thread, now or when one is free; 0 or a negative errno. */
int dd_work_start(struct dd_work *w);

/* Work that is done, one at a time; NULL when none is (yet). */
struct dd_work *dd_work_done(void);

#endif /* DEVCRED_DD_WORKER_H */
