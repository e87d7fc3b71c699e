/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the TLS server's certificate and key come from: the credential
 * bound to one operation (browser) now. tls.c asks at every handshake;
 * a source hands back the version it holds while the binding has not
 * changed, and loads the new one when it has.
 *
 * The credential comes one of two ways (enum web_key_from), one file
 * each, behind tls_cred.c:
 *   tls_cred_provider.c  the devcred provider's store URI devcred:op=OP:
 *                     the certificate, its issuers and a key handle whose
 *                     private half never leaves devcredd (devcredd signs;
 *                     /etc/devcred/key-access must grant devcred-web's
 *                     user the key); works with devcredd --no-key-files;
 *   tls_cred_files.c  the files devcredd publishes, DIR/OP/{chain,key}.pem
 *                     (the key read by devcred-web's user, through
 *                     devcredd --key-group).
 * A new version is loaded whole, certificate and key of one credential.
 * With the files, the version is the directory DIR/OP links to: a new
 * binding, a new credential in the bound slot or a devcredd started again
 * each make a new directory. With the provider, devcredd is asked at every
 * handshake and the version is the key handle's pin (the slot, its
 * generation, its chain's SHA-256): what devcredd holds now, so a change
 * is served from the next handshake on even when devcredd could not
 * publish it (a full /run), and never a key devcredd would no longer sign
 * with.
 *
 * Loop-only: no locking.
 */
#ifndef DEVCRED_WEB_TLS_CRED_H
#define DEVCRED_WEB_TLS_CRED_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/**
 * struct web_cred - one version of the bound credential
 * @cert: the leaf
 * @chain: its issuers as published (may be empty), leaf not included
 * @key: the private key, or a handle to it
 * @version: the name of the directory it was published in (files), or
 *	the key's pin, SLOT:GENERATION:SHA256 (provider)
 * @cn: the leaf's common name, for the logs
 */
struct web_cred {
	X509 *cert;
	STACK_OF(X509) *chain;
	EVP_PKEY *key;
	char version[256];
	char cn[256];
};

struct web_cred_source;

/* Where the key comes from: --key-source. */
enum web_key_from {
	WEB_KEY_AUTO,		/* the provider when it loads, else the files */
	WEB_KEY_PROVIDER,
	WEB_KEY_FILES,
};

/* What @from reads, for the logs and --help. */
const char *web_key_from_name(enum web_key_from from);

/*
 * Settles WEB_KEY_AUTO: loads the devcred provider (beside OpenSSL's
 * default one) when @from is not WEB_KEY_FILES. Returns the way chosen, or
 * -1 when WEB_KEY_PROVIDER was asked and the provider cannot be loaded
 * (the reason logged).
 */
int web_key_from_settle(enum web_key_from from);
/* Unloads what web_key_from_settle() loaded, at exit. */
void web_key_from_release(void);

/*
 * A source for operation @op under the run folder @run_dir, the key read
 * the way @from (settled) says; NULL: no memory.
 */
struct web_cred_source *web_cred_source_new(const char *run_dir, const char *op,
					    enum web_key_from from);
void web_cred_source_free(struct web_cred_source *s);

/*
 * The credential bound now, owned by the source and good until the next
 * call (take references to keep it longer); NULL when there is none or it
 * cannot be loaded, with the reason in @err. *@changed is set when the
 * version differs from the last call's.
 */
const struct web_cred *web_cred_current(struct web_cred_source *s, int *changed, char *err,
					size_t errlen);

/*
 * The loaders: one version of the credential into @c (the provider's sets
 * @c->version to the key's pin); 0, or -1 with @err.
 */
int web_cred_load_files(int dfd, struct web_cred *c, char *err, size_t errlen);
int web_cred_load_provider(const char *op, struct web_cred *c, char *err, size_t errlen);

#endif /* DEVCRED_WEB_TLS_CRED_H */
