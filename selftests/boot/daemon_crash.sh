#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# daemon_crash.sh [KILLS]: devcredd is killed (SIGKILL) at random moments
# while two loops of credctl run: one installs two credentials in turn into
# platform1 and binds sip to platform1 or app1, the other installs them into
# app1 in turn with credctl install and with credctl apply of provisioning
# files. busybox init supervises devcredd (scripts/vm --respawn). After each
# kill:
#   - credctl fails at once (exit 1, under 5 s where waiting for an answer
#     would take 30: the bound leaves room for a loaded emulated board)
#     with "devcredd is not running"
#     until devcredd is back, and it is back (a new process) within 10 s;
#   - the kernel's store, read with devcred_tool, holds in each slot exactly
#     one of the two credentials (certificate and key of the same one): the
#     last one credctl acknowledged, or one whose install was cut by a kill
#     since (a cut change may or may not have been made), and the same for
#     the binding. A credctl that found devcredd down changed nothing;
#   - a credctl interrupted by the kill failed cleanly, never hung;
#   - devcred-web, which init supervises as well, killed once at the end,
#     is back within 10 s.
# Prints the counts. KILLS (default DEVCRED_DAEMON_KILLS or 20); the kill
# moments come from DEVCRED_SEED (printed) so that a run can be repeated.
set -u
. "$(dirname "$0")/tap.sh"

kills=${1:-${DEVCRED_DAEMON_KILLS:-20}}
seed=${DEVCRED_SEED:-$$}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OPENSSL_CONF=/dev/null

# The two credentials of the sequence: small EC keys, self-signed.
for c in A B; do
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$c.key" -subj "/CN=daemon-crash-$c" -days 3650 \
		-out "$tmp/$c.pem" 2>/dev/null || { echo "cannot make test credentials" >&2; exit 1; }
done

# Kill moments: 0.2 to 2.0 s after devcredd is back and the store checked.
RANDOM=$seed
delays=
for _ in $(seq "$kills"); do
	# $RANDOM here, not in the awk's subshell: bash seeds a subshell's
	# RANDOM afresh, so the seed would not repeat the kill moments.
	r=$((RANDOM % 181))
	delays+=" $(awk -v r=$r 'BEGIN { printf "%.2f", 0.2 + r / 100 }')"
done

