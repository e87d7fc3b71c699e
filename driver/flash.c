// SPDX-License-Identifier: GPL-2.0
/*
 * The flash log: records appended inside an erase block, blocks used in
 * rotation.
 *
 * An update appends a record holding the whole new platform state after the
 * current one, but only in a block this attach erased itself: the first
 * update after an attach, and one that finds the current block full or its
 * free space not clean, erases the next block and writes there, leaving the
 * current block, and so the current record, untouched; once another block
 * was tried, the current one takes no more records. Whatever a power
 * cut interrupts - a write, an erase - the last complete record survives,
 * and a new record only counts once both its CRCs match: after a cut the
 * store holds exactly the old state or the new one.
 *
 * Attach reads the first record header of every block and walks only the
 * block whose first record is the newest (and any whose first header is
 * damaged): once that block has taken appends, every record of an older
 * block is older. When it holds one record alone, or that walk finds none,
 * or the newest does not load (torn by a cut, damaged), attach walks every
 * header of every block.
 *
 * NAND: bad blocks are skipped by the scan and when choosing a block. An
 * error is not a verdict: erases and reads are tried again, and a block
 * that still fails to erase or to program is marked bad only when a
 * torture test proves it bad (a media error); the update goes on with the
 * next block. A current record that needed ECC correction is written again,
 * to another block, before its block decays further.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mtd/mtd.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "devcred.h"
#include "fault.h"

/* A record candidate found by its header during the scan. */
struct devcred_cand {
	u64 seq;
	u32 block;
	u32 off;
	u32 len;
	u16 version;
};

static loff_t devcred_block_ofs(struct devcred *dc, u32 block)
{
	return (loff_t)block * dc->mtd->erasesize;
}

static bool devcred_block_is_bad(struct devcred *dc, u32 block)
{
	return mtd_can_have_bb(dc->mtd) &&
	       mtd_block_isbad(dc->mtd, devcred_block_ofs(dc, block)) > 0;
}

/*
 * How often an erase or a read is tried before its error stands. Flash
 * drivers report timeouts and interrupted operations that the next attempt
 * does not meet; a program is never repeated on the same page (NAND allows
 * one program per page between erases).
 */
#define DEVCRED_IO_TRIES	3

/*
 * How often a header, a chunk searched for one, or a record that fails its
 * checks or the ECC is read: a read can be disturbed without the ECC
 * noticing (on NOR there is none), a page near the ECC's limit can fail
 * one read and pass the next, and taking such a read of the current record
 * for damage loads the record before it.
 */
#define DEVCRED_CHECK_TRIES	2

/* Reads exactly @len bytes; a corrected bitflip is reported in @bitflip. */
static int devcred_read(struct devcred *dc, loff_t ofs, size_t len, void *buf,
			bool *bitflip)
{
	size_t retlen;
	int ret, tries = 0;

	do {
		retlen = 0;
		ret = mtd_read(dc->mtd, ofs, len, &retlen, buf);
		/*
		 * Not here for an uncorrectable page: the callers that must
		 * not take one read's ECC failure as the flash's read again.
		 */
	} while (ret && !mtd_is_bitflip(ret) && !mtd_is_eccerr(ret) && ++tries < DEVCRED_IO_TRIES);
	if (mtd_is_bitflip(ret)) {
		if (bitflip)
			*bitflip = true;
		ret = 0;
	}
	if (!ret && retlen != len)
		ret = -EIO;
	if (!ret)
		ret = devcred_fault_disturb(ofs, len, buf);
	return ret;
}

static int devcred_write(struct devcred *dc, loff_t ofs, size_t len, const void *buf)
{
	size_t retlen = 0;
	int ret;

	switch (devcred_fault_power()) {
	case DEVCRED_POWER_CUT:
		devcred_fault_tear_write(dc->mtd, ofs, len, buf);
		fallthrough;
	case DEVCRED_POWER_OFF:
		return -ESHUTDOWN;
	case DEVCRED_POWER_ON:
		break;
	}
	ret = devcred_fault_error();
	if (ret)
		return ret;
	ret = mtd_write(dc->mtd, ofs, len, &retlen, buf);
	dc->log.bytes_written += retlen;
	if (!ret && retlen != len)
		ret = -EIO;
	return ret;
}

