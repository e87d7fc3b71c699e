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

/* The index of @name, or -ENOENT. */
int dc_slot_by_name(const char *name);
int dc_op_by_name(const char *name);
int dc_key_type_by_name(const char *name);

/* "builtin, platform1, ..." for messages listing the permitted values. */
const char *dc_slot_list(void);
const char *dc_op_list(void);
const char *dc_key_type_list(void);

#endif /* DEVCRED_COMMON_NAMES_H */
