/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeping the keys devcredd handles inside it: OpenSSL's secure heap (the
 * pages locked in memory, out of swap, wiped when freed; every key buffer
 * of lib/cred/ and lib/store/ comes from it), no core dumps, and a process
 * that other processes of its user cannot attach to or read (not dumpable).
 */
#ifndef DEVCRED_DD_HARDENING_H
#define DEVCRED_DD_HARDENING_H

/*
 * The secure heap's size, a power of two. A request holds its key material
 * a few times at once, each copy rounded up to a power of two: the largest
 * input (DC_PROTO_BLOB_MAX, a provisioning file of keys) read, its values,
 * their PEM put back, the keys decoded: 4 MiB holds that with room for the
 * keys a worker makes meanwhile, and stays within the usual RLIMIT_MEMLOCK
 * of 8 MiB.
 */
#define DD_SECURE_HEAP_SIZE	(4u << 20)
#define DD_SECURE_HEAP_MIN	32u

/*
 * Sets up the secure heap, makes the process non-dumpable and its core
 * limit 0; call it before anything touches a key. 0, or a negative errno
 * (logged) when the secure heap cannot be had: then devcredd must not run.
 */
int dd_harden(void);

#endif /* DEVCRED_DD_HARDENING_H */
