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
 *	kmk.blob, kek.blob	the sealing blobs: present, the store is
 *				sealed (no DEVCRED_INFO_KEYS_CLEAR)
 *	kek_loaded		present: DEVCRED_INFO_KEK_LOADED (remove it
 *				to play a module reload)
 *	require_sealing		present: DEVCRED_INFO_SEALING_REQUIRED
 *	SLOT.corrupt		present, with the KEK loaded: the slot's
 *				sealed key failed authentication
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

#include <stddef.h>

/*
 * Called after each call of the fake device that succeeded, with its name
 * ("info", "status", "read_cert", "read_key", "write", "set_pending",
 * "erase", "get_bindings", "set_bindings", "read_seal", "load_kek") and
 * slot (0 when none). Calls the hook makes are not hooked. NULL removes
 * it.
 */
typedef void fake_device_hook_fn(int fd, const char *call, unsigned int slot, void *arg);
void fake_device_hook(fake_device_hook_fn *fn, void *arg);

/*
 * The blobs of DEVCRED_KMK_DESC and DEVCRED_KEK_DESC in the caller's
 * keyrings, NUL-terminated, as the kernel reads them for LOAD_KEK: 0, or
 * non-zero when they are not there. Defined by tests/fake_keyutils.c when
 * a program links it; LOAD_KEK fails with ENOKEY otherwise.
 */
int fake_keyring_kek(char *kmk, size_t kmk_size, char *kek, size_t kek_size)
	__attribute__((weak));

#endif /* DEVCRED_TESTS_FAKE_DEVICE_H */
