#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The store's life around its device: a read-only partition gives a
# read-only store; rmmod waits for open descriptors; removing the MTD
# partition under an open descriptor leaves ENODEV, not a crash.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
echo cert >"$tmp/c"
echo key >"$tmp/k"

tap_plan 5
tap_ok "a store written on a writable partition" \
	vm --no-daemon --flash "$flash" --share "$tmp" -- devcred_tool write platform1 installed /mnt/share/c /mnt/share/k

tap_ok "read-only partition: store reads, flags read-only, writes fail with EROFS" \
	vm --no-daemon --flash "$flash" --dtso "$TOP/selftests/boot/devcred-virt-readonly.dtso" -- sh -ec '
		dmesg | grep -q "devcred: bound to .*, read-only"
		devcred_tool read-cert platform1 | grep -qx cert
		devcred_tool info | grep -qx flags=33	# read-only (1), keys in clear (0x20)
		devcred_tool erase platform1 2>/tmp/err && exit 1
		grep -q "Read-only file system" /tmp/err
		devcred_tool bind 3 platform1 2>/tmp/err && exit 1
		grep -q "Read-only file system" /tmp/err
		devcred_tool status platform1 | grep -qx cert_len=5'

tap_ok "rmmod is refused while a descriptor is open, then works" \
	vm --no-daemon -- sh -ec "$GUEST_WAIT_UNTIL"'
		devcred_tool hold 3 &
		wait_until 60 "[ \$(cat /sys/module/devcred/refcnt) -ge 1 ]"
		rmmod devcred && exit 1
		wait
		rmmod devcred
		[ ! -e /dev/devcred ]
		insmod /lib/modules/devcred.ko
		devcred_tool info >/dev/null'

tap_ok "partition removed under an open descriptor: ENODEV, INFO says gone" \
	vm --no-daemon -- devcred_gone

tap_ok "partition removed with no descriptor open, then rmmod: clean, no kernel report" \
	vm --no-daemon -- sh -ec '
		echo 0.flash >/sys/bus/platform/drivers/physmap-flash/unbind
		! ls /dev/devcred 2>/dev/null || devcred_tool info | grep -q "^flags="
		rmmod devcred'
tap_done
