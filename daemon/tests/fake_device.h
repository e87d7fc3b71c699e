/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake /dev/devcred for the host tests: lib/store/store.h's functions over
 * a folder instead of the ioctls, so that devcredd runs, and is tested,
 * under ASan and UBSan on the host. The path devcredd is given as its
 * device (--device DIR) is that folder; it is made when missing.
 *
 * The folder holds the store as files a test can read and change:
 *
 *	generation		the store generation, decimal
 *	bindings		the slot of each operation, decimal, one line
 *	SLOT.cert, SLOT.key	a slot's certificate and key (SLOT: builtin, ...)
 *	SLOT.pending		its pending key
 *	SLOT.meta		"ORIGIN GENERATION" of the slot's last change
 *	factory_mode, readonly, damaged
 *				present: DEVCRED_INFO_FACTORY_MODE, _READONLY,
 *				_DAMAGED
 *	trace			present: every call that succeeded is appended
 *				to it as "CALL SLOT" (slot 0 when none)
 *
 * The kernel's rules devcredd relies on are kept: the size limits (the
 * module's defaults), factory protection, compare-and-swap on the slot
 * generation, flash-only operations, a pending key consumed by the write
 * that pairs it. A test in the same process can run code between two
 * calls with fake_device_hook().
 */
#ifndef DEVCRED_TESTS_FAKE_DEVICE_H
#define DEVCRED_TESTS_FAKE_DEVICE_H

/*
 * Called after each call of the fake device that succeeded, with its name
 * ("info", "status", "read_cert", "read_key", "write", "set_pending",
 * "erase", "get_bindings", "set_bindings") and slot (0 when none). Calls
 * the hook makes are not hooked. NULL removes it.
 */
typedef void fake_device_hook_fn(int fd, const char *call, unsigned int slot, void *arg);
void fake_device_hook(fake_device_hook_fn *fn, void *arg);

#endif /* DEVCRED_TESTS_FAKE_DEVICE_H */
