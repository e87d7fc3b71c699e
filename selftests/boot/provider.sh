#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The devcred OpenSSL provider on the board, against a real peer: nginx on
# the host's 127.0.0.1 requires client certificates from the devices' CA;
# in the guest, openssl s_client loads the provider as make install put it
# and uses -cert/-key devcred:op=provisioning:
#  - RSA (platform1) and EC (platform2) credentials, TLS 1.2 and 1.3: the
#    server sees and logs the bound slot's subject each time;
#  - an unprivileged user (uid 1000, su user) without a grant in
#    /etc/devcred/key-access: the key does not load, devcredd's reason on
#    s_client's stderr and in devcredd's log, no request reaches the
#    server's /mtls/; granted (SIGHUP), the same command works;
#  - all of it with devcredd --no-key-files: no line of the keys' PEM
#    anywhere under /run (the whole tmpfs, not only devcredd's folder);
#  - a long-lived consumer, openssl s_server with the browser key through
#    the provider, answers a loop of handshakes while devcredd is killed
#    and started again: they fail cleanly while it is gone, succeed again
#    after, and the server never stops;
#  - openssl s_server in the guest with the browser credential through the
#    provider; curl on the host verifies the chain and sees the
#    fingerprint credctl show reports.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/nginx.sh"
. "$(dirname "$0")/browser.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
c=$tmp/c
sh "$(dirname "$0")/mkcerts.sh" "$c" >/dev/null
mkdir -p "$tmp/ng"
NGINX_PROTOCOLS="TLSv1.2 TLSv1.3"
nginx_start "$tmp/ng" "$c/tls-server.pem" "$c/tls-server.key" "$c/other-ca.pem" ||
	{ echo "Bail out! nginx did not start"; exit 1; }

# whoami VERSION: the subject the server saw, from s_client in the guest
# (a shell function for the guest, in single quotes on purpose).
# shellcheck disable=SC2016
WHOAMI='whoami() {
	printf "GET /mtls/whoami HTTP/1.1\r\nHost: devcred\r\nConnection: close\r\n\r\n" |
		openssl s_client -provider default -provider devcred "$1" -quiet \
		-verify_return_error -CAfile /tmp/server-ca.pem -connect 10.0.2.100:'"$NGINX_PORT"' \
		-cert devcred:op=provisioning -key devcred:op=provisioning | tail -n 1
}'

# The board runs devcredd with no key files from the start (the
# recommended setting with the provider): every handshake below uses the
# keys through the provider only.
vm_raw --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT" -- sh -ec "
	devcred-restart -K
	ln -s /mnt/share/c /c; cd /tmp
	# The server's CA where uid 1000 reads it too (the share is root's).
	cp /c/test-ca.pem /tmp/server-ca.pem; chmod 0644 /tmp/server-ca.pem
	$WHOAMI
	if [ -f /usr/lib/aarch64-linux-gnu/ossl-modules/devcred.so ]; then echo module=installed; fi
	credctl install platform1 --cert /c/platform1.pem --key /c/platform1.key >/dev/null
	credctl install platform2 --cert /c/platform2.pem --key /c/platform2.key >/dev/null
	for slot in platform1 platform2; do
		credctl bind provisioning \$slot
		for v in -tls1_2 -tls1_3; do
			echo \"whoami \$slot \$v=\$(whoami \$v 2>/tmp/err)\"
			cat /tmp/err
		done
	done
	credctl bind provisioning platform1
	mkdir -m 1777 /tmp/u
	su -s /bin/sh user -c 'set -e; $WHOAMI
		echo \"user-no-grant=\$(whoami -tls1_3 2>/tmp/u/err)\"'
	if grep -q 'uid 1000 may not sign with the key of op=provisioning' /tmp/u/err; then
		echo user-refused-message=yes
	fi
	cat /tmp/u/err
	if grep -q 'uid 1000: credential op=provisioning: the certificate only' /run/devcredd.log; then
		echo user-refused-logged=yes
	fi
	echo 'op=provisioning user:user' >/etc/devcred/key-access
	chmod 0644 /etc/devcred/key-access
	lines=\$(wc -l </run/devcredd.log)
	kill -HUP \$(cat /run/devcredd.pid)
	i=0
	until tail -n +\$((lines + 1)) /run/devcredd.log | grep -q key-access; do
		i=\$((i + 1)); [ \$i -gt 100 ] && break; sleep 0.1
	done
	su -s /bin/sh user -c 'set -e; $WHOAMI
		echo \"user-granted=\$(whoami -tls1_3 2>/tmp/u/err)\"'
	cat /tmp/u/err

	leaks=\$(for k in /c/platform1.key /c/platform2.key; do
		grep -v -- '-----' \$k | while read -r line; do grep -rlF -- \"\$line\" /run; done
	done | sort -u)
	echo \"key-lines-under-run=\${leaks:-none}\"
	echo \"key-files=\$(find /run -name key.pem | wc -l)\"

	credctl bind browser platform2 >/dev/null
	openssl s_server -provider default -provider devcred -quiet -accept 4434 -www \\
		-cert devcred:op=browser -key devcred:op=browser 2>/tmp/srv.err &
	srv=\$!
	$GUEST_WAIT_UNTIL
	# Listening (state 0A) on port 4434 (0x1152).
	wait_until 60 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q \":1152 [0-9A-F]*:0000 0A \"'
	cp /c/other-ca.pem /tmp/browser-ca.pem
	hs() {
		if openssl s_client -connect 127.0.0.1:4434 -verify_return_error \\
			-CAfile /tmp/browser-ca.pem </dev/null >/dev/null 2>&1; then
			seq=\${seq}+
		else
			seq=\${seq}-
		fi
	}
	seq=
	hs; hs; hs
	kill -9 \$(cat /run/devcredd.pid)
	seq=\${seq}/
	hs; hs; hs
	devcred-restart -K
	seq=\${seq}/
	hs; hs; hs
	echo \"handshakes=\$seq\"
	if kill -0 \$srv; then echo server-alive=yes; fi
	cat /tmp/srv.err
	kill \$srv
