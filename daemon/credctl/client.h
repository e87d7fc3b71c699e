/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to devcredd: one request per connection, one answer back
 * (lib/proto.h). Failures are printed as "credctl: why".
 */
#ifndef CREDCTL_CLIENT_H
#define CREDCTL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"

#define CLIENT_DEFAULT_SOCKET	"/run/devcred/devcredd.sock"	/* env DEVCRED_SOCKET */
#define CLIENT_ANSWER_TIMEOUT_S	30	/* install may be slow on emulated flash */

/**
 * struct client_answer - devcredd's answer
 * @resp: the parsed response; its buffers point into @msg
 * @msg: the message as received
 * @len: its length
 */
struct client_answer {
	struct dc_response resp;
	uint8_t *msg;
	size_t len;
};

/*
 * Sends @req and receives the answer into @ans; 0, or EXIT_FAILED when no
 * well-formed answer came (said on standard error). Release @ans with
 * client_answer_free() either way.
 */
int client_exchange(const struct dc_request *req, struct client_answer *ans);

/*
 * Prints the answer's texts verbatim, standard output first; returns the
 * exit status it carries (anything above 2 is 1).
 */
int client_print_answer(const struct client_answer *ans);

/* Wipes (an answer may carry a private key) and frees @ans. */
void client_answer_free(struct client_answer *ans);

/* Sends @req, prints the answer; returns the exit status. */
int client_ask(const struct dc_request *req);

#endif /* CREDCTL_CLIENT_H */