static int devcred_erase_once(struct devcred *dc, u32 block)
{
	struct erase_info ei = {
		.addr = devcred_block_ofs(dc, block),
		.len = dc->mtd->erasesize,
	};
	int ret;

	switch (devcred_fault_power()) {
	case DEVCRED_POWER_CUT:
		devcred_fault_tear_erase(dc->mtd, ei.addr, ei.len);
		fallthrough;
	case DEVCRED_POWER_OFF:
		return -ESHUTDOWN;
	case DEVCRED_POWER_ON:
		break;
	}
	ret = devcred_fault_error();
	if (ret)
		return ret;
	ret = mtd_erase(dc->mtd, &ei);
	if (!ret)
		dc->log.erases++;
	return ret;
}

static int devcred_erase_block(struct devcred *dc, u32 block)
{
	int ret, tries = 0;

	while ((ret = devcred_erase_once(dc, block)) && ret != -ESHUTDOWN &&
	       ++tries < DEVCRED_IO_TRIES)
		pr_warn("block %u: erase error %d, trying again\n", block, ret);
	return ret;
}

/* True when @a ranks before @b: higher sequence first, then flash order. */
static bool devcred_cand_before(const struct devcred_cand *a, const struct devcred_cand *b)
{
	if (a->seq != b->seq)
		return a->seq > b->seq;
	if (a->block != b->block)
		return a->block < b->block;
	return a->off < b->off;
}

/*
 * One walk over the record headers of every block: the best candidate that
 * ranks after @limit (all of them when @limit is NULL), and whether the
 * partition holds anything. The first walk (@count) also counts damage and
 * the highest sequence number. @buf is kmalloc'ed (MTD buffers must be
 * DMA-safe) and holds @chunk bytes. @best_block_cands: how many candidates
 * the walk of @best's block saw.
 */
struct devcred_scan {
	const struct devcred_cand *limit;
	struct devcred_cand best;
	u32 best_block_cands;
	bool found;
	bool data_seen;
	bool count;
	u8 *buf;
	u32 chunk;
};

/*
 * True when an aligned offset of the @n bytes at @buf holds three or more of
 * the four bytes of a record's magic: a header there may have been hidden by
 * a disturbed read (one byte changed leaves three). Random data almost never
 * does at any offset.
 */
static bool devcred_may_hide_hdr(const struct devcred *dc, const u8 *buf, u32 n)
{
	const __le32 magic = cpu_to_le32(DEVCRED_REC_MAGIC);
	const u8 *m = (const u8 *)&magic;
	u32 o, i, same;

	for (o = 0; o + sizeof(struct devcred_rec_hdr) <= n; o += dc->log.align) {
		for (same = 0, i = 0; i < sizeof(magic); i++)
			same += buf[o + i] == m[i];
		if (same >= sizeof(magic) - 1)
			return true;
	}
	return false;
}

/*
 * Past damage at @*off in @block, finds the next aligned offset holding a
 * header whose CRC is valid: records written after a damaged one (bit rot
 * in an older record) must not be hidden by it. Erased flash does not end
 * the search there: a damaged record may hold a run of 0xff. Reads @chunk
 * bytes at a time; a chunk that cannot be read, or that holds no valid
 * header but a near match of the magic, is read once more, and skipped
 * when that finds none either. Sets @*off to the block's end when nothing
 * is found.
 */
static int devcred_resync(struct devcred *dc, u32 block, u32 *off, struct devcred_scan *sc)
{
	const size_t hlen = sizeof(struct devcred_rec_hdr);
	u32 es = dc->mtd->erasesize, n, o, len;
	const struct devcred_rec_hdr *hdr;
	int ret, check, tries;
	bool unreadable;
	loff_t at;
	u64 seq;

	while (*off + hlen <= es) {
		n = min(sc->chunk, es - *off);
		at = devcred_block_ofs(dc, block) + *off;
		for (tries = 0; tries < DEVCRED_CHECK_TRIES; tries++) {
			ret = devcred_read(dc, at, n, sc->buf, NULL);
			if (ret && !mtd_is_eccerr(ret))
				return ret;
			/* An unreadable chunk is skipped whole, once read again. */
			unreadable = mtd_is_eccerr(ret);
			for (o = unreadable ? n : 0; o + hlen <= n; o += dc->log.align) {
				hdr = (const struct devcred_rec_hdr *)(sc->buf + o);
				check = devcred_rec_check_hdr(hdr, es - *off - o, &seq, &len);
				if (!check || check == -EPROTONOSUPPORT) {
					*off += o;
					return 0;
				}
			}
			/*
			 * Data without a valid header is read once more where
			 * a disturbed read may have hidden one; erased flash
			 * and random data (a torn or scribbled block, read on
			 * every attach until it is erased) are taken as read.
			 */
			if (!unreadable && !devcred_may_hide_hdr(dc, sc->buf, n))
				break;
		}
		/* Go on at the first offset whose header did not fit in the chunk. */
		*off += o;
	}
	*off = es;
	return 0;
}

