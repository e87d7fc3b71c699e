#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The devcred OpenSSL provider (ASan, UBSan) against the host devcredd over
# the fake device, through OpenSSL's own API (test_provider) and the
# openssl command (s_server, s_client): keys opened by URI sign in every
# scheme and the signatures verify with the certificate's key; a caller the
# key access file does not name gets the certificate but not the key; the
# private number never reaches the client's memory; TLS 1.2 and 1.3
# handshakes with the key through the provider. TAP on stdout.
#
#	test_provider.sh HOST PKI	(HOST: the host build folder; PKI: the
#					certificates of selftests/boot/mkcerts.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# unprivileged clients reach the socket in it
. "$(dirname "$0")/devcredd_env.sh"
trap 'daemon_stop >/dev/null 2>&1; [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export OPENSSL_MODULES=$HOST/ossl-modules
T=$HOST/test_provider
ACCESS=$tmp/conf/key-access


# signs URI COUNT : test_provider sign URI verifies COUNT signatures.
signs() {
	"$T" sign "$1" >"$tmp/out" 2>&1 && has "$tmp/out" "verified $2 signatures"
}

t_setup() {
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl install platform2 --cert "$PKI/platform2.pem" --key "$PKI/platform2.key" >/dev/null &&
		ctl install app1 --cert "$PKI/app1.pem" --key "$PKI/app1.key" >/dev/null &&
		ctl bind sip platform1 >/dev/null && ctl bind browser platform2 >/dev/null
}

t_sign_rsa() {
	# 7 schemes, each by EVP_DigestSign and by EVP_PKEY_sign: PKCS#1 v1.5 and PSS.
	signs devcred:op=sip 14 && signs devcred:slot=app1 14
}

t_sign_ec() {
	signs devcred:op=browser 6 && signs devcred:slot=platform2 6
}

t_bad_uri() {
	"$T" key devcred:op=voip >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "unknown operation after op=" || return 1
	"$T" key devcred:slot=app5 >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "app5 holds no credential"
}

# ;type= narrows what a URI gives: the key alone, or the certificate alone.
t_type() {
	"$T" key 'devcred:op=sip;type=key' >"$tmp/out" 2>&1 && has "$tmp/out" "loaded a RSA key" ||
		return 1
	"$T" key 'devcred:op=sip;type=cert' >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "no key loaded" || return 1
	"$T" key 'devcred:op=sip;type=pkey' >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "the only attribute is ;type=cert, ;type=issuers or ;type=key"
}

t_refused() {
	rm -f "$ACCESS" && reload || return 1
	as_user 1 1 - "$T" key devcred:op=sip >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "uid 1 may not sign with the key of op=sip" &&
		has "$tmp/log" "uid 1: credential op=sip: the certificate only: devcred: permission denied" || return 1
	printf 'op=sip user:1\n' >"$ACCESS" && chmod 0644 "$ACCESS" && reload &&
		as_user 1 1 - "$T" sign devcred:op=sip >"$tmp/out" 2>&1 &&
		has "$tmp/out" "verified 14 signatures" || return 1
	# The grant is op=sip's, not the same slot's by its name.
	as_user 1 1 - "$T" key devcred:slot=platform1 >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "uid 1 may not sign with the key of slot=platform1"
}

# secret KEYFILE FIELD : the private number FIELD ("prime1:", "priv:") of
# the key file, in hex, big-endian, without leading zero bytes.
secret() {
	openssl pkey -in "$1" -noout -text | awk -v f="$2" '
		$1 == f { on = 1; next } on && /^ / { gsub(/[ :]/, ""); s = s $0; next } on { on = 0 }
		END { sub(/^(00)+/, "", s); print s }'
}

