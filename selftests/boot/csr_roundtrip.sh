#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An on-device CSR, signed and installed: the guest runs 'credctl csr
# --keep-key platform2 --upload' to a real server on the host (nginx on
# 127.0.0.1, reached as https://10.0.2.100:PORT); the test signs the CSR
# with the test CA (openssl) and serves the certificate; the guest installs
# it from its URL; mutual TLS with it then succeeds, with the key read from
# the store and with the files devcredd publishes. Besides: csr without
# --keep-key writes both files (the key 0600, never over an existing one)
# and 'openssl req -verify' passes; ec-p256 and rsa3072 keys; country
# 'USA', --keep-key builtin and non-root callers refused; a signed
# certificate that does not belong to the pending key, or served by a
# server the CA does not vouch for, refused with the store unchanged.
# The device's only provisioning credential here is its self-signed
# built-in, which this server does not trust (nginx answers 400 to a
# client certificate it cannot verify): credctl's transfers send none
# (--no-client-cert), as a device asking for its first certificate would.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/nginx.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
c=$tmp/c
MAC=525400123456	# QEMU's default MAC address for the first NIC
SUBJECT="CN=phone-$MAC.example,O=Example Org,C=DE"
sh "$(dirname "$0")/mkcerts.sh" "$c" >/dev/null
mkdir -p "$tmp/ng" "$tmp/checks" "$tmp/results"
nginx_start "$tmp/ng" "$c/tls-server.pem" "$c/tls-server.key" "$c/test-ca.pem" ||
	{ echo "Bail out! nginx did not start"; exit 1; }
URL=https://10.0.2.100:$NGINX_PORT
mkdir -p "$NGINX_DOCROOT/certs"

# check NAME: the guest script NAME, from standard input, run by boot().
check() {
	cat >"$tmp/checks/$1.sh"
}

# In every check: refused CMD... runs CMD, which must exit with status 1;
# its standard error is left in ./err.
cat >"$tmp/checks/lib.sh" <<'EOF' # sh -e
refused() {
	rc=0
	"$@" 2>err || rc=$?
	cat err
	[ "$rc" -eq 1 ]
}
EOF

# boot NAME...: one boot running the checks NAME... in order, each with
# sh -e in /tmp, the PKI at /c; their status and output in results/. Its
# own status is scripts/vm's: not 0 when the kernel reported a problem
# (oops, WARNING, KASAN: 121) or the boot failed, whatever the checks said.
boot() {
	local n script=

	for n in "$@"; do
		script+="rc=0; (cd /tmp; sh -ex -c '. /mnt/share/checks/lib.sh; . /mnt/share/checks/$n.sh') "
		script+=">/mnt/share/results/$n.log 2>&1 || rc=\$?; "
		script+="echo \$rc >/mnt/share/results/$n; "
	done
	vm --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT" -- \
		sh -ec "ln -s /mnt/share/c /c; $script"
}

# passed NAME: the check ran and succeeded; its output as diagnostics if not.
passed() {
	[ "$(cat "$tmp/results/$1" 2>/dev/null)" = 0 ] && return 0
	sed 's/^/# /' "$tmp/results/$1.log" 2>/dev/null
	return 1
}

# The first boot: make the requests.
check keep_upload <<EOF # sh -e
credctl csr --cn phone-$MAC.example --org 'Example Org' --country DE --keep-key platform2 \
	--upload $URL/upload/ --cacert /c/test-ca.pem --no-client-cert --out /tmp >out
