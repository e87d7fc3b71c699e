#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Damaged records on flash. Two updates leave records A (older) and B
# (newer); the host damages a copy in the flash file between boots
# (selftests/boot/flashrec.py). With one copy bad the newest valid record
# must win and the next write must land in a good place; with every copy
# bad the flash slots report invalid, credctl status says Invalid, writes
# are refused until the store is formatted, nothing crashes and no garbage
# reaches userspace. The random bit flips come from DEVCRED_SEED (printed),
# so that a run can be repeated.
set -u
. "$(dirname "$0")/tap.sh"

export DEVCRED_SEED=${DEVCRED_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $DEVCRED_SEED (DEVCRED_SEED=$DEVCRED_SEED repeats the random flips)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
REC=$(dirname "$0")/flashrec.py
printf 'certificate A\n' >"$tmp/a.cert"; printf 'key A\n' >"$tmp/a.key"
printf 'certificate B\n' >"$tmp/b.cert"; printf 'key B\n' >"$tmp/b.key"
printf 'certificate C\n' >"$tmp/c.cert"; printf 'key C\n' >"$tmp/c.key"

# Two records: A then B, in block 0, made once; every case damages a copy.
vm --no-daemon --flash "$tmp/ab.img" --share "$tmp" -- sh -ec '
	cd /mnt/share
	devcred_tool write platform1 installed a.cert a.key
	devcred_tool write platform1 installed b.cert b.key' >/dev/null
ab_status=$?
[ $ab_status -eq 0 ] || echo "# the boot writing records A and B failed: status $ab_status"
make_ab() {
	[ $ab_status -eq 0 ] && cp "$tmp/ab.img" "$tmp/flash.img"
}

# holds_then_repairs X: platform1 holds pair X; writing C then puts a good
# record past the damage (in block 1, as nothing is appended after damage)
# and C is what the next attach (the module loaded again, as at a boot)
# loads.
holds_then_repairs() {
	vm --no-daemon --flash "$tmp/flash.img" --share "$tmp" -- sh -ec "
		cd /mnt/share
		devcred_tool read-cert platform1 | cmp - $1.cert
		devcred_tool read-key platform1 | cmp - $1.key
		devcred_tool write platform1 installed c.cert c.key
		devcred-reload
		devcred_tool read-cert platform1 | cmp - c.cert
		dmesg | grep -q 'devcred: loaded record seq [0-9]* from block 1 offset 0x0;'"
}

# case_damage INDEX HOW WINNER: records A and B, record INDEX (0 is A)
# damaged by HOW; WINNER is what the next boot must load.
case_damage() {
	make_ab && python3 "$REC" "$tmp/flash.img" damage "$1" "$2" >"$tmp/damage" &&
		sed 's/^/# /' "$tmp/damage" && holds_then_repairs "$3"
}

cases=(magic version hdr-crc payload-crc len-block len-part flip-first flip-last flip-random flip-header)
tap_plan $(( ${#cases[@]} + 4 ))
for how in "${cases[@]}"; do
	tap_ok "newest record damaged ($how): the older one wins, the next write repairs" \
		case_damage 1 "$how" a
done
tap_ok "newest record with an older sequence number: the other wins" case_damage 1 seq=0 a
tap_ok "equal sequence numbers: the first in flash order wins" case_damage 1 seq=1 a
tap_ok "older record with a newer sequence number: it wins" case_damage 0 seq=9 a

all_bad() {
	make_ab && python3 "$REC" "$tmp/flash.img" damage 0 payload-crc &&
		python3 "$REC" "$tmp/flash.img" damage 1 magic &&
	vm --flash "$tmp/flash.img" --share "$tmp" -- sh -ec '
		dmesg | grep -q "devcred: no valid record: the flash slots are invalid"
		devcred_tool info | grep -qx flags=4
		devcred_tool status platform1 | grep -qx flags=9
		# No garbage reaches userspace: the read fails and gives no byte.
		if devcred_tool read-cert platform1 >/tmp/read; then
			echo "read-cert of an invalid slot succeeded"; exit 1
		fi
		[ ! -s /tmp/read ]
		credctl status | grep -qx "Device Certificate: Invalid"
		credctl list | grep -q "^platform1 *invalid"
		cd /mnt/share
		devcred_tool write platform1 installed c.cert c.key 2>/tmp/err && exit 1
		grep -q "Structure needs cleaning" /tmp/err
		devcred_tool info | grep -qx flags=4
		credctl format | grep -q "formatted: the flash slots are empty"
		credctl status | grep -qx "Device Certificate: Self-signed"
		if credctl format 2>/tmp/err; then echo "format of a working store succeeded"; exit 1; fi
		grep -q "the store holds a readable record" /tmp/err
		devcred_tool write platform1 installed c.cert c.key
		# Keys in clear (0x20): devcred-unseal found the store damaged at boot.
		devcred_tool info | grep -qx flags=32
		devcred_tool read-cert platform1 | cmp - c.cert'
}
tap_ok "every copy damaged: slots invalid, status Invalid; writes refused until credctl format, which a working store refuses" all_bad
tap_done
