/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the tests (built with DEVCRED_FAULT_INJECT=1):
 * debugfs files under devcred/, or the module parameters cut_at and
 * cut_mode at load, cut the power at the Nth flash write or erase,
 * optionally leaving that operation torn; the driver's write and erase then
 * fail with -ESHUTDOWN. Others make flash writes and erases fail with a
 * chosen error, as a flash driver reporting a timeout or a failed program
 * would, or change a byte of what a read returns. Production builds get the
 * empty stubs below.
 */
#ifndef _DEVCRED_FAULT_H
#define _DEVCRED_FAULT_H

#include <linux/types.h>

struct mtd_info;

enum devcred_power {
	DEVCRED_POWER_ON,	/* the operation happens */
	DEVCRED_POWER_CUT,	/* the power fails during this operation */
	DEVCRED_POWER_OFF,	/* the power failed before: nothing happens */
};

#ifdef DEVCRED_FAULT_INJECT
enum devcred_power devcred_fault_power(void);
int devcred_fault_error(void);
int devcred_fault_disturb(loff_t ofs, size_t len, u8 *buf);
void devcred_fault_tear_write(struct mtd_info *mtd, loff_t ofs, size_t len, const u8 *buf);
void devcred_fault_tear_erase(struct mtd_info *mtd, loff_t ofs, size_t len);
void devcred_fault_init(void);
void devcred_fault_exit(void);
#else
static inline enum devcred_power devcred_fault_power(void)
{
	return DEVCRED_POWER_ON;
}

static inline int devcred_fault_error(void)
{
	return 0;
}

static inline int devcred_fault_disturb(loff_t ofs, size_t len, u8 *buf)
{
	return 0;
}

static inline void devcred_fault_tear_write(struct mtd_info *mtd, loff_t ofs, size_t len,
					    const u8 *buf)
{
}

static inline void devcred_fault_tear_erase(struct mtd_info *mtd, loff_t ofs, size_t len)
{
}

static inline void devcred_fault_init(void)
{
}

static inline void devcred_fault_exit(void)
{
}
#endif

#endif /* _DEVCRED_FAULT_H */
