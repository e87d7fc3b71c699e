/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credctl's commands, as devcredd runs them: one request in, exit status
 * and text out. The daemon owns the device; the commands own the rules.
 */
#ifndef DEVCRED_COMMANDS_H
#define DEVCRED_COMMANDS_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "common/output.h"
#include "common/proto.h"
#include "publish.h"
#include "status.h"
#include "worker.h"

struct dd_key_access;
struct dd_profiles;

/**
 * struct dd_reply - what a command answers besides text (csr, credential, sign)
 * @csr: a certificate signing request, PEM, malloc'ed; NULL when none
 * @csr_len: its length
 * @key: its private key, PEM, in OpenSSL's secure heap; NULL when none
 * @key_len: its length
 * @file_name: base name for credctl's files (the MAC address), "" when none
 * @slot: credential: the slot the reference resolves to, "" when none
 * @generation: credential: its generation
 * @stamp: credential: the SHA-256 of its chain, when @slot is set
 * @chain: credential: its chain, PEM, malloc'ed; NULL when none
 * @chain_len: its length
 * @may_sign: credential: the caller may sign with its key
 * @signature: sign: the signature, malloc'ed; NULL when none
 * @signature_len: its length
 */
struct dd_reply {
	char *csr;
	size_t csr_len;
	char *key;
	size_t key_len;
	char file_name[13];
	char slot[16];
	uint64_t generation;
	uint8_t stamp[DC_PROTO_STAMP_LEN];
	char *chain;
	size_t chain_len;
	int may_sign;
	uint8_t *signature;
	size_t signature_len;
};

/**
 * struct dd_ctx - what a command runs with
 * @fd: /dev/devcred, open read-write
 * @trust: the vendor trust set for "Factory Installed"
 * @uid: the peer's user (root may write the factory credential)
 * @gid: the peer's group
 * @pid: the peer's process, for the logs
 * @peer_fd: the peer's connection (its groups, SO_PEERGROUPS); -1 when none
 * @admin: the peer may change the store
 * @admin_group: name of the group that may, for messages ("" if none)
 * @now: the time to check validity against
 * @out: text for credctl's standard output
 * @err: text for credctl's standard error (one message on failure)
 * @mac: the device's MAC address, 12 upper-case hex digits; NULL or ""
 *	when unknown
 * @reply: the answer's other parts; free with dd_reply_free()
 * @pub: the published files, brought up to date by an install while the
 *	credential it wrote is still decoded; NULL when nothing is published
 * @status_cache: what status computed last; NULL: computed every time
 * @work: slow work the command left for a worker (worker.h); NULL when none
 * @access: who may sign with which key (key_access.h); NULL: root alone
 * @profiles: the TLS profile settings in effect (profiles.h); NULL: each
 *	file is resolved against the defaults alone
 * @prefix: what the client's message starts with: "credctl" when NULL,
 *	"devcred" for the provider's requests
 */
struct dd_ctx {
	int fd;
	const struct dd_trust *trust;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int peer_fd;
	int admin;
	const char *admin_group;
	time_t now;
	struct dc_out out;
	struct dc_out err;
	const char *mac;
	struct dd_reply reply;
	struct dd_publisher *pub;
	struct dd_status_cache *status_cache;
	struct dd_work *work;
	const struct dd_key_access *access;
	struct dd_profiles *profiles;
	const char *prefix;
};

/* Puts @r's parts into @resp (pointing at them: keep @r until it is sent). */
void dd_reply_to(const struct dd_reply *r, struct dc_response *resp);
/* Frees @r's parts, wiping the key. */
void dd_reply_free(struct dd_reply *r);

/*
 * The answer to send for @status and @ctx's texts and parts, in *@msg.
 * When it cannot be encoded (a text over the protocol's limit, or cut short
 * by a failed allocation), the answer is an error saying so, logged. 0, or
 * a negative errno when not even that could be made (out of memory).
 */
int dd_answer_encode(struct dd_ctx *ctx, uint32_t status, uint8_t **msg, size_t *len);

/*
 * Puts one message on credctl's standard error (the first one only: it says
 * what went wrong first) and returns -EINVAL: what was wrong is in the
 * message, not the number.
 */
int dd_fail(struct dd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* DEVCRED_COMMANDS_H */
