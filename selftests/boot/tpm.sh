#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's TPM 2.0 (scripts/vm: swtpm as QEMU's tpm-tis-device, its state
# beside the flash file): in the guest's device tree unless --no-tpm, the
# state kept beside the flash file, boards side by side on TPMs of their
# own, and no swtpm (nor QEMU) left behind by a boot, however it ends. These
# points check the board (scripts/vm), not devcred: they are named
# "harness: ".
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
moved=$tmp/moved.img
# scripts/vm and scripts/mkdtb make their run folders (and the TPM's socket
# and state of a board without a flash file) under TMPDIR: here, so that the
# test can tell what the boots left.
export TMPDIR=$tmp/run
mkdir "$TMPDIR"

# leftovers DIR: the QEMU and swtpm processes (with the timeout that bounds
# each) whose command line names DIR, one line each.
leftovers() {
	local p cmd
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $cmd in
		*qemu-system*"$1"* | *swtpm*"$1"*) echo "${p#/proc/} $cmd" ;;
		esac
	done
}

# nothing_left DIR: no QEMU or swtpm runs on DIR and the boots' run folders
# under TMPDIR are gone.
nothing_left() {
	local procs files
	procs=$(leftovers "$1")
	files=$(ls -A "$TMPDIR")
	[ -z "$procs$files" ] && return 0
	echo "# left running: ${procs:-nothing}"
	echo "# left in TMPDIR: ${files:-nothing}"
	return 1
}

# The node QEMU's virt puts on its platform bus for the TPM.
TPM_NODE=/proc/device-tree/platform-bus@c000000/tpm_tis@0
# shellcheck disable=SC2016 # expanded in the guest
HAS_TPM_NODE='test "$(tr -d "\0" <'$TPM_NODE'/compatible)" = tcg,tpm-tis-mmio'

tap_plan 8
tap_ok "harness: a board has a TPM: tcg,tpm-tis-mmio in its device tree" \
	vm --no-daemon --flash "$flash" -- sh -ec "$HAS_TPM_NODE"
tap_ok "harness: the TPM's state is made beside the flash file" \
	test -s "$flash.tpm/tpm2-00.permall"
# A mark that swtpm leaves alone: a TPM made anew would be a new folder.
date >"$flash.tpm/devcred-test-mark"

# The same board rebooted, and a copy of its flash on another board (a new
# TPM state beside the copy), side by side.
cp "$flash" "$moved"
vm --no-daemon --flash "$flash" -- sh -ec "$HAS_TPM_NODE" >"$tmp/same.out" 2>&1 &
same=$!
vm --no-daemon --flash "$moved" -- sh -ec "$HAS_TPM_NODE" >"$tmp/other.out" 2>&1 &
other=$!
wait "$same"
same_rc=$?
wait "$other"
other_rc=$?
cat "$tmp/same.out" "$tmp/other.out"
side_by_side() {
	test "$same_rc" -eq 0 || return 1
	test "$other_rc" -eq 0 || return 1
	# The rebooted board kept its TPM: the same folder, not a new one.
	test -s "$flash.tpm/devcred-test-mark" || return 1
	test -s "$moved.tpm/tpm2-00.permall" || return 1
	# The copy's TPM is new: not the first board's folder.
	test ! -e "$moved.tpm/devcred-test-mark"
}
tap_ok "harness: rebooted, a board keeps its TPM; side by side, a copy of its flash file gets a TPM of its own" \
	side_by_side

tap_ok "harness: --no-tpm: no TPM in the device tree" \
	vm --no-daemon --no-tpm -- sh -ec "test ! -e $TPM_NODE"
tap_ok "harness: after these boots no QEMU or swtpm runs and their run folders are gone" \
	nothing_left "$tmp"

# A board stopped from outside: SIGTERM to scripts/vm while the guest runs.
# Without a flash file, the TPM's state is in scripts/vm's own folder
# under TMPDIR, which must go too.
# shellcheck disable=SC2086 # VM_FLAGS holds several options
"$VM" --kernel "$KERNEL" $VM_FLAGS --no-daemon -- sh -ec 'echo board-up; exec sleep 600' \
	>"$tmp/term.out" 2>&1 &
board=$!
running() {
	local i=0
	until grep -q board-up "$tmp/term.out"; do
		i=$((i + 1))
		if [ $i -gt 3000 ] || ! kill -0 "$board" 2>/dev/null; then
			sed 's/^/# /' "$tmp/term.out"
			return 1
		fi
		sleep 0.1
	done
	leftovers "$tmp" >"$tmp/procs"
	sed 's/^/# running: /' "$tmp/procs"
	grep -q '^[0-9]* qemu-system-aarch64 ' "$tmp/procs" || return 1
	grep -q '^[0-9]* swtpm socket ' "$tmp/procs"
}
tap_ok "harness: while a board runs, its QEMU and swtpm are seen running" running
stopped() {
	local rc
	kill -TERM "$board"
	wait "$board"
	rc=$?
	sed 's/^/# /' "$tmp/term.out"
	echo "# scripts/vm exited $rc"
	test $rc -eq 143 || return 1
	nothing_left "$tmp"
}
tap_ok "harness: SIGTERM to scripts/vm stops the board: no QEMU or swtpm left, its folders gone" \
	stopped

killed() {
	local rc
	vm --no-daemon --kill-after 5 -- sleep 600
	rc=$?
	echo "# scripts/vm exited $rc"
	test $rc -eq 137 || return 1
	nothing_left "$tmp"
}
tap_ok "harness: a board killed as by a power cut (--kill-after) leaves no swtpm and no folders" \
	killed
tap_done
