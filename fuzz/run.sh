#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/run.sh SECONDS [TARGET...]: run each libFuzzer target (default: all
# of fuzz/Makefile's) for SECONDS from its seed corpus; TAP, with the
# executions and executions per second of each.
#
# Per target NAME: seeds in corpus/NAME/ (read only; new inputs go to
# $BUILD/fuzz/NAME.corpus), a dictionary NAME.dict and extra libFuzzer
# options in NAME.options (one line) when present. Crash inputs are kept
# as $BUILD/fuzz/NAME-crash-*; replay one with: $BUILD/fuzz/NAME FILE
set -u
cd "$(dirname "$0")" || exit 1
secs=$1
shift
export BUILD=${BUILD:-../build}
out=$BUILD/fuzz
targets=${*:-$(make -s list)}
make -s all || exit 1
echo "TAP version 13"
echo "1..$(echo "$targets" | wc -w)"
n=0
rc=0
for t in $targets; do
	n=$((n + 1))
	mkdir -p "$out/$t.corpus"
	log=$out/$t.log
	opts=(-max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$out/$t-")
	[ -f "$t.dict" ] && opts+=(-dict="$t.dict")
	# shellcheck disable=SC2207
	[ -f "$t.options" ] && opts+=($(cat "$t.options"))
	seeds=()
	[ -d "corpus/$t" ] && seeds=("corpus/$t")
	if "$out/$t" "${opts[@]}" "$out/$t.corpus" "${seeds[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1)
		echo "ok $n $t: $runs executions in $secs s ($rate/s, $cov), no crash"
	else
		echo "not ok $n $t: crashed; see $log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/# /'
		rc=1
	fi
done
exit $rc
