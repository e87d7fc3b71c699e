/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the TLS server's certificate and key come from: the credential
 * bound to one operation (browser) now. tls.c asks at every handshake;
 * a source hands back the version it holds while the binding has not
 * changed, and loads the new one when it has.
 *
 * Two sources implement this interface, one file each; the Makefile links
 * one (WEB_CRED_SOURCE):
 *   tls_cred_files.c  the files devcredd publishes, DIR/OP/{chain,key}.pem
 *                     (the key read by devcred-web's user, through
 *                     devcredd --key-group);
 *   (to come with the devcred provider, issue 17) the provider's store
 *                     URI devcred:op=OP, a key handle whose private half
 *                     never leaves devcredd.
 * Either way the version is the directory DIR/OP links to (devcredd
 * publishes the certificates in both cases): a new binding, a new
 * credential in the bound slot or a devcredd started again each make a
 * new directory.
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
 * @version: the name of the directory it was published in
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

/* What the linked source reads, for the logs and --help. */
extern const char web_cred_source_name[];

/* A source for operation @op under the run folder @run_dir; NULL: no memory. */
struct web_cred_source *web_cred_source_new(const char *run_dir, const char *op);
void web_cred_source_free(struct web_cred_source *s);

/*
 * The credential bound now, owned by the source and good until the next
 * call (take references to keep it longer); NULL when there is none or it
 * cannot be loaded, with the reason in @err. *@changed is set when the
 * version differs from the last call's.
 */
const struct web_cred *web_cred_current(struct web_cred_source *s, int *changed, char *err,
					size_t errlen);

#endif /* DEVCRED_WEB_TLS_CRED_H */
