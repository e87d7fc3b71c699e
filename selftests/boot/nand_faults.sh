#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nand_faults.sh [short|long]: the store on NAND that misbehaves, simulated
# by nandsim in one boot (nand_faults_guest.sh does the work in the guest).
# First the MTD subsystem's torture and stress tests pass on the simulated
# chip, so that later failures are the store's (points of the test
# harness, not of devcred: their descriptions start with "harness: ");
# then, each on a fresh nandsim: corrected bitflips (reported on every
# read, and nandsim's random ones) move the current record to another
# block, intact; blocks marked bad beforehand, the first among them, are
# never written; a block that fails to erase or to program is retired and
# the update goes on; a page that can no longer be read costs the record on
# it, never a mixed state. "long" (make stress) runs more cycles, rewrites
# and updates.
#
# NAND_FAULTS_SKIP="CASE..." (with NAND_FAULTS_SKIP_REASON) leaves cases
# out of this run, each a SKIP point with the reason: make check's debug
# kernel leaves out bitflip-random (see scripts/check).
set -u
. "$(dirname "$0")/tap.sh"
. "$TOP/scripts/lib.sh"

mode=${1:-short}
case $mode in
short) timeout=900 ;;
long) timeout=3600 ;;
*) echo "usage: $0 [short|long]" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$(dirname "$0")/nand_faults_guest.sh" "$tmp/"
# The board's NAND chip, as scripts/vm --nand loads it: the guest cannot
# read scripts/lib.sh.
echo "$DEVCRED_NAND" >"$tmp/nandsim.params"

cases=(torture stress bitflip-threshold bitflip-random bad-blocks erase-failure write-failure
       read-failure)
declare -A desc=(
	[torture]="harness: mtd_torturetest passes on the nandsim partition"
	[stress]="harness: mtd_stresstest passes on the nandsim partition"
	[bitflip-threshold]="bitflips reported on every read: each attach moves the record to another block, intact, logged once"
	[bitflip-random]="nandsim's random bitflips: the record moves off its block, the state stays intact"
	[bad-blocks]="bad blocks 0, 1, 7, 20: skipped when scanning and writing, never written"
	[erase-failure]="erase failures (weakblocks): the block is marked bad, logged, the update goes on; intact after a reload"
	[write-failure]="write failures (weakpages): an append moves to the next block, a new block is marked bad"
	[read-failure]="an unreadable page (gravepages): its record is skipped, the previous one wins whole"
)

skip=${NAND_FAULTS_SKIP:-}
for c in $skip; do
	[ -n "${desc[$c]:-}" ] || { echo "NAND_FAULTS_SKIP: no case $c (${cases[*]})" >&2; exit 2; }
	[ -n "${NAND_FAULTS_SKIP_REASON:-}" ] || { echo "NAND_FAULTS_SKIP: give NAND_FAULTS_SKIP_REASON" >&2; exit 2; }
done

tap_plan ${#cases[@]}
# shellcheck disable=SC2086 # the case names, one word each
vm --no-module --no-daemon --timeout "$timeout" --share "$tmp" -- \
	sh /mnt/share/nand_faults_guest.sh "$mode" $skip
rc=$?
[ "$rc" -eq 0 ] || echo "# the boot ended with status $rc"
passed=0
for c in "${cases[@]}"; do
	if grep -qx "ok $c" "$tmp/results" 2>/dev/null; then
		passed=$((passed + 1))
	fi
done
echo "# NAND fault cases ($mode): ${#cases[@]} checked, $passed passed"
for c in "${cases[@]}"; do
	if [[ " $skip " == *" $c "* ]]; then
		# Left out, and the guest says so: not run by mistake, nor lost.
		if grep -qx "skip $c" "$tmp/results"; then
			tap_skip "${desc[$c]}" "$NAND_FAULTS_SKIP_REASON"
		else
			tap_ok "${desc[$c]} (left out: the guest did not say skip)" false
		fi
		continue
	fi
	tap_ok "${desc[$c]}" grep -qx "ok $c" "$tmp/results"
done
# A kernel report (oops, warning: status 121) fails the run even when every
# case passed.
[ "$rc" -eq 0 ] || _tap_fail=1
tap_done
