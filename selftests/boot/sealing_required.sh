#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sealing required (Documentation/devcred/key-sealing.rst, "Without a TPM,
# and requiring one"): with the module parameter require_sealing=1 or the
# partition's devcred,require-sealing property, no private key reaches the
# flash while no key-encryption key is loaded. The write fails with ENOKEY,
# the kernel log says why, the store is unchanged; erasing, bindings and
# the application slots (RAM) keep working. Once the key-encryption key is
# adopted, keys are written, and only sealed.
set -u
. "$(dirname "$0")/tap.sh"
. "$TOP/scripts/tpm.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
sh "$(dirname "$0")/mkcerts.sh" "$tmp/c" >/dev/null
BOARD_PRELUDE="cd /mnt/share/c"
# The boards run no devcredd, so no devcred-unseal either (scripts/guest/init):
# the test, not the boot, decides when a key-encryption key exists.

# Refused: the write fails with ENOKEY and the log line, nothing stored.
# shellcheck disable=SC2016 # expanded in the guest
REFUSED='
	if devcred_tool write platform1 installed platform1.pem platform1.key 2>/tmp/err; then
		echo "a key was written in clear"; exit 1
	fi
	cat /tmp/err
	grep -q "ENOKEY" /tmp/err
	dmesg | grep -q "devcred: platform1: key not written: sealing is required and no key-encryption key is loaded"
	devcred_tool status platform1 | grep -qx "cert_len=0"
	if devcred_tool pending platform1 platform1.key 2>/tmp/err; then
		echo "a pending key was written in clear"; exit 1
	fi
	grep -q "ENOKEY" /tmp/err'

tap_plan 5
run_board() {
	run_points --no-daemon --no-tpm --modparam require_sealing=1 --share "$tmp"
}
point "require_sealing=1, no TPM: info says so, keys in clear are refused (ENOKEY, the log names the rule), nothing stored" "
	devcred_tool info | grep -q 'flag_names=.*keys-clear,'
	devcred_tool info | grep -q 'flag_names=.*sealing-required,'
	dmesg | grep -q 'private keys are stored unencrypted on mtd[0-9]*; sealing is required'
	$REFUSED"
point "require_sealing=1: bindings and the application slots (RAM) still work" "
	devcred_tool bind 3 platform2
	devcred_tool bindings | grep -qx 'op3=platform2 unavailable'
	devcred_tool write app1 installed platform1.pem platform1.key
	devcred_tool status app1 | grep -qx \"cert_len=\$(wc -c <platform1.pem)\""
run_board

run_board() {
	run_points --no-daemon --flash "$flash" --share "$tmp" \
		--dtso "$TOP/selftests/boot/devcred-virt-sealing.dtso"
}
point "devcred,require-sealing on the partition node: refused until the key-encryption key is adopted" "
	devcred_tool info | grep -q 'flag_names=.*sealing-required,'
	$REFUSED"
point "with the key-encryption key adopted, the key is written, sealed" "
	keyctl session - sh -ec \"
		keyctl add trusted devcred:kmk 'new 32 keyhandle=$TPM_SRK_HANDLE' @s >/dev/null
		keyctl add encrypted devcred:kek 'new default trusted:devcred:kmk 32' @s >/dev/null
		devcred_tool load-kek --new\"
	devcred_tool write platform1 installed platform1.pem platform1.key
	devcred_tool info | grep -q 'flag_names=.*kek-loaded,'
	devcred_tool read-key platform1 | cmp - platform1.key"
run_board
# The flash file holds none of the key's base64 lines.
leaks=0
while read -r line; do
	case $line in -----*) continue ;; esac
	grep -qF -- "$line" "$flash" && leaks=$((leaks + 1))
done <"$tmp/c/platform1.key"
tap_ok "the flash file holds no line of the key written under require-sealing" test "$leaks" -eq 0
tap_done
