/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devcred-web's two ways out, both blocking (workers only):
 *  - devcredd: one request, one answer over its socket (common/proto.h),
 *    as credctl asks; devcredd judges every change, and knows devcred-web
 *    only as a member of its admin group (devcredd -g);
 *  - URIs of credentials to install: fetched by devcred-web itself, as its
 *    own unprivileged user, through credctl's URI layer (credctl/uri/:
 *    libcurl, https verified against CONFDIR/provisioning-ca.pem or the
 *    system's CAs, redirects limited, DC_PROTO_BLOB_MAX bytes at most),
 *    http, https and tftp only (a file:// URI would read the web server's
 *    own files, which no remote administrator has any business naming),
 *    one download at a time.
 * Failures are the line credctl would print, "credctl: ..." without the
 * newline.
 */
#ifndef DEVCRED_WEB_ASK_H
#define DEVCRED_WEB_ASK_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"

#define WEB_ASK_TIMEOUT_MS	30000
#define WEB_ERR_MAX		2048
#define WEB_URI_SCHEMES		"http,https,tftp"

/**
 * struct web_answer - devcredd's answer
 * @resp: parsed; its buffers point into @msg
 * @msg: the message as received (wiped when freed: it may hold a key)
 * @len: its length
 * @err: the failure line: devcredd's standard error text, or why no
 *	answer came; "" when done
 */
struct web_answer {
	struct dc_response resp;
	uint8_t *msg;
	size_t len;
	char err[WEB_ERR_MAX];
};

/*
 * Sends @req and takes the answer. Returns its status (DC_EXIT_DONE,
 * DC_EXIT_FAILED, DC_EXIT_USAGE), with @ans->err set unless done; or -1
 * when devcredd could not be asked, the reason in @ans->err. Free @ans
 * with web_answer_free() either way.
 */
int web_ask(const struct dc_request *req, struct web_answer *ans);
void web_answer_free(struct web_answer *ans);

/* A request for @verb on @arg1 (may be NULL), with @flags. */
void web_request_init(struct dc_request *req, const char *verb, const char *arg1,
		      uint32_t flags);

/*
 * Downloads @uri into @out (malloc'ed; wipe and free it with
 * web_fetch_free()); 0, or -1 with the reason in @err (WEB_ERR_MAX bytes).
 */
int web_fetch(const char *uri, struct dc_buf *out, char *err);
void web_fetch_free(struct dc_buf *b);

/* @uri as logs and messages show it (no password, no query). */
void web_uri_display(const char *uri, char *buf, size_t size);

#endif /* DEVCRED_WEB_ASK_H */
