#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixture of scripts/lint-tests, never run: guest scripts of several
# commands under sh -c without -e, where only the last can fail (each such
# line carries an "expect" comment naming the rule), guest scripts that
# shfmt cannot parse, and beside them the forms that are checked.
set -u
. "$(dirname "$0")/../boot/tap.sh"

tap_plan 6
tap_ok "marker written" vm -- sh -c '
	dev=/dev/$(grep "\"devcred\"" /proc/mtd | cut -d: -f1) # expect: sh-c-steps
	flashcp -v /mnt/share/marker "$dev"'
tap_ok "two steps on one line" vm -- sh -c 'rmmod devcred; insmod /lib/modules/devcred.ko' # expect: sh-c-steps
tap_ok "one command" vm -- sh -c 'credctl list'
tap_ok "as a user" vm -- su user -s /bin/sh -c 'credctl list'
tap_ok "with -e" vm -- sh -ec '
	rmmod devcred
	insmod /lib/modules/devcred.ko'
tap_ok "a guest script shfmt cannot parse" vm -- sh -ec 'if true; then echo' # expect: parse
tap_done