/*
 * Reads the record header at @off of @block into sc->buf and checks it.
 * Returns an error of the read other than ECC's; otherwise 0, and in
 * @*check devcred_rec_check_hdr()'s verdict (0 or -EPROTONOSUPPORT for a
 * valid header, -ENODATA for erased flash, -EBADMSG for damage) or -EBADMSG
 * for a page the ECC cannot correct. A header that fails its check or the
 * ECC is read once more before it counts as damage.
 */
static int devcred_read_hdr(struct devcred *dc, u32 block, u32 off, struct devcred_scan *sc,
			    u64 *seq, u32 *len, int *check)
{
	const size_t hlen = sizeof(struct devcred_rec_hdr);
	int ret, tries;

	BUILD_BUG_ON(DEVCRED_CHECK_TRIES < 1);
	for (tries = 0; tries < DEVCRED_CHECK_TRIES; tries++) {
		ret = devcred_read(dc, devcred_block_ofs(dc, block) + off, hlen, sc->buf, NULL);
		if (ret && !mtd_is_eccerr(ret))
			return ret;
		*check = ret ? -EBADMSG :
			 devcred_rec_check_hdr((struct devcred_rec_hdr *)sc->buf,
					       dc->mtd->erasesize - off, seq, len);
		if (*check != -EBADMSG)
			break;
	}
	return 0;
}

/*
 * Walks the record headers of @block from its start: a valid header, of
 * this format version or a later one, is a candidate and the walk jumps
 * over its record; erased flash ends the block's records; damage (a header
 * that is not valid on two reads, or unreadable) is counted once and the
 * walk resynchronizes on the next valid header.
 */
static int devcred_scan_block(struct devcred *dc, u32 block, struct devcred_scan *sc)
{
	const size_t hlen = sizeof(struct devcred_rec_hdr);
	u32 es = dc->mtd->erasesize, off = 0, len, cands = 0;
	bool in_damage = false;
	struct devcred_cand c;
	int ret, check;
	u64 seq;

	while (off + hlen <= es) {
		ret = devcred_read_hdr(dc, block, off, sc, &seq, &len, &check);
		if (ret)
			return ret;
		if (check == -ENODATA && !in_damage)
			break;
		if (check && check != -EPROTONOSUPPORT) {
			if (check != -ENODATA) {
				sc->data_seen = true;
				if (sc->count && !in_damage)
					dc->log.skipped++;
			}
			in_damage = true;
			off += dc->log.align;
			ret = devcred_resync(dc, block, &off, sc);
			if (ret)
				return ret;
			continue;
		}
		sc->data_seen = true;
		in_damage = false;
		cands++;
		c = (struct devcred_cand){
			.seq = seq, .block = block, .off = off, .len = len,
			.version = le16_to_cpu(((struct devcred_rec_hdr *)sc->buf)->version),
		};
		if (sc->count)
			dc->log.max_seq = max(dc->log.max_seq, seq);
		if ((!sc->limit || devcred_cand_before(sc->limit, &c)) &&
		    (!sc->found || devcred_cand_before(&c, &sc->best))) {
			sc->best = c;
			sc->found = true;
		}
		off = ALIGN(off + (u32)hlen + len, dc->log.align);
	}
	if (sc->found && sc->best.block == block)
		sc->best_block_cands = cands;
	return 0;
}

static int devcred_find_best(struct devcred *dc, struct devcred_scan *sc)
{
	u32 b;
	int ret;

	sc->found = false;
	for (b = 0; b < dc->log.blocks; b++) {
		if (devcred_block_is_bad(dc, b))
			continue;
		ret = devcred_scan_block(dc, b, sc);
		if (ret)
			return ret;
	}
	return 0;
}

/* devcred_first_seqs(): a block that holds nothing, or one whose first header is damaged. */
#define DEVCRED_BLOCK_EMPTY	0
#define DEVCRED_BLOCK_DAMAGED	U64_MAX

