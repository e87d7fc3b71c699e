#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred-web on the board, reached from the host through --hostfwd as an
# administrator's browser and a hostile peer reach it: curl on the host
# checks the chain against the test CA (the credential bound to browser),
# the security headers, the status page, refusals (401, CSRF, 413, an app
# slot for 802.1X) that change nothing, and a rebinding of browser over the
# API that the next connection shows; the board's log names the client.
#
# Then a real browser (web_browser.py: headless Chromium, the test CA in an
# NSS database) does an administrator's round on the board: install from a
# URI that nginx on the host serves, bind browser, reconnect and see the
# new certificate, a CSR with the key kept, signed by the host and
# installed, a removal; its screenshots go to build/check/web/.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/nginx.sh"

tmp=$(mktemp -d)
vm_pid=
trap 'touch "$tmp/done"; [ -z "$vm_pid" ] || wait "$vm_pid"; rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
c=$tmp/c
sh "$(dirname "$0")/mkcerts.sh" "$c" >/dev/null
mkdir -p "$tmp/ng"
nginx_start "$tmp/ng" "$c/tls-server.pem" "$c/tls-server.key" "$c/test-ca.pem" ||
	{ echo "Bail out! nginx did not start"; exit 1; }
cp "$c/web2-bundle.pem" "$c/web2.sha256" "$NGINX_DOCROOT/"
PW=board-admin-password
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=https://127.0.0.1:$port

tap_plan 10

# The board: devcred-web as init started it after devcredd, as its own user
# in devcredd's admin group (devcred), the browser key granted it; first
# what it is before anything else runs. Then web1 goes into platform1 and
# is served with the key through the devcred provider (devcredd started
# again with --no-key-files: no key.pem; key-access grants the browser key
# to devcred-web alone, and the provisioning key that its https downloads
# present, platform1's); web2 waits in platform2. devcred-web is the one
# init started all along.
vm --flash "$flash" --share "$tmp" --hostfwd "tcp:127.0.0.1:$port-:443" --guestfwd "$NGINX_PORT" -- sh -ec "
	$GUEST_WAIT_UNTIL
	wait_until 120 'grep -q \"serving https\" /run/devcred-web.log'
	web=\$(cat /run/devcred-web.pid)
	{
		echo pids \$(pidof devcred-web)
		echo started \$(cut -d' ' -f22 /proc/\$(cat /run/devcredd.pid)/stat) \$(cut -d' ' -f22 /proc/\$web/stat)
		grep -E '^(Uid|CapEff):' /proc/\$web/status
		echo listening \$(grep -c '^ *[0-9]*: 00000000:01BB 00000000:0000 0A ' /proc/net/tcp)
		cat /run/devcred-web.log
	} >/mnt/share/boot-web
	cp /mnt/share/c/test-ca.pem /etc/devcred/provisioning-ca.pem
	printf 'op=browser user:devcred-web\nop=provisioning user:devcred-web\n' >/etc/devcred/key-access
	devcred-restart -K
	credctl install platform1 --cert /mnt/share/c/web1.pem --key /mnt/share/c/web1.key
	credctl install platform2 --bundle /mnt/share/c/web2-bundle.pem
	credctl bind provisioning platform1
	credctl bind browser platform1
	printf '%s\n' '$PW' | credctl web-password
	ls -l /etc/devcred/web-password
	credctl status >/mnt/share/status
	touch /mnt/share/ready
	wait_until 600 '[ -e /mnt/share/done ]'
	credctl bindings >/mnt/share/bindings
	find /run/devcred -name key.pem >/mnt/share/keyfiles
	grep -E '^(Uid|Gid|Groups|CapEff):' /proc/\$web/status >/mnt/share/ps
	echo pids \$(pidof devcred-web) >>/mnt/share/ps
	kill \$web
	wait_until 30 'grep -q \"stopping\" /run/devcred-web.log'
	cp /run/devcred-web.log /mnt/share/web.log" &
vm_pid=$!
wait_guest_file "$tmp/ready" "$vm_pid" 6000

# w ARGS... : curl from the host, the server checked against the test CA;
# headers in $tmp/h, body in $tmp/b, the status on stdout.
w() {
	curl -sS --max-time 60 --cacert "$c/test-ca.pem" -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$@"
}
code() {
	local want=$1 got
	shift
	got=$(w "$@") || { echo "# curl $*: failed"; return 1; }
	[ "$got" = "$want" ] || { echo "# curl $*: $got, not $want"; sed 's/^/# /' "$tmp/b" | head -20; return 1; }
}
has() {
	grep -qF -- "$2" "$1" || { echo "# $1 lacks '$2':"; sed 's/^/# /' "$1" | head -40; return 1; }
}
# The certificate a new connection gets, checked against the test CA.
served() {
	curl -sS --max-time 60 --cacert "$c/test-ca.pem" -w '%{certs}' -o /dev/null "$BASE/" |
		openssl x509 -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}
AUTH=admin:$PW
JSON='Content-Type: application/json'

# init started it after devcredd (devcred-unseal before both), once, as
# uid 101 with no capability, listening on port 443 of every address, its
# key through the devcred provider.
boot_web() {
	[ -e "$tmp/boot-web" ] || { echo "# the board's devcred-web did not start"; return 1; }
	sed 's/^/# /' "$tmp/boot-web"
	local started
	started=$(sed -n 's/^started //p' "$tmp/boot-web")
	grep -Eq '^pids [0-9]+$' "$tmp/boot-web" && [ "${started% *}" -le "${started#* }" ] &&
		grep -qP '^Uid:\t101\t101\t101\t101$' "$tmp/boot-web" &&
		grep -qP '^CapEff:\t0+$' "$tmp/boot-web" && grep -qx 'listening 1' "$tmp/boot-web" &&
		has "$tmp/boot-web" "serving https on 0.0.0.0 port 443 as uid 101 with the credential bound to browser, key from the devcred provider"
}
tap_ok "init started devcred-web after devcredd: one, uid 101, no capability, port 443, key through the provider" \
	boot_web

