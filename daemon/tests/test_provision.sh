#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred-provision on the host (ASan, UBSan) against devcredd over the
# fake device and a local HTTP server (Python's http.server over a folder):
# a round fetches the master file and its CONFIG_FILES and applies them as
# one, the first file listed winning; <MAC>.cfg missing falls back to
# 000000000000.cfg; a broken file changes nothing and the state names it;
# a server down is retried with backoff until it is up. TAP on stdout.
#
#	test_provision.sh HOST PKI	(as test_devcredd.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"
. "$(dirname "$0")/devcredd_env.sh"
PROVISION=$HOST/devcred-provision
www=$tmp/www
srv_pid=
prov_pid=
trap 'for p in $prov_pid $srv_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# The device's MAC address: devcredd's, from an Ethernet interface that has one.
iface=
for d in /sys/class/net/*; do
	if [ "$(cat "$d/type")" = 1 ] && [ "$(cat "$d/address")" != 00:00:00:00:00:00 ]; then
		iface=${d##*/}
		break
	fi
done
mac=$(tr -d ':\n' <"/sys/class/net/${iface:-lo}/address")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

srv_start() {
	local i

	python3 -m http.server --bind 127.0.0.1 --directory "$www" "$port" >>"$tmp/http.log" 2>&1 &
	srv_pid=$!
	for i in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	echo "the HTTP server did not start"; cat "$tmp/http.log"
	return 1
}
srv_stop() {
	kill "$srv_pid" && wait "$srv_pid" 2>/dev/null
	srv_pid=
	return 0
}
state() {
	sed -n "s/^$1=//p" "$tmp/run/provision.state" 2>/dev/null
}
# wait_round N: until the service finished N rounds (30 s at most).
wait_round() {
	local i

	for i in $(seq 300); do
		[ "$(state round)" -ge "$1" ] 2>/dev/null && return 0
		kill -0 "$prov_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "no round $1:"; cat "$tmp/run/provision.state"; grep -v '^  ' "$tmp/plog" | tail -40
	return 1
}

# attr NAME FILE: ' NAME="contents of FILE"'
attr() {
	printf ' %s="' "$1"
	cat "$2"
	printf '"'
}

# The server's folder: master file, two CONFIG_FILES. The profile of SIP is
# in both: the first file's Application1 must win over the second's.
make_www() {
	mkdir -p "$www"
	printf '<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, phone.cfg"/>\n' \
		>"$www/$mac.cfg"
	{
		printf '<c'
		attr sec.TLS.customDeviceCert.1 "$PKI/app1.pem"
		attr sec.TLS.customDeviceKey.1 "$PKI/app1.key"
		printf ' sec.TLS.profile.1.deviceCert="Application1" sec.TLS.profileSelection.SIP="ApplicationProfile1"/>\n'
	} >"$www/site.cfg"
	{
		printf '<c'
		attr sec.TLS.customDeviceCert.2 "$PKI/web1.pem"
		attr sec.TLS.customDeviceKey.2 "$PKI/web1.key"
		printf ' sec.TLS.profile.1.deviceCert="Application2" sec.TLS.profile.2.deviceCert="Application2"'
		printf ' sec.TLS.profileSelection.LDAP="ApplicationProfile2"/>\n'
	} >"$www/phone.cfg"
}

