// SPDX-License-Identifier: GPL-2.0
/*
 * The credential bound to an operation, one version at a time: see
 * tls_cred.h. Each handshake asks which version is current, and a version
 * other than the one held replaces it whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/provider.h>

#include "common/log.h"
#include "lib/cred/credential.h"
#include "tls_cred.h"

/**
 * struct web_cred_source - the credential bound to one operation
 * @link: DIR/OP, the link to the version published now
 * @dir: DIR
 * @op: OP
 * @from: how the key is read (settled: not WEB_KEY_AUTO)
 * @cur: the version loaded last
 * @have: @cur holds one
 */
struct web_cred_source {
	char link[PATH_MAX];
	char dir[PATH_MAX];
	char op[32];
	enum web_key_from from;
	struct web_cred cur;
	int have;
};

const char *web_key_from_name(enum web_key_from from)
{
	switch (from) {
	case WEB_KEY_PROVIDER:
		return "the devcred provider (devcred:op=OP; the key stays in devcredd)";
	case WEB_KEY_FILES:
		return "the published files (DIR/OP/chain.pem, key.pem)";
	default:
		return "the devcred provider when it loads, else the published files";
	}
}

/*
 * The providers web_key_from_settle() loads for the process's life: the
 * devcred provider, and OpenSSL's default one by name, which the devcred
 * provider's child library context (the certificate's public key, the
 * digests) sees only when it was loaded so.
 */
static OSSL_PROVIDER *web_default_provider, *web_devcred_provider;

void web_key_from_release(void)
{
	OSSL_PROVIDER_unload(web_devcred_provider);
	OSSL_PROVIDER_unload(web_default_provider);
	web_devcred_provider = NULL;
	web_default_provider = NULL;
}

int web_key_from_settle(enum web_key_from from)
{
	const char *why;

	if (from == WEB_KEY_FILES)
		return from;
	/* retain_fallbacks: when devcred does not load, nothing else changes. */
	web_default_provider = OSSL_PROVIDER_try_load(NULL, "default", 1);
	web_devcred_provider = web_default_provider ?
			       OSSL_PROVIDER_try_load(NULL, "devcred", 1) : NULL;
	if (web_devcred_provider)
		return WEB_KEY_PROVIDER;
	why = ERR_reason_error_string(ERR_peek_last_error());
	ERR_clear_error();
	web_key_from_release();
	if (from == WEB_KEY_PROVIDER) {
		dc_log(DC_LOG_ERR, "--key-source provider: cannot load the devcred provider (%s): "
		       "is devcred.so in OpenSSL's modules folder or $OPENSSL_MODULES?",
		       why ? why : "not found");
		return -1;
	}
	dc_log(DC_LOG_INFO, "the devcred provider does not load (%s): the key comes from the files",
	       why ? why : "not found");
	return WEB_KEY_FILES;
}

struct web_cred_source *web_cred_source_new(const char *run_dir, const char *op,
					    enum web_key_from from)
{
	struct web_cred_source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	snprintf(s->link, sizeof(s->link), "%s/%s", run_dir, op);
	snprintf(s->dir, sizeof(s->dir), "%s", run_dir);
	snprintf(s->op, sizeof(s->op), "%s", op);
	s->from = from;
	return s;
}

static void web_cred_clear(struct web_cred *c)
{
	X509_free(c->cert);
	sk_X509_pop_free(c->chain, X509_free);
	EVP_PKEY_free(c->key);
	memset(c, 0, sizeof(*c));
}

void web_cred_source_free(struct web_cred_source *s)
{
	if (!s)
		return;
	web_cred_clear(&s->cur);
	free(s);
}

/*
 * The published files: the version is the directory DIR/OP links to, read
 * at every handshake (cheap) and loaded only when it names another. 1: the
 * version held is current; 0: @next loaded; -1: @err says why not.
 */
static int web_cred_next_files(struct web_cred_source *s, struct web_cred *next, char *err,
			       size_t errlen)
{
	char target[NAME_MAX + 1], path[PATH_MAX * 2];
	ssize_t n = readlink(s->link, target, sizeof(target) - 1);
	int dfd, ret;

	if (n <= 0 || n >= (ssize_t)sizeof(target) - 1) {
		snprintf(err, errlen, "%s: %s", s->link,
			 n < 0 && errno == ENOENT ? "not published (slot empty, or devcredd not running)" :
			 n < 0 ? strerror(errno) : "not a link to a version");
		return -1;
	}
	target[n] = '\0';
	if (s->have && !strcmp(target, s->cur.version))
		return 1;
	snprintf(path, sizeof(path), "%s/%s", s->dir, target);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = web_cred_load_files(dfd, next, err, errlen);
	close(dfd);
	snprintf(next->version, sizeof(next->version), "%s", target);
	return ret;
}

/*
 * The provider: devcredd is asked at every handshake (one request, as a
 * signature is), so that a new binding or a new credential in the slot is
 * served from the next handshake on even when devcredd could not publish
 * it; the version is the pin of the key it answers with. 1: the same pin
 * as the version held; 0: @next is another; -1: @err says why not.
 */
static int web_cred_next_provider(struct web_cred_source *s, struct web_cred *next, char *err,
				  size_t errlen)
{
	if (web_cred_load_provider(s->op, next, err, errlen))
		return -1;
	return s->have && !strcmp(next->version, s->cur.version);
}

const struct web_cred *web_cred_current(struct web_cred_source *s, int *changed, char *err,
					size_t errlen)
{
	struct web_cred next = { 0 };
	int ret;

	*changed = 0;
	if (s->from == WEB_KEY_PROVIDER)
		ret = web_cred_next_provider(s, &next, err, errlen);
	else
		ret = web_cred_next_files(s, &next, err, errlen);
	if (ret) {
		web_cred_clear(&next);
		return ret > 0 ? &s->cur : NULL;
	}
	if (cred_common_name(next.cert, next.cn, sizeof(next.cn)))
		snprintf(next.cn, sizeof(next.cn), "-");
	web_cred_clear(&s->cur);
	s->cur = next;
	s->have = 1;
	*changed = 1;
	return &s->cur;
}
