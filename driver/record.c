// SPDX-License-Identifier: GPL-2.0
/*
 * Building and parsing on-flash records. Parsing trusts nothing: every
 * length is checked against the caps and against the bytes actually there
 * before it is used, and a record is taken only when both CRCs match.
 */

#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#endif

#include "record.h"

/* CRC32 as zlib computes it, so that tools outside the kernel agree. */
static u32 devcred_crc32(const void *buf, size_t len)
{
	return crc32_le(~0U, buf, len) ^ ~0U;
}

int devcred_check_binding(unsigned int op, unsigned int slot)
{
	if (op >= DEVCRED_OP_COUNT || slot >= DEVCRED_SLOT_COUNT)
		return -EINVAL;
	if (op < DEVCRED_OP_FLASH_ONLY_END && slot >= DEVCRED_FLASH_SLOTS)
		return -EXDEV;
	return 0;
}

/*
 * The platform profile settings are kept for userspace, not used by the
 * kernel; still only values that name something are taken, so that every
 * reader of the record can trust them.
 */
int devcred_check_profiles(const struct devcred_rec_profiles *p)
{
	int i;

	for (i = 0; i < (int)sizeof(p->cert); i++)
		if (i < DEVCRED_PLATFORM_PROFILES ?
		    p->cert[i] > DEVCRED_PROFILE_SLOT(DEVCRED_FLASH_SLOTS - 1) : p->cert[i])
			return -EINVAL;
	for (i = 0; i < (int)sizeof(p->select); i++)
		if (i < DEVCRED_OP_FLASH_ONLY_END ?
		    p->select[i] > DEVCRED_PLATFORM_PROFILES : p->select[i])
			return -EINVAL;
	return 0;
}

/*
 * Version 1 while nothing needs version 2, so that a store in clear that
 * never took a platform profile setting stays readable by a version 1
 * driver.
 */
u16 devcred_rec_version(const struct devcred_rec_state *st)
{
	static const struct devcred_rec_profiles unset;

	if (st->kmk_len || memcmp(&st->profiles, &unset, sizeof(unset)))
		return DEVCRED_REC_VERSION_2;
	return DEVCRED_REC_VERSION_1;
}

int devcred_check_origin(unsigned int slot, unsigned int origin)
{
	if (slot == DEVCRED_SLOT_BUILTIN)
		return origin == DEVCRED_ORIGIN_FACTORY ||
		       origin == DEVCRED_ORIGIN_SELF_SIGNED ? 0 : -EINVAL;
	return origin == DEVCRED_ORIGIN_INSTALLED ? 0 : -EINVAL;
}

size_t devcred_rec_size(const struct devcred_rec_state *st)
{
	size_t len = sizeof(struct devcred_rec_hdr) + DEVCRED_REC_FIXED;
	int i;

	if (st->version == DEVCRED_REC_VERSION_2)
		len += sizeof(struct devcred_rec_profiles) + sizeof(struct devcred_rec_seal) +
		       st->kmk_len + st->kek_len;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++)
		len += st->slot[i].cert_len + st->slot[i].key_len +
		       st->slot[i].pending_len;
	return len;
}

static u8 *devcred_put_blob(u8 *p, const u8 *blob, u32 len)
{
	if (len)
		memcpy(p, blob, len);
	return p + len;
}

