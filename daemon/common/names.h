/* SPDX-License-Identifier: GPL-2.0 */
/* Names of slots, operations and origins, as credctl and the logs use them. */
#ifndef DEVCRED_NAMES_H
#define DEVCRED_NAMES_H

#include <linux/devcred.h>

extern const char *const dc_slot_names[DEVCRED_SLOT_COUNT];
extern const char *const dc_op_names[DEVCRED_OP_COUNT];
extern const char *const dc_origin_names[4];

/* The index of @name, or -1. */
int dc_slot_by_name(const char *name);
int dc_op_by_name(const char *name);
/* "builtin, platform1, ..." for messages listing the permitted values. */
const char *dc_slot_list(void);
const char *dc_op_list(void);

#endif /* DEVCRED_NAMES_H */
