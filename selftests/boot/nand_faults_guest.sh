# SPDX-License-Identifier: GPL-2.0
#
# The guest half of nand_faults.sh (busybox sh, booted without devcred):
# each case loads nandsim with its faults, binds devcred to the first
# partition with mtd=, checks, and unloads both. Results go to
# /mnt/share/results, one "ok CASE" or "fail CASE" line per case; details
# are printed as they happen.
#
#   sh nand_faults_guest.sh short|long [CASE...]
# The CASEs named are not run: "skip CASE" is their line.
long=
[ "${1:-short}" = long ] && long=1
if [ $# -gt 0 ]; then shift; fi
SKIP=" $* "

RESULTS=/mnt/share/results
# The board's NAND chip (DEVCRED_NAND of scripts/lib.sh, which
# nand_faults.sh writes to the share): 128 MiB, 2 KiB pages, 128 KiB
# blocks; partition 0 is 32 blocks and starts at block 0 of the chip, so
# block and page numbers of the chip (nandsim's fault parameters) and of
# the partition are the same.
NANDSIM_PARAMS=$(cat /mnt/share/nandsim.params) || exit 1
PART_NAME="NAND simulator partition 0"
BLOCK=131072
PAGES_PER_BLOCK=64
# devcred_tool's numbered updates take 5 pages: 12 fit in a block. Sampling
# the record's block every STEP updates sees every block the log uses.
STEP=4

if [ -n "$long" ]; then
	TORTURE_CYCLES=50 STRESS_OPS=20000 THRESHOLD_REWRITES=20 RANDOM_REWRITES=5
	RANDOM_RELOADS=6000 WRAP_UPDATES=1001
else
	TORTURE_CYCLES=5 STRESS_OPS=2000 THRESHOLD_REWRITES=4 RANDOM_REWRITES=1
	RANDOM_RELOADS=3000 WRAP_UPDATES=421
fi

say() { echo "  $*"; }
problem() { echo "  FAILED: $*"; failed=1; }

# mark NAME: a line in the kernel log; since_mark prints what follows it.
mark() {
	MARK="nand_faults mark $1"
	echo "$MARK" >/dev/kmsg
}
since_mark() { dmesg | sed -n "/$MARK\$/,\$p"; }
# since_recent_mark FILE: since_mark, for a mark set a moment ago, into
# FILE; fails when the mark is not in the last 8 KiB of the log. A loop's
# steps use it: sed over the whole log (128 KiB on the debug kernel) at
# every step made the erase-failure case take minutes there.
since_recent_mark() {
	dmesg -s 8192 | sed -n "/$MARK\$/,\$p" >"$1"
	[ -s "$1" ]
}

nand_load() {
	# shellcheck disable=SC2086
	modprobe nandsim $NANDSIM_PARAMS "$@" || return 1
	MTD=$(grep -m1 "\"$PART_NAME\"" /proc/mtd | cut -d: -f1)
	MTDN=${MTD#mtd}
	[ -n "$MTDN" ]
}
unload_all() {
	rmmod devcred 2>/dev/null
	rmmod nandsim 2>/dev/null
}
dc_load() { insmod /lib/modules/devcred.ko "mtd=$MTDN"; }
dc_reload() { rmmod devcred && dc_load; }
info() { devcred_tool info | sed -n "s/^$1=//p"; }
holds() { [ "$(devcred_tool which-update platform1)" = "update $1" ]; }
block_is_erased() {
	[ "$(dd if="/dev/$MTD" bs=$BLOCK skip="$1" count=1 2>/dev/null | tr -d '\377' | wc -c)" -eq 0 ]
}

# run_case NAME FUNCTION: runs it, records its result, cleans up.
run_case() {
	case $SKIP in *" $1 "*)
		echo "case $1: skipped"
		echo "skip $1" >>"$RESULTS"
		return ;;
	esac
	failed=
	start=$(cut -d. -f1 /proc/uptime)
	echo "case $1:"
	mark "$1"
	"$2" || failed=1
	unload_all
	result=ok
	[ -z "$failed" ] || result=fail
	echo "$result $1" >>"$RESULTS"
	say "$result ($(($(cut -d. -f1 /proc/uptime) - start)) s)"
}

# The MTD subsystem's own tests on the simulated chip, first: a failure in
# the later cases is then the store's, not the simulator's.
case_torture() {
	nand_load || return 1
	if ! modprobe mtd_torturetest "dev=$MTDN" eb=0 ebcnt=32 "cycles_count=$TORTURE_CYCLES"; then
		problem "mtd_torturetest failed to load (its test failed)"
	fi
	rmmod mtd_torturetest 2>/dev/null
	since_mark | grep "mtd_torturetest:" | tail -n 3
	since_mark | grep -q "mtd_torturetest: finished after $TORTURE_CYCLES erase cycles" ||
		problem "mtd_torturetest did not finish $TORTURE_CYCLES cycles"
	! since_mark | grep -q "mtd_torturetest: error" || problem "mtd_torturetest reported an error"
}

case_stress() {
	nand_load || return 1
	modprobe mtd_stresstest "dev=$MTDN" "count=$STRESS_OPS" ||
		problem "mtd_stresstest failed to load (its test failed)"
	rmmod mtd_stresstest 2>/dev/null
	since_mark | grep "mtd_stresstest:" | tail -n 2
	since_mark | grep -q "mtd_stresstest: finished, $STRESS_OPS operations done" ||
		problem "mtd_stresstest did not finish $STRESS_OPS operations"
	! since_mark | grep -q "mtd_stresstest: error" || problem "mtd_stresstest reported an error"
}

# check_rewrite FROM: the last attach reported corrected bitflips in the
# record of block FROM and moved it to another block; prints that block.
check_rewrite() {
	line=$(since_mark | grep "devcred: block $1: corrected bitflips in record seq")
	to=$(echo "$line" | sed -n 's/.*rewrote it to block \([0-9]*\) as seq.*/\1/p')
	[ "$(echo "$line" | grep -c .)" -eq 1 ] && [ -n "$to" ] && [ "$to" -ne "$1" ] &&
		[ "$(info record_block)" = "$to" ] || return 1
	echo "$to"
}

# MTD reports corrected bitflips (-EUCLEAN) once a page needed at least
# bitflip_threshold corrections; at 0 it reports them on every read, so
# every attach must move the record to another block, intact.
case_bitflip_threshold() {
	nand_load && dc_load || return 1
	devcred_tool updates platform1 3 >/dev/null || return 1
	block=$(info record_block)
	orig=$(cat "/sys/class/mtd/$MTD/bitflip_threshold")
	echo 0 >"/sys/class/mtd/$MTD/bitflip_threshold"
	i=0
	while [ $i -lt "$THRESHOLD_REWRITES" ]; do
		i=$((i + 1))
		mark "threshold-$i"
		dc_reload || return 1
		to=$(check_rewrite "$block") || { problem "reload $i: no single rewrite away from block $block"; since_mark | grep devcred: | tail -n 5; return 1; }
		holds 3 || problem "reload $i: platform1 does not hold update 3 after the rewrite"
		say "reload $i: record moved from block $block to block $to"
		block=$to
	done
	echo "$orig" >"/sys/class/mtd/$MTD/bitflip_threshold"
	mark threshold-restored
	dc_reload || return 1
	! since_mark | grep -q "corrected bitflips" || problem "rewrote without corrected bitflips"
	[ "$(info record_block)" = "$block" ] || problem "the record moved without a reason"
	holds 3 || problem "platform1 lost update 3"
	{ devcred_tool updates platform1 1 4 >/dev/null && holds 4; } || problem "no update after the rewrites"
}

# nandsim's own random bitflips (one bit per flip, always correctable):
# reload until the driver has met some in the current record, checking the
# state after every attach. nandsim flips bits in about one page read in a
# thousand, and only those in the current record's pages count: with
# builtin and platform2 both full the record spans 13 pages, and a flip
# comes in about half as many reloads as with platform2 alone (7 pages,
# 93 and 109 reloads in two runs).
slots_hold_blobs() {
	for slot in builtin platform2; do
		devcred_tool read-cert $slot | cmp -s - /tmp/big.cert &&
			devcred_tool read-key $slot | cmp -s - /tmp/big.key || return 1
	done
}
case_bitflip_random() {
	nand_load bitflips=1 && dc_load || return 1
	head -c 8192 /dev/urandom >/tmp/big.cert
	head -c 4096 /dev/urandom >/tmp/big.key
	devcred_tool write builtin factory /tmp/big.cert /tmp/big.key &&
		devcred_tool write platform2 installed /tmp/big.cert /tmp/big.key &&
		devcred_tool updates platform1 2 >/dev/null || return 1
	rewrites=0 reloads=0
	while [ $rewrites -lt "$RANDOM_REWRITES" ] && [ $reloads -lt "$RANDOM_RELOADS" ]; do
		reloads=$((reloads + 1))
		block=$(info record_block)
		mark "random-$reloads"
		dc_reload || return 1
		if ! holds 2 || ! slots_hold_blobs; then
			problem "reload $reloads: the store does not hold what was written"
			return 1
		fi
		if since_mark | grep -q "devcred: block .*: corrected bitflips"; then
			to=$(check_rewrite "$block") || { problem "reload $reloads: bitflips without a move off block $block"; return 1; }
			rewrites=$((rewrites + 1))
			say "reload $reloads: bitflips in the record; moved from block $block to block $to"
		fi
	done
	flips=$(dmesg | grep -c "nandsim.*flipping bit")
	say "$rewrites rewrites in $reloads reloads; nandsim flipped $flips bits still in the log"
	[ $rewrites -ge "$RANDOM_REWRITES" ] || problem "only $rewrites rewrites in $reloads reloads"
}

# Blocks marked bad before the store's first attach, the first among them:
# the store uses every other block and never writes to those.
case_bad_blocks() {
	bad="0 1 7 20"
	nand_load badblocks=0,1,7,20 && dc_load || return 1
	[ "$(info bad_blocks)" = 4 ] || problem "attach counted $(info bad_blocks) bad blocks, not 4"
	devcred_tool updates platform1 1 >/dev/null || { problem "the first update failed"; return 1; }
	[ "$(info record_block)" = 2 ] || problem "the first record went to block $(info record_block), not 2"
	used=" 2 "
	n=1
	while [ $n -lt "$WRAP_UPDATES" ]; do
		devcred_tool updates platform1 $STEP $((n + 1)) >/dev/null || { problem "an update after $n failed"; return 1; }
		n=$((n + STEP))
		b=$(info record_block)
		case "$used" in *" $b "*) ;; *) used="$used$b " ;; esac
	done
	say "$n updates used blocks$used"
	for b in $bad; do
		case "$used" in *" $b "*) problem "a record went to bad block $b" ;; esac
		block_is_erased "$b" || problem "bad block $b was written to"
	done
	[ "$(echo "$used" | wc -w)" -eq 28 ] || problem "not all 28 good blocks were used"
	{ dc_reload && holds $n; } || problem "update $n lost across a reload"
	[ "$(info bad_blocks)" = 4 ] || problem "bad blocks changed"
}

