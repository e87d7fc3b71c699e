#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# credctl's https transfers present the credential bound to provisioning as
# their client certificate, its key used through the devcred provider
# (signed by devcredd, never read from a file), and verify the server with
# provisioning.conf's CA: against a real nginx on 127.0.0.1 that requires
# client certificates (ssl_verify_client on) and logs the subject it
# verified, and the host devcredd over the fake device. csr --upload with
# no URL puts <MAC>.csr, and nothing else, on the provisioning server. TAP
# on stdout.
#
#	test_mtls.sh HOST PKI	(HOST: the host build folder; PKI: the
#				certificates of selftests/boot/mkcerts.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# unprivileged clients reach the socket in it
. "$(dirname "$0")/devcredd_env.sh"
trap 'daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT
export OPENSSL_MODULES=$HOST/ossl-modules
DAEMON_OPTS=(--no-key-files)
ACCESS=$tmp/conf/key-access

# nginx: the server's certificate from test-ca; client certificates must
# chain to other-ca, which signed platform1 (and not the built-in).
. "$(dirname "$0")/../../selftests/boot/nginx.sh"
mkdir -p "$tmp/ng"
NGINX_VERIFY_CLIENT=on nginx_start "$tmp/ng" "$PKI/tls-server.pem" "$PKI/tls-server.key" \
	"$PKI/other-ca.pem" || exit 1
URL=https://127.0.0.1:$NGINX_PORT
SUBJECT=$(openssl x509 -in "$PKI/platform1.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')

# A provisioning file that installs platform2.
{
	printf '<c device.set="1" device.sec.TLS.customDeviceCert2.set="1" device.sec.TLS.customDeviceCert2.publicCert="'
	cat "$PKI/platform2.pem"
	printf '" device.sec.TLS.customDeviceCert2.privateKey="'
	cat "$PKI/platform2.key"
	printf '"/>\n'
} >"$NGINX_DOCROOT/cfg.xml"

# conf SERVER : provisioning.conf naming SERVER, verified with test-ca.
conf() {
	printf 'server = %s\nca = %s\n' "$1" "$PKI/test-ca.pem" >"$tmp/conf/provisioning.conf"
}

# logged TEXT : the last line of nginx's access log contains TEXT.
logged() {
	tail -n 1 "$NGINX_LOG" >"$tmp/last" && has "$tmp/last" "$1"
}

# unchanged : the store lists what it listed at the start of the test.
unchanged() {
	ctl list >"$tmp/list.now" && diff "$tmp/list.before" "$tmp/list.now"
}

# run EXPECTED ARGS... : credctl as root, exiting EXPECTED; out, err kept.
run() {
	local want=$1 rc

	shift
	ctl "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$want" ] ||
		{ echo "credctl $* exited $rc, not $want:"; cat "$tmp/out" "$tmp/err"; return 1; }
}

t_setup() {
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl bind provisioning platform1 >/dev/null && conf "$URL/" &&
		# Key files off: the only way to the key is devcredd.
		[ ! -e "$tmp/run/provisioning/key.pem" ]
}

t_apply_presents() {
	run 0 apply "$URL/cfg.xml" && has "$tmp/out" "platform2: installed" &&
		logged "\"GET /cfg.xml HTTP/1.1\" 200 verify=SUCCESS dn=\"$SUBJECT\"" &&
		has "$tmp/log" "op=provisioning" &&
		ctl remove platform2 >/dev/null
}

t_not_signed_refused() {
	ctl list >"$tmp/list.before" && ctl bind provisioning builtin >/dev/null &&
		ctl list >"$tmp/list.before" || return 1
	run 1 apply "$URL/cfg.xml" && logged '"GET /cfg.xml HTTP/1.1" 400 verify=FAILED' &&
		has "$tmp/err" "the server answered HTTP status 400" &&
		has "$tmp/err" "credctl presented the client certificate of devcred:op=provisioning" &&
		unchanged && ctl bind provisioning platform1 >/dev/null
}

t_no_client_cert() {
	ctl list >"$tmp/list.before" || return 1
	run 1 apply --no-client-cert "$URL/cfg.xml" &&
		logged '"GET /cfg.xml HTTP/1.1" 400 verify=NONE' &&
		has "$tmp/err" "the server answered HTTP status 400" && unchanged
}

t_not_granted() {
	local lines

	ctl list >"$tmp/list.before" && rm -f "$ACCESS" && reload || return 1
	lines=$(wc -l <"$NGINX_LOG")
	as_user 1 1 - "$CREDCTL" apply "$URL/cfg.xml" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && has "$tmp/err" "uid 1 may not sign with the key of op=provisioning" &&
		has "$tmp/err" "key access file" && has "$tmp/err" '"op=provisioning user:NAME"' &&
		has "$tmp/err" "--no-client-cert" &&
		[ "$(wc -l <"$NGINX_LOG")" -eq "$lines" ] && unchanged || return 1
	# Granted, the same user presents it (the store stays root's to change).
	printf 'op=provisioning user:1\n' >"$ACCESS" && chmod 0644 "$ACCESS" && reload &&
		as_user 1 1 - "$CREDCTL" apply "$URL/cfg.xml" >"$tmp/out" 2>"$tmp/err"
	logged "\"GET /cfg.xml HTTP/1.1\" 200 verify=SUCCESS dn=\"$SUBJECT\"" && unchanged
}

t_daemon_down() {
	local rc

	daemon_stop
	run 1 apply "$URL/cfg.xml" && has "$tmp/err" "devcredd is not running" &&
		has "$tmp/err" "start devcredd" && has "$tmp/err" "--no-client-cert"
	rc=$?
	daemon_start && return $rc
}

