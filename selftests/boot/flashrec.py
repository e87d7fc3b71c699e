#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""flashrec.py: read and damage devcred records in a board flash image.

The credentials partition starts at offset 0 of the image (the second pflash
bank) and has BLOCKS erase blocks of ERASE bytes. The format is that of
Documentation/devcred/flash-format.rst; this tool is written from that
document, independently of the driver.

  flashrec.py IMAGE list
  flashrec.py IMAGE damage INDEX HOW
  flashrec.py IMAGE show INDEX
  flashrec.py IMAGE seal-flip INDEX SLOT FIELD PART
  flashrec.py IMAGE seal-swap INDEX SLOT:FIELD SLOT:FIELD
  flashrec.py IMAGE seal-generation INDEX SLOT

INDEX counts the records found in flash order (0, 1, ...; -1 is the last),
or is "current": the record with the highest sequence number (the first in
flash order between equal ones), which the driver loads when its CRCs hold.
HOW is one of: magic, version, hdr-crc, payload-crc, len-block, len-part,
seq=N (header CRC fixed), flip-first, flip-last, flip-random, flip-header.
The last two flip a bit chosen at random, from the seed in DEVCRED_SEED
(the caller prints it, so that a run can be repeated), and say which.

show parses the record's payload, format version 1 or 2 (version 2 adds
the platform profile settings and the sealing section of
Documentation/devcred/key-sealing.rst after the bindings; cipher 0 there
means the keys are in clear), and prints one line per part:
  version 2
  profiles cert C1 C2 select S1 S2 S3
  seal cipher 1 kmk_len N kek_len N flags N
  slot platform1 origin 3 cert_len N key_len N pending_len N generation N
It fails on a payload whose lengths do not add up.

