#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/run.sh SECONDS [TARGET...]: run each libFuzzer target for SECONDS
# from its seed corpus; TAP, with the number of executions of each.
set -u
cd "$(dirname "$0")"
secs=$1
shift
targets=${*:-record_fuzz}
out=${BUILD:-../build}/fuzz
make -s BUILD="${BUILD:-../build}" all || exit 1
echo "TAP version 13"
echo "1..$(echo $targets | wc -w)"
n=0
rc=0
for t in $targets; do
	n=$((n + 1))
	mkdir -p "$out/$t.corpus"
	log=$out/$t.log
	if "$out/$t" -max_total_time="$secs" -print_final_stats=1 "$out/$t.corpus" "corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok $n $t: $runs executions in $secs s, no crash"
	else
		echo "not ok $n $t: crashed; see $log"
		grep -E 'ERROR|SUMMARY' "$log" | head -5 | sed 's/^/# /'
		rc=1
	fi
done
exit $rc