/*
 * The sequence number of the first record of every block (blocks are
 * appended to in order, and a record's number is one more than any on
 * flash before it), DEVCRED_BLOCK_EMPTY for a bad or erased block and
 * DEVCRED_BLOCK_DAMAGED when the first header is not a valid one. Numbers
 * above DEVCRED_REC_SEQ_MAX are damage (devcred_rec_check_hdr()), so the
 * sentinels are no sequence numbers.
 */
static int devcred_first_seqs(struct devcred *dc, u8 *buf, u64 *first, bool *newer)
{
	const size_t hlen = sizeof(struct devcred_rec_hdr);
	u32 b, len;
	u64 seq;
	int ret;

	for (b = 0; b < dc->log.blocks; b++) {
		first[b] = DEVCRED_BLOCK_EMPTY;
		if (devcred_block_is_bad(dc, b))
			continue;
		ret = devcred_read(dc, devcred_block_ofs(dc, b), hlen, buf, NULL);
		if (ret && !mtd_is_eccerr(ret))
			return ret;
		ret = ret ?: devcred_rec_check_hdr((struct devcred_rec_hdr *)buf,
						   dc->mtd->erasesize, &seq, &len);
		if (!ret || ret == -EPROTONOSUPPORT)
			first[b] = seq;
		else if (ret != -ENODATA)
			first[b] = DEVCRED_BLOCK_DAMAGED;
		*newer |= ret == -EPROTONOSUPPORT;
	}
	return 0;
}

/*
 * The scan of a settled log, reading a header per block and the records
 * of one block rather than every record's header: the newest record is in
 * the block whose first record is the newest, unless a block's first
 * header is damaged, and such a block is walked too.
 *
 * That holds once the newest block has been appended to: only the current
 * block takes appends, and a block becomes current only when its first
 * record was written whole, after which no older block is written again.
 * A block holding its first record alone may instead hold a write that
 * failed after reaching the flash, and drivers before this one then
 * appended the next record to the block before (devcred_flash_commit()
 * no longer does): so it proves nothing. Nor does a log where a first
 * record has a later format version, whose writer may order blocks
 * otherwise.
 *
 * Only the records those walks see count (candidates, damage, the highest
 * sequence number). Finding no candidate here (sc->found false) sends the
 * caller to the whole walk (devcred_find_best()), as does a best that does
 * not load: a record torn by a power cut, damage.
 */
static int devcred_find_newest(struct devcred *dc, struct devcred_scan *sc)
{
	u64 *first, newest = DEVCRED_BLOCK_EMPTY;
	bool newer = false;
	u32 b;
	int ret;

	sc->found = false;
	/* Without the memory, the whole walk, which needs none. */
	first = kvmalloc_array(dc->log.blocks, sizeof(*first), GFP_KERNEL);
	if (!first)
		return 0;
	ret = devcred_first_seqs(dc, sc->buf, first, &newer);
	for (b = 0; !ret && b < dc->log.blocks; b++)
		if (first[b] != DEVCRED_BLOCK_DAMAGED)
			newest = max(newest, first[b]);
	for (b = 0; !ret && !newer && b < dc->log.blocks; b++)
		if (first[b] == DEVCRED_BLOCK_DAMAGED ||
		    (first[b] != DEVCRED_BLOCK_EMPTY && first[b] == newest))
			ret = devcred_scan_block(dc, b, sc);
	kvfree(first);
	if (newer || (sc->found && sc->best_block_cands < 2))
		sc->found = false;
	return ret;
}

/*
 * Reads the record of @c whole into @buf (DEVCRED_REC_MAX bytes) and parses
 * it; -EBADMSG when damaged. The header is checked again as read here, not
 * trusted from the scan, and must still name the scan's sequence number and
 * length. A record that fails is read once more before it counts as damaged:
 * a read disturbance must not cost the current record.
 */
static int devcred_load_cand(struct devcred *dc, const struct devcred_cand *c, u8 *buf,
			     struct devcred_rec_state *st, bool *bitflip)
{
	const struct devcred_rec_hdr *hdr = (const struct devcred_rec_hdr *)buf;
	loff_t ofs = devcred_block_ofs(dc, c->block) + c->off;
	int ret, tries;
	u32 len;
	u64 seq;

