#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixture of scripts/lint-tests, never run: 'A && B' as a command of its
# own under -e, where a failing A ends the chain and nothing fails (each
# such line carries an "expect" comment naming the rule), and beside it the
# forms that fail or are plain conditions.
set -eu

[ "$rc" -eq 1 ] && grep -q "refused" /tmp/err # expect: and-chain
[ "$rc" -eq 1 ] && grep -q "refused" /tmp/err && grep -q "unchanged" /tmp/err # expect: and-chain
[ "$rc" -eq 1 ] && grep -q "refused" /tmp/err || { echo "not refused"; exit 1; }
rmmod devcred 2>/tmp/err && exit 1
rmmod devcred 2>/tmp/err && { echo "rmmod went through"; exit 1; }
for f in /tmp/*; do
	[ -d "$f" ] && continue
	[ -s "$f" ] && echo "$f" # expect: and-chain
done
if [ -n "$want" ]; then
	[ "$rc" -eq 1 ] && grep -q -- "$want" /tmp/err # expect: and-chain
else
	[ "$rc" -eq 0 ] && grep -q 'nothing to change' /tmp/out # expect: and-chain
fi
checked() {
	[ -s /tmp/out ] && grep -q ok /tmp/out
}
x=$( [ -s /tmp/out ] && cat /tmp/out )

# Guest scripts: sh -ec arguments and here-documents run with sh -e.
vm -- sh -ec '
	credctl install platform1 --cert a.pem --key a.key
	credctl list | grep -q "^platform1 *present" && credctl status # expect: and-chain
	credctl status'
cat >"$tmp/unchanged.sh" <<'EOT' # sh -e
credctl apply "$1" >/tmp/out 2>/tmp/err || rc=$?
[ $rc -eq 1 ] && grep -q -- "$2" /tmp/err # expect: and-chain
credctl list --json | cmp - /tmp/list.before
EOT
cat >"$tmp/probe.sh" <<'EOT'
set -e
mkdir plain && cd plain # expect: and-chain
ls
EOT
[ -s /tmp/out ] && grep -q ok /tmp/out
