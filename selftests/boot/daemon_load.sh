#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Any local user may connect to devcredd; none may keep root from being
# answered. On the board, an unprivileged user (uid 1000) keeps 200 idle
# connections open and 200 slow ones that trickle status, list and
# bindings requests and read the answers slowly (devcredd_load), while
# root installs into app1, binds sip to it and reads the store in a loop.
# Every root command must succeed, devcredd must answer each of root's
# requests within 1 s of its connect (devcredd's log, -v 3, says when it
# answered), every slow request be answered, and the store hold what root's
# last install put there. The whole run of each credctl, its start under
# emulation included, is reported and bounded at 3 s.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$(dirname "$0")/mkcerts.sh" "$tmp/c" >/dev/null
SECONDS_LOAD=${DEVCRED_LOAD_SECONDS:-30}

vm_raw --share "$tmp" --timeout $((SECONDS_LOAD + 180)) -- sh -ec "
	cd /mnt/share/c
	DEVCREDD_VERBOSE=3 devcred-restart
	devcredd_load -u 1000 -g 1000 -i 200 -s 200 -p 300 -t $SECONDS_LOAD -l 3000 -- \
		'credctl install app1 --cert platform1.pem --key platform1.key' \
		'credctl bind sip app1' 'credctl list' \
		'credctl install app1 --cert platform2.pem --key platform2.key' \
		'credctl show app1' 'credctl bindings' 'credctl status' || load=\$?
	echo load-status=\${load:-0}
	if credctl install app1 --cert app1.pem --key app1.key >/dev/null &&
		credctl show app1 | grep -qx \"SHA256:       \$(cat app1.sha256)\"; then
		echo store=ok
	fi
	grep -c 'dropped a bad request' /run/devcredd.log | sed 's/^/dropped=/'
	sed -n 's/.*uid 0: .* answered with status [0-9]*, \([0-9]*\) ms after connecting\$/\1/p' \
		/run/devcredd.log >/tmp/root-ms
	sort -n /tmp/root-ms | tail -n1 | sed 's/^/devcredd-slowest-root-ms=/'
	echo devcredd-root-answers=\$(wc -l </tmp/root-ms)
" >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out" >"$tmp/log"
grep -E '^(root: [0-9]+ commands|unprivileged|load-status|store|dropped|devcredd-)' "$tmp/log" |
	sed 's/^/# /'
grep "^root: '" "$tmp/log" | head -5 | sed 's/^/# /'
[ $rc -eq 0 ] || { echo "# the board run failed (status $rc):"; tail -20 "$tmp/log" | sed 's/^/#   /'; }

summary() { grep -m1 "^$1" "$tmp/log"; }
root=$(summary 'root: [0-9]* commands')
slow=$(summary 'unprivileged: slow')
idle=$(summary 'unprivileged: idle')

value() { sed -n "s/^$1=//p" "$tmp/log" | head -n1; }
root_in_time() {
	local n

	n=$(echo "$root" | sed -n 's/^root: \([0-9]*\) commands.*/\1/p')
	[ -n "$root" ] && [ "${n:-0}" -gt 0 ] && echo "$root" | grep -q ' 0 failed, 0 over 3000 ms' &&
		[ "$(value devcredd-root-answers)" -ge "$n" ] &&
		[ "$(value devcredd-slowest-root-ms)" -lt 1000 ]
}
slow_answered() {
	[ -n "$slow" ] && echo "$slow" | grep -q 'lost 0' && echo "$slow" | grep -q 'cut before sent 0' &&
		[ "$(echo "$slow" | sed -n 's/.* answered \([0-9]*\),.*/\1/p')" -gt 0 ]
}
idle_held() {
	[ -n "$idle" ] && [ "$(echo "$idle" | sed -n 's/.*opened \([0-9]*\),.*/\1/p')" -ge 200 ]
}

# Every point needs the board run to have ended well (no kernel report).
board_ok() {
	[ "$rc" -eq 0 ] && "$@"
}

tap_plan 4
tap_ok "every root request (install, bind, list, show, bindings, status) answered within 1 s under the load ($(value devcredd-slowest-root-ms) ms at most)" \
	board_ok root_in_time
tap_ok "every slow unprivileged request answered, none cut off" board_ok slow_answered
tap_ok "the 200 idle connections were all accepted" board_ok idle_held
load_ok() { grep -qx 'store=ok' "$tmp/log" && grep -qx 'load-status=0' "$tmp/log"; }
tap_ok "the store holds root's last install; devcredd_load exited 0" board_ok load_ok
tap_done
