/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The changes the pages and the API make, one function each (change.c).
 * Each returns the exit status credctl would (DC_EXIT_DONE, _FAILED,
 * _USAGE), or -1 when devcredd could not be asked, with devcredd's answer
 * (done) or the message credctl would print (refused) in @msg, and logs the
 * change with the client's address.
 */
#ifndef DEVCRED_WEB_CHANGE_H
#define DEVCRED_WEB_CHANGE_H

#include "app.h"
#include "ask.h"

/**
 * struct web_install - what to install: @bundle, or @cert with an optional
 *	@key (URIs, NULL when not given)
 * @slot: the slot
 * @bundle: a URI of certificate(s) and key in one file
 * @cert: a URI of the certificate (chain)
 * @key: a URI of the key; without it, the slot's pending key (from a CSR)
 * @passphrase: the key's, NULL for none
 * @force: accept an expired or not yet valid certificate
 */
struct web_install {
	const char *slot;
	const char *bundle;
	const char *cert;
	const char *key;
	const char *passphrase;
	int force;
};

int web_do_install(const struct web_ctx *c, const struct web_install *in, char *msg, size_t size);
int web_do_bind(const struct web_ctx *c, const char *op, const char *slot, char *msg,
		size_t size);
int web_do_remove(const struct web_ctx *c, const char *slot, char *msg, size_t size);

/* csr: the CSR, its file name and the key (unless kept) in @ans. */
int web_do_csr(const struct web_ctx *c, const struct dc_csr_request *csr, struct web_answer *ans);

#endif /* DEVCRED_WEB_CHANGE_H */
