#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred built into the kernel binds to its partition whenever the flash
# driver registers it: during boot (physmap built in, linked after
# drivers/misc) or from userspace (physmap a module that init loads after
# devcred registered). The probe that finds no partition yet defers, and
# the store binds once the partition is there; a credential written on such
# a board survives a reboot.
#
# A boot-time function trace of devcred_probe shows the deferral: the first
# call (made while physmap creates the partition's device, before it
# registers the partition) cannot bind, so a later call is needed.
set -u
. "$(dirname "$0")/../tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
head -c 3000 /dev/urandom | base64 >"$tmp/cert"
head -c 1200 /dev/urandom | base64 >"$tmp/key"
TRACE="ftrace=function ftrace_filter=devcred_probe"

# Shared by the boots below: devcred is built in, its probe ran more than
# once, and the store is bound to the device tree partition and answers.
cat >"$tmp/deferred.sh" <<'CHECK'
set -e
[ -d /sys/module/devcred ] && [ ! -e /sys/module/devcred/initstate ] ||
	{ echo "devcred is not built in"; exit 1; }
grep devcred_probe /sys/kernel/debug/tracing/trace >/tmp/probes || true
cat /tmp/probes
[ "$(wc -l </tmp/probes)" -ge 2 ] || { echo "devcred_probe ran $(wc -l </tmp/probes) time(s): no deferral"; exit 1; }
ls /sys/bus/platform/drivers/devcred | grep -q credentials ||
	{ echo "devcred is bound to no platform device"; exit 1; }
dmesg | grep -q 'devcred: bound to mtd[0-9]* "devcred"' || { echo "no attach line"; exit 1; }
devcred_tool info >/dev/null
CHECK

tap_plan 4
tap_ok "physmap built in: devcred's probe defers during boot and binds before init runs" \
	vm --builtin --no-daemon --cmdline "$TRACE" --share "$tmp" -- sh -ec '
		sh /mnt/share/deferred.sh
		if grep -q "^physmap " /proc/modules; then echo "physmap is a module"; exit 1; fi
		# The binding is complete before userspace starts.
		dmesg | grep -nE "devcred: bound to|Run /init as init process" >/tmp/order
		cat /tmp/order
		head -n1 /tmp/order | grep -q "devcred: bound to"'

tap_ok "physmap a module loaded by init: devcred's probe defers, binds after init ran, stores a credential" \
	vm --builtin --late-flash --no-daemon --cmdline "$TRACE" --flash "$flash" --share "$tmp" -- sh -ec '
		sh /mnt/share/deferred.sh
		grep -q "^physmap " /proc/modules
		# The first probe came from modprobe physmap: the platform
		# device exists only once the flash driver is there.
		head -n1 /tmp/probes | grep -q modprobe
		dmesg | grep -nE "devcred: bound to|Run /init as init process" >/tmp/order
		cat /tmp/order
		head -n1 /tmp/order | grep -q "Run /init"
		devcred_tool write platform1 installed /mnt/share/cert /mnt/share/key'

tap_ok "after a reboot with the late flash driver, the credential reads back" \
	vm --builtin --late-flash --no-daemon --flash "$flash" --share "$tmp" -- sh -ec '
		devcred_tool read-cert platform1 | cmp - /mnt/share/cert
		devcred_tool read-key platform1 | cmp - /mnt/share/key
		devcred_tool status platform1 | grep -qx origin=installed'

tap_ok "the same flash on the physmap-built-in kernel reads the credential too" \
	vm --builtin --no-daemon --flash "$flash" --share "$tmp" -- sh -ec '
		devcred_tool read-cert platform1 | cmp - /mnt/share/cert
		devcred_tool read-key platform1 | cmp - /mnt/share/key'
tap_done
