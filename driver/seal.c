// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing one private key for flash: AES-256-GCM under the store's
 * key-encryption key, through the kernel crypto API. The associated data is
 * the key's place (slot, key or pending key, the slot's generation), so a
 * sealed key copied to another slot or field, or an older one spliced into a
 * newer record, fails authentication. A sealed key is nonce | ciphertext |
 * tag; the nonce is random for each sealing (key-sealing.rst says why that
 * is enough for the writes a flash chip lives through).
 */

#include <crypto/aead.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "devcred.h"

/* The associated data, as key-sealing.rst lays it out. */
struct devcred_seal_ad {
	__le32 slot;
	__le32 kind;
	__le64 generation;
} __packed;

struct crypto_aead *devcred_seal_tfm(const u8 *kek, unsigned int len)
{
	struct crypto_aead *tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	int ret;

	if (IS_ERR(tfm))
		return tfm;
	ret = crypto_aead_setauthsize(tfm, DEVCRED_SEAL_TAG_LEN);
	if (!ret)
		ret = crypto_aead_setkey(tfm, kek, len);
	if (ret) {
		crypto_free_aead(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

/*
 * One GCM request in place over @buf: the associated data, then @len bytes
 * of text, then room for (or the) tag. The buffer is kmalloc'ed: a
 * scatterlist needs linear memory. A tag that does not match is -EBADMSG.
 */
static int devcred_seal_crypt(struct crypto_aead *tfm, bool encrypt, const u8 *nonce,
			      u8 *buf, unsigned int len)
{
	u8 iv[DEVCRED_SEAL_NONCE_LEN];
	struct aead_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg;
	int ret;

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	/* The request may write to its IV; the nonce stays as stored. */
	memcpy(iv, nonce, sizeof(iv));
	sg_init_one(&sg, buf, sizeof(struct devcred_seal_ad) + len + DEVCRED_SEAL_TAG_LEN);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP | CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, sizeof(struct devcred_seal_ad));
	aead_request_set_crypt(req, &sg, &sg, encrypt ? len : len + DEVCRED_SEAL_TAG_LEN, iv);
	ret = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req),
			      &wait);
	aead_request_free(req);
	return ret;
}

/* A work buffer: the associated data of @slot's @kind at @generation, room for @len + tag. */
static u8 *devcred_seal_buf(unsigned int slot, unsigned int kind, u64 generation, u32 len)
{
	struct devcred_seal_ad ad = {
		.slot = cpu_to_le32(slot),
		.kind = cpu_to_le32(kind),
		.generation = cpu_to_le64(generation),
	};
	u8 *buf = kmalloc(sizeof(ad) + len + DEVCRED_SEAL_TAG_LEN, GFP_KERNEL);

	if (buf)
		memcpy(buf, &ad, sizeof(ad));
	return buf;
}

/*
 * Seals @key (@len bytes, at most DEVCRED_FLASH_KEY_MAX) as @slot's @kind
 * (DEVCRED_SEAL_KIND_*) at @generation. Returns the sealed key, @len +
 * DEVCRED_SEAL_OVERHEAD bytes, kvmalloc'ed; or an ERR_PTR.
 */
u8 *devcred_seal_key(struct crypto_aead *tfm, unsigned int slot, unsigned int kind,
		     u64 generation, const u8 *key, u32 len)
{
	const size_t adlen = sizeof(struct devcred_seal_ad);
	u8 *buf, *sealed;
	int ret;

	buf = devcred_seal_buf(slot, kind, generation, len);
	sealed = kvmalloc(len + DEVCRED_SEAL_OVERHEAD, GFP_KERNEL);
	if (!buf || !sealed) {
		ret = -ENOMEM;
		goto out;
	}
	get_random_bytes(sealed, DEVCRED_SEAL_NONCE_LEN);
	memcpy(buf + adlen, key, len);
	ret = devcred_seal_crypt(tfm, true, sealed, buf, len);
	if (!ret)
		memcpy(sealed + DEVCRED_SEAL_NONCE_LEN, buf + adlen, len + DEVCRED_SEAL_TAG_LEN);
out:
	kfree_sensitive(buf);
	if (!ret)
		return sealed;
	kvfree(sealed);
	return ERR_PTR(ret);
}

/*
 * Opens a sealed key of @slot's @kind at @generation. Returns the key,
 * @sealed_len - DEVCRED_SEAL_OVERHEAD bytes, kvmalloc'ed (free it with
 * kvfree_sensitive()); ERR_PTR(-EBADMSG) when it fails authentication.
 */
u8 *devcred_open_key(struct crypto_aead *tfm, unsigned int slot, unsigned int kind,
		     u64 generation, const u8 *sealed, u32 sealed_len)
{
	const size_t adlen = sizeof(struct devcred_seal_ad);
	u32 len = sealed_len - DEVCRED_SEAL_OVERHEAD;
	u8 *buf, *key = NULL;
	int ret;

	if (sealed_len <= DEVCRED_SEAL_OVERHEAD)
		return ERR_PTR(-EBADMSG);
	buf = devcred_seal_buf(slot, kind, generation, len);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	memcpy(buf + adlen, sealed + DEVCRED_SEAL_NONCE_LEN, len + DEVCRED_SEAL_TAG_LEN);
	ret = devcred_seal_crypt(tfm, false, sealed, buf, len);
	if (!ret) {
		key = kvmemdup(buf + adlen, len, GFP_KERNEL);
		if (!key)
			ret = -ENOMEM;
	}
	kfree_sensitive(buf);
	return ret ? ERR_PTR(ret) : key;
}
