#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's flash file keeps what a boot wrote: a marker written with
# mtd-utils into the credentials partition in one scripts/vm --flash run is
# read back in the next. devcred.ko is not loaded, so the partition is raw.
# These points check the test harness (scripts/vm and QEMU's flash), on
# which every flash test stands, not devcred: their descriptions start with
# "harness: " so that a count can tell them apart.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
marker="devcred-marker-$$-$RANDOM-$(date +%s)"
printf '%s' "$marker" >"$tmp/marker"

tap_plan 4
tap_ok "harness: new flash file is created erased" \
	vm --no-module --flash "$flash" -- true
tap_ok "harness: flash file starts all 0xFF" \
	cmp -s -n $((64 << 20)) "$flash" <(head -c $((64 << 20)) /dev/zero | tr '\0' '\377')

tap_ok "harness: marker written with flashcp" \
	vm --no-module --flash "$flash" --share "$tmp" -- sh -ec '
		dev=/dev/$(grep "\"devcred\"" /proc/mtd | cut -d: -f1)
		flashcp -v /mnt/share/marker "$dev"'

tap_ok "harness: marker read back on the next boot" \
	vm --no-module --flash "$flash" --share "$tmp" -- sh -ec '
		dev=/dev/$(grep "\"devcred\"" /proc/mtd | cut -d: -f1)
		n=$(wc -c </mnt/share/marker)
		dd if="$dev" bs=1 count="$n" 2>/dev/null >/tmp/back
		cmp /tmp/back /mnt/share/marker'
tap_done
