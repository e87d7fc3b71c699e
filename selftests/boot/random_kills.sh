#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# random_kills.sh [KILLS]: the board is killed (QEMU SIGKILL) at a random
# moment while it writes numbered credential pairs to platform1, again and
# again on the same flash. Each boot first checks what the last one left:
# one intact pair (certificate and key of the same update), never older
# than the last update the guest reported done. Prints the counts. The
# kill moments come from DEVCRED_SEED (printed): the same seed on the same
# machine and kernel repeats them (they scale with the measured boot time).
# KILLS (else DEVCRED_KILLS, else 30) kills: make check kills 10 times,
# make stress 1000. The window the kills fall in is cut into KILLS equal parts
# and kill N falls at a random moment of part N: a few kills reach the
# driver's attach as surely as the update loop, which independent random
# moments would leave to chance.
set -u
. "$(dirname "$0")/tap.sh"

kills=${1:-${DEVCRED_KILLS:-30}}
seed=${DEVCRED_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
RANDOM=$seed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
next=1
acked=0
recovered=0
violations=0

# board ARGS...: a boot on the test's flash, its output left to parse.
board() {
	vm_raw --no-daemon --flash "$flash" "$@"
}

tap_plan 2
# How long a boot to the command takes on this kernel and this machine
# (about 2 s, 10 s on the debug kernel): the kills fall from three
# quarters of it (the driver attaching) to 2.5 s plus half of it later
# (the update loop), kill I in the I-th of KILLS equal parts of that
# window. Measured on the flash the kills then use.
start=$(date +%s%N)
board -- true >"$tmp/out" 2>&1 || { sed 's/^/# /' "$tmp/out"; echo "Bail out! the board did not boot"; exit 1; }
boot_ms=$((($(date +%s%N) - start) / 1000000))
echo "# a boot takes $boot_ms ms; seed $seed (DEVCRED_SEED=$seed repeats the kill moments)"
for i in $(seq "$kills"); do
	# $RANDOM here, not in the awk's subshell: bash seeds a subshell's
	# RANDOM afresh, so the seed would not repeat the kill moments.
	r=$RANDOM
	after=$(awk -v r="$r" -v b="$boot_ms" -v i="$i" -v n="$kills" \
		'BEGIN { printf "%.2f", b * 0.75 / 1000 + (i - 1 + (r % 1000) / 1000) / n * (2.5 + b * 0.5 / 1000) }')
	board --kill-after "$after" -- sh -ec "
		devcred_tool which-update platform1 || exit 3
		devcred_tool updates platform1 100000 $next" >"$tmp/out" 2>&1
	rc=$?
	state=$(sed -n 's/^update \([0-9]*\)\r*$/\1/p' "$tmp/out" | tail -n1)
	if [ "$rc" -eq 3 ] || { [ -n "$state" ] && [ "$state" -lt "$acked" ]; }; then
		echo "# kill $i: violation: state '${state:-?}', acknowledged $acked"
		sed 's/^/#   /' "$tmp/out" | tail -n 5
		violations=$((violations + 1))
	elif [ -n "$state" ]; then
		recovered=$((recovered + 1))
	fi
	last=$(sed -n 's/^done \([0-9]*\)\r*$/\1/p' "$tmp/out" | tail -n1)
	if [ -n "$last" ]; then
		acked=$last
		next=$((last + 1))
	fi
done
# The last kill's outcome, checked by one more boot.
board -- devcred_tool which-update platform1 \
	>"$tmp/out" 2>&1 || violations=$((violations + 1))
state=$(sed -n 's/^update \([0-9]*\)\r*$/\1/p' "$tmp/out" | tail -n1)
[ -n "$state" ] && [ "$state" -ge "$acked" ] || violations=$((violations + 1))

echo "# $kills kills, $recovered boots found an intact pair, $violations violations; last acknowledged update $acked"
tap_ok "$kills random kills: every boot found one intact pair, none older than acknowledged" \
	[ "$violations" -eq 0 ]
tap_ok "updates went on between kills (last acknowledged update $acked)" [ "$acked" -gt "$kills" ]
tap_done
