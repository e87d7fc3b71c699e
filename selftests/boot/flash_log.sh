#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The flash log's recovery rules under faults: devcred_flashlog in the
# guest (selftests/devcred_flashlog.c), on the board's CFI flash and on
# nandsim in one boot, then its tests of the board's own store on a
# read-only partition. Its kselftest test points become ours, prefixed with
# the boot they ran in; a boot that ends without its test points, or with a
# kernel report (scripts/vm status 121), fails too.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
guest_tap "nor+nand" --no-daemon --timeout 1800 -- devcred_flashlog -f flashlog
guest_tap "read-only" --no-daemon --dtso "$TOP/selftests/boot/devcred-virt-readonly.dtso" -- \
	devcred_flashlog -f board
echo "1..$_tap_n"
tap_done
