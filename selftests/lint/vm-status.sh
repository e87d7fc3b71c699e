#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixture of scripts/lint-tests, never run: boots whose status nobody
# reads, so that scripts/vm's 120 (panic) and 121 (oops, WARNING, KASAN)
# pass unseen (each such line carries an "expect" comment naming the
# rule), and beside them boots whose status counts.
set -u
. "$(dirname "$0")/../boot/tap.sh"

# A helper whose status is its boot's, and one that boots on the way.
boot() {
	vm --flash "$flash" -- sh -ec "$1"
}
two_boots() {
	vm -- true # expect: vm-status
	vm -- true
}
both_boots() {
	vm -- true && vm -- true
}

tap_plan 3
vm -- true # expect: vm-status
boot 'credctl list' # expect: vm-status
boot 'credctl list'
rc=$?
"$VM" --kernel "$KERNEL" -- true # expect: vm-status
vm_raw -- dmesg >"$tmp/out" 2>&1 # expect: vm-status
vm_raw -- dmesg >"$tmp/out" 2>&1
[ $? -eq 0 ] || echo "# the boot failed"
vm_raw -- dmesg | grep devcred # expect: vm-status
vm_raw -- dmesg | grep devcred
[ "${PIPESTATUS[0]}" -eq 0 ] || echo "# the boot failed"
tap_ok "a boot" vm -- true
tap_ok "a helper's boot" boot 'credctl list'
if vm -- true; then echo "# booted"; fi
vm -- true || echo "# the boot failed"
boot 'credctl status' &
pid=$!
wait "$pid"
rc=$?
tap_ok "two boots" both_boots
boot 'credctl status' & # expect: vm-status
tap_done
