#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many consecutive updates wrap through every erase block of the partition;
# the newest state always wins, after a module reload and after a reboot.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
N=150

newest_is() {
	devcred_tool read-cert platform1 | head -c 40 | grep -q "^CERT update $1 of slot 1\." &&
	devcred_tool read-key platform1 | head -c 40 | grep -q "^KEY update $1 of slot 1\."
}

tap_plan 3
tap_ok "$N updates of platform1 wrap through all blocks" \
	vm --no-daemon --flash "$flash" -- sh -ec "
		devcred_tool updates platform1 $N
		devcred_tool info | tee /tmp/info
		blocks=\$(sed -n s/^blocks=//p /tmp/info)
		erases=\$(sed -n s/^erases=//p /tmp/info)
		echo \"# \$erases erases over \$blocks blocks\"
		[ \"\$erases\" -gt \"\$blocks\" ]
		[ \"\$erases\" -lt \$(( $N / 4 )) ]
		$(declare -f newest_is); newest_is $N"
tap_ok "the newest update wins after a module reload" \
	vm --no-daemon --flash "$flash" -- sh -ec "
		devcred-reload
		$(declare -f newest_is); newest_is $N"
tap_ok "the newest update wins after a reboot, and updates go on" \
	vm --no-daemon --flash "$flash" -- sh -ec "
		$(declare -f newest_is); newest_is $N
		devcred_tool updates platform1 3
		newest_is 3"
tap_done