cat out
grep -qx 'wrote /tmp/$MAC.csr' out
grep -qx 'uploaded /tmp/$MAC.csr to $URL/upload/$MAC.csr' out
grep -q 'platform2: the new key is kept as its pending key' out
[ ! -e /tmp/$MAC-private.key ]
[ "\$(stat -c %a /tmp/$MAC.csr)" = 644 ]
devcred_tool status platform2 | grep -q '^pending_key_len=[1-9]'
cp /tmp/$MAC.csr /mnt/share/keep.csr
EOF
check plain <<EOF # sh -e
mkdir plain
cd plain
credctl csr --cn plain.example --email ops@example.com --state Bayern --out .
[ "\$(stat -c %a $MAC-private.key)" = 600 ]
[ "\$(stat -c %a $MAC.csr)" = 644 ]
openssl req -in $MAC.csr -noout -verify 2>&1 | grep -q 'verify OK'
openssl req -in $MAC.csr -noout -text >text
grep -q 'Public-Key: (2048 bit)' text
grep -q 'Signature Algorithm: sha256WithRSAEncryption' text
openssl req -in $MAC.csr -noout -subject -nameopt RFC2253 | grep -qx 'subject=emailAddress=ops@example.com,CN=plain.example,ST=Bayern'
# The key is the request's.
[ "\$(openssl req -in $MAC.csr -noout -pubkey)" = "\$(openssl pkey -in $MAC-private.key -pubout)" ]
# Never over an existing key: refused, the key as it was, no request replaced.
md5sum $MAC-private.key $MAC.csr >sums
refused credctl csr --cn again.example --out .
grep -q "./$MAC-private.key exists; not overwriting a private key" err
md5sum -c sums
cp $MAC.csr /mnt/share/plain.csr
EOF
check key_types <<EOF # sh -e
mkdir ec rsa
credctl csr --cn ec.example --key-type ec-p256 --out ec
openssl req -in ec/$MAC.csr -noout -verify 2>&1 | grep -q 'verify OK'
openssl req -in ec/$MAC.csr -noout -text | grep -q 'ASN1 OID: prime256v1'
openssl req -in ec/$MAC.csr -noout -text | grep -q 'ecdsa-with-SHA256'
openssl pkey -in ec/$MAC-private.key -noout -text | grep -q 'ASN1 OID: prime256v1'
credctl csr --cn rsa.example --key rsa3072 --out rsa
openssl req -in rsa/$MAC.csr -noout -verify 2>&1 | grep -q 'verify OK'
openssl req -in rsa/$MAC.csr -noout -text | grep -q 'Public-Key: (3072 bit)'
[ "\$(stat -c %a rsa/$MAC-private.key)" = 600 ]
EOF
check refusals <<EOF # sh -e
mkdir refused
credctl list --json >before
refused credctl csr --cn x --country USA --out refused
grep -q "country 'USA': give the two-letter country code" err
refused credctl csr --cn x --keep-key builtin --out refused
grep -q 'keep-key builtin' err
refused credctl csr --cn "\$(printf '%065d' 0)" --out refused
grep -q -- '--cn .* does not fit a certificate subject: 1 to 64 characters' err
chmod 777 refused
refused su user -s /bin/sh -c 'credctl csr --cn x --out /tmp/refused'
grep -q "permission denied: 'csr' changes the store" err
[ -z "\$(ls -A refused)" ]
credctl list --json | cmp - before
devcred_tool status builtin | grep -q '^pending_key_len=0'
EOF
check log <<EOF # sh -e
grep -q "csr: made an rsa2048 key and a certificate signing request for 'CN=phone-$MAC.example,O=Example Org,C=DE', SHA256 .*; the key is the pending key of platform2" /run/devcredd.log
grep -q "csr: made an ec-p256 key" /run/devcredd.log
if grep -q PRIVATE /run/devcredd.log; then exit 1; fi
EOF

# The second boot: install what the CA signed.
check wrong_server_ca <<EOF # sh -e
credctl list --json >before
refused credctl install platform2 --cert $URL/certs/$MAC.pem --cacert /c/other-ca.pem --no-client-cert
grep -q '^credctl: $URL/certs/$MAC.pem: .*certificate' err
credctl list --json | cmp - before
EOF
check not_matching <<EOF # sh -e
credctl list --json >before
refused credctl install platform2 --cert $URL/certs/other.pem --cacert /c/test-ca.pem --no-client-cert
grep -q 'platform2: the certificate does not belong to the pending key' err
credctl list --json | cmp - before
devcred_tool status platform2 | grep -q '^pending_key_len=[1-9]'
EOF
check install <<EOF # sh -e
credctl install platform2 --cert $URL/certs/$MAC.pem --cacert /c/test-ca.pem --no-client-cert | grep -qx 'platform2: credential installed'
credctl show platform2 | grep -qx 'Common name:  phone-$MAC.example'
devcred_tool status platform2 | grep -q '^pending_key_len=0'
EOF
check mtls_store <<EOF # sh -e
credctl export platform2 --chain >chain.pem
devcred_tool read-key platform2 >key.pem
curl -sS --fail --cacert /c/test-ca.pem --cert chain.pem --key key.pem $URL/mtls/whoami >dn
cat dn
grep -qx '$SUBJECT' dn
# Without the certificate, the same place is closed.
[ "\$(curl -sS -o /dev/null -w '%{http_code}' --cacert /c/test-ca.pem $URL/mtls/whoami)" = 403 ]
EOF
check mtls_published <<EOF # sh -e
credctl bind provisioning platform2
i=0
until credctl path provisioning >paths 2>/dev/null; do
	i=\$((i + 1)); [ \$i -lt 300 ]; sleep 0.1
