# SPDX-License-Identifier: GPL-2.0
# make demo's helpers on the board, sourced by each boot's script (busybox
# sh -e). Each shows the command as if typed at a prompt, then its output,
# and checks what the demo says it shows:
#   run CMD...             run CMD
#   shows REGEX CMD...     run CMD; fail unless a line of its output matches
#   refused REGEX CMD...   CMD must fail, with a message matching REGEX

run() {
	printf '$ %s\n' "$*"
	"$@"
}

shows() {
	pat=$1
	shift
	printf '$ %s\n' "$*"
	out=$("$@") || { echo "demo: '$*' failed" >&2; return 1; }
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -qE -- "$pat" ||
		{ echo "demo: expected a line matching '$pat'" >&2; return 1; }
}

refused() {
	pat=$1
	shift
	printf '$ %s\n' "$*"
	if "$@" 2>/tmp/refused.err; then
		echo "demo: '$*' succeeded; it must be refused" >&2
		return 1
	fi
	cat /tmp/refused.err
	grep -qE -- "$pat" /tmp/refused.err ||
		{ echo "demo: the refusal does not say '$pat'" >&2; return 1; }
	echo "(refused, as it must be)"
}