	for (tries = 0; tries < DEVCRED_CHECK_TRIES; tries++) {
		ret = devcred_read(dc, ofs, sizeof(*hdr) + c->len, buf, bitflip);
		if (ret && !mtd_is_eccerr(ret))
			return ret;
		if (!ret && !devcred_rec_check_hdr(hdr, dc->mtd->erasesize - c->off, &seq, &len) &&
		    seq == c->seq && len == c->len &&
		    !devcred_rec_parse(buf + sizeof(*hdr), len, le32_to_cpu(hdr->payload_crc),
				       le16_to_cpu(hdr->version), st))
			return 0;
	}
	return -EBADMSG;
}

static void devcred_log_init(struct devcred *dc)
{
	struct devcred_log *log = &dc->log;
	u32 b;

	memset(log, 0, sizeof(*log));
	log->blocks = mtd_div_by_eb(dc->mtd->size, dc->mtd);
	log->align = max_t(u32, dc->mtd->writesize, 8);
	log->cur_block = -1;
	for (b = 0; b < log->blocks; b++)
		if (devcred_block_is_bad(dc, b))
			log->bad_blocks++;
}

/*
 * Finds the current record: the valid record with the highest sequence
 * number. On success @st points into *@buf (kvmalloc'ed, DEVCRED_REC_MAX
 * bytes, the caller frees it with kvfree_sensitive()) or, on a store without
 * records or whose current record has a later format version
 * (log.newer_version), *@buf is NULL.
 * Returns 1 when reading the current record needed ECC correction: its block
 * is decaying, so nothing more is appended there and the caller should write
 * the state again, which then goes to another block.
 */
int devcred_flash_attach(struct devcred *dc, struct devcred_rec_state *st, u8 **buf)
{
	struct devcred_scan sc = { .count = true };
	struct devcred_cand best, failed;
	bool bitflip = false;
	int ret;

	devcred_log_init(dc);
	sc.chunk = mtd_can_have_bb(dc->mtd) ? dc->log.align :
		   min_t(u32, max_t(u32, dc->log.align, SZ_4K), dc->mtd->erasesize);
	sc.buf = kmalloc(sc.chunk, GFP_KERNEL);
	*buf = kvmalloc(DEVCRED_REC_MAX, GFP_KERNEL);
	if (!sc.buf || !*buf) {
		ret = -ENOMEM;
		goto fail;
	}

	/* The settled log first: a header per block, one block's records. */
	ret = devcred_find_newest(dc, &sc);
	if (!ret && sc.found) {
		best = sc.best;
		if (best.version > DEVCRED_REC_VERSION)
			goto found;
		ret = devcred_load_cand(dc, &best, *buf, st, &bitflip);
		if (!ret)
			goto found;
	}
	if (ret && ret != -EBADMSG)
		goto fail;

	/* Otherwise every header of every block, as the newest may be anywhere. */
	devcred_log_init(dc);
	sc.found = false;
	sc.data_seen = false;
	sc.count = true;
	ret = devcred_find_best(dc, &sc);
	sc.count = false;
	while (!ret && sc.found) {
		best = sc.best;
		/* A later format version: not ours to read, and not damage. */
		if (best.version > DEVCRED_REC_VERSION)
			break;
		bitflip = false;
		ret = devcred_load_cand(dc, &best, *buf, st, &bitflip);
		if (ret != -EBADMSG)
			break;
		pr_warn("record seq %llu at block %u offset %#x is damaged, skipped\n",
			best.seq, best.block, best.off);
		dc->log.skipped++;
		failed = best;
		sc.limit = &failed;
		ret = devcred_find_best(dc, &sc);
	}
	if (ret || !sc.found) {
		dc->log.damaged = !ret && sc.data_seen;
		goto fail;
	}

found:
	kfree(sc.buf);
	sc.buf = NULL;
	dc->log.seq = best.seq;
	dc->log.cur_block = best.block;
	dc->log.rec_off = best.off;
	if (best.version > DEVCRED_REC_VERSION) {
		dc->log.newer_version = best.version;
		goto fail;
	}
	/*
	 * Nothing is appended to a block written before this attach: a power
	 * cut may have interrupted a write after the current record and left
	 * pages half programmed. Such a page can read back as erased (the ECC
	 * corrects a nearly erased chunk to 0xff on NAND; on NOR the cells
	 * may read as ones while partly charged), and programming it again
	 * breaks NAND's partial-program rule and makes a record that decays
	 * later. The first update after an attach erases a fresh block, as
	 * UBIFS re-writes a LEB holding free space after an unclean mount.
	 */
	dc->log.next_off = dc->mtd->erasesize;
	return bitflip;

fail:
	kfree(sc.buf);
	kvfree_sensitive(*buf, DEVCRED_REC_MAX);
	*buf = NULL;
	return ret;
}

