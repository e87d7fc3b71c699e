#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's own test tooling (scripts/guest/init), checked on the board:
# what the other boot tests rely on. Points are named "harness: ..." so the
# count shows them apart from the checks of devcred.
#
# shellcheck disable=SC2016 # the guest scripts in single quotes expand there
set -u
. "$(dirname "$0")/tap.sh"

tap_plan 4
# A devcredd killed with SIGKILL leaves its socket file and a zombie that
# nothing reaps; devcred-restart once waited for the file to go, forever.
tap_ok "harness: devcred-restart starts devcredd again after it was killed with SIGKILL" \
	vm --timeout 120 -- sh -ec '
		old=$(cat /run/devcredd.pid)
		kill -9 "$old"
		timeout 30 devcred-restart
		[ "$(cat /run/devcredd.pid)" != "$old" ]
		credctl status | grep -qx "Device Certificate: Self-signed"'
status_is_7() {
	vm_raw --no-daemon -- sh -c 'exit 7' | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 7 ]
}
tap_ok "harness: a failing command fails the boot with its status" status_is_7
# One processor unless a suite asks for two (scripts/vm --smp), and
# synchronize_rcu() expedited: what the suites' times were measured with.
tap_ok "harness: the board has one processor and expedited RCU" \
	vm --no-daemon -- sh -ec '
		[ "$(grep -c ^processor /proc/cpuinfo)" -eq 1 ]
		[ "$(cat /sys/kernel/rcu_expedited)" -eq 1 ]'
tap_ok "harness: --smp 2 gives the board two processors" \
	vm --no-daemon --smp 2 -- sh -ec '[ "$(grep -c ^processor /proc/cpuinfo)" -eq 2 ]'
tap_done
