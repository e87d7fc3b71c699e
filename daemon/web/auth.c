// SPDX-License-Identifier: GPL-2.0
/* The administrator, sessions and the login throttle: see auth.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/log.h"
#include "common/password.h"
#include "common/paths.h"
#include "auth.h"

/*
 * A session, and what it keeps of its last CSR for the download links: the
 * request and, unless the device kept it, the private key (handed out once).
 */
struct web_session {
	char token[WEB_TOKEN_LEN + 1];
	char csrf[WEB_TOKEN_LEN + 1];
	time_t created;
	time_t used;
	unsigned int generation;
	char csr_name[64];
	char *csr;
	char *csr_key;
};

struct web_basic_seen {
	unsigned char mac[32];
	time_t until;
};

/* A client address's failed logins: their times, the last WEB_FAILS_MAX. */
struct web_fails {
	char peer[64];
	time_t at[WEB_FAILS_MAX];
	unsigned int n;
	time_t last;
};

/*
 * Everything below is the workers' to share, under web_auth_lock. A new
 * password (or none) bumps the generation, which ends the sessions and
 * forgets the Basic credentials of the old one.
 */
static pthread_mutex_t web_auth_lock = PTHREAD_MUTEX_INITIALIZER;
static char web_pw_path[PATH_MAX];
static struct {
	enum web_pw_state state;
	char line[DC_PASSWORD_LINE_MAX];
	char why[PATH_MAX + 256];
	struct stat st;
	int have_st;
	unsigned int generation;
} web_pw;
static struct web_session web_sessions[WEB_SESSIONS_MAX];
static struct web_basic_seen web_basic[WEB_BASIC_CACHE_MAX];
static struct web_fails web_fails[WEB_FAIL_PEERS_MAX];
static unsigned char web_hmac_key[32];

static time_t web_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int web_token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && !CRYPTO_memcmp(a, b, n);
}

int web_auth_init(const char *confdir)
{
	snprintf(web_pw_path, sizeof(web_pw_path), "%s/%s", confdir, DC_WEB_PASSWORD_FILE);
	return RAND_bytes(web_hmac_key, sizeof(web_hmac_key)) == 1 ? 0 : -1;
}

