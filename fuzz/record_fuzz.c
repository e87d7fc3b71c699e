// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the on-flash record parser, built from the driver's
 * own driver/record.c. The input is what a scan would read at a record
 * position: a header, then whatever follows. A record the parser accepts
 * must build back into exactly the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devcred_rec_state st;
	struct devcred_rec_hdr hdr;
	size_t len;
	u32 plen;
	u64 seq;
	u8 *copy;

	if (size < sizeof(hdr))
		return 0;
	memcpy(&hdr, data, sizeof(hdr));
	if (devcred_rec_check_hdr(&hdr, size, &seq, &plen))
		return 0;
	/* A copy of exactly the payload, so ASan sees any overread. */
	copy = malloc(plen);
	if (!copy)
		return 0;
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
	return 0;
}
