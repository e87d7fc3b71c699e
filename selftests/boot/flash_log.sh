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

# guest_tap LABEL VM-OPTIONS... -- COMMAND...: boots, runs COMMAND and
# re-emits each of its top-level test points as one of ours.
guest_tap() {
	local label=$1 out=$tmp/out rc line points=0 failed=0
	shift
	vm_raw "$@" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	while IFS= read -r line; do
		[[ $line =~ ^(not )?ok\ [0-9]+\ (.*)$ ]] || continue
		_tap_n=$((_tap_n + 1))
		points=$((points + 1))
		if [ -n "${BASH_REMATCH[1]}" ]; then
			echo "not ok $_tap_n $label: ${BASH_REMATCH[2]}"
			_tap_fail=1
			failed=1
		else
			echo "ok $_tap_n $label: ${BASH_REMATCH[2]}"
		fi
	done <"$out"
	if [ "$points" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n $label: the boot ended with status $rc and $points test points"
		_tap_fail=1
	fi
}

echo "TAP version 13"
guest_tap "nor+nand" --no-daemon --timeout 1800 -- devcred_flashlog -f flashlog
guest_tap "read-only" --no-daemon --dtso "$TOP/selftests/boot/devcred-virt-readonly.dtso" -- \
	devcred_flashlog -f board
echo "1..$_tap_n"
tap_done