static void web_free_secret(char **p)
{
	if (*p) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

/* Ends session @s and wipes what it kept; under the lock. */
static void web_session_clear(struct web_session *s)
{
	web_free_secret(&s->csr);
	web_free_secret(&s->csr_key);
	explicit_bzero(s, sizeof(*s));
}

static void web_forget_all(void)
{
	size_t i;

	for (i = 0; i < WEB_SESSIONS_MAX; i++)
		web_session_clear(&web_sessions[i]);
	explicit_bzero(web_basic, sizeof(web_basic));
	web_pw.generation++;
}

static int web_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Reads the password file into web_pw; under the lock. */
static void web_pw_read(const struct stat *st)
{
	int fd = open(web_pw_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n = fd < 0 ? -1 : read(fd, web_pw.line, sizeof(web_pw.line) - 1);
	const char *user = DC_WEB_USER ":" DC_PASSWORD_PREFIX;

	if (fd >= 0)
		close(fd);
	web_pw.state = WEB_PW_BROKEN;
	if (n < 0) {
		snprintf(web_pw.why, sizeof(web_pw.why), "%s: %s", web_pw_path, strerror(errno));
		n = 0;
	} else if (n == (ssize_t)sizeof(web_pw.line) - 1 || strncmp(web_pw.line, user, strlen(user)) ||
		   memchr(web_pw.line, '\n', n) != web_pw.line + n - 1) {
		snprintf(web_pw.why, sizeof(web_pw.why),
			 "%s: not one line \"admin:$y$...\" as credctl web-password writes",
			 web_pw_path);
	} else {
		web_pw.state = WEB_PW_SET;
	}
	web_pw.line[n] = '\0';
	web_pw.st = *st;
	web_pw.have_st = 1;
	web_forget_all();
	if (web_pw.state == WEB_PW_SET)
		dc_log(DC_LOG_INFO, "auth: the administrator password of %s is in force", web_pw_path);
	else
		dc_log(DC_LOG_ERR, "auth: %s", web_pw.why);
}

/* Brings web_pw up to date with the file; under the lock. */
static void web_pw_refresh(void)
{
	struct stat st;

	if (stat(web_pw_path, &st)) {
		if (web_pw.state != WEB_PW_NONE || web_pw.have_st) {
			if (web_pw.state == WEB_PW_SET)
				dc_log(DC_LOG_WARN, "auth: %s is gone: no password, no login",
				       web_pw_path);
			explicit_bzero(web_pw.line, sizeof(web_pw.line));
			web_pw.state = WEB_PW_NONE;
			web_pw.have_st = 0;
			web_forget_all();
		}
		return;
	}
	if (!web_pw.have_st || !web_same_file(&st, &web_pw.st))
		web_pw_read(&st);
}

enum web_pw_state web_auth_state(char *why, size_t whylen)
{
	enum web_pw_state s;

	pthread_mutex_lock(&web_auth_lock);
	web_pw_refresh();
	s = web_pw.state;
	if (why)
		snprintf(why, whylen, "%s", web_pw.why);
	pthread_mutex_unlock(&web_auth_lock);
	return s;
}

/* @peer's failures, or a free (or the stalest) entry for it; under the lock. */
static struct web_fails *web_fails_of(const char *peer, int make)
{
	struct web_fails *f, *stalest = &web_fails[0];

	for (f = web_fails; f < web_fails + WEB_FAIL_PEERS_MAX; f++) {
		if (f->n && !strcmp(f->peer, peer))
			return f;
		if (f->last < stalest->last || (!f->n && stalest->n))
			stalest = f;
	}
	if (!make)
		return NULL;
	memset(stalest, 0, sizeof(*stalest));
	snprintf(stalest->peer, sizeof(stalest->peer), "%s", peer);
	return stalest;
}

int web_throttle_wait(const char *peer)
{
	struct web_fails *f;
	time_t now = web_now(), oldest;
	int wait = 0;

	pthread_mutex_lock(&web_auth_lock);
	f = web_fails_of(peer, 0);
	if (f && f->n >= WEB_FAILS_MAX) {
		oldest = f->at[f->n % WEB_FAILS_MAX];
		if (now - oldest < WEB_FAILS_WINDOW_S)
			wait = WEB_FAILS_WINDOW_S - (now - oldest);
	}
	pthread_mutex_unlock(&web_auth_lock);
	return wait;
}

static void web_count_failure(const char *peer)
{
	struct web_fails *f;

	pthread_mutex_lock(&web_auth_lock);
	f = web_fails_of(peer, 1);
	f->last = web_now();
	f->at[f->n++ % WEB_FAILS_MAX] = f->last;
	pthread_mutex_unlock(&web_auth_lock);
}

int web_auth_login(const char *peer, const char *user, const char *pw, size_t len)
{
	char line[DC_PASSWORD_LINE_MAX];
	int ok;

	pthread_mutex_lock(&web_auth_lock);
	web_pw_refresh();
	ok = web_pw.state == WEB_PW_SET;
	memcpy(line, web_pw.line, sizeof(line));
	pthread_mutex_unlock(&web_auth_lock);
	if (!ok) {
		explicit_bzero(line, sizeof(line));
		return -1;
	}
	/* The hash is computed for a wrong user too: no shortcut to time. */
	ok = dc_password_check(pw, len, line) == 1 && user && !strcmp(user, DC_WEB_USER);
	explicit_bzero(line, sizeof(line));
	if (!ok)
		web_count_failure(peer);
	return ok;
}

/* HMAC of the credentials @s (@len bytes) under the key made at start. */
static void web_basic_mac(const char *s, size_t len, unsigned char *mac)
{
	unsigned int maclen = 32;

	HMAC(EVP_sha256(), web_hmac_key, sizeof(web_hmac_key), (const unsigned char *)s, len,
	     mac, &maclen);
}

/* 1 when the credentials of @mac were verified lately; under the lock. */
static int web_basic_known(const unsigned char *mac, time_t now)
{
	int i;

	for (i = 0; i < WEB_BASIC_CACHE_MAX; i++)
		if (web_basic[i].until > now && !CRYPTO_memcmp(web_basic[i].mac, mac, 32))
			return 1;
	return 0;
}

static void web_basic_remember(const unsigned char *mac, unsigned int generation)
{
	struct web_basic_seen *oldest = &web_basic[0];
	int i;

	pthread_mutex_lock(&web_auth_lock);
	/* Not if the password changed while it was being checked. */
	if (generation == web_pw.generation) {
		for (i = 1; i < WEB_BASIC_CACHE_MAX; i++)
			if (web_basic[i].until < oldest->until)
				oldest = &web_basic[i];
		memcpy(oldest->mac, mac, 32);
		oldest->until = web_now() + WEB_BASIC_CACHE_S;
	}
	pthread_mutex_unlock(&web_auth_lock);
}

/* "Basic BASE64" into "user:password" in @out (@size bytes); its length or -1. */
static int web_basic_decode(const char *header, char *out, size_t size)
{
	const char *b64;
	size_t len;
	int n;

	if (strncasecmp(header, "Basic ", 6))
		return -1;
	b64 = header + 6 + strspn(header + 6, " ");
	len = strcspn(b64, " ");
	if (!len || len % 4 || b64[len] || len / 4 * 3 >= size)
		return -1;
	n = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)b64, len);
	if (n < 0)
		return -1;
	n -= (b64[len - 1] == '=') + (b64[len - 2] == '=');
	out[n] = '\0';
	return (size_t)n == strlen(out) ? n : -1;	/* no NUL inside */
}

