#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioctls under failing allocations and under removal of what they use,
# from processes that loop on every kind of ioctl (devcred_ioloop.c, built
# here for the board):
#   - failslab (the debug flavour only: the standard kernels have no
#     CONFIG_FAILSLAB, and this point is not listed there) at 5% for the
#     looping process only: every failure is ENOMEM and leaves the store as it was,
#     the store reloads from flash with the last write that succeeded, and
#     the kernel reports nothing but the allocation failures it was made to
#     have (kmemleak included: scripts/vm fails the boot on any report);
#   - rmmod while two processes loop on open descriptors: refused (the
#     descriptors pin the module), the loops go on; and while two processes
#     open, call and close in a loop: rmmod gets through between two opens,
#     the loops then fail to open, cleanly;
#   - the flash partition removed (physmap unbound) under two looping
#     processes: their ioctls fail with ENODEV, INFO says GONE;
#   - rmmod nandsim under a store bound to its partition and two loops:
#     refused (devcred holds the MTD device), then clean once devcred is gone.
# The debug kernel's checkers (KASAN, lockdep, kmemleak) watch all of it in
# make check's debug section. DEVCRED_FAILSLAB_ROUNDS: rounds of every
# ioctl under failslab (default 100; make stress runs more).
#
# The guest scripts below are single-quoted: they expand in the guest.
# shellcheck disable=SC2016
set -u
. "$(dirname "$0")/tap.sh"
. "$TOP/scripts/lib.sh"
# Two processors: the kernels have no preemption, so the loops' ioctls meet
# the removals inside the driver only when they run at once.
VM_FLAGS="$VM_FLAGS --smp 2"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${CROSS}gcc" -std=gnu11 -O2 -g -Wall -Wextra -Werror -I"$TOP/uapi" \
	-o "$tmp/devcred_ioloop" "$TOP/selftests/boot/devcred_ioloop.c" ||
	{ echo "cannot build devcred_ioloop" >&2; exit 1; }

# g [VM OPTIONS] -- SCRIPT: SCRIPT in the guest (sh -e), the loop program
# on PATH, wait_until (tap.sh) defined.
g() {
	local opts=()
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	vm --no-daemon --share "$tmp" --timeout 900 "${opts[@]}" -- \
		sh -ec "PATH=/mnt/share:\$PATH; $GUEST_WAIT_UNTIL
[ \$(grep -c ^processor /proc/cpuinfo) -ge 2 ] || { echo 'one processor: the loops would not run at once'; exit 1; }
$2"
}

# Failslab, then a check of the kernel log: each stack trace in it must be
# the warning of an allocation that failslab failed; those are then cleared
# so that init's scan for reports sees only what came later.
failslab() {
	g -- '
		f=/sys/kernel/debug/failslab
		[ -d $f ] || { echo "no $f in the debug kernel"; exit 1; }
		echo Y >$f/task-filter
		echo N >$f/ignore-gfp-wait
		echo 0 >$f/verbose
		echo 1 >$f/interval
		echo -1 >$f/times
		echo 5 >$f/probability
		dmesg -c >/dev/null
		devcred_ioloop failslab '"${DEVCRED_FAILSLAB_ROUNDS:-100}"' >/tmp/out || { cat /tmp/out; exit 1; }
		echo 0 >$f/probability
		cat /tmp/out
		grep -qE "rounds, [1-9][0-9]* ioctls failed with ENOMEM" /tmp/out
		dmesg >/tmp/log
		traces=$(grep -c "Call trace:" /tmp/log || true)
		warned=$(grep -cE "vmalloc error:|page allocation failure:" /tmp/log || true)
		echo "allocation failure warnings: $warned, stack traces: $traces"
		if grep -E "Oops|BUG:|WARNING:|UBSAN:|KASAN|possible circular|possible recursive|inconsistent lock" /tmp/log ||
		   [ "$traces" -ne "$warned" ]; then
			echo "the kernel reported more than the injected allocation failures"
			exit 1
		fi
		dmesg -c >/dev/null
		# What the flash holds: the last platform1 write that succeeded.
		last=$(devcred_tool read-cert platform1 | head -c 40)
		devcred-reload
		[ "$(devcred_tool read-cert platform1 | head -c 40)" = "$last" ]
		devcred_tool status platform1 | grep -qx cert_len=6000
		echo "after reload, platform1 holds: ${last%%.*}"'
}

