#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The board's own test tooling (scripts/guest/init), checked on the board:
# what the other boot tests rely on. Points are named "harness: ..." so the
# count shows them apart from the checks of devcred.
set -u
. "$(dirname "$0")/tap.sh"

tap_plan 2
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
tap_done
