/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One client's connection: its request read as it comes, its answer
 * written as the client takes it. The server (server.c) decides when.
 */
#ifndef DEVCRED_DD_CLIENT_H
#define DEVCRED_DD_CLIENT_H

#include <stdint.h>
#include <sys/queue.h>

#include "common/frame.h"
#include "common/proto.h"
#include "commands.h"
#include "peer.h"

enum dd_client_state {
	DD_CLIENT_READING,	/* its request is coming */
	DD_CLIENT_QUEUED,	/* its request waits its turn */
	DD_CLIENT_WORKING,	/* a worker computes for it */
	DD_CLIENT_WRITING,	/* its answer is going */
	DD_CLIENT_CLOSED,	/* done with, freed soon */
};

/**
 * struct dd_client - one connection
 * @fd: the socket
 * @state: where its request is
 * @watched: whether the loop watches @fd
 * @peer: who connected
 * @reader: the request as it comes
 * @msg: the request, once whole (@req points into it)
 * @msg_len: its length
 * @req: the request, parsed
 * @ctx: the request's context while a worker computes for it
 * @answer: the encoded answer, @answer_len bytes, @answer_sent sent
 * @deadline: when it must have sent its request or taken its answer
 *	(CLOCK_MONOTONIC ms)
 * @since: when it connected (CLOCK_MONOTONIC ms)
 * @timer: its place among the clients with a deadline (or those closed)
 * @queue: its place among the requests waiting their turn
 */
struct dd_client {
	int fd;
	enum dd_client_state state;
	int watched;
	struct dd_peer peer;
	struct dc_reader reader;
	uint8_t *msg;
	size_t msg_len;
	struct dc_request req;
	struct dd_ctx ctx;
	uint8_t *answer;
	size_t answer_len;
	size_t answer_sent;
	int64_t deadline;
	int64_t since;
	TAILQ_ENTRY(dd_client) timer;
	TAILQ_ENTRY(dd_client) queue;
};

/*
 * A client for connection @fd (taken) of @peer, whose request may be
 * @request_max bytes long; NULL when out of memory.
 */
struct dd_client *dd_client_new(int fd, const struct dd_peer *peer, size_t request_max);

/*
 * Takes what the client sent. Returns 1 when its request is whole and
 * parsed (@c->req), 0 when more is to come, or a negative errno with the
 * reason in @why: dc_reader_feed()'s, or -EBADMSG from the parser.
 */
int dd_client_read(struct dd_client *c, const char **why);

/* Encodes the answer to send: @status and @ctx's texts and parts. */
void dd_client_answer(struct dd_client *c, uint32_t status, struct dd_ctx *ctx);

/* Sends what the client takes now: 1 all of it, 0 more to go, or -errno. */
int dd_client_write(struct dd_client *c);

/* Closes the connection and frees the client, wiping it. */
void dd_client_free(struct dd_client *c);

#endif /* DEVCRED_DD_CLIENT_H */