done
cat paths
curl -sS --fail --cacert /c/test-ca.pem --cert "\$(credctl path provisioning --chain)" \
	--key "\$(credctl path provisioning --key)" $URL/mtls/whoami | grep -qx '$SUBJECT'
EOF

# sign CSR NAME: the test CA's certificate for CSR, served as certs/NAME.pem.
sign() {
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,serverAuth\n' >"$tmp/leaf.ext"
	openssl req -in "$1" -noout -verify 2>/dev/null &&
		openssl x509 -req -in "$1" -CA "$c/test-ca.pem" -CAkey "$c/test-ca.key" \
			-CAcreateserial -CAserial "$tmp/test-ca.srl" -days 30 -extfile "$tmp/leaf.ext" \
			-out "$NGINX_DOCROOT/certs/$2.pem" 2>/dev/null
}

uploaded=$NGINX_DOCROOT/upload/$MAC.csr

# The host's side of each step.
uploaded_by_put() {
	passed keep_upload && cmp "$uploaded" "$tmp/keep.csr" &&
		grep -q "\"PUT /upload/$MAC.csr HTTP/1.1\" 201" "$NGINX_LOG"
}
signed_and_served() {
	sign "$uploaded" "$MAC" && sign "$tmp/plain.csr" other &&
		openssl x509 -in "$NGINX_DOCROOT/certs/$MAC.pem" -noout -subject -nameopt RFC2253 |
		grep -qx "subject=$SUBJECT"
}
mtls_seen() {
	passed mtls_store &&
		grep -q "\"GET /mtls/whoami HTTP/1.1\" 200 verify=SUCCESS dn=\"$SUBJECT\"" "$NGINX_LOG" &&
		grep -q "\"GET /mtls/whoami HTTP/1.1\" 403 verify=NONE" "$NGINX_LOG"
}
mtls_logged() {
	[ "$(grep -c "verify=SUCCESS dn=\"$SUBJECT\"" "$NGINX_LOG")" -eq 2 ]
}

tap_plan 14
boot keep_upload plain key_types refusals log
booted=$?
tap_ok "the first boot ended cleanly (scripts/vm: no panic, oops, WARNING or KASAN report)" \
	[ "$booted" -eq 0 ]
tap_ok "csr --keep-key platform2 --upload https://10.0.2.100: only the CSR, uploaded by PUT; the key pending in the device" \
	uploaded_by_put
tap_ok "csr without --keep-key: key 0600, CSR 0644, req -verify OK, the pair matches; never over an existing key" \
	passed plain
tap_ok "csr --key-type ec-p256 (prime256v1, ecdsa-with-SHA256) and --key rsa3072" passed key_types
tap_ok "country 'USA', --keep-key builtin, a 65-character CN, a non-root caller: refused, nothing written, store unchanged" \
	passed refusals
tap_ok "the daemon logs each CSR (subject, digest, where the key went), never a key" passed log
tap_ok "the test CA signs the uploaded CSR (openssl), served as certs/$MAC.pem" signed_and_served
boot wrong_server_ca not_matching install mtls_store mtls_published
booted=$?
tap_ok "the second boot ended cleanly (scripts/vm: no panic, oops, WARNING or KASAN report)" \
	[ "$booted" -eq 0 ]
tap_ok "install from a server the given CA does not vouch for: refused, store unchanged" \
	passed wrong_server_ca
tap_ok "install of a signed certificate that is not the pending key's: refused, store unchanged" \
	passed not_matching
tap_ok "install platform2 --cert https://10.0.2.100:.../certs/$MAC.pem pairs it with the pending key" \
	passed install
tap_ok "mutual TLS with the installed certificate and its key: the server sees the subject" mtls_seen
tap_ok "mutual TLS with the files devcredd publishes for provisioning (credctl path)" \
	passed mtls_published
tap_ok "the server's access log names the device for every mutual TLS request" mtls_logged
tap_done