# The service starts here, after the check that the store has no app1 yet:
# started earlier, its first round could come before the check.
t_round() {
	local empty=

	ctl list >"$tmp/out" && has "$tmp/out" app1 && ! grep -q app1.example "$tmp/out" && empty=1
	# Started whatever the check said, so that the later points test it.
	"$PROVISION" -c "$tmp/conf" -r "$tmp/run" -s "$tmp/sock" -v 3 >>"$tmp/plog" 2>&1 </dev/null &
	prov_pid=$!
	[ -n "$empty" ] || { echo "app1 held a credential before the first round:"; cat "$tmp/out"; return 1; }
	wait_round 1 && [ "$(state result)" = ok ] && [ "$(state master)" = "$mac.cfg" ] &&
		[ "$(state files)" = site.cfg,phone.cfg ] &&
		[ "$(state server)" = "http://127.0.0.1:$port/" ] &&
		[ "$(state next)" = 0 ] &&
		[ "$(stat -c %a "$tmp/run/provision.state")" = 644 ] &&
		ctl show app1 >"$tmp/out" && has "$tmp/out" app1.example &&
		ctl show app2 >"$tmp/out" && has "$tmp/out" web1.example &&
		has "$tmp/log" "configuration site.cfg,phone.cfg applied" &&
		grep -q "GET /$mac.cfg" "$tmp/http.log" && grep -q "GET /site.cfg" "$tmp/http.log" &&
		grep -q "GET /phone.cfg" "$tmp/http.log"
}
t_precedence() {
	ctl bindings >"$tmp/out" &&
		grep -E '^sip +app1 ' "$tmp/out" && grep -E '^ldap +app2 ' "$tmp/out" ||
		{ cat "$tmp/out"; return 1; }
}
t_status() {
	ctl provision status >"$tmp/out" &&
		has "$tmp/out" "Server:         http://127.0.0.1:$port/" &&
		has "$tmp/out" "Service:        running (pid $prov_pid)" &&
		grep -q '^Last attempt:   .* UTC: ok$' "$tmp/out" &&
		has "$tmp/out" "Files applied:  site.cfg,phone.cfg" &&
		has "$tmp/out" "Next attempt:   none (interval 0: at boot only)" &&
		has "$tmp/out" "Credential:     builtin" &&
		ctl provision status --json >"$tmp/json" &&
		python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
assert s["result"] == "ok" and s["files"] == ["site.cfg", "phone.cfg"], s
assert s["running"] and s["pid"] == int(sys.argv[2]) and s["next_attempt"] is None, s
assert s["credential"]["slot"] == "builtin" and "CN" in s["credential"]["subject"], s
assert s["master"] == sys.argv[3] + ".cfg" and s["reason"] is None, s' "$tmp/json" "$prov_pid" "$mac"
}
# The server has no <MAC>.cfg: the default master file is used.
t_fallback() {
	mv "$www/$mac.cfg" "$tmp/own.cfg"
	printf '<APPLICATION CONFIG_FILES="other.cfg"/>\n' >"$www/000000000000.cfg"
	printf '<c sec.TLS.profileSelection.browser="ApplicationProfile3" sec.TLS.profile.3.deviceCert="Application2"/>\n' \
		>"$www/other.cfg"
	ctl provision now >"$tmp/out" && has "$tmp/out" "Master file:    000000000000.cfg" &&
		has "$tmp/out" "Files applied:  other.cfg" &&
		ctl bindings >"$tmp/b" && grep -E '^browser +app2 ' "$tmp/b" &&
		grep -q "GET /$mac.cfg HTTP/1.1\" 404" "$tmp/http.log" &&
		has "$tmp/plog" "the server has no $mac.cfg; using 000000000000.cfg"
	local rc=$?
	rm -f "$www/000000000000.cfg"
	mv "$tmp/own.cfg" "$www/$mac.cfg"
	return $rc
}
# broken NAME CONTENT WANT: phone.cfg made CONTENT; "now" fails naming the
# file and WANT, and the store lists and binds as before.
broken() {
	cp "$www/phone.cfg" "$tmp/phone.good"
	printf '%s\n' "$2" >"$www/phone.cfg"
	ctl list --json >"$tmp/before" && ctl bindings --json >>"$tmp/before" || return 1
	ctl provision now >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	cp "$tmp/phone.good" "$www/phone.cfg"
	[ $rc = 1 ] || { echo "$1: status $rc"; cat "$tmp/out" "$tmp/err"; return 1; }
	[ "$(state result)" = failed ] && [ "$(state file)" = phone.cfg ] &&
		has "$tmp/out" "failed: phone.cfg: " && has "$tmp/out" "$3" &&
		{ ctl list --json; ctl bindings --json; } | cmp - "$tmp/before"
}
t_broken_pem() {
	broken "bad PEM" '<c sec.TLS.customDeviceCert.3="-----BEGIN CERTIFICATE----- AAAA -----END CERTIFICATE-----"/>' \
		sec.TLS.customDeviceCert.3
}
t_broken_8021x() {
	broken "app slot for 802.1X" '<c device.set="1" device.sec.TLS.profile.deviceCert1.set="1" device.sec.TLS.profile.deviceCert1="Application1"/>' \
		device.sec.TLS.profile.deviceCert1
}
t_broken_big_key() {
	local xml

	xml=$(printf '<c device.set="1" device.sec.TLS.customDeviceCert2.set="1"'
	      attr device.sec.TLS.customDeviceCert2.publicCert "$PKI/big.pem"
	      attr device.sec.TLS.customDeviceCert2.privateKey "$PKI/big.key"
	      printf '/>')
	broken "too-large platform key" "$xml" "device.sec.TLS.customDeviceCert2"
}
t_not_root() {
	as_user 65534 65534 - "$CREDCTL" provision now >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && has "$tmp/err" "run it as root"
}
# backoff_is N: the next attempt is N s after the last round: the state
# has when that round started, and the service counts from its end, so the
# round's own time (seconds, rounded) is allowed: N to N + 2.
backoff_is() {
	local next attempt d

	next=$(state next)
	attempt=$(state attempt)
	[ -n "$next" ] && [ -n "$attempt" ] || { echo "the state has no next or attempt"; return 1; }
	d=$((next - attempt))
	[ "$d" -ge "$1" ] && [ "$d" -le $(($1 + 2)) ] || { echo "next - attempt = $d, not $1"; return 1; }
}
# Server down: the round fails, and again after 5 s; up again, the next
# try (10 s later) succeeds without being asked.
t_backoff() {
	local i

	ctl provision now >"$tmp/out" && [ "$(state failures)" = 0 ] || { cat "$tmp/out"; return 1; }
	srv_stop
	ctl provision now >"$tmp/out" 2>&1
	[ "$(state result)" = failed ] && [ "$(state file)" = "$mac.cfg" ] &&
		[ "$(state failures)" = 1 ] &&
		backoff_is 5 || { cat "$tmp/out"; return 1; }
	wait_round "$(($(state round) + 1))" && [ "$(state failures)" = 2 ] && backoff_is 10 ||
		return 1
	srv_start || return 1
	for i in $(seq 150); do
		[ "$(state result)" = ok ] && break
		sleep 0.1
	done
	[ "$(state result)" = ok ] && [ "$(state failures)" = 0 ] &&
		has "$tmp/plog" "trying again in 5 s" && has "$tmp/plog" "trying again in 10 s"
}
t_stop() {
	kill -TERM "$prov_pid" && wait "$prov_pid"
	local rc=$?
	prov_pid=
	[ $rc = 0 ] && has "$tmp/plog" "stopping"
}