# Erase failures: block 0 fails its first erase, block 3 its second (after
# the log wrapped once). Each is marked bad when it fails, once, and the
# update goes on in the next block.
case_erase_failure() {
	# Many updates overflow the kernel log: the failures are collected as
	# they come.
	failures=/tmp/erase-failures
	nand_load weakblocks=0:0,3:1 && dc_load || return 1
	devcred_tool updates platform1 1 >/dev/null || { problem "the first update failed"; return 1; }
	since_mark | grep "devcred: block [0-9]*: erase failed" >"$failures"
	n=1
	blocks=" $(info record_block)"
	while [ $n -lt "$WRAP_UPDATES" ]; do
		mark "erase-failure-$n"
		devcred_tool updates platform1 $STEP $((n + 1)) >/dev/null || { problem "an update after $n failed"; return 1; }
		since_recent_mark /tmp/step-log || problem "the updates after $n logged more than 8 KiB"
		grep "devcred: block [0-9]*: erase failed" /tmp/step-log >>"$failures"
		n=$((n + STEP))
		b=$(info record_block)
		[ "$b" = "${blocks##* }" ] || blocks="$blocks $b"
	done
	sed 's/^/  /' "$failures"
	say "blocks in the order used:$blocks"
	case "$blocks" in " 1 2 3 4 "*) ;; *) problem "the first records did not go to blocks 1, 2, 3, 4" ;; esac
	case "$blocks " in *" 0 "*) problem "a record went to retired block 0" ;; esac
	[ "$(echo "$blocks" | tr ' ' '\n' | grep -cx 3)" -eq 1 ] ||
		problem "block 3 was used after the wrap: its second erase did not fail, or it was not retired"
	case "$blocks " in *" 31 1 2 4 "*) ;; *) problem "no wrap past block 3" ;; esac
	grep -q "devcred: block 0: erase failed (-5); marked it bad" "$failures" ||
		problem "no log line for block 0"
	grep -q "devcred: block 3: erase failed (-5); marked it bad" "$failures" ||
		problem "no log line for block 3"
	[ "$(grep -c . "$failures")" -eq 2 ] || problem "not exactly two erase failures logged"
	[ "$(info bad_blocks)" = 2 ] || problem "the store counts $(info bad_blocks) bad blocks, not 2"
	[ "$(cat "/sys/class/mtd/$MTD/bad_blocks")" = 2 ] || problem "MTD counts other bad blocks"
	{ dc_reload && holds $n; } || problem "update $n lost across a reload"
	[ "$(info bad_blocks)" = 2 ] || problem "after a reload the store counts $(info bad_blocks) bad blocks"
	{ devcred_tool updates platform1 1 $((n + 1)) >/dev/null && holds $((n + 1)); } ||
		problem "no update after the reload"
}

