// SPDX-License-Identifier: GPL-2.0
/*
 * Threads hammering the store: four writers (two per slot, or one slot each)
 * and two readers, each thread on its own descriptor.
 *
 * Every blob names the write it belongs to in its first line ("C:slot:
 * thread:iteration" for a certificate, "K:..." for its key) and the rest of
 * it, and its length, follow from that name, so any blob read back can be
 * checked whole. Readers check that a certificate and a key read with the
 * same generation come from the same write, and that generations never go
 * back. Writers read their slot back after each write: it holds their write
 * or a later one, never one that had completed before theirs began. If it
 * holds their write, the generation read is that write's; the write with the
 * highest generation is the last one, and at the end the slot must hold it.
 *
 * Flash writes are slow under emulation: the flash variants stay at about
 * a hundred writes each.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/devcred.h>

#include "kselftest_harness.h"
#include "devcred_test.h"

#define WRITERS		4
#define READERS		2
#define BUF_LEN		2048	/* larger than any blob written here */

struct tag {
	__u32 slot;
	__u32 thread;
	__u32 iter;
};

static __u32 cert_len_of(const struct tag *t)
{
	return 200 + (t->thread * 997 + t->iter * 131) % 1500;
}

static __u32 key_len_of(const struct tag *t)
{
	return 100 + (t->thread * 577 + t->iter * 71) % 900;
}

/* The blob of kind @kind ('C' or 'K') of the write @t, @len bytes. */
static void make_blob(char *buf, __u32 len, char kind, const struct tag *t)
{
	int n = snprintf(buf, len, "%c:%u:%u:%u\n", kind, t->slot, t->thread, t->iter);
	__u32 i;

	for (i = n; i < len; i++)
		buf[i] = i % 64 == 63 ? '\n' :
			 'a' + (t->slot * 7 + t->thread * 3 + t->iter + i) % 26;
}

/* Decodes a blob of kind @kind into @t; 0 if it is exactly what @t's write wrote. */
static int parse_blob(const char *buf, __u32 len, char kind, struct tag *t)
{
	char want[BUF_LEN], head[40];
	char k;

	if (len < 16 || len > BUF_LEN)
		return -1;
	memcpy(head, buf, sizeof(head) - 1);
	head[sizeof(head) - 1] = 0;
	if (sscanf(head, "%c:%u:%u:%u\n", &k, &t->slot, &t->thread, &t->iter) != 4 || k != kind ||
	    t->thread >= WRITERS)
		return -1;
	if (len != (kind == 'C' ? cert_len_of(t) : key_len_of(t)))
		return -1;
	make_blob(want, len, kind, t);
	return memcmp(want, buf, len) ? -1 : 0;
}

static bool same_tag(const struct tag *a, const struct tag *b)
{
	return a->slot == b->slot && a->thread == b->thread && a->iter == b->iter;
}

/* What the writers learned about one slot. */
struct slot_track {
	pthread_mutex_t lock;	/* protects the fields below */
	unsigned int writes;	/* successful writes */
	int completed[WRITERS];	/* each writer's last iteration that returned, or -1 */
	__u64 last_gen;		/* highest generation a writer saw its own write at */
	struct tag last;	/* that write */
};

struct run {
	__u32 slot[WRITERS];
	unsigned int iterations;
	struct slot_track track[DEVCRED_SLOT_COUNT];
	pthread_barrier_t start;
	int writers_left;	/* __atomic */
};

struct worker {
	struct run *run;
	unsigned int id;
	int fd;
	unsigned int errors;
	unsigned long checked;	/* reader: cert/key pairs of one generation compared */
	char first_error[200];
	char a[BUF_LEN], b[BUF_LEN], c[BUF_LEN];
};

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->errors++) {
		va_start(ap, fmt);
		vsnprintf(w->first_error, sizeof(w->first_error), fmt, ap);
		va_end(ap);
	}
}

/* One write, then who holds the slot now: this write, or one after it. */
static void write_once(struct worker *w, __u32 slot, unsigned int iter)
{
	struct slot_track *tr = &w->run->track[slot];
	struct tag t = { slot, w->id, iter }, seen;
	struct devcred_slot_status st;
	int before[WRITERS];
	__u32 len = BUF_LEN;
	__u64 gen;

	make_blob(w->a, cert_len_of(&t), 'C', &t);
	make_blob(w->b, key_len_of(&t), 'K', &t);
	pthread_mutex_lock(&tr->lock);
	memcpy(before, tr->completed, sizeof(before));
	pthread_mutex_unlock(&tr->lock);
	if (dc_write(w->fd, slot, dc_origin_for(slot), w->a, cert_len_of(&t),
		     w->b, key_len_of(&t))) {
		fail(w, "writer %u: write %u to slot %u: %s", w->id, iter, slot, strerror(errno));
		return;
	}
	pthread_mutex_lock(&tr->lock);
	tr->writes++;
	tr->completed[w->id] = iter;
	pthread_mutex_unlock(&tr->lock);

	if (dc_read(w->fd, DEVCRED_IOC_READ_CERT, slot, 0, w->c, &len, &gen)) {
		fail(w, "writer %u: read back %u: %s", w->id, iter, strerror(errno));
		return;
	}
	if (parse_blob(w->c, len, 'C', &seen) || seen.slot != slot) {
		fail(w, "writer %u: read back %u: a certificate no write made", w->id, iter);
		return;
	}
	if (!same_tag(&seen, &t) && (int)seen.iter <= before[seen.thread]) {
		fail(w, "writer %u: write %u to slot %u lost: it holds %u:%u, done before it began",
		     w->id, iter, slot, seen.thread, seen.iter);
		return;
	}
	pthread_mutex_lock(&tr->lock);
	if (same_tag(&seen, &t) && gen > tr->last_gen) {
		tr->last_gen = gen;
		tr->last = t;
	}
	pthread_mutex_unlock(&tr->lock);

	if (dc_status(w->fd, slot, &st))
		fail(w, "writer %u: status: %s", w->id, strerror(errno));
	else if (!(st.flags & DEVCRED_SLOT_PRESENT) || st.origin != dc_origin_for(slot) ||
		 st.generation < gen)
		fail(w, "writer %u: after write %u: flags %#x origin %u generation %llu < %llu",
		     w->id, iter, st.flags, st.origin, (unsigned long long)st.generation,
		     (unsigned long long)gen);
}

