/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl's commands, as devcredd runs them: one request in, exit status
 * and text out. The daemon owns the device; the commands own the rules.
 */
#ifndef DEVCRED_COMMANDS_H
#define DEVCRED_COMMANDS_H

#include <time.h>

#include "common/output.h"
#include "publish.h"
#include "common/proto.h"
#include "status.h"

/**
 * struct dc_reply - what a command answers besides text (csr)
 * @csr: a certificate signing request, PEM, malloc'ed; NULL when none
 * @csr_len: its length
 * @key: its private key, PEM, in OpenSSL's secure heap; NULL when none
 * @key_len: its length
 * @file_name: base name for credctl's files (the MAC address), "" when none
 */
struct dc_reply {
	char *csr;
	size_t csr_len;
	char *key;
	size_t key_len;
	char file_name[13];
};

/**
 * struct dc_ctx - what a command runs with
 * @fd: /dev/devcred, open read-write
 * @trust: the vendor trust set for "Factory Installed"
 * @admin: the peer may change the store
 * @admin_group: name of the group that may, for messages ("" if none)
 * @now: the time to check validity against
 * @out: text for credctl's standard output
 * @err: text for credctl's standard error (one message on failure)
 * @mac: the device's MAC address, 12 upper-case hex digits; NULL or ""
 *	when unknown
 * @reply: the answer's other parts; free with dc_reply_free()
 * @pub: the published files, brought up to date by an install while the
 *	credential it wrote is still decoded; NULL when nothing is published
 */
struct dc_ctx {
	int fd;
	const struct dc_trust *trust;
	int admin;
	const char *admin_group;
	time_t now;
	struct dc_out out;
	struct dc_out err;
	const char *mac;
	struct dc_reply reply;
	struct dc_publisher *pub;
};

/* Puts @r's parts into @resp (pointing at them: keep @r until it is sent). */
void dc_reply_to(const struct dc_reply *r, struct dc_response *resp);
/* Frees @r's parts, wiping the key. */
void dc_reply_free(struct dc_reply *r);

/* Runs @req; returns credctl's exit status (0, 1 or 2). */
int dc_run_request(struct dc_ctx *ctx, const struct dc_request *req);

/* Logs what every slot holds, as the phones do at boot. */
void dc_log_store(int fd);

/*
 * On a store whose builtin slot is empty, makes and stores the self-signed
 * certificate for @mac. Returns 0 when nothing was needed or it was made.
 */
int dc_ensure_builtin(int fd, const char *mac);

#endif /* DEVCRED_COMMANDS_H */