# Program failures: page 5 (the second record's place in block 0, an
# append) and page 256 (the first page of block 4) fail their first write.
# The append moves on to block 1 and leaves block 0, which holds the current
# record, alone; block 4 is marked bad.
case_write_failure() {
	nand_load weakpages=5:0,$((4 * PAGES_PER_BLOCK)):0 && dc_load || return 1
	devcred_tool updates platform1 2 >/dev/null || { problem "updates failed"; return 1; }
	since_mark | grep "devcred: block 0: appending at offset 0x2800 failed" ||
		problem "no log line for the failed append"
	[ "$(info record_block)" = 1 ] || problem "update 2 is in block $(info record_block), not 1"
	[ "$(info bad_blocks)" = 0 ] || problem "the failed append retired a block"
	n=2
	while [ $n -lt 60 ]; do
		n=$((n + 1))
		devcred_tool updates platform1 1 $n >/dev/null || { problem "update $n failed"; return 1; }
		[ "$(info record_block)" = 4 ] && problem "update $n is in block 4"
	done
	since_mark | grep "devcred: block 4: write failed" || problem "no log line for block 4"
	[ "$(info bad_blocks)" = 1 ] || problem "the store counts $(info bad_blocks) bad blocks, not 1"
	{ dc_reload && holds $n; } || problem "update $n lost across a reload"
}

# A page that can no longer be read (gravepages: page 5, the second
# record's header, reads once - the write's read-back - then fails): the
# attach skips that record as damaged, the first record wins whole, and the
# next update goes to a fresh block.
case_read_failure() {
	nand_load gravepages=5:1 && dc_load || return 1
	devcred_tool updates platform1 2 >/dev/null || return 1
	mark read-failure-reload
	dc_reload || return 1
	since_mark | grep -q "simulating read error in page 5" || problem "page 5 was read without error"
	holds 1 || problem "the first record did not win: $(devcred_tool which-update platform1 2>&1)"
	devcred_tool updates platform1 1 3 >/dev/null || problem "the next update failed"
	[ "$(info record_block)" = 1 ] || problem "the next record is in block $(info record_block), not 1"
	{ dc_reload && holds 3; } || problem "update 3 lost across a reload"
}

: >"$RESULTS"
run_case torture case_torture
run_case stress case_stress
run_case bitflip-threshold case_bitflip_threshold
run_case bitflip-random case_bitflip_random
run_case bad-blocks case_bad_blocks
run_case erase-failure case_erase_failure
run_case write-failure case_write_failure
run_case read-failure case_read_failure