/*
 * True when @len bytes at @ofs read back as erased flash without the ECC
 * correcting anything: a corrected bitflip in space that should never have
 * been programmed means it was (partly), and it is not used.
 */
static int devcred_is_blank(struct devcred *dc, loff_t ofs, size_t len, u8 *scratch)
{
	struct mtd_req_stats stats = { 0 };
	struct mtd_oob_ops ops = {
		.mode = MTD_OPS_PLACE_OOB,
		.len = len,
		.datbuf = scratch,
		.stats = &stats,
	};
	int ret = mtd_read_oob(dc->mtd, ofs, &ops);

	if (mtd_is_eccerr(ret) || mtd_is_bitflip(ret) || stats.max_bitflips)
		return 0;
	if (ret)
		return ret;
	if (ops.retlen != len)
		return -EIO;
	return !memchr_inv(scratch, 0xff, len);
}

/* Programs @len bytes at @ofs and reads them back. */
static int devcred_program(struct devcred *dc, loff_t ofs, const u8 *rec, size_t len,
			   u8 *scratch)
{
	int ret;

	ret = devcred_write(dc, ofs, len, rec);
	if (!ret)
		ret = devcred_read(dc, ofs, len, scratch, NULL);
	if (!ret && memcmp(rec, scratch, len))
		ret = -EIO;
	return ret;
}

/*
 * What a failed erase, program or read-back says about a block: -EIO (the
 * chip reported a failed erase or program, or the data read back differs)
 * and -EBADMSG (uncorrectable data) may mean a bad block. A timeout, an
 * interrupted operation or a failed allocation says nothing about it.
 */
static bool devcred_is_media_error(int err)
{
	return err == -EIO || err == -EBADMSG;
}

static const u8 devcred_torture_patterns[] = { 0xa5, 0x5a, 0x00 };

/*
 * Whether a NAND block that failed is bad, as UBI's torture_peb() finds
 * out: for each pattern, erase the block, check that it reads erased,
 * program the pattern over all of it and read it back; then erase it.
 * Returns 0 when the block passed (it is then erased), a media error when
 * it failed, and any other error when the test itself could not run.
 * Corrected bitflips pass: NAND corrects them routinely.
 */
static int devcred_torture_block(struct devcred *dc, u32 block)
{
	size_t es = dc->mtd->erasesize;
	loff_t ofs = devcred_block_ofs(dc, block);
	u8 *buf = kvmalloc(es, GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; !ret && i < ARRAY_SIZE(devcred_torture_patterns); i++) {
		ret = devcred_erase_block(dc, block) ?:
		      devcred_read(dc, ofs, es, buf, NULL);
		if (!ret && memchr_inv(buf, 0xff, es))
			ret = -EIO;
		memset(buf, devcred_torture_patterns[i], es);
		ret = ret ?: devcred_write(dc, ofs, es, buf);
		memset(buf, ~devcred_torture_patterns[i], es);
		ret = ret ?: devcred_read(dc, ofs, es, buf, NULL);
		if (!ret && memchr_inv(buf, devcred_torture_patterns[i], es))
			ret = -EIO;
	}
	kvfree(buf);
	return ret ?: devcred_erase_block(dc, block);
}

/* Marks @block bad; what counts is whether MTD reports it bad afterwards. */
static void devcred_mark_bad(struct devcred *dc, u32 block, const char *what, int err)
{
	int ret;

	/*
	 * Writing the marker may fail on a broken block while the bad block
	 * table still takes it.
	 */
	ret = mtd_block_markbad(dc->mtd, devcred_block_ofs(dc, block));
	if (!devcred_block_is_bad(dc, block)) {
		pr_warn("block %u: %s failed (%d) and marking it bad failed (%d); trying the next block\n",
			block, what, err, ret);
		return;
	}
	dc->log.bad_blocks++;
	pr_warn("block %u: %s failed (%d); marked it bad, trying the next block\n",
		block, what, err);
}

/*
 * After @what failed on @block with @err: an error is not a verdict. A
 * block is marked bad only on NAND, only after a media error, and only when
 * a torture test proves it bad. Returns 0 when the block passed that test
 * (it is erased now and may be tried again), else the error to give up on
 * the block with for this update.
 */
