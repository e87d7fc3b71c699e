/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may use devcred-web: the one administrator, "admin", whose password
 * hash 'credctl web-password' keeps in CONFDIR/web-password
 * (common/password.h). The pages log in with a form and keep a session
 * cookie; the API sends HTTP Basic with every request.
 *
 * - The password file is looked at before every check: a new password
 *   takes effect at once and ends every session of the old one.
 * - Sessions: a random token (the cookie __Host-devcred, HttpOnly, Secure,
 *   SameSite=Strict) and a random CSRF token every form carries; they end
 *   after WEB_SESSION_IDLE_S idle or WEB_SESSION_MAX_S in all, or at
 *   logout; at most WEB_SESSIONS_MAX at once (a new one ends the oldest).
 * - Basic: a password once verified is remembered for WEB_BASIC_CACHE_S as
 *   an HMAC under a key made at start, so that scripts do not pay a slow
 *   hash per request; the password itself is not kept.
 * - Failed logins, form or Basic, are counted per client address: after
 *   WEB_FAILS_MAX in WEB_FAILS_WINDOW_S, that address gets 429 until the
 *   oldest of them is a window old, without its password being checked.
 *
 * Thread-safe: the workers share this state under one lock; the slow hash
 * runs outside it.
 */
#ifndef DEVCRED_WEB_AUTH_H
#define DEVCRED_WEB_AUTH_H

#include <stddef.h>

#include "common/output.h"

#define WEB_SESSION_COOKIE	"__Host-devcred"
#define WEB_SESSION_IDLE_S	900
#define WEB_SESSION_MAX_S	28800
#define WEB_SESSIONS_MAX	16
#define WEB_TOKEN_LEN		64	/* hex of 32 random bytes */
#define WEB_BASIC_CACHE_S	300
#define WEB_BASIC_CACHE_MAX	8
#define WEB_FAILS_MAX		5
#define WEB_FAILS_WINDOW_S	60
#define WEB_FAIL_PEERS_MAX	256

enum web_pw_state {
	WEB_PW_NONE,		/* no password set */
	WEB_PW_SET,
	WEB_PW_BROKEN,		/* the file cannot be read or is not a hash line */
};

/* Sets the folder of the password file; the HMAC key. 0 or -1 (no randomness). */
int web_auth_init(const char *confdir);

/* Whether a password is set, the file looked at again; @why when broken. */
enum web_pw_state web_auth_state(char *why, size_t whylen);

/*
 * Whether @peer may try a password now: 0 yes; else the seconds until it
 * may (for Retry-After).
 */
int web_throttle_wait(const char *peer);

/*
 * Checks "admin" and @pw (@len bytes) for @peer, counting a failure
 * against it: 1 right, 0 wrong, -1 when no password can be checked (none
 * set, or the file broken).
 */
int web_auth_login(const char *peer, const char *user, const char *pw, size_t len);

/* An Authorization header's Basic credentials, checked as web_auth_login(). */
int web_auth_basic(const char *peer, const char *header);

/*
 * A new session: its cookie token and CSRF token in @token and @csrf
 * (WEB_TOKEN_LEN + 1 bytes each). 0 or -1.
 */
int web_session_new(char *token, char *csrf);

/*
 * The session a Cookie header names, if it is live: 1 and its CSRF token
 * in @csrf (WEB_TOKEN_LEN + 1 bytes), its idle time restarted; else 0.
 */
int web_session_find(const char *cookie, char *csrf);

/* Ends the session a Cookie header names, if any, and wipes what it kept. */
void web_session_end(const char *cookie);

/*
 * Keeps a CSR for the session of @cookie: the base name of its files
 * (the MAC address), the request, and the private key (NULL when the
 * device kept it), replacing the last. 0, or -1 (no session, no memory).
 */
int web_session_keep_csr(const char *cookie, const char *name, const char *csr, size_t csr_len,
			 const char *key, size_t key_len);

/*
 * Appends the session's CSR (@key 0) or its private key (@key 1) to @out
 * and its base name to @name; 0, or -1 when there is none. The key is
 * handed out once and then forgotten.
 */
int web_session_csr(const char *cookie, int key, char *name, size_t namelen, struct dc_out *out);

/* Equal strings, compared in a time that does not depend on where they differ. */
int web_token_equal(const char *a, const char *b);

#endif /* DEVCRED_WEB_AUTH_H */