/* Serializes @st into @buf, which holds devcred_rec_size(@st) bytes. */
void devcred_rec_build(u8 *buf, u64 seq, const struct devcred_rec_state *st)
{
	struct devcred_rec_hdr *hdr = (struct devcred_rec_hdr *)buf;
	struct devcred_rec_seal *seal;
	struct devcred_rec_slot *rs;
	u8 *payload = buf + sizeof(*hdr);
	u8 *p = payload;
	size_t payload_len;
	int i;

	memset(p, 0, DEVCRED_REC_BINDINGS);
	memcpy(p, st->binding, DEVCRED_OP_COUNT);
	p += DEVCRED_REC_BINDINGS;
	if (st->version == DEVCRED_REC_VERSION_2) {
		memcpy(p, &st->profiles, sizeof(st->profiles));
		p += sizeof(st->profiles);
		seal = (struct devcred_rec_seal *)p;
		seal->cipher = cpu_to_le32(st->kmk_len ? DEVCRED_SEAL_AES256_GCM :
					   DEVCRED_SEAL_NONE);
		seal->kmk_len = cpu_to_le16(st->kmk_len);
		seal->kek_len = cpu_to_le16(st->kek_len);
		/* Flags belong to sealing: the parser refuses them with cipher 0. */
		seal->flags = cpu_to_le32(st->kmk_len ? st->seal_flags : 0);
		seal->reserved = 0;
		p = devcred_put_blob(p + sizeof(*seal), st->kmk, st->kmk_len);
		p = devcred_put_blob(p, st->kek, st->kek_len);
	}
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		rs = (struct devcred_rec_slot *)p;
		rs->origin = cpu_to_le32(st->slot[i].origin);
		rs->cert_len = cpu_to_le32(st->slot[i].cert_len);
		rs->key_len = cpu_to_le32(st->slot[i].key_len);
		rs->pending_len = cpu_to_le32(st->slot[i].pending_len);
		rs->generation = cpu_to_le64(st->slot[i].generation);
		p += sizeof(*rs);
	}
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		p = devcred_put_blob(p, st->slot[i].cert, st->slot[i].cert_len);
		p = devcred_put_blob(p, st->slot[i].key, st->slot[i].key_len);
		p = devcred_put_blob(p, st->slot[i].pending, st->slot[i].pending_len);
	}
	payload_len = p - payload;

	hdr->magic = cpu_to_le32(DEVCRED_REC_MAGIC);
	hdr->version = cpu_to_le16(st->version);
	hdr->hdr_len = cpu_to_le16(sizeof(*hdr));
	hdr->seq = cpu_to_le64(seq);
	hdr->payload_len = cpu_to_le32(payload_len);
	hdr->payload_crc = cpu_to_le32(devcred_crc32(payload, payload_len));
	hdr->reserved = 0;
	hdr->hdr_crc = cpu_to_le32(devcred_crc32(hdr, offsetof(struct devcred_rec_hdr, hdr_crc)));
}

/*
 * Checks a header read from flash, with @room bytes left in the erase block
 * from the header's start. Returns 0 and the sequence and payload length of
 * a plausible record, -ENODATA for erased flash, -EPROTONOSUPPORT for a
 * record of a later format version (see below), -EBADMSG for anything else.
 *
 * Every format version keeps these 32 bytes as version 1 defines them, the
 * header CRC over their first 28 included; a later version may have a
 * longer header (hdr_len) and give "reserved" a meaning. So a record of a
 * later version is recognized as one, not taken for damage: then @seq is
 * its sequence number and @payload_len the bytes that follow these 32, up
 * to the end of its payload.
 */
int devcred_rec_check_hdr(const struct devcred_rec_hdr *hdr, size_t room, u64 *seq,
			  u32 *payload_len)
{
	const u8 *raw = (const u8 *)hdr;
	u32 len, hlen, version;
	size_t i;

	for (i = 0; i < sizeof(*hdr) && raw[i] == 0xff; i++)
		;
	if (i == sizeof(*hdr))
		return -ENODATA;

	if (le32_to_cpu(hdr->magic) != DEVCRED_REC_MAGIC ||
	    le32_to_cpu(hdr->hdr_crc) !=
	    devcred_crc32(hdr, offsetof(struct devcred_rec_hdr, hdr_crc)))
		return -EBADMSG;

	version = le16_to_cpu(hdr->version);
	hlen = le16_to_cpu(hdr->hdr_len);
	len = le32_to_cpu(hdr->payload_len);
	*seq = le64_to_cpu(hdr->seq);
	if (!version || hlen < sizeof(*hdr) || (u64)hlen + len > room ||
	    *seq > DEVCRED_REC_SEQ_MAX)
		return -EBADMSG;
	if (version > DEVCRED_REC_VERSION) {
		*payload_len = hlen - sizeof(*hdr) + len;
		return -EPROTONOSUPPORT;
	}

	if (hlen != sizeof(*hdr) || hdr->reserved ||
	    len < DEVCRED_REC_FIXED || len > DEVCRED_REC_PAYLOAD_MAX)
		return -EBADMSG;
	*payload_len = len;
	return 0;
}

