#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mkuenv.py STATE_DIR [ENV_SIZE]: the U-Boot-style baseline's two images.

Writes STATE_DIR/uenv-0.bin and uenv-1.bin, each a redundant U-Boot
environment of ENV_SIZE bytes (default one 256 KiB erase block) holding the
same credential bytes devcred stores (builtin and platform1, pair A in copy
0 and pair B in copy 1) as variables. The layout is U-Boot's redundant
environment: CRC32 (little-endian, of the data area), one flag byte
(1 = active), then NUL-terminated name=value entries, an empty entry ending
the list, and the rest of the data area zero-filled, as U-Boot exports it.
"""
import os
import struct
import sys
import zlib

HEADER = 5  # CRC32 + flag byte of a redundant environment


def env_image(entries, size):
    data = b"".join(name.encode() + b"=" + value + b"\0" for name, value in entries) + b"\0"
    room = size - HEADER
    if len(data) > room:
        sys.exit(f"mkuenv.py: {len(data)} bytes of variables do not fit a {size}-byte environment")
    data += bytes(room - len(data))
    return struct.pack("<IB", zlib.crc32(data), 1) + data


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: mkuenv.py STATE_DIR [ENV_SIZE]")
    state = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) == 3 else 256 << 10

    def read(name):
        with open(os.path.join(state, name), "rb") as f:
            return f.read()

    for copy, pair in ((0, "A"), (1, "B")):
        entries = [
            ("builtin_cert", read("builtin.cert")),
            ("builtin_key", read("builtin.key")),
            ("platform1_cert", read(pair + ".cert")),
            ("platform1_key", read(pair + ".key")),
        ]
        with open(os.path.join(state, f"uenv-{copy}.bin"), "wb") as f:
            f.write(env_image(entries, size))


if __name__ == "__main__":
    main()