static int devcred_judge_block(struct devcred *dc, u32 block, const char *what, int err)
{
	int ret;

	if (!mtd_can_have_bb(dc->mtd)) {
		pr_warn("block %u: %s failed (%d); trying the next block\n", block, what, err);
		return err;
	}
	if (!devcred_is_media_error(err)) {
		pr_warn("block %u: %s failed (%d), which says nothing about the block; trying the next block\n",
			block, what, err);
		return err;
	}
	ret = devcred_torture_block(dc, block);
	if (!ret) {
		pr_warn("block %u: %s failed (%d) but the block passed a torture test; trying it again\n",
			block, what, err);
		return 0;
	}
	/* A cut during the test (test builds) ends the update. */
	if (ret == -ESHUTDOWN)
		return ret;
	if (devcred_is_media_error(ret)) {
		devcred_mark_bad(dc, block, what, err);
		return err;
	}
	pr_warn("block %u: %s failed (%d) and its torture test could not run (%d); keeping it, trying the next block\n",
		block, what, err, ret);
	return err;
}

/*
 * Erases @block and programs @rec at its start; tries a block that failed
 * but passed a torture test once more.
 */
static int devcred_fill_block(struct devcred *dc, u32 block, const u8 *rec, size_t len,
			      u8 *scratch)
{
	const char *what;
	int ret, tries;

	for (tries = 0; tries < 2; tries++) {
		what = "erase";
		ret = devcred_erase_block(dc, block);
		if (!ret) {
			what = "write";
			ret = devcred_program(dc, devcred_block_ofs(dc, block), rec, len, scratch);
		}
		/*
		 * An injected power cut (test builds) is no flaw of the block,
		 * and after it nothing more happens.
		 */
		if (!ret || ret == -ESHUTDOWN)
			return ret;
		ret = devcred_judge_block(dc, block, what, ret);
		if (ret)
			return ret;
	}
	return -EIO;
}

/* Erases the next usable block after the current one and writes there. */
static int devcred_program_new_block(struct devcred *dc, const u8 *rec, size_t len,
				     u8 *scratch, u32 *block)
{
	u32 i, b, tried = 0;
	int ret = -EIO;

	for (i = 1; i <= dc->log.blocks; i++) {
		b = (dc->log.cur_block + i) % dc->log.blocks;
		if (b == dc->log.cur_block || devcred_block_is_bad(dc, b))
			continue;
		tried++;
		ret = devcred_fill_block(dc, b, rec, len, scratch);
		if (!ret)
			*block = b;
		if (!ret || ret == -ESHUTDOWN)
			return ret;
	}
	if (!tried)
		pr_err("no block to write to: %u of %u blocks are bad%s\n",
		       dc->log.bad_blocks, dc->log.blocks,
		       dc->log.cur_block >= 0 ? ", one holds the current record" : "");
	return ret;
}

/*
 * Appends a record holding @st. On failure the log position is as before,
 * and so is the store on flash apart from blocks that were erased or
 * retired - and from a record whose write reported an error but reached the
 * flash anyway: as after a power cut, the next attach may then find the old
 * or the new state. Its sequence number is never used again, so that a later
 * record always wins over it.
 */
