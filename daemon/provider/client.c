// SPDX-License-Identifier: GPL-2.0
/*
 * Requests to devcredd: see client.h. A devcredd that is not there fails
 * at once (it restarts in a moment: the program tries again later, as it
 * would after any failed handshake); one that does not answer fails after
 * DP_ANSWER_TIMEOUT_MS. Nothing here blocks a signal or keeps a descriptor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "common/connect.h"
#include "common/frame.h"
#include "common/io.h"
#include "client.h"

/* A connection to devcredd, or -1 with the reason raised. */
static int dp_connect(const struct dp_prov *prov)
{
	int fd = dc_connect(prov->socket);

	if (fd >= 0)
		return fd;
	if (fd == -ENAMETOOLONG)
		dp_raise(prov, DP_R_NO_DAEMON,
			 "devcredd's socket path is %zu bytes, a Unix socket's at most %zu: %s",
			 strlen(prov->socket), sizeof(((struct sockaddr_un *)0)->sun_path) - 1,
			 prov->socket);
	else if (fd == -EAGAIN)
		dp_raise(prov, DP_R_NO_DAEMON, "devcredd is busy (%s: %s)", prov->socket,
			 strerror(-fd));
	else
		dp_raise(prov, DP_R_NO_DAEMON, "devcredd is not running (%s: %s)", prov->socket,
			 strerror(-fd));
	return -1;
}

/* Sends @req and takes the whole answer (malloc'ed) into *@msg. */
static int dp_exchange(const struct dp_prov *prov, const struct dc_request *req, uint8_t **msg,
		       size_t *len)
{
	uint8_t *out;
	size_t out_len;
	int fd, ret;

	*msg = NULL;
	if (dc_request_encode(req, &out, &out_len))
		return dp_raise(prov, DP_R_UNSUPPORTED, "%s %s: the request cannot be encoded",
				req->verb, req->arg1);
	fd = dp_connect(prov);
	ret = fd < 0 ? 0 : dc_write_all(fd, out, out_len);
	OPENSSL_cleanse(out, out_len);
	free(out);
	if (fd < 0)
		return 0;
	/* A devcredd that stopped reading may still have answered why. */
	ret = dc_read_message(fd, DC_PROTO_RESPONSE, DP_ANSWER_TIMEOUT_MS, msg, len) ?: ret;
	close(fd);
	if (!ret)
		return 1;
	free(*msg);
	*msg = NULL;
	return dp_raise(prov, DP_R_NO_DAEMON, "%s %s: %s", req->verb, req->arg1,
			ret == -ETIMEDOUT ? "devcredd did not answer in time" :
			ret == -ECONNRESET || ret == -EPIPE ?
			"devcredd closed the connection before answering (it stopped?)" :
			ret == -EBADMSG ? "not a devcredd answer" : strerror(-ret));
}

/* devcredd's message for the client, without its "devcred: " and newline. */
static void dp_message(const struct dc_response *r, char *buf, size_t size)
{
	const char *m = (const char *)r->err.data;
	size_t n = r->err.len;

	if (n >= 9 && !memcmp(m, "devcred: ", 9)) {
		m += 9;
		n -= 9;
	}
	while (n && (m[n - 1] == '\n' || m[n - 1] == '\r'))
		n--;
	snprintf(buf, size, "%.*s", (int)n, n ? m : "no reason given");
}

/* Parses an answer; a refusal (status not 0) is raised with devcredd's words. */
static int dp_answer(const struct dp_prov *prov, const char *what, const uint8_t *msg, size_t len,
		     struct dc_response *r)
{
	char text[512];
	const char *why;

	if (dc_response_parse(msg, len, r, &why))
		return dp_raise(prov, DP_R_BAD_ANSWER, "%s: %s", what, why);
	if (r->status) {
		dp_message(r, text, sizeof(text));
		return dp_raise(prov, strstr(text, "permission denied") ? DP_R_NOT_ALLOWED :
				DP_R_REFUSED, "%s", text);
	}
	return 1;
}