tests=(
	"t_round:a round fetches <MAC>.cfg and its two CONFIG_FILES and applies both"
	"t_precedence:a parameter in both files takes the first file's value"
	"t_status:provision status, text and --json: server, result, credential, files, next"
	"t_fallback:no <MAC>.cfg on the server (404): 000000000000.cfg is used"
	"t_broken_pem:a bad PEM changes nothing; the state names the file and the parameter"
	"t_broken_8021x:an application slot for 802.1X changes nothing; the state names it"
	"t_broken_big_key:a too-large platform key changes nothing; the state names it"
	"t_not_root:provision now needs root"
	"t_backoff:server down: retried after 5 s, then 10 s, and provisioned once it is up"
	"t_stop:SIGTERM stops the service"
)

make_www
srv_start || exit 1
mkdir -p "$tmp/conf" "$tmp/run"
printf 'server = http://127.0.0.1:%s/\ninterval = 0\n' "$port" >"$tmp/conf/provisioning.conf"
echo "TAP version 13"
echo "1..${#tests[@]}"
if [ -z "$iface" ] || ! daemon_start -i "$iface"; then
	echo "Bail out! devcredd did not start (or no Ethernet interface with a MAC address)"
	exit 1
fi
for t in "${tests[@]}"; do
	ok "${t#*:}" "${t%%:*}"
done
exit $failed