seal-flip flips one bit of a sealed key of a sealed record: SLOT is
builtin, platform1 or platform2, FIELD key or pending, PART nonce,
ciphertext or tag (the bit is the lowest of the part's middle byte). Both
CRCs are then computed again, as an attacker would: only the key's GCM tag
can tell.

seal-swap exchanges two sealed keys of a sealed record (e.g.
platform1:key platform2:key, or platform2:key platform2:pending), their
lengths with them, the payload laid out again; seal-generation adds one to
a slot's generation. Each sealed key stays authentic, only its place
changes: its associated data (slot, kind, generation) must catch it. Both
CRCs are computed again.
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
BINDINGS = 8
# Version 2's platform profile settings: deviceCert of the two platform
# profiles, selection of 802.1X, syslog and provisioning, three zero bytes.
PROFILES = struct.Struct("<BBBBBBBB")
# The sealing section of version 2: cipher, kmk_len, kek_len, flags, reserved.
SEAL = struct.Struct("<IHHII")
# A slot descriptor: origin, cert_len, key_len, pending_len, generation.
SLOT = struct.Struct("<IIIIQ")
SLOTS = ("builtin", "platform1", "platform2")
NONCE = 12
TAG = 16


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


def fix_crcs(img, rec):
    """Both CRCs of rec computed again over what the image holds now."""
    pay = rec["at"] + HDR.size
    struct.pack_into("<I", img, rec["at"] + 20, zlib.crc32(bytes(img[pay:pay + rec["len"]])))
    fix_hdr_crc(img, rec["at"])


def pick(recs, index):
    if not recs:
        sys.exit("flashrec.py: no record in the image")
    if index == "current":
        return max(recs, key=lambda r: (r["seq"], -r["at"]))
    return recs[int(index)]


def parse(img, rec):
    """The payload of rec as a dict: version, profiles and seal (None in
    version 1; the seal also when its cipher is 0, keys in clear), slots,
    each slot with its fields and the image offsets of its blobs."""
    at, plen = rec["at"], rec["len"]
    version = struct.unpack_from("<H", img, at + 4)[0]
    pay = at + HDR.size
    end = pay + plen
    p = pay + BINDINGS
    seal = profiles = None
    if version == 2:
        profiles = PROFILES.unpack_from(img, p)
        p += PROFILES.size
        cipher, kmk_len, kek_len, flags, reserved = SEAL.unpack_from(img, p)
        seal = {"cipher": cipher, "kmk_len": kmk_len, "kek_len": kek_len, "flags": flags,
                "reserved": reserved, "kmk_at": p + SEAL.size,
                "kek_at": p + SEAL.size + kmk_len}
        p += SEAL.size + kmk_len + kek_len
        if cipher == 0:
            seal = None
    elif version != 1:
        sys.exit(f"flashrec.py: record at {at:#x}: format version {version} is not 1 or 2")
    slots, slots_at = [], p - pay
    for i in range(len(SLOTS)):
        origin, cert_len, key_len, pending_len, gen = SLOT.unpack_from(img, p + i * SLOT.size)
        slots.append({"name": SLOTS[i], "origin": origin, "cert_len": cert_len,
                      "key_len": key_len, "pending_len": pending_len, "generation": gen})
    p += len(SLOTS) * SLOT.size
    for s in slots:
        s["cert_at"] = p
        s["key_at"] = p + s["cert_len"]
        s["pending_at"] = s["key_at"] + s["key_len"]
        p = s["pending_at"] + s["pending_len"]
    if p != end:
        sys.exit(f"flashrec.py: record at {at:#x}: its parts end at {p - pay}, "
                 f"its payload at {plen}")
    return {"version": version, "profiles": profiles, "seal": seal, "slots": slots,
            "slots_at": slots_at}


def relay(img, rec, r):
    """Writes the parsed record r back as rec's payload (same length), both
    CRCs computed again: what precedes the slot descriptors as it is, then
    the descriptors and r's blobs, in r["blob"][(slot, field)]."""
    at = rec["at"]
    pay = at + HDR.size
    out = bytearray(img[pay:pay + r["slots_at"]])
    for s in r["slots"]:
        out += SLOT.pack(s["origin"], s["cert_len"], s["key_len"], s["pending_len"],
                         s["generation"])
    for s in r["slots"]:
        for field in ("cert", "key", "pending"):
            out += r["blob"][(s["name"], field)]
    if len(out) != rec["len"]:
        sys.exit("flashrec.py: the record laid out again has another length")
    img[pay:pay + rec["len"]] = out
    fix_crcs(img, rec)


def with_blobs(img, rec):
    r = parse(img, rec)
    if not r["seal"]:
        sys.exit("flashrec.py: the record holds no sealed key")
    r["blob"] = {}
    for s in r["slots"]:
        for field in ("cert", "key", "pending"):
            r["blob"][(s["name"], field)] = bytes(img[s[field + "_at"]:s[field + "_at"] +
                                                      s[field + "_len"]])
    return r


def seal_swap(img, rec, a, b):
    r = with_blobs(img, rec)
    (sa, fa), (sb, fb) = a.split(":"), b.split(":")
    if {fa, fb} - {"key", "pending"} or {sa, sb} - set(SLOTS) or (sa, fa) == (sb, fb):
        sys.exit(f"flashrec.py: seal-swap: {a} {b}: two of SLOT:key, SLOT:pending")
    ba, bb = r["blob"][(sa, fa)], r["blob"][(sb, fb)]
    if len(ba) <= NONCE + TAG or len(bb) <= NONCE + TAG:
        sys.exit(f"flashrec.py: seal-swap: {a} or {b} holds no sealed key")
    r["blob"][(sa, fa)], r["blob"][(sb, fb)] = bb, ba
    slot = {s["name"]: s for s in r["slots"]}
    slot[sa][fa + "_len"], slot[sb][fb + "_len"] = len(bb), len(ba)
    relay(img, rec, r)
    print(f"flashrec.py: exchanged the sealed {fa} of {sa} and the sealed {fb} of {sb}; "
          "CRCs recomputed")


def seal_generation(img, rec, name):
    r = with_blobs(img, rec)
    if name not in SLOTS:
        sys.exit(f"flashrec.py: seal-generation: no slot {name}")
    s = r["slots"][SLOTS.index(name)]
    s["generation"] += 1
    relay(img, rec, r)
    print(f"flashrec.py: {name}'s generation is now {s['generation']}; CRCs recomputed")


def show(img, rec):
    r = parse(img, rec)
    print(f"version {r['version']}")
    if r["profiles"]:
        c1, c2, _, _, s1, s2, s3, _ = r["profiles"]
        print(f"profiles cert {c1} {c2} select {s1} {s2} {s3}")
    if r["seal"]:
        s = r["seal"]
        print(f"seal cipher {s['cipher']} kmk_len {s['kmk_len']} kek_len {s['kek_len']} "
              f"flags {s['flags']}")
    for s in r["slots"]:
        print(f"slot {s['name']} origin {s['origin']} cert_len {s['cert_len']} "
              f"key_len {s['key_len']} pending_len {s['pending_len']} "
              f"generation {s['generation']}")


def seal_flip(img, rec, slot, field, part):
    r = parse(img, rec)
    if not r["seal"]:
        sys.exit("flashrec.py: seal-flip: the record holds no sealed key")
    if slot not in SLOTS or field not in ("key", "pending"):
        sys.exit(f"flashrec.py: seal-flip: no sealed {field} of slot {slot}")
    s = r["slots"][SLOTS.index(slot)]
    start, length = s[field + "_at"], s[field + "_len"]
    if length <= NONCE + TAG:
        sys.exit(f"flashrec.py: seal-flip: {slot}'s {field} is {length} bytes: not a sealed key")
    parts = {"nonce": (start, NONCE), "ciphertext": (start + NONCE, length - NONCE - TAG),
             "tag": (start + length - TAG, TAG)}
    if part not in parts:
        sys.exit(f"flashrec.py: seal-flip: {part}: nonce, ciphertext or tag")
    byte = parts[part][0] + parts[part][1] // 2
    img[byte] ^= 0x01
    fix_crcs(img, rec)
    print(f"flashrec.py: flipped bit 0 of the byte at {byte:#x}, in the {part} of "
          f"{slot}'s sealed {field}; CRCs recomputed")


def damage(img, rec, how):
    at, plen = rec["at"], rec["len"]
    pay = at + HDR.size
    if how == "magic":
        img[at] ^= 0x01
    elif how == "version":
        # 0 is no version: damage. A later version (2, ...) with a valid
        # header CRC is a record of a newer format, not damage.
        struct.pack_into("<H", img, at + 4, 0)
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
    if cmd == "show" and len(sys.argv) == 4:
        show(img, pick(recs, sys.argv[3]))
        return
    if cmd == "damage" and len(sys.argv) == 5:
        damage(img, pick(recs, sys.argv[3]), sys.argv[4])
    elif cmd == "seal-flip" and len(sys.argv) == 7:
        seal_flip(img, pick(recs, sys.argv[3]), *sys.argv[4:7])
    elif cmd == "seal-swap" and len(sys.argv) == 6:
        seal_swap(img, pick(recs, sys.argv[3]), *sys.argv[4:6])
    elif cmd == "seal-generation" and len(sys.argv) == 5:
        seal_generation(img, pick(recs, sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)
    with open(path, "r+b") as f:
        f.write(img[:BLOCKS * ERASE])


if __name__ == "__main__":
    main()