static void *writer(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	unsigned int i;

	pthread_barrier_wait(&run->start);
	for (i = 0; i < run->iterations; i++)
		write_once(w, run->slot[w->id], i);
	__atomic_sub_fetch(&run->writers_left, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Reads one blob and decodes it: 0, ENOENT for an empty slot, another errno,
 * or -1 for a blob that no write made.
 */
static int read_tagged(struct worker *w, unsigned long cmd, __u32 slot, char *buf,
		       struct tag *t, __u64 *gen)
{
	char kind = cmd == DEVCRED_IOC_READ_CERT ? 'C' : 'K';
	__u32 len = BUF_LEN;

	if (dc_read(w->fd, cmd, slot, 0, buf, &len, gen))
		return errno;
	if (parse_blob(buf, len, kind, t) || t->slot != slot)
		return -1;
	return 0;
}

static const char *read_error(int r)
{
	return r < 0 ? "a blob no write made" : strerror(r);
}

/*
 * Status, certificate, key, certificate again. Generations only grow; reads
 * of one generation are of one write.
 */
static void check_slot(struct worker *w, __u32 slot)
{
	struct tag c1, k, c2;
	struct devcred_slot_status st;
	__u64 g1, gk, g2;
	int r;

	if (dc_status(w->fd, slot, &st)) {
		fail(w, "reader %u: status of slot %u: %s", w->id, slot, strerror(errno));
		return;
	}
	r = read_tagged(w, DEVCRED_IOC_READ_CERT, slot, w->a, &c1, &g1);
	if (r == ENOENT)
		return;		/* no write yet */
	if (!r)
		r = read_tagged(w, DEVCRED_IOC_READ_KEY, slot, w->b, &k, &gk);
	if (!r)
		r = read_tagged(w, DEVCRED_IOC_READ_CERT, slot, w->c, &c2, &g2);
	if (r) {
		fail(w, "reader %u: slot %u: %s", w->id, slot, read_error(r));
		return;
	}
	if (st.generation > g1 || g1 > gk || gk > g2)
		fail(w, "reader %u: slot %u: generation went back: %llu %llu %llu %llu",
		     w->id, slot, (unsigned long long)st.generation, (unsigned long long)g1,
		     (unsigned long long)gk, (unsigned long long)g2);
	if ((g1 == gk && !same_tag(&c1, &k)) || (gk == g2 && !same_tag(&k, &c2)))
		fail(w, "reader %u: slot %u: certificate %u:%u and key %u:%u of one generation",
		     w->id, slot, c1.thread, c1.iter, k.thread, k.iter);
	else if (g1 == gk)
		w->checked++;
	if (st.generation == g1 &&
	    (st.cert_len != cert_len_of(&c1) || st.key_len != key_len_of(&c1)))
		fail(w, "reader %u: slot %u: status lengths %u/%u, blobs of that generation %u/%u",
		     w->id, slot, st.cert_len, st.key_len, cert_len_of(&c1), key_len_of(&c1));
}

static void *reader(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	bool done;
	int i;

	pthread_barrier_wait(&run->start);
	do {
		done = !__atomic_load_n(&run->writers_left, __ATOMIC_ACQUIRE);
		for (i = 0; i < WRITERS; i++)
			check_slot(w, run->slot[(i + w->id) % WRITERS]);
	} while (!done);
	return NULL;
}

FIXTURE(concurrency) {
	int fd;
	struct run run;
	struct worker *worker;
};

FIXTURE_VARIANT(concurrency) {
	__u32 slot[WRITERS];
	unsigned int iterations;
};

/* Two writers on each platform slot: every record holds both slots. */
FIXTURE_VARIANT_ADD(concurrency, flash) {
	.slot = { DEVCRED_SLOT_PLATFORM1, DEVCRED_SLOT_PLATFORM1,
		  DEVCRED_SLOT_PLATFORM2, DEVCRED_SLOT_PLATFORM2 },
	.iterations = 25,
};

FIXTURE_VARIANT_ADD(concurrency, app) {
	.slot = { DEVCRED_SLOT_APP1, DEVCRED_SLOT_APP1, DEVCRED_SLOT_APP2, DEVCRED_SLOT_APP6 },
	.iterations = 200,
};

/* Slow flash writes and fast RAM writes under one lock. */
FIXTURE_VARIANT_ADD(concurrency, mixed) {
	.slot = { DEVCRED_SLOT_PLATFORM1, DEVCRED_SLOT_PLATFORM2,
		  DEVCRED_SLOT_APP1, DEVCRED_SLOT_APP1 },
	.iterations = 40,
};

FIXTURE_SETUP(concurrency)
{
	int i;

	/*
	 * The kernels have no preemption: on one processor the threads take
	 * turns in the driver and nothing here runs at once.
	 */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one processor: the threads would take turns (scripts/vm --smp 2)");
	self->fd = open(DEVCRED_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	memcpy(self->run.slot, variant->slot, sizeof(self->run.slot));
	self->run.iterations = variant->iterations;
	self->run.writers_left = WRITERS;
	for (i = 0; i < DEVCRED_SLOT_COUNT; i++) {
		ASSERT_EQ(0, pthread_mutex_init(&self->run.track[i].lock, NULL));
		memset(self->run.track[i].completed, 0xff, sizeof(self->run.track[i].completed));
	}
	ASSERT_EQ(0, pthread_barrier_init(&self->run.start, NULL, WRITERS + READERS));
	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(0, dc_erase(self->fd, variant->slot[i]));
	self->worker = calloc(WRITERS + READERS, sizeof(*self->worker));
	ASSERT_NE(NULL, self->worker);
	for (i = 0; i < WRITERS + READERS; i++) {
		self->worker[i].run = &self->run;
		self->worker[i].id = i < WRITERS ? i : i - WRITERS;
		self->worker[i].fd = open(DEVCRED_DEV, O_RDWR);
		ASSERT_LE(0, self->worker[i].fd);
	}
}

FIXTURE_TEARDOWN(concurrency)
{
	int i;

	for (i = 0; i < WRITERS; i++)
		dc_erase(self->fd, variant->slot[i]);
	for (i = 0; self->worker && i < WRITERS + READERS; i++)
		close(self->worker[i].fd);
	free(self->worker);
	close(self->fd);
}

/* The slot holds the write with the highest generation a writer saw. */
static void check_final(struct __test_metadata *_metadata, FIXTURE_DATA(concurrency) *self,
			__u32 slot)
{
	struct slot_track *tr = &self->run.track[slot];
	struct worker *w = &self->worker[0];
	struct devcred_slot_status st;
	struct tag c, k;
	__u64 gc, gk;

	ASSERT_NE(0, tr->last_gen) TH_LOG("slot %u: no write saw itself", slot);
	ASSERT_EQ(0, read_tagged(w, DEVCRED_IOC_READ_CERT, slot, w->a, &c, &gc));
	ASSERT_EQ(0, read_tagged(w, DEVCRED_IOC_READ_KEY, slot, w->b, &k, &gk));
	EXPECT_TRUE(same_tag(&tr->last, &c))
		TH_LOG("slot %u holds %u:%u, the last write was %u:%u", slot, c.thread, c.iter,
		       tr->last.thread, tr->last.iter);
	EXPECT_TRUE(same_tag(&c, &k));
	EXPECT_EQ(tr->last_gen, gc);
	EXPECT_EQ(tr->last_gen, gk);
	ASSERT_EQ(0, dc_status(self->fd, slot, &st));
	EXPECT_EQ(tr->last_gen, st.generation);
	EXPECT_EQ(cert_len_of(&c), st.cert_len);
	EXPECT_EQ(key_len_of(&c), st.key_len);
}

TEST_F_TIMEOUT(concurrency, writers_and_readers, 300)
{
	pthread_t th[WRITERS + READERS];
	unsigned long checked = 0;
	unsigned int writes = 0;
	__u64 gen0 = dc_generation(self->fd);
	int i;

	for (i = 0; i < WRITERS + READERS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, i < WRITERS ? writer : reader,
					    &self->worker[i]));
	for (i = 0; i < WRITERS + READERS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));

	for (i = 0; i < WRITERS + READERS; i++) {
		EXPECT_EQ(0, self->worker[i].errors)
			TH_LOG("%u errors, the first: %s", self->worker[i].errors,
			       self->worker[i].first_error);
		checked += self->worker[i].checked;
	}
	TH_LOG("readers compared %lu certificate/key pairs", checked);
	EXPECT_LT(0, checked);
	for (i = 0; i < DEVCRED_SLOT_COUNT; i++)
		writes += self->run.track[i].writes;
	EXPECT_EQ(WRITERS * variant->iterations, writes);
	EXPECT_LE(gen0 + writes, dc_generation(self->fd));
	for (i = 0; i < DEVCRED_SLOT_COUNT; i++)
		if (self->run.track[i].writes)
			check_final(_metadata, self, i);
}

TEST_HARNESS_MAIN
