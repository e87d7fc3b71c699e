/* SPDX-License-Identifier: GPL-2.0 */
/*
 * URIs for credctl, through libcurl: downloads of the inputs (http, https,
 * tftp, file) and uploads of what csr wrote (HTTP PUT, tftp).
 *
 * credctl, not devcredd, fetches: with the rights of whoever runs it, so
 * that a file:// URI cannot read what that user could not.
 *
 * https verifies the server against --cacert FILE, else provisioning.conf's
 * ca, else $DEVCRED_CONFDIR/provisioning-ca.pem (DEVCRED_CONFDIR defaults to
 * /etc/devcred) when it exists, else the system's default CA bundle; and
 * presents the client certificate uri_opts names, through the devcred
 * OpenSSL provider (client_cert.h). http, tftp and file present none.
 * Redirects: at most URI_MAX_REDIRS, to http or https only, and never
 * from https to http. Every failure leaves one line in @err saying why: the
 * libcurl error text, the HTTP status, or the size limit.
 */
#ifndef CREDCTL_URI_FETCH_H
#define CREDCTL_URI_FETCH_H

#include <stddef.h>

#include "common/proto.h"
#include "common/provconf.h"

#define URI_CONNECT_TIMEOUT_S	10
#define URI_TIMEOUT_S		60	/* the whole transfer; --timeout overrides */
#define URI_TIMEOUT_MAX_S	86400
#define URI_MAX_REDIRS	3
#define URI_PROVISIONING_CA	"provisioning-ca.pem"
/* The credential https transfers present: the one bound to provisioning. */
#define URI_CLIENT_CERT_PROVISIONING	"devcred:op=provisioning"
/* Room for a reason in @err, and for a URI in messages. */
#define URI_ERR_MAX		1024
#define URI_MAX		2048

/**
 * struct uri_opts - how to reach servers
 * @cacert: CA bundle for https (--cacert), NULL for the default rules
 * @timeout_s: limit on a whole transfer in seconds; 0 for URI_TIMEOUT_S
 * @netrc: a netrc file with the servers' logins and passwords (--netrc-file),
 *	so that no password need be on the command line; NULL for none
 * @ca: the CA bundle provisioning.conf names (its "ca"), used when @cacert
 *	is NULL; NULL or "" for the rules after it
 * @client_cert: the devcred provider URI of the credential to present to
 *	https servers (URI_CLIENT_CERT_PROVISIONING); NULL to present none
 *	(--no-client-cert). When it cannot be used, the transfer fails before
 *	it starts, saying why: it never goes out without it.
 */
struct uri_opts {
	const char *cacert;
	long timeout_s;
	const char *netrc;
	const char *ca;
	const char *client_cert;
};

/* An argument is a URI when it contains "://". */
int uri_is(const char *arg);

/*
 * @uri as messages and logs show it: without its password, its query
 * string and its fragment (where tokens travel); "?..." marks a query or
 * fragment left out.
 */
void uri_display(const char *uri, char *buf, size_t size);

/* uri_download(): the server says there is no such file. */
#define URI_NOT_FOUND	(-2)

/*
 * Downloads @uri into @out: malloc'ed, 1 to DC_PROTO_BLOB_MAX bytes, wiped
 * by whoever frees it (it may hold a key). The transfer stops as soon as it
 * passes the limit. Returns 0, or -1 with the reason in @err; URI_NOT_FOUND
 * (with the reason too) when the server says there is no such file (HTTP
 * 404, a missing tftp or file:// file), for callers that fall back on
 * another file.
 */
int uri_download(const char *uri, const struct uri_opts *o, struct dc_buf *out,
		   char *err, size_t errlen);

/*
 * Uploads @len bytes at @data to @url (http, https: PUT; tftp), appending
 * @name when @url ends with '/'; the URL used goes to @where (for
 * messages, shown without a password). Returns 0, or -1 with the reason in
 * @err.
 */
int uri_upload(const char *url, const char *name, const void *data, size_t len,
		 const struct uri_opts *o, char *where, size_t wherelen, char *err,
		 size_t errlen);

/*
 * 1 when the URI's scheme is one @list ("http,https") names; 0 when not or
 * malformed; -1 when libcurl cannot be opened to tell, the reason in @err.
 */
int uri_scheme_in(const char *uri, const char *list, char *err, size_t errlen);

/*
 * The provisioning setting for transfers: reads
 * $DEVCRED_CONFDIR/provisioning.conf into @pc (common/provconf.h), and
 * sets @o's @ca from it and @client_cert to URI_CLIENT_CERT_PROVISIONING.
 * Returns 1 when the file was read; 0 when there is none (@pc zeroed, its
 * interval the default; @o's @ca left as it was); -1 when it cannot be
 * read or is wrong, the file, the line and the reason in @err.
 */
int uri_provisioning(struct uri_opts *o, struct dc_provconf *pc, char *err, size_t errlen);

/* The configuration folder: $DEVCRED_CONFDIR, else DC_CONFDIR. */
const char *uri_confdir(void);

#endif /* CREDCTL_URI_FETCH_H */
