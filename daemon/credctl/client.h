/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to devcredd: one request per connection, one answer back
 * (common/proto.h). Failures are printed as "credctl: why".
 */
#ifndef CREDCTL_CLIENT_H
#define CREDCTL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"

#define CTL_ANSWER_TIMEOUT_S	30	/* install may be slow on emulated flash */

/**
 * struct ctl_answer - devcredd's answer
 * @resp: the parsed response; its buffers point into @msg
 * @msg: the message as received
 * @len: its length
 */
struct ctl_answer {
	struct dc_response resp;
	uint8_t *msg;
	size_t len;
};

/*
 * Sends @req and receives the answer into @ans; 0, or DC_EXIT_FAILED when no
 * well-formed answer came (said on standard error). Release @ans with
 * ctl_answer_free() either way.
 */
int ctl_exchange(const struct dc_request *req, struct ctl_answer *ans);

/*
 * ctl_exchange() for slow work: while devcredd computes, @what ("making
 * an rsa3072 key in devcredd") and a dot a second on standard error, when
 * it is a terminal (a script's standard error gets nothing).
 */
int ctl_exchange_slow(const struct dc_request *req, struct ctl_answer *ans, const char *what);

/*
 * Prints the answer's texts verbatim, standard output first; returns the
 * exit status it carries (anything above 2 is 1).
 */
int ctl_print_answer(const struct ctl_answer *ans);

/* Wipes (an answer may carry a private key) and frees @ans. */
void ctl_answer_free(struct ctl_answer *ans);

/* Sends @req, prints the answer; returns the exit status. */
int ctl_ask(const struct dc_request *req);

#endif /* CREDCTL_CLIENT_H */
