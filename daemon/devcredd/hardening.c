// SPDX-License-Identifier: GPL-2.0
/* Keeping the keys devcredd handles inside it: see hardening.h. */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "hardening.h"

int dd_harden(void)
{
	struct rlimit no_core = { 0, 0 };
	int ret;

	/* No core, and no ptrace or /proc/PID/mem by the same user. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) || setrlimit(RLIMIT_CORE, &no_core)) {
		ret = -errno;
		dc_log(DC_LOG_ERR, "cannot keep the keys out of core dumps: %s", strerror(-ret));
		return ret;
	}
	ret = CRYPTO_secure_malloc_init(DD_SECURE_HEAP_SIZE, DD_SECURE_HEAP_MIN);
	if (!ret) {
		dc_log(DC_LOG_ERR, "cannot set up OpenSSL's secure heap of %u bytes: keys would be in ordinary memory",
		       DD_SECURE_HEAP_SIZE);
		return -ENOMEM;
	}
	/* 2: the heap is there, but mlock() failed (RLIMIT_MEMLOCK). */
	if (ret == 2)
		dc_log(DC_LOG_WARN, "secure heap of %u bytes not locked in memory (raise RLIMIT_MEMLOCK): keys may reach swap",
		       DD_SECURE_HEAP_SIZE);
	else
		dc_log(DC_LOG_DEBUG, "secure heap of %u bytes, locked in memory", DD_SECURE_HEAP_SIZE);
	return 0;
}
