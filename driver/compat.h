/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between the releases devcred supports
 * (6.1 to 6.12), kept in one place. driver/Kbuild detects them from the
 * kernel's headers (DEVCRED_HAVE_*), so no version numbers are compared.
 */
#ifndef _DEVCRED_COMPAT_H
#define _DEVCRED_COMPAT_H

#include <linux/mm.h>
#include <linux/string.h>

/*
 * platform_driver.remove returns void from 6.11 on; earlier releases take a
 * void-returning callback as .remove_new.
 */
#ifdef DEVCRED_HAVE_VOID_REMOVE
#define DEVCRED_PLATFORM_REMOVE(fn)	.remove = (fn)
#else
#define DEVCRED_PLATFORM_REMOVE(fn)	.remove_new = (fn)
#endif

/* kvmemdup() is missing from 6.1. */
#ifndef DEVCRED_HAVE_KVMEMDUP
static inline void *kvmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kvmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}
#endif

#endif /* _DEVCRED_COMPAT_H */