# Only the debug flavour has CONFIG_FAILSLAB (selftests/config.debug).
case " $VM_FLAGS " in
*" --debug "*) tap_plan 5 ;;
*) tap_plan 4 ;;
esac
case " $VM_FLAGS " in
*" --debug "*)
	tap_ok "failslab 5% on every ioctl kind: only ENOMEM, store unchanged by failures, reloads with the last write, no kernel report" \
		failslab ;;
esac

tap_ok "rmmod under two processes looping on open descriptors: refused, the loops go on" g -- '
	echo credential >/tmp/c
	devcred_tool write platform1 installed /tmp/c /tmp/c
	devcred_ioloop loop 10 & a=$!
	devcred_ioloop loop 10 & b=$!
	# Both loops hold their descriptor.
	wait_until 60 "[ \$(cat /sys/module/devcred/refcnt) -ge 2 ]"
	for i in 1 2 3 4 5; do
		rmmod devcred 2>/tmp/err && { echo "rmmod went through open descriptors"; exit 1; }
		[ -d /sys/module/devcred ]
		sleep 0.5
	done
	cat /tmp/err
	wait $a
	wait $b
	rmmod devcred
	insmod /lib/modules/devcred.ko
	devcred_tool status platform1 | grep -qx cert_len=6000'

tap_ok "rmmod under two processes looping open-ioctl-close: gets through, the loops then fail to open, cleanly" g -- '
	echo credential >/tmp/c
	devcred_tool write platform1 installed /tmp/c /tmp/c
	: >/tmp/errors.a
	: >/tmp/errors.b
	loop() {
		while [ ! -e /tmp/stop ]; do
			for c in info "status platform1" "read-cert platform1" bindings; do
				devcred_tool $c >/dev/null 2>>/tmp/errors.$1 || :
			done
			: >/tmp/round.$1
		done
	}
	loop a & a=$!
	loop b & b=$!
	wait_until 60 "[ -e /tmp/round.a ] && [ -e /tmp/round.b ]"
	i=0
	until rmmod devcred 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 400 ] || { echo "rmmod never got between two opens"; exit 1; }
		sleep 0.05
	done
	echo "rmmod went through after $i refusals"
	# Both loops then fail to open (devcred_tool names the errno).
	wait_until 60 "grep -q \"/dev/devcred: ENOENT (No such file or directory)\" /tmp/errors.a &&
		grep -q \"/dev/devcred: ENOENT (No such file or directory)\" /tmp/errors.b"
	: >/tmp/stop
	wait $a
	wait $b
	cat /tmp/errors.a /tmp/errors.b | sort | uniq -c
	if cat /tmp/errors.a /tmp/errors.b |
		grep -v -e "/dev/devcred: ENOENT (No such file or directory)" \
		-e "/dev/devcred: ENODEV (No such device)"; then
		echo "the loops met other errors than the device going away"; exit 1
	fi
	insmod /lib/modules/devcred.ko
	devcred_tool status platform1 | grep -qx cert_len=11'

tap_ok "flash partition removed under two looping processes: ENODEV, INFO says GONE, rmmod clean" g -- '
	devcred_ioloop until-gone 60 & a=$!
	devcred_ioloop until-gone 60 & b=$!
	wait_until 60 "[ \$(cat /sys/module/devcred/refcnt) -ge 2 ]"
	echo 0.flash >/sys/bus/platform/drivers/physmap-flash/unbind
	wait $a
	wait $b
	dmesg | grep -q "was removed: the store is gone"
	rmmod devcred'

tap_ok "rmmod nandsim under a bound store and two looping processes: refused, then clean once devcred is gone" \
	g --nand "$DEVCRED_NAND" -- '
	devcred_ioloop loop 10 & a=$!
	devcred_ioloop loop 10 & b=$!
	wait_until 60 "[ \$(cat /sys/module/devcred/refcnt) -ge 2 ]"
	rmmod nandsim 2>/tmp/err && { echo "nandsim went away under devcred"; exit 1; }
	cat /tmp/err
	grep -q "NAND simulator" /proc/mtd
	wait $a
	wait $b
	rmmod devcred
	rmmod nandsim
	! grep -q "NAND simulator" /proc/mtd'
tap_done
