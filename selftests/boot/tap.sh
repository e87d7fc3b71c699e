# SPDX-License-Identifier: GPL-2.0
# TAP for the host-side boot tests, which drive scripts/vm. Sourced.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$TOP/scripts/vm
KERNEL=${KERNEL:-6.12}
# Extra scripts/vm options for every boot, e.g. --debug.
VM_FLAGS=${VM_FLAGS:-}
_tap_n=0
_tap_fail=0

tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

# tap_ok DESCRIPTION COMMAND... : one test point from COMMAND's status
tap_ok() {
	local desc=$1
	shift
	_tap_n=$((_tap_n + 1))
	if "$@"; then
		echo "ok $_tap_n $desc"
	else
		echo "not ok $_tap_n $desc"
		_tap_fail=1
	fi
}

tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n $1 # SKIP $2"
}

tap_done() {
	exit $_tap_fail
}

# Spliced into a guest script (sh): wait_until SECONDS CONDITION runs the
# shell command CONDITION every 0.1 s until it succeeds, and fails saying
# what it waited for once SECONDS have passed. Tests wait on the board for
# what they need rather than sleep a guessed time, which the debug kernel,
# several times slower, would outlast.
# shellcheck disable=SC2016 # expanded in the guest
GUEST_WAIT_UNTIL='wait_until() {
	_wait_n=0
	until eval "$2"; do
		_wait_n=$((_wait_n + 1))
		if [ $_wait_n -ge $(($1 * 10)) ]; then
			echo "waited $1 s in vain for: $2"
			return 1
		fi
		sleep 0.1
	done
}'

# vm_raw ARGS... : scripts/vm on the kernel under test, with VM_FLAGS; its
# output as it is, for a caller that parses it (every boot goes through
# here, so that VM_FLAGS=--debug reaches all of them).
vm_raw() {
	# shellcheck disable=SC2086
	"$VM" --kernel "$KERNEL" $VM_FLAGS "$@"
}

# vm ARGS... : vm_raw, its output indented as TAP diagnostics so that it
# cannot be mistaken for test points.
vm() {
	vm_raw "$@" 2>&1 | sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}