int web_auth_basic(const char *peer, const char *header)
{
	char cred[DC_PASSWORD_MAX + 64];
	unsigned char mac[32];
	unsigned int generation;
	char *colon;
	int n, ok;

	n = header ? web_basic_decode(header, cred, sizeof(cred)) : -1;
	colon = n > 0 ? strchr(cred, ':') : NULL;
	if (!colon) {
		explicit_bzero(cred, sizeof(cred));
		return 0;
	}
	web_basic_mac(cred, n, mac);
	pthread_mutex_lock(&web_auth_lock);
	web_pw_refresh();
	ok = web_pw.state != WEB_PW_SET ? -1 : web_basic_known(mac, web_now());
	generation = web_pw.generation;
	pthread_mutex_unlock(&web_auth_lock);
	if (!ok) {
		*colon = '\0';
		ok = web_auth_login(peer, cred, colon + 1, n - (colon + 1 - cred));
		if (ok == 1)
			web_basic_remember(mac, generation);
	}
	explicit_bzero(cred, sizeof(cred));
	return ok;
}

static int web_random_hex(char *out)
{
	unsigned char b[WEB_TOKEN_LEN / 2];
	size_t i;

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -1;
	for (i = 0; i < sizeof(b); i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	explicit_bzero(b, sizeof(b));
	return 0;
}

/* Whether session @s is live; under the lock. */
static int web_session_live(const struct web_session *s, time_t now)
{
	return s->token[0] && s->generation == web_pw.generation &&
	       now - s->used < WEB_SESSION_IDLE_S && now - s->created < WEB_SESSION_MAX_S;
}

int web_session_new(char *token, char *csrf)
{
	struct web_session *s, *pick = NULL;
	time_t now = web_now();
	int ret = 0;

	pthread_mutex_lock(&web_auth_lock);
	for (s = web_sessions; s < web_sessions + WEB_SESSIONS_MAX; s++)
		if (!pick || !web_session_live(s, now) ||
		    (web_session_live(pick, now) && s->used < pick->used))
			pick = s;
	web_session_clear(pick);
	if (web_random_hex(pick->token) || web_random_hex(pick->csrf)) {
		web_session_clear(pick);
		ret = -1;
	} else {
		pick->created = pick->used = now;
		pick->generation = web_pw.generation;
		memcpy(token, pick->token, WEB_TOKEN_LEN + 1);
		memcpy(csrf, pick->csrf, WEB_TOKEN_LEN + 1);
	}
	pthread_mutex_unlock(&web_auth_lock);
	return ret;
}

/* The session token a Cookie header carries, in @out; 0 or -1 when none. */
static int web_cookie_token(const char *cookie, char *out)
{
	const char *p = cookie, *name = WEB_SESSION_COOKIE "=";
	size_t n;

	while (p && *p) {
		p += strspn(p, " ");
		n = strcspn(p, ";");
		if (!strncmp(p, name, strlen(name)) && n - strlen(name) == WEB_TOKEN_LEN) {
			memcpy(out, p + strlen(name), WEB_TOKEN_LEN);
			out[WEB_TOKEN_LEN] = '\0';
			return 0;
		}
		p += n + !!p[n];
	}
	return -1;
}

/* The live session of @cookie; under the lock. */
static struct web_session *web_session_of(const char *cookie, time_t now)
{
	char token[WEB_TOKEN_LEN + 1];
	struct web_session *s;

	if (!cookie || web_cookie_token(cookie, token))
		return NULL;
	for (s = web_sessions; s < web_sessions + WEB_SESSIONS_MAX; s++)
		if (web_session_live(s, now) && web_token_equal(s->token, token))
			return s;
	return NULL;
}

int web_session_find(const char *cookie, char *csrf)
{
	time_t now = web_now();
	struct web_session *s;

	pthread_mutex_lock(&web_auth_lock);
	web_pw_refresh();
	s = web_session_of(cookie, now);
	if (s) {
		s->used = now;
		memcpy(csrf, s->csrf, WEB_TOKEN_LEN + 1);
	}
	pthread_mutex_unlock(&web_auth_lock);
	return !!s;
}

void web_session_end(const char *cookie)
{
	struct web_session *s;

	pthread_mutex_lock(&web_auth_lock);
	s = web_session_of(cookie, web_now());
	if (s)
		web_session_clear(s);
	pthread_mutex_unlock(&web_auth_lock);
}

int web_session_keep_csr(const char *cookie, const char *name, const char *csr, size_t csr_len,
			 const char *key, size_t key_len)
{
	struct web_session *s;
	int ret = -1;

	pthread_mutex_lock(&web_auth_lock);
	s = web_session_of(cookie, web_now());
	if (s) {
		web_free_secret(&s->csr);
		web_free_secret(&s->csr_key);
		snprintf(s->csr_name, sizeof(s->csr_name), "%s", name);
		s->csr = strndup(csr, csr_len);
		s->csr_key = key ? strndup(key, key_len) : NULL;
		ret = s->csr && (!key || s->csr_key) ? 0 : -1;
	}
	pthread_mutex_unlock(&web_auth_lock);
	return ret;
}

int web_session_csr(const char *cookie, int key, char *name, size_t namelen, struct dc_out *out)
{
	struct web_session *s;
	char **p;
	int ret = -1;

	pthread_mutex_lock(&web_auth_lock);
	s = web_session_of(cookie, web_now());
	p = s ? (key ? &s->csr_key : &s->csr) : NULL;
	if (p && *p) {
		snprintf(name, namelen, "%s", s->csr_name);
		dc_out_write(out, *p, strlen(*p));
		ret = out->failed ? -1 : 0;
		if (key && !ret)
			web_free_secret(p);	/* handed out once */
	}
	pthread_mutex_unlock(&web_auth_lock);
	return ret;
}
