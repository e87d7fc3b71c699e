/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between the releases devcred supports
 * (6.1 to 6.12), kept in one place.
 */
#ifndef _DEVCRED_COMPAT_H
#define _DEVCRED_COMPAT_H

#include <linux/version.h>

/*
 * platform_driver.remove returns void from 6.11 on; earlier releases take a
 * void-returning callback as .remove_new.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define DEVCRED_PLATFORM_REMOVE(fn)	.remove = (fn)
#else
#define DEVCRED_PLATFORM_REMOVE(fn)	.remove_new = (fn)
#endif

#endif /* _DEVCRED_COMPAT_H */