/*
 * A stored key is at most DEVCRED_FLASH_KEY_MAX bytes; sealed, it is that
 * plus the nonce and the tag, and a sealed key of no bytes is damage.
 */
static int devcred_rec_key_len_ok(u32 len, bool sealed)
{
	if (!sealed || !len)
		return len <= DEVCRED_FLASH_KEY_MAX;
	return len > DEVCRED_SEAL_OVERHEAD &&
	       len <= DEVCRED_FLASH_KEY_MAX + DEVCRED_SEAL_OVERHEAD;
}

static int devcred_rec_parse_slot(const struct devcred_rec_slot *rs, unsigned int slot,
				  bool sealed, struct devcred_rec_blobs *b)
{
	b->origin = le32_to_cpu(rs->origin);
	b->cert_len = le32_to_cpu(rs->cert_len);
	b->key_len = le32_to_cpu(rs->key_len);
	b->pending_len = le32_to_cpu(rs->pending_len);
	b->generation = le64_to_cpu(rs->generation);

	if (b->cert_len > DEVCRED_FLASH_CERT_MAX || !devcred_rec_key_len_ok(b->key_len, sealed) ||
	    !devcred_rec_key_len_ok(b->pending_len, sealed))
		return -EBADMSG;
	/* A credential is a certificate and its key, or nothing. */
	if (!b->cert_len != !b->key_len)
		return -EBADMSG;
	if (b->cert_len ? devcred_check_origin(slot, b->origin) :
	    b->origin != DEVCRED_ORIGIN_NONE)
		return -EBADMSG;
	return 0;
}

/*
 * The blobs as the key types print them, nothing else, since a program
 * hands them back to the kernel: the trusted key's blob is lowercase hex,
 */
int devcred_rec_check_kmk_blob(const u8 *kmk, u16 len)
{
	u16 i;

	for (i = 0; i < len; i++)
		if (!((kmk[i] >= '0' && kmk[i] <= '9') || (kmk[i] >= 'a' && kmk[i] <= 'f')))
			return -EBADMSG;
	return 0;
}

/* the encrypted key's names devcred's trusted key as its master and is printable text. */
int devcred_rec_check_kek_blob(const u8 *kek, u16 len)
{
	static const char kek_prefix[] = "default trusted:" DEVCRED_KMK_DESC " 32 ";
	u16 i;

	if (len <= sizeof(kek_prefix) - 1 || memcmp(kek, kek_prefix, sizeof(kek_prefix) - 1))
		return -EBADMSG;
	for (i = 0; i < len; i++)
		if (kek[i] < 0x20 || kek[i] > 0x7e)
			return -EBADMSG;
	return 0;
}

/*
 * The platform profile settings and the sealing section of a version 2
 * payload at *@p, with @end the payload's end; moves *@p past them and the
 * sealing blobs. A section that says the keys are in clear has nothing
 * else.
 */
