#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flash wear, counted by the flash chip itself (QEMU's log of the erase and
# program commands it receives, scripts/vm --trace-flash): 100 platform
# updates cost at most 0.25 block erases each (make bench measures 1000
# against the usual ways), and devcred's own counters tell the truth.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
N=100

tap_plan 3
tap_ok "$N platform1 updates on a fresh store" \
	vm --no-daemon --trace-flash "$tmp/flash.log" -- sh -ec "
		devcred_tool updates platform1 $N >/dev/null
		devcred_tool info | grep -E '^(erases|bytes_written)='" \
	>"$tmp/out"
sed -n 's/^# //p' "$tmp/out" >"$tmp/info"
cat "$tmp/out"
driver_erases=$(sed -n 's/^erases=//p' "$tmp/info")
driver_bytes=$(sed -n 's/^bytes_written=//p' "$tmp/info")
# Erase lines, and buffered programs whose "bytes:" field is the word count
# minus one (CFI encoding) of a 4-byte-wide bank.
chip_erases=$(grep -c '^pflash_write_block_erase virt.flash1:' "$tmp/flash.log")
chip_bytes=$(sed -n 's/^pflash_write_block_start virt.flash1: .*bytes:0x\([0-9a-f]*\)$/\1/p' \
	"$tmp/flash.log" | while read -r n; do echo $((0x$n + 1)); done |
	awk '{ w += $1 } END { print w * 4 }')
echo "# chip: $chip_erases erases, $chip_bytes bytes; driver: ${driver_erases:-?} erases, ${driver_bytes:-?} bytes"

tap_ok "at most 0.25 block erases per update ($chip_erases for $N)" \
	test "$chip_erases" -ge 1 -a "$chip_erases" -le $((N / 4))
tap_ok "the driver's erase and byte counters match the chip's log" \
	test "${driver_erases:-x}" = "$chip_erases" -a "${driver_bytes:-x}" = "$chip_bytes"
tap_done
