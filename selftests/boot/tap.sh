# SPDX-License-Identifier: GPL-2.0
# TAP for the host-side boot tests, which drive scripts/vm. Sourced.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$TOP/scripts/vm
KERNEL=${KERNEL:-6.12}
# Extra scripts/vm options for every boot, e.g. --debug.
VM_FLAGS=${VM_FLAGS:-}
_tap_n=0
_tap_fail=0

_tap_plan=

tap_plan() {
	_tap_plan=$1
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

# tap_done: exits 1 when a point failed, or when the points that ran are not
# the ones planned (a point queued for run_points that no boot ran, a loop
# that ended early).
tap_done() {
	if [ ${#_point_script[@]} -gt 0 ]; then
		echo "# ${#_point_script[@]} queued points were never run"
		_tap_fail=1
	fi
	if [ -n "$_tap_plan" ] && [ "$_tap_n" -ne "$_tap_plan" ]; then
		echo "# planned $_tap_plan points, ran $_tap_n"
		_tap_fail=1
	fi
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

# wait_guest_file FILE PID TENTHS: waits until the guest of the boot PID
# (run in the background) creates FILE in its share, at most TENTHS tenths
# of a second; gives up as soon as the boot has ended. Whether FILE came
# is for the caller to check.
wait_guest_file() {
	local i

	for i in $(seq "$3"); do
		[ -e "$1" ] && return
		kill -0 "$2" 2>/dev/null || return
		sleep 0.1
	done
}

# Several test points in one boot, where they do not interfere: a boot of
# the debug kernel takes half a minute, and most points need the state the
# one before left, not a fresh board.
#
#   point DESCRIPTION SCRIPT   queues a point, SCRIPT a guest script (sh -e)
#   run_points VM-ARGS...      boots once (vm_raw VM-ARGS -- ...) and runs
#                              $BOARD_PRELUDE, then each queued SCRIPT in
#                              order, each in a shell of its own so that a
#                              failing point does not stop the next
#
# A point is ok when its script exited 0 and the boot ended well: a kernel
# report, panic or timeout (scripts/vm's status) fails every point of the
# boot, and a point whose script never ran fails too. The boot's output is
# printed as diagnostics, each point's under a line naming it.
BOARD_PRELUDE=${BOARD_PRELUDE:-:}
_point_desc=()
_point_script=()

point() {
	_point_desc+=("$1")
	_point_script+=("$2")
}

run_points() {
	local guest out i rc status line
	local -A result=()

	guest="$BOARD_PRELUDE"$'\n'
	for i in "${!_point_script[@]}"; do
		guest+="echo '# --- point $((_tap_n + i + 1))'"$'\n'
		guest+="sh -ec '${_point_script[$i]//\'/\'\\\'\'}'"$'\n'
		# On a line of its own, whatever the script printed last.
		guest+="printf '\\ndevcred-point $i %s\\n' \$?"$'\n'
	done
	out=$(mktemp)
	vm_raw "$@" -- sh -c "$guest" >"$out" 2>&1
	status=$?
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ $line =~ ^devcred-point\ ([0-9]+)\ ([0-9]+)$ ]]; then
			result[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		else
			echo "# $line"
		fi
	done <"$out"
	rm -f "$out"
	for i in "${!_point_script[@]}"; do
		rc=${result[$i]:-}
		if [ -z "$rc" ]; then
			echo "# the boot ended (scripts/vm status $status) before this point ran"
		elif [ "$rc" != 0 ]; then
			echo "# its script exited $rc"
		elif [ "$status" != 0 ]; then
			echo "# the boot failed: scripts/vm status $status (a kernel report, panic or timeout)"
		fi
		tap_ok "${_point_desc[$i]}" test "$rc" = 0 -a "$status" = 0
	done
	_point_desc=()
	_point_script=()
	return "$status"
}

# guest_tap LABEL VM-OPTIONS... -- COMMAND...: boots, runs COMMAND (a guest
# program printing TAP, e.g. a kselftest) and re-emits each of its
# top-level test points as one of ours, prefixed with LABEL. A boot that
# printed no point, or whose status is not 0 (a kernel report, panic,
# timeout) while all its points passed, adds a failing point of its own.
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
