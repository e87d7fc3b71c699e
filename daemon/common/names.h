/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names credctl, devcredd and the logs give slots, operations, origins
 * and the key types of on-device CSRs: one table each, for both programs.
 */
#ifndef DEVCRED_COMMON_NAMES_H
#define DEVCRED_COMMON_NAMES_H

#include <linux/devcred.h>

extern const char *const dc_slot_names[DEVCRED_SLOT_COUNT];
extern const char *const dc_op_names[DEVCRED_OP_COUNT];
extern const char *const dc_origin_names[4];

/* The keys "credctl csr" can have devcredd make; the first is the default. */
enum dc_key_type {
	DC_KEY_RSA2048,
	DC_KEY_RSA3072,
	DC_KEY_EC_P256,
	DC_KEY_TYPE_COUNT
};

extern const char *const dc_key_type_names[DC_KEY_TYPE_COUNT];

/*
 * What devcredd signs with an operation's key (the devcred provider's
 * "sign"): the schemes TLS 1.2 and 1.3 authenticate with, over the digests
 * they use. SHA-1 and MD5 are left out: a signature over a digest that
 * collides can be replayed on another message.
 */
enum dc_sig_alg {
	DC_SIG_RSA_PKCS1,	/* RSASSA-PKCS1-v1_5 */
	DC_SIG_RSA_PSS,		/* RSASSA-PSS, MGF1 */
	DC_SIG_ECDSA,
	DC_SIG_ALG_COUNT
};

enum dc_digest {
	DC_DIGEST_SHA256,
	DC_DIGEST_SHA384,
	DC_DIGEST_SHA512,
	DC_DIGEST_COUNT
};

extern const char *const dc_sig_alg_names[DC_SIG_ALG_COUNT];
extern const char *const dc_digest_names[DC_DIGEST_COUNT];
/* Each digest's length in bytes. */
extern const unsigned int dc_digest_sizes[DC_DIGEST_COUNT];

/* The index of @name, or -ENOENT. */
int dc_slot_by_name(const char *name);
int dc_op_by_name(const char *name);
int dc_key_type_by_name(const char *name);
int dc_sig_alg_by_name(const char *name);
int dc_digest_by_name(const char *name);

/* "builtin, platform1, ..." for messages listing the permitted values. */
const char *dc_slot_list(void);
const char *dc_op_list(void);
const char *dc_key_type_list(void);

#endif /* DEVCRED_COMMON_NAMES_H */
