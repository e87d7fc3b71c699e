#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The keys devcredd handles stay in it: its secure heap is locked in memory
# (VmLck), and a crash leaves no core to read them from. On the board,
# devcredd is started from a shell that allows cores of any size, written
# to /tmp; it is killed with SIGSEGV and SIGABRT, and a control process
# killed the same way must leave its core, so that the setup is shown to
# dump.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

vm_raw --share "$tmp" -- sh -ec '
	echo "/tmp/core.%e.%p" >/proc/sys/kernel/core_pattern
	ulimit -c unlimited
	for sig in SEGV ABRT; do
		devcred-restart
		pid=$(cat /run/devcredd.pid)
		awk "\$1 == \"VmLck:\" { print \"vmlck=\" \$2 }" /proc/$pid/status
		kill -$sig $pid
		while kill -0 $pid 2>/dev/null; do sleep 0.1; done
		rm -f /run/devcred/devcredd.sock	# it died: devcred-restart waits for this
		sleep 60 &
		ctl=$!
		sleep 0.2
		kill -$sig $ctl
		wait $ctl || echo "control process ended with status $?"
	done
	echo "devcredd-cores=$(ls /tmp | grep -c "^core\.devcredd")"
	echo "control-cores=$(ls /tmp | grep -c "^core\.sleep")"
' >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out" >"$tmp/log"
grep -E '^(vmlck|devcredd-cores|control-cores)=' "$tmp/log" | sed 's/^/# /'
[ $rc -eq 0 ] || { echo "# the board run failed (status $rc):"; tail -20 "$tmp/log" | sed 's/^/#   /'; }

value() { sed -n "s/^$1=//p" "$tmp/log" | head -n1; }
locked() {
	local v

	for v in $(sed -n 's/^vmlck=//p' "$tmp/log"); do
		[ "$v" -ge 4096 ] || return 1
	done
	[ -n "$(value vmlck)" ]
}
no_core() {
	[ "$(value control-cores)" = 2 ] && [ "$(value devcredd-cores)" = 0 ]
}
# Every point needs the board run to have ended well (no kernel report).
board_ok() {
	[ "$rc" -eq 0 ] && "$@"
}

tap_plan 2
tap_ok "devcredd's secure heap (4 MiB) is locked in memory" board_ok locked
tap_ok "devcredd killed by SIGSEGV and SIGABRT leaves no core where a control process leaves two" board_ok no_core
tap_done
