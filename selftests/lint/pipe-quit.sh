#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixture of scripts/lint-tests, never run: under pipefail, a pipeline
# into a reader that leaves before its input ends (grep -q at its first
# match, head) fails now and then, when the writer dies of SIGPIPE (each
# such line carries an "expect" comment naming the rule); beside them the
# forms that read all of their input or take it whole.
set -euo pipefail

echo "$out" | grep -q '^ok' # expect: pipe-quit
credctl list | grep -qE "^app1 +empty " # expect: pipe-quit
if dmesg | grep -m1 -q devcred; then :; fi # expect: pipe-quit
journalctl | head -n 5 # expect: pipe-quit
if ! echo "$out" | grep -qx 'warning:'; then :; fi # expect: pipe-quit
grep -q '^ok' <<<"$out"
grep -qE "^app1 +empty " <<<"$(credctl list)"
echo "$out" | grep -c ok
echo "$out" | grep -- -q
credctl list >/tmp/list
grep -q app1 /tmp/list
