#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's TPM 2.0 (scripts/vm: swtpm as QEMU's tpm-tis-device, its state
# beside the flash file) and the kernel keys that stand on it: a trusted key
# sealed under the TPM's storage root key, and an encrypted key whose master
# it is, the scheme of Documentation/devcred/key-sealing.rst. The blobs load
# again on the same board after a reboot, and not on the same flash image
# with another TPM; a board without a TPM has none. Points named "harness: "
# check scripts/vm's handling of swtpm: state kept beside the flash, boards
# side by side on TPMs of their own, and no swtpm (nor QEMU) left behind by a
# boot, however it ends.
set -u
. "$(dirname "$0")/tap.sh"
. "$TOP/scripts/tpm.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
moved=$tmp/moved.img
# What the guests see: the saved blobs.
share=$tmp/share
mkdir "$share"
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

# What a board with a TPM must show: the device nodes, a TPM 2.0, bound by
# tpm_tis from the node QEMU's virt puts on its platform bus.
# shellcheck disable=SC2016 # expanded in the guest
HAS_TPM='
	test -c /dev/tpm0
	test -c /dev/tpmrm0
	test "$(cat /sys/class/tpm/tpm0/tpm_version_major)" = 2
	node=/proc/device-tree/platform-bus@c000000/tpm_tis@0
	test "$(tr -d "\0" <$node/compatible)" = tcg,tpm-tis-mmio
	test "$(basename "$(readlink /sys/class/tpm/tpm0/device/driver)")" = tpm_tis'

# The guest script that loads the saved blobs: the trusted key, which the
# TPM unseals, and the encrypted key, whose load checks its HMAC with a key
# derived from the trusted one: it loads only if the TPM gave back the very
# key it sealed.
# shellcheck disable=SC2016 # expanded in the guest
LOAD_KEYS='
	test -s /mnt/share/kmk.blob
	keyctl add trusted devcred:kmk "load $(cat /mnt/share/kmk.blob)" @u
	keyctl add encrypted devcred:kek "load $(cat /mnt/share/kek.blob)" @u
	keyctl pipe "$(keyctl search @u encrypted devcred:kek)" >/tmp/kek.blob
	cmp /tmp/kek.blob /mnt/share/kek.blob'

# The guest script for the image on another board.
NOT_ON_OTHER_TPM="
	$HAS_TPM
	test -s /mnt/share/kmk.blob
	if keyctl add trusted devcred:kmk \"load \$(cat /mnt/share/kmk.blob)\" @u 2>/tmp/err; then
		echo 'another TPM unsealed the trusted key'; exit 1
	fi
	cat /tmp/err
	if keyctl search @u trusted devcred:kmk; then echo 'a trusted key is in the keyring'; exit 1; fi
	if keyctl add encrypted devcred:kek \"load \$(cat /mnt/share/kek.blob)\" @u; then
		echo 'the encrypted key loaded without its master'; exit 1
	fi"

tap_plan 10
tap_ok "a TPM 2.0 bound by tpm_tis from virt's device tree; a trusted key sealed under the SRK, an encrypted key with it as master" \
	vm --no-daemon --flash "$flash" --share "$share" -- sh -ec "
		$HAS_TPM
		keyctl add trusted devcred:kmk 'new 32 keyhandle=$TPM_SRK_HANDLE' @u
		keyctl pipe \"\$(keyctl search @u trusted devcred:kmk)\" >/mnt/share/kmk.blob
		keyctl add encrypted devcred:kek 'new trusted:devcred:kmk 32' @u
		keyctl pipe \"\$(keyctl search @u encrypted devcred:kek)\" >/mnt/share/kek.blob
		grep -q '^default trusted:devcred:kmk 32 ' /mnt/share/kek.blob"
tap_ok "harness: the TPM's state is made beside the flash file" \
	test -s "$flash.tpm/tpm2-00.permall"
# A mark that swtpm leaves alone: a TPM made anew would be a new folder.
date >"$flash.tpm/devcred-test-mark"

# The same board rebooted, and a copy of its flash on another board (a new
# TPM state beside the copy), side by side.
cp "$flash" "$moved"
vm --no-daemon --flash "$flash" --share "$share" -- sh -ec "$HAS_TPM; $LOAD_KEYS" >"$tmp/same.out" 2>&1 &
same=$!
vm --no-daemon --flash "$moved" --share "$share" -- sh -ec "$NOT_ON_OTHER_TPM" >"$tmp/other.out" 2>&1 &
other=$!
wait "$same"
same_rc=$?
wait "$other"
other_rc=$?
cat "$tmp/same.out" "$tmp/other.out"
tap_ok "rebooted on the same TPM, the trusted key unseals and the encrypted key loads with it" \
	test "$same_rc" -eq 0
tap_ok "the flash image on a board with another TPM: the trusted key does not unseal" \
	test "$other_rc" -eq 0
side_by_side() {
	# The rebooted board kept its TPM: the same folder, not a new one.
	test -s "$flash.tpm/devcred-test-mark" || return 1
	test -s "$moved.tpm/tpm2-00.permall" || return 1
	# The copy's TPM is new: not the first board's folder.
	test ! -e "$moved.tpm/devcred-test-mark"
}
tap_ok "harness: rebooted, a board keeps its TPM; side by side, a copy of its flash file gets a TPM of its own" \
	side_by_side

tap_ok "--no-tpm: no TPM device, no TPM in the device tree, no trusted key can be made" \
	vm --no-daemon --no-tpm -- sh -ec "
		test ! -e /dev/tpm0
		test ! -e /sys/class/tpm/tpm0
		test ! -e /proc/device-tree/platform-bus@c000000/tpm_tis@0
		if keyctl add trusted devcred:kmk 'new 32 keyhandle=$TPM_SRK_HANDLE' @u; then
			echo 'a trusted key without a TPM'; exit 1
		fi"
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
