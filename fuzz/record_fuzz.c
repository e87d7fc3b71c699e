// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the on-flash record parser, built from the driver's
 * own driver/record.c. The input is what a scan would read at a record
 * position: a header, then whatever follows. A record the parser accepts
 * must build back into exactly the same bytes. Each input runs twice: as it
 * is, and with both CRCs made right, since a mutant whose CRCs fail never
 * reaches the payload's checks (the sealing section, the slots).
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"

static void check_record(const uint8_t *data, size_t size)
{
	struct devcred_rec_state st;
	struct devcred_rec_hdr hdr;
	size_t len;
	u32 plen;
	u64 seq;
	u8 *copy;

	if (size < sizeof(hdr))
		return;
	memcpy(&hdr, data, sizeof(hdr));
	if (devcred_rec_check_hdr(&hdr, size, &seq, &plen))
		return;
	/* A copy of exactly the payload, so ASan sees any overread. */
	copy = malloc(plen);
	if (!copy)
		return;
	memcpy(copy, data + sizeof(hdr), plen);
	if (!devcred_rec_parse(copy, plen, le32_to_cpu(hdr.payload_crc),
			       le16_to_cpu(hdr.version), &st)) {
		len = devcred_rec_size(&st);
		u8 *again = malloc(len);

		if (len != sizeof(hdr) + plen || !again)
			abort();
		devcred_rec_build(again, seq, &st);
		if (memcmp(again, data, len))
			abort();
		free(again);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devcred_rec_hdr *hdr;
	uint8_t *fixed;
	u32 plen;

	check_record(data, size);
	if (size < sizeof(*hdr))
		return 0;
	fixed = malloc(size);
	if (!fixed)
		return 0;
	memcpy(fixed, data, size);
	hdr = (struct devcred_rec_hdr *)fixed;
	plen = le32_to_cpu(hdr->payload_len);
	if (plen > size - sizeof(*hdr))
		plen = size - sizeof(*hdr);
	/* zlib's crc32() from 0 is the record's CRC (record_shim.h). */
	hdr->payload_crc = cpu_to_le32(crc32(0, fixed + sizeof(*hdr), plen));
	hdr->hdr_crc = cpu_to_le32(crc32(0, fixed, offsetof(struct devcred_rec_hdr, hdr_crc)));
	check_record(fixed, size);
	free(fixed);
	return 0;
}
