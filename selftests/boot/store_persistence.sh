#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flash slots and bindings survive a reboot with the same flash file;
# application slots come back empty.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
for s in platform1 platform2 app1; do
	head -c 1500 /dev/urandom | base64 >"$tmp/$s.cert"
	head -c 900 /dev/urandom | base64 >"$tmp/$s.key"
done

tap_plan 6
tap_ok "platform1, platform2 and app1 written; sip bound to platform2, ldap to app1" \
	vm --no-daemon --flash "$flash" --share "$tmp" -- sh -ec '
		cd /mnt/share
		for s in platform1 platform2 app1; do
			devcred_tool write $s installed $s.cert $s.key
		done
		devcred_tool bind 3 platform2
		devcred_tool bind 6 app1
		devcred_tool read-cert app1 | cmp - app1.cert'

check_slot() {
	vm --no-daemon --flash "$flash" --share "$tmp" -- sh -ec "
		cd /mnt/share
		devcred_tool read-cert $1 | cmp - $1.cert
		devcred_tool read-key $1 | cmp - $1.key
		devcred_tool status $1 | grep -qx origin=installed"
}
tap_ok "platform1 certificate and key survive the reboot" check_slot platform1
tap_ok "platform2 certificate and key survive the reboot" check_slot platform2
tap_ok "app1 is empty after the reboot" \
	vm --no-daemon --flash "$flash" -- sh -ec '
		devcred_tool status app1 | grep -qx cert_len=0
		! devcred_tool read-cert app1'
tap_ok "bindings survive; ldap's app1 is reported unavailable" \
	vm --no-daemon --flash "$flash" -- sh -ec '
		devcred_tool bindings | grep -qx "op3=platform2"
		devcred_tool bindings | grep -qx "op6=app1 unavailable"
		devcred_tool bindings | grep -qx "op0=builtin unavailable"'
# Two flash writes (app1 lives in RAM) and two binding changes: record 4.
tap_ok "the attach summary names every flash slot" \
	vm --no-daemon --flash "$flash" -- sh -ec "
		dmesg | grep devcred:
		dmesg | grep -q 'devcred: loaded record seq 4 '
		dmesg | grep -q 'devcred: platform1: installed certificate length $(stat -c %s "$tmp/platform1.cert"), key length $(stat -c %s "$tmp/platform1.key")'
		dmesg | grep -q 'devcred: builtin: not available'"
tap_done
