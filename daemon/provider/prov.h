/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devcred OpenSSL provider: what its files share. The provider offers
 * a STORE loader for devcred:op=OPERATION and devcred:slot=SLOT, KEYMGMT
 * for the RSA and EC keys it loads (the public half from the certificate,
 * the private half a handle on devcredd's key) and SIGNATURE for them, made
 * by devcredd (provider.c has the dispatch tables).
 *
 * One error convention, OpenSSL's: functions return 1 (or a pointer) on
 * success, 0 (NULL) on failure with the reason raised into OpenSSL's error
 * queue by dp_raise().
 */
#ifndef DEVCRED_PROVIDER_PROV_H
#define DEVCRED_PROVIDER_PROV_H

#include <limits.h>
#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/types.h>

/* The provider's name: -provider devcred, the URI scheme devcred:. */
#define DP_NAME		"devcred"
/*
 * What the provider fetches from its child library context: anything but
 * itself (the child sees every provider of the application, this one too,
 * whose KEYMGMT only loads devcred keys and cannot hold a certificate's).
 */
#define DP_OTHERS	"provider!=" DP_NAME
/* How long devcredd may take to answer (a signature on a loaded board). */
#define DP_ANSWER_TIMEOUT_MS	15000

/**
 * struct dp_prov - one loaded instance of the provider
 * @core: the core's handle, for errors and parameters
 * @libctx: a child of the application's library context: digests, and the
 *	public halves of the keys, come from its other providers
 * @socket: devcredd's socket: the "socket" parameter of the provider's
 *	section of openssl.cnf, $DEVCRED_SOCKET, or /run/devcred/devcredd.sock,
 *	whole, so that one too long for a socket address is refused when
 *	connecting rather than cut short (a shorter path is another socket)
 * @new_error, @set_error_debug, @vset_error: the core's error functions
 */
struct dp_prov {
	const OSSL_CORE_HANDLE *core;
	OSSL_LIB_CTX *libctx;
	char socket[PATH_MAX];
	OSSL_FUNC_core_new_error_fn *new_error;
	OSSL_FUNC_core_set_error_debug_fn *set_error_debug;
	OSSL_FUNC_core_vset_error_fn *vset_error;
};

/* The reasons the provider gives OpenSSL's error queue (provider.c names them). */
enum dp_reason {
	DP_R_BAD_URI = 1,	/* a URI that is not devcred:op=.. or devcred:slot=.. */
	DP_R_NO_DAEMON,		/* devcredd cannot be reached */
	DP_R_REFUSED,		/* devcredd refused: its message follows */
	DP_R_BAD_ANSWER,	/* devcredd's answer is not what was asked */
	DP_R_UNSUPPORTED_KEY,	/* a key type or size the provider does not take */
	DP_R_UNSUPPORTED,	/* an operation or parameter it does not do */
	DP_R_NO_MEMORY,
	DP_R_NOT_ALLOWED,	/* the caller may not sign with the key */
};

/* Raises @reason with a message into OpenSSL's error queue; returns 0. */
#define dp_raise(prov, reason, ...) \
	dp_raise_at((prov), __FILE__, __LINE__, __func__, (reason), __VA_ARGS__)
int dp_raise_at(const struct dp_prov *prov, const char *file, int line, const char *func,
		enum dp_reason reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The dispatch tables of each operation. */
extern const OSSL_DISPATCH dp_store_functions[];
extern const OSSL_DISPATCH dp_rsa_keymgmt_functions[];
extern const OSSL_DISPATCH dp_ec_keymgmt_functions[];
extern const OSSL_DISPATCH dp_rsa_signature_functions[];
extern const OSSL_DISPATCH dp_ecdsa_signature_functions[];

#endif /* DEVCRED_PROVIDER_PROV_H */
