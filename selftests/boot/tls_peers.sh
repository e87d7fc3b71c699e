#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stored credentials in real TLS, against real peers on this machine,
# with devcredd --no-key-files on every boot (issue 17's "done when": no
# private key in any file, every key used through the devcred provider;
# the published key files are tested by csr_roundtrip.sh):
#  - mutual TLS provisioning: nginx on the host's 127.0.0.1 requires client
#    certificates from the test CAs; the guest fetches its configuration
#    file over https with openssl s_client and the provisioning-bound
#    credential (devcred:op=provisioning), and applies it. The server sees
#    the bound slot's subject; rebinding changes it; an untrusted credential
#    is refused;
#  - credctl apply from an https URI, with the server checked against
#    --cacert, and refused with the wrong CA; credctl presents the
#    provisioning-bound credential itself, its key through the devcred
#    provider (nginx logs its subject);
#  - browser: openssl s_server in the guest with devcred:op=browser; curl
#    on the host, through hostfwd, sees the certificate whose SHA-256
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
nginx_start_devices "$tmp/ng" "$c"
URL=https://10.0.2.100:$NGINX_PORT
mkdir -p "$NGINX_DOCROOT/mtls"
# What the provisioning server hands out: SIP and the browser on platform2.
cat >"$NGINX_DOCROOT/mtls/device.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<polycomConfig>
  <tls sec.TLS.profile.1.deviceCert="Platform2" sec.TLS.profileSelection.SIP="ApplicationProfile1"
       sec.TLS.profileSelection.browser="ApplicationProfile1"/>
</polycomConfig>
EOF
# What an open server hands out: SIP on platform1, which no file has
# bound it to before, so that a download wrongly applied would show.
cat >"$NGINX_DOCROOT/open.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<polycomConfig>
  <tls sec.TLS.profile.2.deviceCert="Platform1" sec.TLS.profileSelection.SIP="ApplicationProfile2"/>
</polycomConfig>
EOF

g() {
	vm --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT" "$@"
}

tap_plan 5

# In the guest: devcredd again with no key files (the board's init started
# it with them), then no key.pem may be left under /run.
KEYS_OFF='devcred-restart -K
	if [ -n "$(find /run -name key.pem)" ]; then echo "key files left"; exit 1; fi'

# fetch PATH: GET URL/PATH over mutual TLS with the provisioning-bound
# credential through the provider (curl cannot take a provider's URI);
# prints the body, fails unless the answer is 200.
FETCH="fetch() {
	printf 'GET /%s HTTP/1.1\\r\\nHost: devcred\\r\\nConnection: close\\r\\n\\r\\n' \"\$1\" |
		openssl s_client -provider default -provider devcred -quiet -verify_return_error \
		-CAfile /c/test-ca.pem -connect ${URL#https://} \
		-cert devcred:op=provisioning -key devcred:op=provisioning 2>/dev/null | tr -d '\\r' >/tmp/answer
	head -n 1 /tmp/answer | grep -q '^HTTP/1.1 200 ' || return 1
	sed '1,/^\$/d' /tmp/answer
}"

tap_ok "mutual TLS provisioning: configuration fetched with the bound credential, applied" g -- sh -ec "
	$KEYS_OFF
	ln -s /mnt/share/c /c; cd /tmp; $FETCH
	credctl install platform1 --cert /c/platform1.pem --key /c/platform1.key
	credctl install platform2 --cert /c/platform2.pem --key /c/platform2.key
	credctl bind provisioning platform1
	fetch mtls/device.xml >device.xml
	credctl apply device.xml
	credctl bindings | grep -q '^sip  *platform2'
	credctl bindings | grep -q '^browser  *platform2'
	[ \"\$(fetch mtls/whoami)\" = 'CN=Custom-525400123456,O=Example' ]
	credctl bind provisioning platform2
	[ \"\$(fetch mtls/whoami)\" = 'CN=platform2.example,O=Example' ]
	# The self-signed built-in certificate is no credential this server trusts.
	credctl bind provisioning builtin
	! fetch mtls/whoami"

tap_ok "the server logged each client: the bound slot's subject, then the untrusted one refused" \
	sh -ec "
	cat '$NGINX_LOG' | sed 's/^/# /'
	grep -q '\"GET /mtls/device.xml HTTP/1.1\" 200 verify=SUCCESS dn=\"CN=Custom-525400123456,O=Example\"' '$NGINX_LOG'
	grep -q '\"GET /mtls/whoami HTTP/1.1\" 200 verify=SUCCESS dn=\"CN=platform2.example,O=Example\"' '$NGINX_LOG'
	grep -q '\"GET /mtls/whoami HTTP/1.1\" 40[03] verify=FAILED' '$NGINX_LOG'"

tap_ok "credctl apply https://...: the server checked against --cacert; the wrong CA refused, nothing changed" \
	g -- sh -ec "
	$KEYS_OFF
	ln -s /mnt/share/c /c; cd /tmp
	credctl bindings | grep -q '^sip  *platform2'
	# The last boot left the untrusted built-in bound to provisioning.
	credctl bind provisioning platform1
	credctl bindings --json >before
	if credctl apply $URL/open.xml --cacert /c/other-ca.pem 2>err; then
		echo 'applied a file from a server the CA does not vouch for'; exit 1
	fi
	cat err
	grep -q '$URL/open.xml' err
	credctl bindings --json | cmp - before
	credctl apply $URL/open.xml --cacert /c/test-ca.pem
	credctl bindings | grep -q '^sip  *platform1'"

tap_ok "credctl apply https://... presented provisioning's credential, through the provider" \
	sh -ec "
	grep -q '\"GET /open.xml HTTP/1.1\" 200 verify=SUCCESS dn=\"CN=Custom-525400123456,O=Example\"' '$NGINX_LOG'"

# The browser test: the guest serves, the host connects through hostfwd.
served_fingerprint() {
	curl -sk --max-time 20 -w '%{certs}' -o /dev/null "https://127.0.0.1:$BROWSER_PORT/" |
		openssl x509 -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}
browser() {
	local rc fp

	browser_check "$flash" "$tmp" platform1 "$KEYS_OFF" served_fingerprint
	rc=$?
	fp=$BROWSER_OUT
	echo "# host saw $fp; credctl show: $(cat "$tmp/browser.sha256" 2>/dev/null)"
	[ $rc -eq 0 ] && [ -n "$fp" ] && [ "$fp" = "$(cat "$tmp/browser.sha256")" ] &&
		[ "$fp" = "$(cat "$c/platform1.sha256")" ]
}
tap_ok "browser: the host's curl sees the certificate credctl show reports" browser

tap_done