int dp_take_credential(const struct dp_prov *prov, const char *ref, const uint8_t *msg,
		       size_t len, struct dp_cred *out)
{
	struct dc_response r;

	memset(out, 0, sizeof(*out));
	if (!dp_answer(prov, ref, msg, len, &r))
		return 0;
	if (!r.slot[0] || !r.generation || r.stamp.len != DC_PROTO_STAMP_LEN || !r.chain.len ||
	    r.may_sign > 1)
		return dp_raise(prov, DP_R_BAD_ANSWER,
				"%s: devcredd's answer lacks the slot, its generation, its stamp or its chain",
				ref);
	out->chain = OPENSSL_malloc(r.chain.len + 1);
	if (!out->chain)
		return dp_raise(prov, DP_R_NO_MEMORY, "%s: %zu bytes of chain", ref, r.chain.len);
	memcpy(out->chain, r.chain.data, r.chain.len);
	out->chain[r.chain.len] = '\0';
	out->chain_len = r.chain.len;
	memcpy(out->slot, r.slot, sizeof(out->slot));
	out->generation = r.generation;
	memcpy(out->stamp, r.stamp.data, sizeof(out->stamp));
	out->may_sign = r.may_sign;
	if (!r.may_sign)
		dp_message(&r, out->refusal, sizeof(out->refusal));
	return 1;
}

int dp_credential(const struct dp_prov *prov, const char *ref, struct dp_cred *out)
{
	struct dc_request req = { .verb = "credential" };
	uint8_t *msg;
	size_t len;
	int ok;

	memset(out, 0, sizeof(*out));
	snprintf(req.arg1, sizeof(req.arg1), "%s", ref);
	if (!dp_exchange(prov, &req, &msg, &len))
		return 0;
	ok = dp_take_credential(prov, ref, msg, len, out);
	free(msg);
	return ok;
}

void dp_cred_free(struct dp_cred *c)
{
	OPENSSL_free(c->chain);
	memset(c, 0, sizeof(*c));
}

int dp_take_signature(const struct dp_prov *prov, const char *ref, const uint8_t *msg,
		      size_t len, uint8_t *sig, size_t *sig_len)
{
	struct dc_response r;

	if (!dp_answer(prov, ref, msg, len, &r))
		return 0;
	if (!r.signature.len || r.signature.len > *sig_len)
		return dp_raise(prov, DP_R_BAD_ANSWER, "%s: a signature of %zu bytes, %zu expected at most",
				ref, r.signature.len, *sig_len);
	memcpy(sig, r.signature.data, r.signature.len);
	*sig_len = r.signature.len;
	return 1;
}

int dp_sign(const struct dp_prov *prov, const struct dp_sign_args *a, uint8_t *sig,
	    size_t *sig_len)
{
	struct dc_request req = { .verb = "sign" };
	struct dc_key_use *u = &req.use;
	uint8_t *msg;
	size_t len;
	int ok;

	snprintf(req.arg1, sizeof(req.arg1), "%s", a->ref);
	snprintf(u->slot, sizeof(u->slot), "%s", a->slot);
	u->generation = a->generation;
	u->stamp = (struct dc_buf){ a->stamp, DC_PROTO_STAMP_LEN };
	snprintf(u->sig_alg, sizeof(u->sig_alg), "%s", a->sig_alg);
	snprintf(u->digest_alg, sizeof(u->digest_alg), "%s", a->digest_alg);
	if (a->mgf1_alg)
		snprintf(u->mgf1_alg, sizeof(u->mgf1_alg), "%s", a->mgf1_alg);
	u->salt_len = a->salt_len;
	u->digest = (struct dc_buf){ a->digest, a->digest_len };
	if (!dp_exchange(prov, &req, &msg, &len))
		return 0;
	ok = dp_take_signature(prov, a->ref, msg, len, sig, sig_len);
	free(msg);
	return ok;
}
