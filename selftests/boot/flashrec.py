#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""flashrec.py: read and damage devcred records in a board flash image.

The credentials partition starts at offset 0 of the image (the second pflash
bank) and has BLOCKS erase blocks of ERASE bytes. The format is that of
Documentation/devcred/flash-format.rst; this tool is written from that
document, independently of the driver.

  flashrec.py IMAGE list
  flashrec.py IMAGE damage INDEX HOW

INDEX counts the records found, oldest first in flash order (0, 1, ...;
-1 is the last). HOW is one of: magic, version, hdr-crc, payload-crc,
len-block, len-part, seq=N (header CRC fixed), flip-first, flip-last,
flip-random, flip-header. The last two flip a bit chosen at random, from
the seed in DEVCRED_SEED (the caller prints it, so that a run can be
repeated), and say which.
"""
import os
import random
import struct
import sys
import zlib

ERASE = 256 * 1024
BLOCKS = 4
HDR = struct.Struct("<IHHQIIII")
MAGIC = 0x31524344
ALIGN = 8


def records(img):
    out = []
    for b in range(BLOCKS):
        off = 0
        while off + HDR.size <= ERASE:
            at = b * ERASE + off
            raw = img[at:at + HDR.size]
            if raw == b"\xff" * HDR.size:
                break
            magic, ver, hlen, seq, plen, pcrc, _, hcrc = HDR.unpack(raw)
            if magic != MAGIC or hcrc != zlib.crc32(raw[:28]) or plen > ERASE - off - HDR.size:
                break
            out.append({"at": at, "block": b, "off": off, "seq": seq, "len": plen})
            off = (off + HDR.size + plen + ALIGN - 1) // ALIGN * ALIGN
    return out


def fix_hdr_crc(img, at):
    struct.pack_into("<I", img, at + 28, zlib.crc32(bytes(img[at:at + 28])))


def damage(img, rec, how):
    at, plen = rec["at"], rec["len"]
    pay = at + HDR.size
    if how == "magic":
        img[at] ^= 0x01
    elif how == "version":
        struct.pack_into("<H", img, at + 4, 2)
        fix_hdr_crc(img, at)
    elif how == "hdr-crc":
        img[at + 28] ^= 0x80
    elif how == "payload-crc":
        img[at + 20] ^= 0x01
        fix_hdr_crc(img, at)
    elif how == "len-block":
        struct.pack_into("<I", img, at + 16, ERASE)
        fix_hdr_crc(img, at)
    elif how == "len-part":
        struct.pack_into("<I", img, at + 16, 0xFFFFFFF0)
        fix_hdr_crc(img, at)
    elif how.startswith("seq="):
        struct.pack_into("<Q", img, at + 8, int(how[4:]))
        fix_hdr_crc(img, at)
    elif how == "flip-first":
        img[pay] ^= 0xFF
    elif how == "flip-last":
        img[pay + plen - 1] ^= 0xFF
    elif how in ("flip-random", "flip-header"):
        rng = random.Random(os.environ.get("DEVCRED_SEED"))
        byte = pay + rng.randrange(plen) if how == "flip-random" else at + rng.randrange(HDR.size)
        bit = rng.randrange(8)
        img[byte] ^= 1 << bit
        print(f"flashrec.py: {how}: flipped bit {bit} of the byte at {byte:#x}")
    else:
        sys.exit(f"flashrec.py: unknown damage {how}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, cmd = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        img = bytearray(f.read())
    recs = records(img)
    if cmd == "list":
        for r in recs:
            print(f"block {r['block']} offset {r['off']} seq {r['seq']} payload {r['len']}")
        return
    if cmd == "damage" and len(sys.argv) == 5:
        damage(img, recs[int(sys.argv[3])], sys.argv[4])
        with open(path, "r+b") as f:
            f.write(img[:BLOCKS * ERASE])
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