int devcred_flash_commit(struct devcred *dc, const struct devcred_rec_state *st)
{
	struct devcred_log *log = &dc->log;
	u32 es = dc->mtd->erasesize, block, off = 0;
	size_t len = ALIGN(devcred_rec_size(st), log->align);
	u8 *rec, *scratch;
	int ret = -ENOSPC;
	u64 seq;

	if (log->max_seq >= DEVCRED_REC_SEQ_MAX) {
		pr_err("sequence numbers exhausted: a record has seq %llu, the highest there is; no record can be newer (format the store in factory mode)\n",
		       log->max_seq);
		return -EIO;
	}
	rec = kvmalloc(len, GFP_KERNEL);
	scratch = kvmalloc(len, GFP_KERNEL);
	if (!rec || !scratch) {
		ret = -ENOMEM;
		goto out;
	}
	seq = ++log->max_seq;
	memset(rec, 0xff, len);
	devcred_rec_build(rec, seq, st);

	if (log->cur_block >= 0 && log->next_off + len <= es) {
		block = log->cur_block;
		off = log->next_off;
		ret = devcred_is_blank(dc, devcred_block_ofs(dc, block) + off, len, scratch);
		if (ret > 0)
			ret = devcred_program(dc, devcred_block_ofs(dc, block) + off, rec, len,
					      scratch);
		else if (!ret)
			ret = -ENOSPC;
		/* The current block holds the current record: never retired. */
		if (ret && ret != -ENOSPC && ret != -ESHUTDOWN)
			pr_warn("block %u: appending at offset %#x failed (%d); moving to the next block\n",
				block, off, ret);
		/*
		 * Whatever stopped the append (a failed or partial program,
		 * space that is not clean) ends appending to this block.
		 */
		if (ret)
			log->next_off = es;
	}
	if (ret && ret != -ESHUTDOWN) {
		/*
		 * Once a newer block may hold a record (a write that failed
		 * can still have reached the flash), the current block takes
		 * no more: an older block never holds a newer record than a
		 * newer block's first (devcred_find_newest()).
		 */
		log->next_off = es;
		off = 0;
		ret = devcred_program_new_block(dc, rec, len, scratch, &block);
	}
	if (ret) {
		pr_err("cannot write a record (%d); the previous state stays\n", ret);
		/*
		 * The caller learns that the flash failed (EIO, as documented);
		 * which error the flash driver gave, the log line above says.
		 * An injected power cut (test builds) stays what it is.
		 */
		if (ret != -ENOMEM && ret != -ESHUTDOWN)
			ret = -EIO;
		goto out;
	}

	log->seq = seq;
	log->cur_block = block;
	log->rec_off = off;
	log->next_off = off + len;
	log->damaged = false;
out:
	kvfree_sensitive(scratch, len);
	kvfree_sensitive(rec, len);
	return ret;
}

/*
 * Erases every good block but @keep (-1: none); a block that fails to erase
 * is judged as during an update (and may be retired). Counts the blocks
 * erased and those that failed; an injected power cut (test builds) ends
 * it and is returned.
 */
static int devcred_erase_all_but(struct devcred *dc, int keep, u32 *erased, u32 *failed)
{
	u32 b;
	int ret;

	*erased = 0;
	*failed = 0;
	for (b = 0; b < dc->log.blocks; b++) {
		if ((int)b == keep || devcred_block_is_bad(dc, b))
			continue;
		ret = devcred_erase_block(dc, b);
		if (ret && ret != -ESHUTDOWN)
			ret = devcred_judge_block(dc, b, "erase", ret);
		if (ret == -ESHUTDOWN)
			return ret;
		if (ret)
			(*failed)++;
		else
			(*erased)++;
	}
	return 0;
}

/*
 * Erases every good block: afterwards the partition holds no record. A
 * block that fails to erase is judged as during an update (and may be
 * retired). Fails with -EIO when a block could not be erased; the caller
 * then attaches again to learn what the flash holds.
 */
int devcred_flash_format(struct devcred *dc)
{
	u32 erased, failed;
	int ret;

	ret = devcred_erase_all_but(dc, -1, &erased, &failed);
	if (ret)
		return ret;
	if (failed) {
		pr_err("format: %u block%s could not be erased (%u erased)\n", failed,
		       failed == 1 ? "" : "s", erased);
		return -EIO;
	}
	pr_info("format: erased %u block%s; the flash slots are empty, every operation uses builtin\n",
		erased, erased == 1 ? "" : "s");
	return 0;
}

/* The next record goes to a freshly erased block. */
void devcred_flash_next_block(struct devcred *dc)
{
	dc->log.next_off = dc->mtd->erasesize;
}

/*
 * Erases every good block but the current record's. Once a store's keys are
 * sealed, the records written before hold them in clear: the blocks they
 * are in go. The current record alone is enough to attach; a power cut
 * meanwhile leaves some of the old blocks, which the next attach erases
 * (the current record does not say DEVCRED_SEAL_SCRUBBED yet).
 */
int devcred_flash_scrub(struct devcred *dc)
{
	u32 erased, failed;
	int ret;

	ret = devcred_erase_all_but(dc, dc->log.cur_block, &erased, &failed);
	if (ret)
		return ret;
	if (failed) {
		pr_err("%u block%s holding keys in clear could not be erased (%u erased)\n",
		       failed, failed == 1 ? "" : "s", erased);
		return -EIO;
	}
	pr_info("erased %u block%s that held earlier records, keys in clear among them\n",
		erased, erased == 1 ? "" : "s");
	return 0;
}