t_conf_ca() {
	# The server is verified with provisioning.conf's ca, and --cacert overrides it.
	printf 'server = %s/\nca = %s\n' "$URL" "$PKI/other-ca.pem" >"$tmp/conf/provisioning.conf" &&
		run 1 apply "$URL/cfg.xml" && has "$tmp/err" "certificate" &&
		run 0 apply --cacert "$PKI/test-ca.pem" "$URL/cfg.xml" &&
		ctl remove platform2 >/dev/null && conf "$URL/" &&
		printf 'server = %s/\nbogus = 1\n' "$URL" >"$tmp/conf/provisioning.conf" &&
		run 1 apply "$URL/cfg.xml" && has "$tmp/err" "provisioning.conf: line 2" && conf "$URL/"
}

t_csr_upload_default() {
	local d=$tmp/csr up=$NGINX_DOCROOT/upload/phones

	mkdir -p "$d" && conf "$URL/upload/phones" &&
		run 0 csr --cn dev.example --out "$d" --upload &&
		has "$tmp/out" "uploaded $d/000000000000.csr to $URL/upload/phones/000000000000.csr" &&
		cmp "$d/000000000000.csr" "$up/000000000000.csr" &&
		[ "$(ls "$up")" = 000000000000.csr ] && [ -f "$d/000000000000-private.key" ] &&
		logged "\"PUT /upload/phones/000000000000.csr HTTP/1.1\" 201 verify=SUCCESS dn=\"$SUBJECT\"" ||
		return 1
	# upload = wins over server.
	printf 'server = %s/\nca = %s\nupload = %s/upload/csr/\n' "$URL" "$PKI/test-ca.pem" "$URL" \
		>"$tmp/conf/provisioning.conf" && rm -f "$d"/* &&
		run 0 csr --cn dev.example --out "$d" --upload &&
		cmp "$d/000000000000.csr" "$NGINX_DOCROOT/upload/csr/000000000000.csr" &&
		[ "$(ls "$NGINX_DOCROOT/upload/csr")" = 000000000000.csr ] || return 1
	rm -f "$tmp/conf/provisioning.conf" "$d"/* &&
		run 2 csr --cn dev.example --out "$d" --upload && has "$tmp/err" "give --upload URL"
}

t_upload_key_https_only() {
	local d=$tmp/csr-key

	mkdir -p "$d" && printf 'server = http://127.0.0.1:%s/upload/\n' "$NGINX_HTTP_PORT" \
		>"$tmp/conf/provisioning.conf" &&
		run 2 csr --cn dev.example --out "$d" --upload --upload-key &&
		has "$tmp/err" "--upload-key sends the private key, which goes over https only" &&
		[ -z "$(ls "$d")" ] && [ ! -e "$NGINX_DOCROOT/upload/000000000000-private.key" ] &&
		conf "$URL/"
}

# The installed example, its keys uncommented and pointed at the server, is
# a provisioning.conf that works.
t_example_conf() {
	local d=$tmp/csr-example

	mkdir -p "$d" && sed -e "s|^#server = .*|server = $URL/|" \
		-e "s|^#ca = .*|ca = $PKI/test-ca.pem|" -e 's|^#interval = |interval = |' \
		-e "s|^#upload = .*|upload = $URL/upload/example/|" \
		"$(dirname "$0")/../../packaging/etc-devcred/provisioning.conf.example" \
		>"$tmp/conf/provisioning.conf" &&
		[ "$(grep -c '^[a-z]* = ' "$tmp/conf/provisioning.conf")" -eq 4 ] &&
		run 0 csr --cn dev.example --out "$d" --upload &&
		cmp "$d/000000000000.csr" "$NGINX_DOCROOT/upload/example/000000000000.csr" && conf "$URL/"
}

# The slot bound to provisioning emptied: refused before any connection.
t_nothing_bound() {
	local lines

	ctl remove platform1 >/dev/null && ctl list >"$tmp/list.before" || return 1
	lines=$(wc -l <"$NGINX_LOG")
	run 1 apply "$URL/cfg.xml" &&
		has "$tmp/err" "the client certificate devcred:op=provisioning cannot be used: " &&
		has "$tmp/err" "platform1 holds no credential" &&
		has "$tmp/err" "credctl bind provisioning SLOT" && has "$tmp/err" "--no-client-cert" &&
		[ "$(wc -l <"$NGINX_LOG")" -eq "$lines" ] && unchanged
}

tests=(
	"t_setup:platform1 (other-ca) bound to provisioning, no key file published"
	"t_apply_presents:apply https: platform1 presented through the provider, nginx verify=SUCCESS with its subject"
	"t_not_signed_refused:provisioning bound to the self-signed built-in: nginx refuses (400), credctl says what it presented, store unchanged"
	"t_no_client_cert:--no-client-cert sends none (nginx verify=NONE, 400), store unchanged"
	"t_not_granted:a user the key access file does not grant: refused before any connection, naming key access and --no-client-cert; granted, presented"
	"t_daemon_down:devcredd down: refused, saying so and naming --no-client-cert"
	"t_conf_ca:the server verified with provisioning.conf's ca; --cacert overrides; a broken file stops the command"
	"t_csr_upload_default:csr --upload alone: <MAC>.csr alone to provisioning.conf's server (upload = first), with the client certificate; none without a file"
	"t_example_conf:provisioning.conf.example, uncommented, works as provisioning.conf"
	"t_upload_key_https_only:--upload-key with an http provisioning server: refused, nothing written or sent"
	"t_nothing_bound:the slot bound to provisioning empty: refused before any connection, naming bind and --no-client-cert"
)
run_tests