cat >"$tmp/guest.sh" <<'GUEST'
# In the guest: sh guest.sh DELAY... (one kill after each delay, seconds).
cd /mnt/share
violations=0
FAST=500	# centiseconds: "at once" for credctl when devcredd is down
violation() {
	echo "VIOLATION: $*"
	violations=$((violations + 1))
}
# Centiseconds since boot (/proc/uptime has two decimals).
now() {
	read -r up _ </proc/uptime
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# Which credential SLOT holds: A or B when its certificate and key are
# exactly those of one of them as devcredd stored them, else "?".
holds() {
	devcred_tool read-cert "$1" >/tmp/cert 2>/dev/null &&
		devcred_tool read-key "$1" >/tmp/key 2>/dev/null || { echo "?"; return; }
	for c in A B; do
		cmp -s /tmp/cert "/tmp/ref.$c.cert" && cmp -s /tmp/key "/tmp/ref.$c.key" &&
			{ echo $c; return; }
	done
	echo "?"
}
bound_to() {	# the slot an operation is bound to
	devcred_tool bindings | sed -n "s/^op$1=\([a-z0-9]*\).*/\1/p"
}

# The store must hold, for each thing the loop changes, the value of its
# last acknowledged change or of a change cut by a kill since then
# (/tmp/acked.WHAT, /tmp/cut.WHAT).
expected() {
	[ "$2" = "$(cat /tmp/acked.$1)" ] || grep -qx "$2" /tmp/cut.$1
}
check_state() {
	for slot in platform1 app1; do
		v=$(holds $slot)
		expected $slot "$v" ||
			violation "$1: $slot holds '$v'; acknowledged $(cat /tmp/acked.$slot), cut since: $(cat /tmp/cut.$slot | tr '\n' ' ')"
	done
	v=$(bound_to 3)
	expected sip "$v" || {
		violation "$1: sip bound to '$v'; acknowledged $(cat /tmp/acked.sip), cut since: $(cat /tmp/cut.sip | tr '\n' ' ')"
		# What the kernel and the daemons said of sip's last changes.
		dmesg | grep 'sip now uses' | tail -4 | sed 's/^/  kernel: /'
		grep 'sip' /run/devcredd.log | tail -6 | sed 's/^/  devcredd: /'
		tail -8 /tmp/trace.platform | sed 's/^/  trace: /'
		echo "  now: $(now)"
	}
}

# The references: what the store holds after credctl installed A and B.
credctl install platform1 --cert A.pem --key A.key &&
	devcred_tool read-cert platform1 >/tmp/ref.A.cert &&
	devcred_tool read-key platform1 >/tmp/ref.A.key &&
	credctl install platform1 --cert B.pem --key B.key &&
	devcred_tool read-cert platform1 >/tmp/ref.B.cert &&
	devcred_tool read-key platform1 >/tmp/ref.B.key &&
	credctl install platform1 --cert A.pem --key A.key &&
	credctl install app1 --cert A.pem --key A.key &&
	credctl bind sip platform1 || { echo "setup failed"; exit 1; }
for c in A B; do
	openssl x509 -in /tmp/ref.$c.cert -noout -pubkey >/tmp/pub1 &&
		openssl pkey -in /tmp/ref.$c.key -pubout >/tmp/pub2 && cmp -s /tmp/pub1 /tmp/pub2 ||
		{ echo "setup: stored certificate and key of $c do not match"; exit 1; }
done
# Provisioning files that put A or B into app1.
for c in A B; do
	{ printf '<c sec.TLS.customDeviceCert.1="'; cat $c.pem
	  printf '" sec.TLS.customDeviceKey.1="'; cat $c.key; printf '"/>\n'; } >app1-$c.xml
done
for s in platform1 app1; do echo A >/tmp/acked.$s; : >/tmp/cut.$s; done
echo platform1 >/tmp/acked.sip
: >/tmp/cut.sip
check_state setup

# installer NAME: credctl in a loop, NAME's steps (below), stopping at a
# step boundary while /tmp/pause exists (so that the store is read between
# steps). Two run at once, each changing its own slots: devcredd has
# requests in hand or queued more often when it is killed.
installer() {
	ok=0 cut=0 down=0 odd=0 i=0
	# step WHAT VALUE COMMAND...: COMMAND changes WHAT (a slot or "sip") to
	# VALUE; "- -" for a command whose effect is not tracked.
	step() {
		what=$1 value=$2
		shift 2
		while [ -e /tmp/pause ]; do
			: >/tmp/paused.$name
			sleep 0.05
		done
		t0=$(now)
		"$@" >/tmp/step.$name 2>&1
		rc=$?
		t=$(($(now) - t0))
		echo "$t0 +$t rc=$rc $* $(head -c 80 /tmp/step.$name | tr '\n' ' ')" >>/tmp/trace.$name
		if [ $rc -eq 0 ]; then
			[ "$what" = - ] || { echo "$value" >/tmp/acked.$what; : >/tmp/cut.$what; }
			ok=$((ok + 1))
		elif grep -q 'devcredd is not running' /tmp/step.$name; then
			down=$((down + 1))
			[ $rc -eq 1 ] && [ $t -lt "$FAST" ] ||
				echo "VIOLATION: $* while devcredd was down: status $rc after ${t}0 ms"
		elif grep -qE 'closed the connection before answering|cannot send the request' /tmp/step.$name; then
			cut=$((cut + 1))
			[ "$what" = - ] || echo "$value" >>/tmp/cut.$what
		else
			odd=$((odd + 1))
			echo "VIOLATION: $*: status $rc after ${t}0 ms: $(head -c 300 /tmp/step.$name)"
		fi
	}
	name=$1
	while [ ! -e /tmp/stop ]; do
		i=$((i + 1))
		c=A
		bind=platform1
		[ $((i % 2)) -eq 1 ] && c=B && bind=app1
		case $name in
		platform)
			step platform1 $c credctl install platform1 --cert $c.pem --key $c.key
			step sip $bind credctl bind sip $bind
			;;
		app)
			step app1 $c credctl install app1 --cert $c.pem --key $c.key
			# The same slot through a provisioning file, with the other one.
			o=A
			[ $c = A ] && o=B
			step app1 $o credctl apply app1-$o.xml
			;;
		esac
	done
	echo "ok=$ok cut=$cut down=$down odd=$odd rounds=$i" >/tmp/installer.$name
}