static int devcred_rec_parse_v2(const u8 **p, const u8 *end, struct devcred_rec_state *st)
{
	const struct devcred_rec_seal *seal;
	u32 cipher;

	if (end - *p < (ptrdiff_t)(sizeof(st->profiles) + sizeof(*seal)))
		return -EBADMSG;
	memcpy(&st->profiles, *p, sizeof(st->profiles));
	if (devcred_check_profiles(&st->profiles))
		return -EBADMSG;
	*p += sizeof(st->profiles);
	seal = (const struct devcred_rec_seal *)*p;
	cipher = le32_to_cpu(seal->cipher);
	if (cipher == DEVCRED_SEAL_NONE) {
		if (seal->kmk_len || seal->kek_len || seal->flags || seal->reserved)
			return -EBADMSG;
		*p += sizeof(*seal);
		return 0;
	}
	st->kmk_len = le16_to_cpu(seal->kmk_len);
	st->kek_len = le16_to_cpu(seal->kek_len);
	st->seal_flags = le32_to_cpu(seal->flags);
	if (cipher != DEVCRED_SEAL_AES256_GCM ||
	    st->seal_flags & ~DEVCRED_SEAL_SCRUBBED || seal->reserved ||
	    !st->kmk_len || st->kmk_len > DEVCRED_SEAL_KMK_MAX ||
	    !st->kek_len || st->kek_len > DEVCRED_SEAL_KEK_MAX ||
	    end - *p < (ptrdiff_t)(sizeof(*seal) + st->kmk_len + st->kek_len))
		return -EBADMSG;
	st->kmk = *p + sizeof(*seal);
	st->kek = st->kmk + st->kmk_len;
	if (devcred_rec_check_kmk_blob(st->kmk, st->kmk_len) ||
	    devcred_rec_check_kek_blob(st->kek, st->kek_len))
		return -EBADMSG;
	*p = st->kek + st->kek_len;
	return 0;
}

/*
 * Parses a payload of format @version whose length the header gave and
 * whose CRC it claims. On success @st points into @payload.
 */
int devcred_rec_parse(const u8 *payload, u32 len, u32 crc, u16 version,
		      struct devcred_rec_state *st)
{
	const struct devcred_rec_slot *rs;
	const u8 *p, *end = payload + len;
	size_t blobs = 0;
	int i, ret;

	if (version != DEVCRED_REC_VERSION_1 && version != DEVCRED_REC_VERSION_2)
		return -EBADMSG;
	if (len < DEVCRED_REC_FIXED || len > DEVCRED_REC_PAYLOAD_MAX ||
	    devcred_crc32(payload, len) != crc)
		return -EBADMSG;

	for (i = 0; i < DEVCRED_REC_BINDINGS; i++) {
		if (i >= DEVCRED_OP_COUNT ? payload[i] != 0 :
		    devcred_check_binding(i, payload[i]))
			return -EBADMSG;
		if (i < DEVCRED_OP_COUNT)
			st->binding[i] = payload[i];
	}

	st->version = version;
	st->kmk = NULL;
	st->kek = NULL;
	st->kmk_len = 0;
	st->kek_len = 0;
	st->seal_flags = 0;
	memset(&st->profiles, 0, sizeof(st->profiles));
	p = payload + DEVCRED_REC_BINDINGS;
	if (version == DEVCRED_REC_VERSION_2) {
		ret = devcred_rec_parse_v2(&p, end, st);
		if (ret)
			return ret;
	}
	if (end - p < (ptrdiff_t)(DEVCRED_FLASH_SLOTS * sizeof(*rs)))
		return -EBADMSG;
	rs = (const struct devcred_rec_slot *)p;
	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		ret = devcred_rec_parse_slot(&rs[i], i, st->kmk_len, &st->slot[i]);
		if (ret)
			return ret;
		blobs += st->slot[i].cert_len + st->slot[i].key_len +
			 st->slot[i].pending_len;
	}
	p += DEVCRED_FLASH_SLOTS * sizeof(*rs);
	if (blobs != (size_t)(end - p))
		return -EBADMSG;

	for (i = 0; i < DEVCRED_FLASH_SLOTS; i++) {
		st->slot[i].cert = st->slot[i].cert_len ? p : NULL;
		p += st->slot[i].cert_len;
		st->slot[i].key = st->slot[i].key_len ? p : NULL;
		p += st->slot[i].key_len;
		st->slot[i].pending = st->slot[i].pending_len ? p : NULL;
		p += st->slot[i].pending_len;
	}
	return p == end ? 0 : -EBADMSG;
}