# scan URI KEYFILE FIELD : test_provider scan URI with FIELD of KEYFILE masked.
scan() {
	local hex mask masked

	hex=$(secret "$2" "$3")
	# 62: a P-256 key whose first byte is zero (1 in 256) has 31 bytes left.
	[ ${#hex} -ge 62 ] || { echo "no $3 in $2"; return 2; }
	mask=$(openssl rand -hex $((${#hex} / 2)))
	masked=$(python3 -c 'import sys; a, b = sys.argv[1:]; print("%0*x" % (len(a), int(a, 16) ^ int(b, 16)))' "$hex" "$mask")
	"$T" scan "$1" "$mask" "$masked"
}

t_no_key_bytes() {
	scan devcred:op=sip "$PKI/platform1.key" prime1: >"$tmp/out" 2>&1 &&
		scan devcred:op=sip "$PKI/platform1.key" prime2: >>"$tmp/out" 2>&1 &&
		scan devcred:op=browser "$PKI/platform2.key" priv: >>"$tmp/out" 2>&1 ||
		{ cat "$tmp/out"; return 1; }
	# The search finds the key when it is loaded from its file.
	scan "$PKI/platform1.key" "$PKI/platform1.key" prime1: >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "is in this process's memory" || return 1
	scan "$PKI/platform2.key" "$PKI/platform2.key" priv: >"$tmp/out" 2>&1
	[ $? -eq 1 ] && has "$tmp/out" "is in this process's memory"
}

# The openssl command, which is not built with ASan, with the ASan-built
# module: the sanitizers' runtimes preloaded. env execs openssl, so that a
# server started in the background is the process $! names.
OSSL=(env "LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
	ASAN_OPTIONS=detect_leaks=0 openssl)

# The default provider first: OpenSSL takes the first "EC" keymgmt it finds
# to tell which TLS groups are usable, and with the devcred one first it
# would drop P-256 and P-384 (TLS 1.2 then has no ECDSA). See the admin guide.
PROVIDERS=(-provider default -provider devcred)

# handshakes SERVER-REF CLIENT-REF CLIENT-SLOT : an s_server with
# SERVER-REF's key and certificate that requires a client certificate, and
# s_client with CLIENT-REF's (bound to CLIENT-SLOT), both through the
# provider, in TLS 1.2 and 1.3; each side verifies the other's chain and
# the server sees the client's subject.
handshakes() {
	local port= v i subject

	subject=$(openssl x509 -in "$PKI/$3.pem" -noout -subject | sed 's/^subject=//')
	[ -n "$subject" ] || return 1
	# Port 0: the kernel gives a free one, which the server prints
	# ("ACCEPT 127.0.0.1:PORT"); a port picked here could be taken.
	"${OSSL[@]}" s_server "${PROVIDERS[@]}" -accept 127.0.0.1:0 -cert "devcred:$1" \
		-key "devcred:$1" -Verify 2 -verify_return_error -CAfile "$PKI/other-ca.pem" \
		-naccept 2 -www >"$tmp/server.out" 2>&1 &
	server_pid=$!
	# Listening: up to 30 s on a loaded machine (ASan, two cores shared).
	for i in $(seq 300); do
		port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/server.out")
		[ -n "$port" ] && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "s_server is not listening:"; cat "$tmp/server.out"; return 1; }
	for v in -tls1_2 -tls1_3; do
		echo | "${OSSL[@]}" s_client "${PROVIDERS[@]}" "$v" -connect "127.0.0.1:$port" \
			-cert "devcred:$2" -key "devcred:$2" -CAfile "$PKI/other-ca.pem" \
			-verify_return_error -brief >"$tmp/client.out" 2>&1 &&
			has "$tmp/client.out" "Verification: OK" &&
			has "$tmp/client.out" "Protocol version: TLSv1.${v#-tls1_}" ||
			{
				echo "s_client $v:"; cat "$tmp/client.out"; kill "$server_pid"
				wait "$server_pid"; echo "s_server:"; cat "$tmp/server.out"; return 1
			}
	done
	wait "$server_pid"
	server_pid=
	[ "$(grep -cxF "depth=0 $subject" "$tmp/server.out")" -eq 2 ] ||
		{ echo "the server did not see '$subject' twice:"; cat "$tmp/server.out"; return 1; }
}

t_tls() {
	handshakes op=browser op=sip platform1 && handshakes op=sip op=browser platform2
}

# A program that keeps a key open across devcredd's restart and a rebind
# (test_provider session): "say CMD WANT" sends CMD and checks its answer.
say() {
	local reply

	echo "$1" >&"${SESSION[1]}" || return 1
	read -r -t 30 reply <&"${SESSION[0]}" || { echo "$1: no answer"; return 1; }
	case $reply in
	*"$2"*) ;;
	*) echo "$1: '$reply', not '$2'"; return 1 ;;
	esac
}

t_restart_rebind() {
	local reply

	coproc SESSION { "$T" session devcred:op=sip 2>"$tmp/session.err"; }
	read -r -t 30 reply <&"${SESSION[0]}" && [ "$reply" = opened ] ||
		{ echo "not opened: $reply"; return 1; }
	say sign verified || return 1
	# devcredd gone: a clean error; back: the same handle signs again.
	daemon_stop && say sign "error: devcredd cannot be reached: devcredd is not running" &&
		daemon_start && say sign verified || return 1
	# Rebound: the handle refuses, until the URI is opened again.
	ctl bind sip app1 >/dev/null &&
		say sign "op=sip is bound to app1 now, no longer to platform1" &&
		say open opened && say sign verified || return 1
	ctl bind sip platform1 >/dev/null && say sign "open devcred:op=sip again" || return 1
	exec {SESSION[1]}>&-
	wait "$SESSION_PID" || { cat "$tmp/session.err"; return 1; }
}

# devcredd --no-key-files: no key.pem anywhere under the run folder (the
# key's PEM lines, taken from the key file devcredd published before, found
# nowhere), key.uri in its place, credctl path prints the URI, and the
# provider signs as before.
t_no_key_files() {
	grep -v -- '-----' "$tmp/run/sip/key.pem" >"$tmp/key-lines" &&
		[ "$(wc -l <"$tmp/key-lines")" -ge 10 ] &&
		grep -rqF -f "$tmp/key-lines" "$tmp/run" || { echo "no key file published to search for"; return 1; }
	daemon_stop && daemon_start --no-key-files || return 1
	[ -f "$tmp/run/sip/cert.pem" ] && [ -f "$tmp/run/sip/chain.pem" ] &&
		[ ! -e "$tmp/run/sip/key.pem" ] || { ls -lR "$tmp/run"; return 1; }
	if grep -rlF -f "$tmp/key-lines" "$tmp/run"; then
		echo "the key is still under $tmp/run"
		return 1
	fi
	[ "$(ctl path sip --key)" = devcred:op=sip ] &&
		ctl path browser >"$tmp/out" && has "$tmp/out" "devcred:op=browser" &&
		has "$tmp/out" "/chain.pem" && signs devcred:op=sip 14 || return 1
	"$DEVCREDD" -s "$tmp/other.sock" -K -k users >"$tmp/out" 2>&1
	[ $? -ne 0 ] && has "$tmp/out" "give one of them" || return 1
	daemon_stop && daemon_start
}

# The provider from openssl.cnf, as Documentation/devcred/provider.rst
# shows it: no -provider option, the socket from the provider's section
# (which wins over $DEVCRED_SOCKET, pointed nowhere here).
t_openssl_cnf() {
	local cnf=$tmp/openssl.cnf

	cat >"$cnf" <<EOF
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect

[provider_sect]
default = default_sect
devcred = devcred_sect

[default_sect]
activate = 1

[devcred_sect]
activate = 1
socket = $tmp/sock
EOF
	openssl x509 -in "$PKI/platform2.pem" -noout -pubkey >"$tmp/want.pub" &&
		OPENSSL_CONF=$cnf DEVCRED_SOCKET=$tmp/nowhere "${OSSL[@]}" pkey \
			-in devcred:slot=platform2 -pubout -out "$tmp/got.pub" &&
		cmp "$tmp/want.pub" "$tmp/got.pub" || return 1
	# Without the devcred section, the same command does not know the URI.
	sed -i '/^devcred = /d' "$cnf"
	if OPENSSL_CONF=$cnf "${OSSL[@]}" pkey -in devcred:slot=platform2 -pubout >/dev/null 2>&1; then
		echo "devcred: URIs load without the provider configured"
		return 1
	fi
}

# A socket path longer than a Unix socket's address holds (107 bytes) is
# refused naming the limit, not cut short: its first 107 bytes are another
# path, here a link to devcredd's socket, that the provider must not use.
t_socket_too_long() {
	local dir=$tmp/long short long

	mkdir -p "$dir"
	short=$dir/$(head -c $((107 - ${#dir} - 1)) /dev/zero | tr '\0' s)
	long=${short}-and-more
	[ ${#short} = 107 ] || { echo "a path of ${#short} bytes"; return 1; }
	ln -s "$tmp/sock" "$short"
	DEVCRED_SOCKET=$long "$T" key devcred:op=sip >"$tmp/out" 2>&1
	[ $? = 1 ] && has "$tmp/out" "devcredd's socket path is ${#long} bytes, a Unix socket's at most 107" &&
		! grep -q "loaded a" "$tmp/out" || return 1
	DEVCRED_SOCKET=$short "$T" key devcred:op=sip >"$tmp/out" 2>&1 && has "$tmp/out" "loaded a RSA key"
}

tests=(
	"t_setup:three credentials installed, sip bound to an RSA one, browser to an EC one"
	"t_sign_rsa:RSA 2048 and 3072 keys by URI: PKCS#1 v1.5 and PSS over SHA-256/384/512, verified with the certificate's key"
	"t_sign_ec:EC P-256 keys by URI: ECDSA over SHA-256/384/512, verified with the certificate's key"
	"t_bad_uri:an unknown operation or an empty slot: the key does not load, devcredd's reason given"
	"t_type:;type=key gives the key, ;type=cert no key, another type is refused"
	"t_refused:a user the key access file does not name gets no key (devcredd's reason), one it names signs"
	"t_tls:openssl s_server and s_client, keys through the provider (EC server, RSA client and back): TLS 1.2 and 1.3, mutual"
	"t_restart_rebind:a key kept open: fails cleanly while devcredd is stopped, signs when it is back; after a rebind refuses until opened again"
	"t_no_key_files:devcredd --no-key-files: no key.pem, the key's bytes nowhere under the run folder, credctl path prints the URI, the provider signs"
	"t_no_key_bytes:the private numbers are nowhere in the client's memory after signing (found there from a key file)"
	"t_socket_too_long:a socket path over 107 bytes is refused naming the limit, not cut to another path that answers"
	"t_openssl_cnf:loaded from openssl.cnf (no -provider option), its socket setting used: the key of a slot by URI"
)

run_tests