installer platform &
installer_platform=$!
installer app &
installer_app=$!

k=0 respawns=0 probes=0 max_probe=0 max_respawn=0
for d in "$@"; do
	sleep "$d"
	old=$(cat /run/devcredd.pid)
	kill -9 "$old" || { violation "kill $k: no devcredd to kill (pid file: $old)"; continue; }
	k=$((k + 1))
	t_kill=$(now)
	# credctl while devcredd is down: fails fast, says so; until it is back.
	# (One that connected before the killed process was gone hears that it
	# closed the connection.)
	while :; do
		t0=$(now)
		credctl list >/tmp/probe.out 2>&1
		rc=$?
		t=$(($(now) - t0))
		[ $rc -eq 0 ] && break
		probes=$((probes + 1))
		[ $t -gt "$max_probe" ] && max_probe=$t
		[ $rc -eq 1 ] && [ $t -lt "$FAST" ] &&
			grep -qE 'devcredd is not running|closed the connection before answering' /tmp/probe.out ||
			violation "kill $k: credctl list while down: status $rc after ${t}0 ms: $(head -c 200 /tmp/probe.out)"
		[ $(($(now) - t_kill)) -gt 1000 ] && break
	done
	t=$(($(now) - t_kill))
	new=$(cat /run/devcredd.pid)
	if [ $rc -eq 0 ] && [ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null; then
		respawns=$((respawns + 1))
		[ $t -gt "$max_respawn" ] && max_respawn=$t
	else
		violation "kill $k: devcredd not back within 10 s (pid $old, now $new)"
	fi
	# The store between two steps of each installer.
	rm -f /tmp/paused.platform /tmp/paused.app
	: >/tmp/pause
	i=0
	while { [ ! -e /tmp/paused.platform ] || [ ! -e /tmp/paused.app ]; } && [ $i -lt 1200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -e /tmp/paused.platform ] && [ -e /tmp/paused.app ] ||
		violation "kill $k: the installers did not reach a step boundary within 60 s"
	check_state "kill $k"
	rm -f /tmp/pause
done
: >/tmp/stop
wait "$installer_platform" "$installer_app"
check_state final
# Both installers' counts, added up.
cat /tmp/installer.platform /tmp/installer.app | tr ' =' '\n ' | awk '
	{ sum[$1] += $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
	END { printf "installer:"; for (i = 1; i <= n; i++) printf " %s=%d", order[i], sum[order[i]]; print "" }'
# devcred-web is supervised too (its respawn line): killed, it is back
# within 10 s as a new devcred-web process, which its pid file names, and
# still running a second later (not one that started and died).
web_old=$(cat /run/devcred-web.pid 2>/dev/null)
web_back=0
if [ -n "$web_old" ] && kill -9 "$web_old"; then
	i=0
	while [ $i -lt 200 ] && [ $web_back = 0 ]; do
		sleep 0.05
		i=$((i + 1))
		web_new=$(cat /run/devcred-web.pid 2>/dev/null)
		[ -n "$web_new" ] && [ "$web_new" != "$web_old" ] || continue
		case $(tr '\0' ' ' <"/proc/$web_new/cmdline" 2>/dev/null) in
		"devcred-web --user devcred-web ") web_back=1 ;;
		esac
	done
fi
if [ $web_back = 1 ]; then
	sleep 1
	[ "$(cat /run/devcred-web.pid 2>/dev/null)" = "$web_new" ] && kill -0 "$web_new" || web_back=0
fi
echo "web: killed=$web_old back=$web_back"
echo "daemon_crash: kills=$k respawns=$respawns probes_down=$probes max_probe_ms=${max_probe}0 max_respawn_ms=${max_respawn}0 violations=$violations"
GUEST

timeout=$((180 + kills * 20))
echo "# seed $seed: $kills kills after$delays"
# shellcheck disable=SC2086 # $delays: one argument each
vm_raw --respawn --share "$tmp" --timeout "$timeout" -- \
	sh /mnt/share/guest.sh $delays >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out" >"$tmp/log"
grep -E '^(VIOLATION|  kernel:|  devcredd:|  trace:|  now:|installer:|daemon_crash:|web:|setup)' "$tmp/log" | head -60 | sed 's/^/# /'
summary=$(grep '^daemon_crash:' "$tmp/log")
inst=$(grep '^installer:' "$tmp/log")
val() { echo "$1" | sed -n "s/.*[ :]$2=\([0-9]*\).*/\1/p"; }
killed=$(val "$summary" kills)
respawned=$(val "$summary" respawns)
probes=$(val "$summary" probes_down)
ok=$(val "$inst" ok)
odd=$(val "$inst" odd)
down_viol=$(grep -c 'VIOLATION: .*\(while down\|while devcredd was down\)' "$tmp/log")
state_viol=$(grep -cE 'VIOLATION: .*(holds|bound to)' "$tmp/log")
all_viol=$(grep -c '^VIOLATION' "$tmp/log")
if [ -z "$summary" ] || [ "$rc" -ne 0 ]; then
	echo "# the guest run failed (status $rc); its end:"
	tail -n 20 "$tmp/log" | sed 's/^/#   /'
fi

all_respawned() {
	[ -n "$summary" ] && [ "${killed:-0}" -eq "$kills" ] && [ "${respawned:-0}" -eq "$kills" ]
}
fast_when_down() { [ -n "$summary" ] && [ "${probes:-0}" -gt 0 ] && [ "$down_viol" -eq 0 ]; }
state_ok() { [ -n "$summary" ] && [ "$state_viol" -eq 0 ]; }
cut_clean() { [ -n "$inst" ] && [ "${odd:-1}" -eq 0 ]; }
web_respawned() { grep -qE '^web: killed=[0-9]+ back=1$' "$tmp/log"; }
went_on() { [ -n "$summary" ] && [ "$all_viol" -eq 0 ] && [ "$rc" -eq 0 ] && [ "${ok:-0}" -gt "$kills" ]; }

tap_plan 6
tap_ok "devcredd killed $kills times, respawned every time within 10 s (${respawned:-0}; slowest $(val "$summary" max_respawn_ms) ms)" \
	all_respawned
tap_ok "credctl while devcredd is down: exit 1, 'devcredd is not running', under 5 s (${probes:-0} calls, slowest $(val "$summary" max_probe_ms) ms)" \
	fast_when_down
tap_ok "the kernel store always held one whole credential of the sequence, never older than acknowledged" \
	state_ok
tap_ok "credctl calls cut by a kill failed cleanly (${inst#installer: })" cut_clean
tap_ok "devcred-web, supervised by init too: killed, respawned within 10 s as devcred-web --user devcred-web" \
	web_respawned
tap_ok "no other violation, installs went on between kills (${ok:-0} steps acknowledged)" went_on
tap_done