" >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out" >"$tmp/log"
sed 's/^/# /' "$tmp/log"
[ $rc -eq 0 ] || echo "# the board run failed (status $rc)"

value() { sed -n "s/^$1=//p" "$tmp/log" | head -n1; }
P1='CN=Custom-525400123456,O=Example'
P2='CN=platform2.example,O=Example'
handshakes() {
	[ "$(value 'whoami platform1 -tls1_2')" = "$P1" ] &&
		[ "$(value 'whoami platform1 -tls1_3')" = "$P1" ] &&
		[ "$(value 'whoami platform2 -tls1_2')" = "$P2" ] &&
		[ "$(value 'whoami platform2 -tls1_3')" = "$P2" ]
}
server_log() {
	sed 's/^/# /' "$NGINX_LOG"
	[ "$(grep -c "\"GET /mtls/whoami HTTP/1.1\" 200 verify=SUCCESS dn=\"$P1\"" "$NGINX_LOG")" -eq 3 ] &&
		[ "$(grep -c "\"GET /mtls/whoami HTTP/1.1\" 200 verify=SUCCESS dn=\"$P2\"" "$NGINX_LOG")" -eq 2 ]
}
refused() {
	[ "$(value user-refused-message)" = yes ] && [ "$(value user-refused-logged)" = yes ] &&
		[ -z "$(value user-no-grant)" ]
}
granted() {
	[ "$(value user-granted)" = "$P1" ]
}

# The browser credential served through the provider: s_server in the
# guest with -cert/-key devcred:op=browser (EC, platform2);
# curl on the host, through hostfwd, verifies the chain against the
# devices' CA and sees the fingerprint credctl show reports.
served_fingerprint() {
	curl -sS --max-time 20 --cacert "$c/other-ca.pem" \
		--resolve "platform2.example:$BROWSER_PORT:127.0.0.1" \
		-w '%{certs}' -o /dev/null "https://platform2.example:$BROWSER_PORT/" |
		openssl x509 -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}
browser() {
	local rc fp

	browser_check "$flash" "$tmp" platform2 "devcred-restart -K
		test ! -e /run/devcred/browser/key.pem" served_fingerprint
	rc=$?
	fp=$BROWSER_OUT
	echo "# host saw $fp; credctl show: $(cat "$tmp/browser.sha256" 2>/dev/null)"
	[ $rc -eq 0 ] && [ -n "$fp" ] && [ "$fp" = "$(cat "$tmp/browser.sha256")" ] &&
		[ "$fp" = "$(cat "$c/platform2.sha256")" ]
}

no_key_files() {
	[ "$(value key-lines-under-run)" = none ] && [ "$(value key-files)" = 0 ]
}
devcredd_gone() {
	[ "$(value handshakes)" = "+++/---/+++" ] && [ "$(value server-alive)" = yes ]
}

tap_plan 8
tap_ok "the provider is installed in OpenSSL's modules folder" [ "$(value module)" = installed ]
tap_ok "s_client with devcred:op=provisioning: RSA and EC keys, TLS 1.2 and 1.3, the server sees the bound subject" handshakes
tap_ok "nginx logged each client certificate verified, with its subject (the granted user's too)" server_log
tap_ok "uid 1000 without a grant: no key, devcredd's reason on stderr and in its log, no request served" refused
tap_ok "uid 1000 granted in /etc/devcred/key-access (SIGHUP): the handshake works" granted
tap_ok "devcredd --no-key-files throughout: no line of either key's PEM anywhere under /run, no key.pem" no_key_files
tap_ok "handshakes through the provider while devcredd is killed and restarted: +++ then --- then +++, the consumer never stops" devcredd_gone
tap_ok "s_server in the guest with the browser key through the provider: the host's curl verifies the chain, sees credctl show's fingerprint" browser
tap_done
