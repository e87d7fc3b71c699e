// SPDX-License-Identifier: GPL-2.0
/*
 * The store's key-encryption key, taken from the caller's keyrings: the
 * kernel "encrypted" key DEVCRED_KEK_DESC, whose master must be the
 * "trusted" key DEVCRED_KMK_DESC. Only the 32 decrypted bytes of the first
 * are used; the blobs of both are read through their key types' own read
 * operations, so the blobs stored on flash are the ones of the keys in use
 * and no program can hand in others. The encrypted key's blob is read only
 * when asked for (devcred_kek_read_blob()): its type encrypts and MACs it
 * anew at every read, and loading a store whose sealed keys already prove
 * the KEK does without it (key-sealing.rst). The lookup is request_key()
 * without callout information: the keys are searched for, never asked for
 * through an upcall.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/key.h>
#include <linux/key-type.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <keys/encrypted-type.h>
#include <keys/trusted-type.h>

#include "devcred.h"

#if IS_REACHABLE(CONFIG_ENCRYPTED_KEYS) && IS_REACHABLE(CONFIG_TRUSTED_KEYS)

/*
 * Reads @key's blob as "keyctl read" would, into a buffer of at most @max
 * bytes: one read, since the trusted and encrypted key types fill the
 * buffer only when it is large enough and return the blob's length in any
 * case (other types may copy part of it: a length over @max is refused).
 */
static int devcred_kek_read_key_blob(struct key *key, u16 max, u8 **blob, u16 *len)
{
	u8 *buf = kmalloc(max, GFP_KERNEL);
	long n;

	if (!buf)
		return -ENOMEM;
	down_read(&key->sem);
	n = key_validate(key);
	if (!n)
		n = key->type->read(key, buf, max);
	up_read(&key->sem);
	if (n < 0 || !n || n > max) {
		kfree(buf);
		return n < 0 ? n : -EKEYREJECTED;
	}
	*blob = buf;
	*len = n;
	return 0;
}

/* The encrypted key's 32 bytes, after checking its master is ours. */
static int devcred_kek_read_key(struct key *key, u8 *out)
{
	const struct encrypted_key_payload *ep;
	int ret;

	down_read(&key->sem);
	ret = key_validate(key);
	ep = ret ? NULL : dereference_key_locked(key);
	if (!ret && !ep)
		ret = -EKEYREVOKED;
	if (!ret && (strcmp(ep->master_desc, "trusted:" DEVCRED_KMK_DESC) ||
		     ep->decrypted_datalen != DEVCRED_KEK_LEN))
		ret = -EKEYREJECTED;
	if (!ret)
		memcpy(out, ep->decrypted_data, DEVCRED_KEK_LEN);
	up_read(&key->sem);
	return ret;
}

int devcred_kek_find(struct devcred_kek_material *m)
{
	struct key *kek, *kmk;
	int ret;

	memset(m, 0, sizeof(*m));
	kek = request_key(&key_type_encrypted, DEVCRED_KEK_DESC, NULL);
	if (IS_ERR(kek))
		return PTR_ERR(kek);
	kmk = request_key(&key_type_trusted, DEVCRED_KMK_DESC, NULL);
	if (IS_ERR(kmk)) {
		key_put(kek);
		return PTR_ERR(kmk);
	}
	ret = devcred_kek_read_key(kek, m->key);
	if (!ret)
		ret = devcred_kek_read_key_blob(kmk, DEVCRED_SEAL_KMK_MAX, &m->kmk, &m->kmk_len);
	key_put(kmk);
	m->kek_key = kek;
	if (ret)
		devcred_kek_release(m);
	return ret;
}

int devcred_kek_read_blob(struct devcred_kek_material *m)
{
	if (m->kek)
		return 0;
	return devcred_kek_read_key_blob(m->kek_key, DEVCRED_SEAL_KEK_MAX, &m->kek, &m->kek_len);
}

#else

int devcred_kek_find(struct devcred_kek_material *m)
{
	memset(m, 0, sizeof(*m));
	pr_warn_ratelimited("this kernel has no trusted or encrypted keys (CONFIG_TRUSTED_KEYS, CONFIG_ENCRYPTED_KEYS): keys cannot be sealed\n");
	return -EOPNOTSUPP;
}

int devcred_kek_read_blob(struct devcred_kek_material *m)
{
	return -EOPNOTSUPP;
}

#endif

void devcred_kek_release(struct devcred_kek_material *m)
{
	key_put(m->kek_key);
	m->kek_key = NULL;
	memzero_explicit(m->key, sizeof(m->key));
	kfree(m->kmk);
	kfree(m->kek);
	m->kmk = NULL;
	m->kek = NULL;
	m->kmk_len = 0;
	m->kek_len = 0;
}