status_page() {
	[ -e "$tmp/ready" ] || { echo "# the board's server did not start"; return 1; }
	[ "$(served)" = "$(cat "$c/web1.sha256")" ] &&
		code 200 "$BASE/" &&
		has "$tmp/b" "<p class=\"status\" id=\"device-certificate\">$(sed -n 1p "$tmp/status")</p>" &&
		has "$tmp/b" "<p class=\"status\" id=\"keys-at-rest\">$(sed -n 2p "$tmp/status")</p>" &&
		has "$tmp/b" '<td class="mono" id="mac">525400123456</td>' &&
		has "$tmp/h" "Strict-Transport-Security: max-age=31536000" &&
		has "$tmp/h" "Content-Security-Policy: default-src 'self'" &&
		has "$tmp/h" "X-Frame-Options: DENY" && has "$tmp/h" "Cache-Control: no-store"
}
tap_ok "the host reaches the board's https with web1 (platform1, bound to browser), the test CA's chain, the status page" \
	status_page

# unchanged CMD... : CMD runs, and the bindings the API reports are the same after.
unchanged() {
	code 200 -u "$AUTH" "$BASE/api/v1/bindings" && cp "$tmp/b" "$tmp/before" || return 1
	"$@" || return 1
	code 200 -u "$AUTH" "$BASE/api/v1/bindings" && cmp "$tmp/b" "$tmp/before"
}
refusals() {
	rm -f "$tmp/jar"
	code 401 "$BASE/api/v1/slots" && has "$tmp/h" 'WWW-Authenticate: Basic realm="devcred"' &&
		code 303 -c "$tmp/jar" -d user=admin --data-urlencode "password=$PW" "$BASE/login" &&
		unchanged code 403 -b "$tmp/jar" -d operation=browser -d slot=builtin "$BASE/profiles" &&
		unchanged code 400 -u "$AUTH" -X PUT -H "$JSON" -d '{"slot": "app1"}' \
			"$BASE/api/v1/bindings/802.1x" &&
		head -c 20000 /dev/zero | tr '\0' a >"$tmp/large" &&
		unchanged code 413 -u "$AUTH" -X POST -H "$JSON" --data-binary @"$tmp/large" \
			"$BASE/api/v1/csr"
}
tap_ok "401 without Basic, CSRF refused, an app slot for 802.1X refused, 413: nothing changed" \
	refusals

rebind() {
	code 200 -u "$AUTH" -X PUT -H "$JSON" -d '{"slot": "platform2"}' "$BASE/api/v1/bindings/browser" &&
		[ "$(served)" = "$(cat "$c/web2.sha256")" ]
}
tap_ok "browser rebound to platform2 over the API: the next connection gets web2, no restart" rebind

browser() {
	local out=$TOP/build/check/web
	[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] ||
		{ echo "# chromium or chromium-driver missing (scripts/deps)"; return 1; }
	code 200 -u "$AUTH" -X PUT -H "$JSON" -d '{"slot": "platform1"}' "$BASE/api/v1/bindings/browser" &&
		rm -rf "$out" &&
		/usr/bin/python3 "$(dirname "$0")/web_browser.py" "$BASE" "$c/test-ca.pem" "$c/test-ca.key" \
			"$PW" "https://10.0.2.100:$NGINX_PORT" "$NGINX_DOCROOT" "$out" 2>&1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 0 ]
}
tap_ok "Chromium on the host: install from nginx, bind, the new certificate, CSR signed and installed, remove" browser

touch "$tmp/done"
wait "$vm_pid"
rc=$?
vm_pid=
tap_ok "the board's run ended well" [ "$rc" -eq 0 ]
tap_ok "the devcred-web init started ran throughout, alone, as uid 101 with no capability; the board's bindings show the change" sh -ec "
	sed 's/^/# /' '$tmp/ps' '$tmp/bindings'
	grep -qx \"\$(grep '^pids ' '$tmp/boot-web')\" '$tmp/ps' &&
	grep -qP '^Uid:\t101\t101\t101\t101$' '$tmp/ps' && grep -qP '^CapEff:\t0+$' '$tmp/ps' &&
	grep -q '^browser  *platform2' '$tmp/bindings'"
tap_ok "devcred-web's https downloads present the provisioning credential (nginx logged web1's subject, verified)" sh -ec "
	sed 's/^/# /' '$NGINX_LOG'
	grep -q '\"GET /web2-bundle.pem HTTP/1.1\" 200 verify=SUCCESS dn=\"CN=web1.example,O=Test\"' '$NGINX_LOG'"
tap_ok "the key through the devcred provider: no key.pem on the board, devcredd signed each handshake" sh -ec "
	sed 's/^/# /' '$tmp/keyfiles'
	grep -q 'key from the devcred provider' '$tmp/web.log' && [ ! -s '$tmp/keyfiles' ]"
tap_ok "its log names the client's address for each change and refusal" sh -ec "
	sed 's/^/# /' '$tmp/web.log'
	grep -q 'web: 10.0.2.2: bind browser platform2' '$tmp/web.log' &&
	grep -q 'web: 10.0.2.2: POST /profiles refused' '$tmp/web.log' &&
	grep -q '(CN web2.example) from the next handshake on' '$tmp/web.log' &&
	grep -q 'web: 10.0.2.2: install platform2: ' '$tmp/web.log' &&
	grep -q 'web: 10.0.2.2: remove app1: ' '$tmp/web.log'"

tap_done
