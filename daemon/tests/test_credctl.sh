#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# credctl (host build) against a fake devcredd: usage errors and help, which
# need no daemon; the request credctl sends for each command (verb,
# arguments, flags, input bytes, passphrase without its newline, source);
# the answer printed verbatim with the daemon's exit status; input limits;
# a daemon that is not running or answers badly; inputs from URIs (file://,
# http:// on 127.0.0.1) and apply; csr's files (modes, never over a key) and
# uploads; path, which needs no daemon. TAP on stdout.
#
#	test_credctl.sh [CREDCTL]	(default: ../build/host/credctl)
set -u

CREDCTL=$(realpath "${1:-$(dirname "$0")/../../build/host/credctl}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DEVCRED_SOCKET=$tmp/devcredd.sock
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

n=0
failed=0

# ok DESCRIPTION COMMAND... : one test point from COMMAND's status; 77
# skips it, the output's last line saying why
ok() {
	local desc=$1 out rc

	shift
	n=$((n + 1))
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok $n - $desc"
	elif [ $rc -eq 77 ]; then
		echo "ok $n - $desc # SKIP ${out##*$'\n'}"
	else
		echo "not ok $n - $desc"
		printf '%s\n' "$out" | sed 's/^/# /'
		failed=1
	fi
}

# The fake daemon: serves one connection on $DEVCRED_SOCKET, stores what
# it got in $tmp/req/{verb,arg1,arg2,flags,cert,key,passphrase,source,
# key_type,keep_key,cn,org,email,country,state,san} and answers as MODE says:
# "answer STATUS STDOUT STDERR", "garbage", "close", "version" (a response
# of protocol version 2), "csr STDOUT NAME CSR [KEY]" (status 0, the csr
# fields). FAKE_DELAY=SECONDS answers that much later.
cat >"$tmp/fake.py" <<'EOF'
import os, socket, struct, sys, time

path, outdir, mode = sys.argv[1], sys.argv[2], sys.argv[3]
names = {1: "verb", 2: "arg1", 3: "arg2", 4: "flags", 5: "cert", 6: "key",
         7: "passphrase", 8: "source", 9: "key_type", 10: "keep_key", 11: "cn",
         12: "org", 13: "email", 14: "country", 15: "state", 33: "san"}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path + ".new")
s.listen(1)
os.rename(path + ".new", path)
s.settimeout(20)
c, _ = s.accept()
c.settimeout(20)

def readn(n):
    b = b""
    while len(b) < n:
        more = c.recv(n - len(b))
        if not more:
            sys.exit("short request")
        b += more
    return b

magic, version, length = struct.unpack("<III", readn(12))
body = readn(length)
os.mkdir(outdir)
off = 0
while off < len(body):
    t, _, l = struct.unpack_from("<HHI", body, off)
    off += 8
    value = body[off:off + l]
    off += l
    if t == 4:
        value = b"%d" % struct.unpack("<I", value)
    with open(os.path.join(outdir, names.get(t, "unknown%d" % t)), "wb") as f:
        f.write(value)

def field(t, v):
    return struct.pack("<HHI", t, 0, len(v)) + v

def response(version, status, out, err, extra=b""):
    fields = field(16, struct.pack("<I", status)) + field(17, out) + field(18, err) + extra
    return struct.pack("<III", 0x53524344, version, len(fields)) + fields

# FAKE_DELAY: seconds devcredd "computes" before it answers.
time.sleep(float(os.environ.get("FAKE_DELAY", "0")))
if mode == "garbage":
    c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
elif mode == "version":
    c.sendall(response(2, 0, b"", b""))
elif mode == "answer":
    status, out, err = int(sys.argv[4]), sys.argv[5].encode(), sys.argv[6].encode()
    c.sendall(response(1, status, out.decode("unicode_escape").encode("latin-1"),
                       err.decode("unicode_escape").encode("latin-1")))
elif mode == "csr":
    extra = field(21, sys.argv[5].encode()) + field(19, sys.argv[6].encode())
    if len(sys.argv) > 7:
        extra += field(20, sys.argv[7].encode())
    c.sendall(response(1, 0, sys.argv[4].encode(), b"", extra))
c.close()
EOF

# serve MODE ARGS... : starts the fake daemon and waits for its socket.
serve() {
	local i

	rm -rf "$tmp/req" "$DEVCRED_SOCKET"
	python3 "$tmp/fake.py" "$DEVCRED_SOCKET" "$tmp/req" "$@" 2>"$tmp/fake.err" &
	fake=$!
	for i in $(seq 600); do	# 30 s: Python on a loaded machine
		[ -S "$DEVCRED_SOCKET" ] && return 0
		sleep 0.05
	done
	echo "fake devcredd did not start"; cat "$tmp/fake.err"
	return 1
}

# run EXPECTED-STATUS CREDCTL-ARGS... : credctl's stdout, stderr and status
# in $tmp/out, $tmp/err; fails on another status.
run() {
	local want=$1 rc

	shift
	"$CREDCTL" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
	rc=$?
	[ -n "${fake:-}" ] && wait "$fake" 2>/dev/null
	fake=
	if [ "$rc" != "$want" ]; then
		echo "credctl $*: status $rc, expected $want"
		cat "$tmp/out" "$tmp/err"
		return 1
	fi
}

# has FILE TEXT : FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1" || { echo "$1 lacks '$2':"; cat "$1"; return 1; }
}

# field NAME VALUE : the fake daemon got VALUE in field NAME.
field() {
	[ "$(cat "$tmp/req/$1" 2>/dev/null)" = "$2" ] ||
		{ echo "field $1: '$(cat "$tmp/req/$1" 2>/dev/null)', expected '$2'"; return 1; }
}

# Inputs.
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$tmp/cert.pem"
printf -- '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' >"$tmp/key.pem"
cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/bundle.pem"
printf 'secret\r\n' >"$tmp/pass-crlf"
printf 'two\n\n' >"$tmp/pass-2nl"
printf 'bare' >"$tmp/pass-bare"
head -c 262144 /dev/zero | tr '\0' 'A' >"$tmp/max"
head -c 262145 /dev/zero | tr '\0' 'A' >"$tmp/over"
: >"$tmp/empty"

t_no_args() {
	run 2 && has "$tmp/err" "missing command" && has "$tmp/err" "Try 'credctl --help'"
}
t_help() {
	local v

	run 0 --help || return 1
	for v in status list show install remove export bind bindings factory-install; do
		grep -q "^  $v " "$tmp/out" || { echo "--help lacks $v"; return 1; }
	done
	[ ! -s "$tmp/err" ]
}
# --version: the package's version (dkms.conf) and the protocol's.
t_version() {
	local ver

	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$(dirname "$0")/../../dkms.conf")
	[ -n "$ver" ] || { echo "no PACKAGE_VERSION in dkms.conf"; return 1; }
	run 0 --version && [ "$(cat "$tmp/out")" = "credctl (devcred) $ver, devcredd protocol 1" ] ||
		{ echo "got: $(cat "$tmp/out" "$tmp/err")"; return 1; }
	run 0 --help && has "$tmp/out" "'credctl --version'"
}
t_command_help() {
	run 0 install --help && has "$tmp/out" "Usage: credctl install SLOT" &&
		has "$tmp/out" "--passphrase-file F" && has "$tmp/out" "--force" &&
		run 0 bind -h && has "$tmp/out" "OPERATION: 802.1x, syslog" &&
		run 0 export app1 --help && has "$tmp/out" "--chain"
}
t_unknown_command() {
	run 2 frobnicate && has "$tmp/err" "unknown command 'frobnicate'" &&
		has "$tmp/err" "Try 'credctl --help'"
}
t_bad_slot() {
	run 2 show app7 && has "$tmp/err" "unknown slot 'app7'; slots are builtin, platform1" &&
		has "$tmp/err" "Try 'credctl show --help'" &&
		run 2 install nowhere --cert "$tmp/cert.pem"
}
t_bad_operation() {
	run 2 bind 802.11 platform1 &&
		has "$tmp/err" "unknown operation '802.11'; operations are 802.1x, syslog" &&
		has "$tmp/err" "Try 'credctl bind --help'"
}
t_arg_count() {
	run 2 show && has "$tmp/err" "missing SLOT" &&
		run 2 bind sip && has "$tmp/err" "missing SLOT" &&
		run 2 list extra && has "$tmp/err" "unexpected argument 'extra'" &&
		run 2 remove app1 app2 && has "$tmp/err" "Try 'credctl remove --help'"
}
t_bad_options() {
	run 2 status --bogus && has "$tmp/err" "unknown or ambiguous option '--bogus'" &&
		run 2 show app1 --chain && has "$tmp/err" "its options are --json" &&
		run 2 install app1 --cert && has "$tmp/err" "'--cert' needs an argument" &&
		run 2 list --json=yes && has "$tmp/err" "takes no argument" &&
		run 2 install app1 --cert a --cert b && has "$tmp/err" "given twice"
}
t_install_combinations() {
	run 2 install app1 && has "$tmp/err" "either --bundle FILE or --cert FILE" &&
		run 2 install app1 --bundle a --cert b && has "$tmp/err" "not both" &&
		run 2 install app1 --bundle a --key b &&
		run 2 factory-install --cert a && has "$tmp/err" "--cert FILE and --key FILE" &&
		run 2 install app1 --cert - --key - && has "$tmp/err" "only one input may be -"
}
t_not_running() {
	rm -f "$DEVCRED_SOCKET"
	run 1 status &&
		has "$tmp/err" "credctl: devcredd is not running (cannot connect to $DEVCRED_SOCKET: No such file or directory)" &&
		[ "$(wc -l <"$tmp/err")" -eq 1 ]
}
t_refused() {
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$DEVCRED_SOCKET" &&
		run 1 list && has "$tmp/err" "devcredd is not running" &&
		has "$tmp/err" "Connection refused"
}
t_status() {
	serve answer 0 'Device Certificate: Self-signed\n' '' && run 0 status &&
		field verb status && field flags 0 && [ ! -e "$tmp/req/arg1" ] &&
		[ "$(cat "$tmp/out")" = "Device Certificate: Self-signed" ] && [ ! -s "$tmp/err" ]
}
t_show_json() {
	serve answer 0 '{"slot": "app1"}\n' '' && run 0 show app1 --json &&
		field verb show && field arg1 app1 && field flags 1 && has "$tmp/out" '{"slot": "app1"}'
}
t_export_chain() {
	serve answer 0 '' '' && run 0 export platform2 --chain && field flags 4 &&
		field arg1 platform2
}
t_bind() {
	serve answer 0 'sip now uses app1\n' '' && run 0 bind sip app1 &&
		field verb bind && field arg1 sip && field arg2 app1 && has "$tmp/out" "sip now uses app1"
}
t_install_cert_key() {
	serve answer 0 'platform1: installed\n' '' &&
		run 0 install platform1 --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
			--passphrase-file "$tmp/pass-crlf" --force &&
		field verb install && field arg1 platform1 && field flags 2 &&
		cmp "$tmp/req/cert" "$tmp/cert.pem" && cmp "$tmp/req/key" "$tmp/key.pem" &&
		field passphrase secret && has "$tmp/req/source" "cert.pem" &&
		has "$tmp/req/source" "key.pem"
}
t_install_bundle_stdin() {
	serve answer 0 '' '' && STDIN=$tmp/bundle.pem run 0 install app1 --bundle - &&
		field flags 8 && cmp "$tmp/req/cert" "$tmp/bundle.pem" && [ ! -e "$tmp/req/key" ] &&
		field source stdin
}
t_passphrase_one_newline() {
	serve answer 0 '' '' &&
		run 0 install app2 --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
			--passphrase-file "$tmp/pass-2nl" &&
		[ "$(od -An -c "$tmp/req/passphrase" | tr -d ' ')" = 'two\n' ] &&
		serve answer 0 '' '' &&
		STDIN=$tmp/pass-bare run 0 install app2 --cert "$tmp/cert.pem" \
			--key "$tmp/key.pem" --passphrase-file - &&
		field passphrase bare
}
t_factory_install() {
	serve answer 0 '' '' &&
		run 0 factory-install --cert "$tmp/cert.pem" --key "$tmp/key.pem" &&
		field verb factory-install && cmp "$tmp/req/cert" "$tmp/cert.pem" &&
		cmp "$tmp/req/key" "$tmp/key.pem"
}
t_size_limit() {
	rm -f "$DEVCRED_SOCKET"
	run 1 install app1 --cert "$tmp/over" --key "$tmp/key.pem" &&
		has "$tmp/err" "credctl: $tmp/over: larger than 262144 bytes" &&
		STDIN=$tmp/over run 1 install app1 --cert "$tmp/cert.pem" --key - &&
		has "$tmp/err" "standard input: larger than 262144 bytes" &&
		serve answer 0 '' '' && run 0 install app1 --cert "$tmp/max" --key "$tmp/key.pem" &&
		cmp "$tmp/req/cert" "$tmp/max"
}
t_read_errors() {
	rm -f "$DEVCRED_SOCKET"
	run 1 install app1 --cert "$tmp/nonexistent" &&
		has "$tmp/err" "credctl: $tmp/nonexistent: No such file or directory" &&
		run 1 install app1 --cert "$tmp" && has "$tmp/err" "Is a directory" &&
		run 1 install app1 --cert "$tmp/empty" && has "$tmp/err" "empty"
}
t_refusal_verbatim() {
	serve answer 1 '' 'credctl: app3: the certificate expired on 2020-01-01\n' &&
		run 1 install app3 --cert "$tmp/cert.pem" --key "$tmp/key.pem" &&
		[ "$(cat "$tmp/err")" = "credctl: app3: the certificate expired on 2020-01-01" ] &&
		[ ! -s "$tmp/out" ]
}
t_status_2_and_clamp() {
	serve answer 2 '' 'usage\n' && run 2 list &&
		serve answer 7 'partial\n' 'odd\n' && run 1 list &&
		[ "$(cat "$tmp/out")" = partial ] && [ "$(cat "$tmp/err")" = odd ]
}
t_garbage_answer() {
	serve garbage && run 1 status && has "$tmp/err" "credctl: bad answer from devcredd: "
}
t_closed_without_answer() {
	serve close && run 1 status && has "$tmp/err" "credctl: bad answer from devcredd: " &&
		has "$tmp/err" "closed the connection"
}
t_wrong_version() {
	serve version && run 1 status && has "$tmp/err" "bad answer from devcredd: unsupported protocol version"
}

# URIs: fetch_server.py (HTTP, HTTPS with a self-signed 127.0.0.1
# certificate, PUT into $tmp/www/upload) on free ports of 127.0.0.1.
server=
start_servers() {
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/srv.key" -subj /CN=127.0.0.1 -days 2 -addext subjectAltName=IP:127.0.0.1 \
		-out "$tmp/srv.pem" 2>/dev/null || return 1
	python3 "$(dirname "$0")/fetch_server.py" "$tmp/www" "$tmp/srv.pem" "$tmp/srv.key" \
		"$tmp/ports" 2>"$tmp/server.err" &
	server=$!
	for _ in $(seq 600); do	# 30 s: Python on a loaded machine
		[ -s "$tmp/ports" ] && break
		sleep 0.05
	done
	read -r HTTP_PORT HTTPS_PORT _ <"$tmp/ports"
	HTTP=http://127.0.0.1:$HTTP_PORT
	HTTPS=https://127.0.0.1:$HTTPS_PORT
}
printf '<config device.set="1"/>\n' >"$tmp/cfg.xml"
mkdir -p "$tmp/no-confdir"
export DEVCRED_CONFDIR=$tmp/no-confdir	# no provisioning CA: the system's bundle

t_help_new_commands() {
	local v

	run 0 --help || return 1
	for v in apply csr path; do
		grep -q "^  $v " "$tmp/out" || { echo "--help lacks $v"; return 1; }
	done
	has "$tmp/out" "or a URI: http://" &&
		run 0 csr --help && has "$tmp/out" "Usage: credctl csr --cn CN" &&
		has "$tmp/out" "--keep-key SLOT" && has "$tmp/out" "--key-type TYPE" && has "$tmp/out" "rsa2048 (default), rsa3072 or ec-p256" &&
		[ "$(awk 'length > 80' "$tmp/out" | wc -l)" -eq 0 ] &&
		run 0 path --help && has "$tmp/out" "--chain" && has "$tmp/out" "OPERATION: 802.1x" &&
		run 0 apply --help && has "$tmp/out" "--cacert FILE" && has "$tmp/out" "--timeout SECONDS"
}
t_apply_file() {
	serve answer 0 'platform1: installed\n' '' && run 0 apply "$tmp/cfg.xml" &&
		field verb apply && cmp "$tmp/req/cert" "$tmp/cfg.xml" && field source "$tmp/cfg.xml" &&
		[ ! -e "$tmp/req/arg1" ] && has "$tmp/out" "platform1: installed" &&
		run 2 apply && has "$tmp/err" "missing FILE|URI"
}
t_apply_file_uri() {
	serve answer 0 '' '' && run 0 apply "file://$tmp/cfg.xml" &&
		cmp "$tmp/req/cert" "$tmp/cfg.xml" && field source "file://$tmp/cfg.xml"
}
t_apply_http() {
	serve answer 0 '' '' && run 0 apply "$HTTP/ok" && field verb apply &&
		[ "$(cat "$tmp/req/cert")" = hello ] && field source "$HTTP/ok"
}
# libcurl is opened for URIs only: commands on files do not pay for loading it.
t_curl_on_demand() {
	serve answer 0 '' '' && LD_DEBUG=libs run 0 apply "$tmp/cfg.xml" &&
		! grep -q libcurl "$tmp/err" &&
		serve answer 0 '' '' && LD_DEBUG=libs run 0 apply "file://$tmp/cfg.xml" &&
		grep -q 'find library=libcurl.so.4' "$tmp/err"
}
# Without libcurl (hidden in a mount namespace): a URI fails saying what is
# missing, files work as before.
t_no_libcurl() {
	local lib

	lib=$(ldconfig -p | awk '$1 == "libcurl.so.4" { print $NF; exit }')
	if [ "$(id -u)" != 0 ] || [ -z "$lib" ] || ! unshare -m true 2>/dev/null; then
		echo "needs root, unshare and an installed libcurl.so.4"
		return 77
	fi
	rm -f "$DEVCRED_SOCKET"
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' - "$lib" \
		"$CREDCTL" apply "$HTTP/ok" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] &&
		grep -q "^credctl: $HTTP/ok: URIs need libcurl: .*libcurl.so.4" "$tmp/err" || {
		cat "$tmp/err"
		return 1
	}
	# No parser to take a password out: the scheme alone is shown.
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' - "$lib" \
		"$CREDCTL" apply "http://u:s3cret@127.0.0.1:$HTTP_PORT/ok" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q "^credctl: http://\.\.\.: URIs need libcurl" "$tmp/err" &&
		! grep -q s3cret "$tmp/err" || {
		cat "$tmp/err"
		return 1
	}
	# csr checks --upload before asking for a key: the same reason.
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' - "$lib" \
		"$CREDCTL" csr --cn x --out "$tmp" --upload "$HTTP/upload/" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q "^credctl: csr --upload: URIs need libcurl" "$tmp/err" || {
		cat "$tmp/err"
		return 1
	}
	serve answer 0 '' '' &&
		unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' - "$lib" \
			"$CREDCTL" apply "$tmp/cfg.xml" >"$tmp/out" 2>"$tmp/err" &&
		wait "$fake" && fake= && cmp "$tmp/req/cert" "$tmp/cfg.xml"
}
# URI failures: one line naming the URI and why, exit 1, devcredd never asked.
t_uri_errors() {
	rm -f "$DEVCRED_SOCKET"
	run 1 apply "$HTTP/status/404" &&
		[ "$(cat "$tmp/err")" = "credctl: $HTTP/status/404: the server answered HTTP status 404" ] &&
		run 1 install app1 --cert "$HTTP/big" --key "$tmp/key.pem" &&
		[ "$(cat "$tmp/err")" = "credctl: $HTTP/big: larger than 262144 bytes" ] &&
		run 1 apply ftp://127.0.0.1/cfg.xml &&
		has "$tmp/err" "credctl: ftp://127.0.0.1/cfg.xml: unsupported scheme 'ftp'; credctl fetches http, https, tftp and file URIs" &&
		run 1 apply "file://$tmp/none.xml" && has "$tmp/err" "credctl: file://$tmp/none.xml: " &&
		run 1 apply "$HTTP/empty" && has "$tmp/err" "$HTTP/empty: empty" &&
		! grep -q devcredd "$tmp/err"
}
t_uri_password_hidden() {
	local uri=http://user:s3cret@127.0.0.1:$HTTP_PORT

	serve answer 0 '' '' && run 0 install app1 --cert "$uri/ok" --key "file://$tmp/key.pem" &&
		[ "$(cat "$tmp/req/cert")" = hello ] && cmp "$tmp/req/key" "$tmp/key.pem" &&
		! grep -q s3cret "$tmp/req/source" && has "$tmp/req/source" "user@127.0.0.1" &&
		has "$tmp/req/source" ", file://$tmp/key.pem" &&
		rm -f "$DEVCRED_SOCKET" && run 1 apply "$uri/status/403" && ! grep -q s3cret "$tmp/err" &&
		has "$tmp/err" "HTTP status 403"
}
t_timeout_option() {
	run 2 apply --timeout 0 "$HTTP/ok" && has "$tmp/err" "--timeout takes whole seconds from 1 to" &&
		run 2 apply --timeout 5s "$HTTP/ok" && run 2 status --timeout 5 &&
		rm -f "$DEVCRED_SOCKET" && run 1 apply --timeout 1 "$HTTP/slow" &&
		has "$tmp/err" "credctl: $HTTP/slow: " && has "$tmp/err" "timed out"
}
t_cacert_option() {
	rm -f "$DEVCRED_SOCKET"
	run 1 apply --no-client-cert "$HTTPS/ok" && has "$tmp/err" "credctl: $HTTPS/ok: " &&
		has "$tmp/err" "certificate" &&
		serve answer 0 '' '' && run 0 apply --no-client-cert --cacert "$tmp/srv.pem" "$HTTPS/ok" &&
		[ "$(cat "$tmp/req/cert")" = hello ] &&
		mkdir -p "$tmp/confdir" && cp "$tmp/srv.pem" "$tmp/confdir/provisioning-ca.pem" &&
		serve answer 0 '' '' && DEVCRED_CONFDIR=$tmp/confdir run 0 apply --no-client-cert "$HTTPS/ok"
}
t_csr_usage() {
	run 2 csr && has "$tmp/err" "needs --cn CN" &&
		run 2 csr --cn x --key-type rsa1024 && has "$tmp/err" "unknown key type 'rsa1024'; key types are rsa2048, rsa3072, ec-p256" &&
		run 2 csr --cn x --key rsa1024 && has "$tmp/err" "unknown key type 'rsa1024'" &&
		run 2 csr --cn x --key ec-p256 --key-type ec-p256 &&
		has "$tmp/err" "'--key-type' given twice (--key is its older spelling)" &&
		run 2 csr --cn x --keep-key app7 && has "$tmp/err" "unknown slot 'app7'" &&
		run 2 csr --cn x --upload "$HTTPS/upload/x.csr" --upload-key && has "$tmp/err" "must end with /" &&
		run 2 csr --cn x --upload ftp://127.0.0.1/ && has "$tmp/err" "--upload takes an http://, https:// or tftp:// URL" &&
		run 2 csr --cn '' && has "$tmp/err" "--cn is empty" &&
		run 2 csr --cn "$(printf 'a\tb')" && has "$tmp/err" "control characters" &&
		run 2 csr --cn "$(head -c 129 /dev/zero | tr '\0' c)" && has "$tmp/err" "the limit is 128" &&
		run 2 csr --cn x --san "DNS:$(head -c 509 /dev/zero | tr '\0' d)" &&
		has "$tmp/err" "--san is 513 bytes long; the limit is 512" &&
		run 2 csr --cn x extra && has "$tmp/err" "unexpected argument 'extra'" &&
		run 2 csr --cn x --json && has "$tmp/err" "'--json' is not an option of csr"
}
CSR_PEM='-----BEGIN CERTIFICATE REQUEST-----
MIIB
-----END CERTIFICATE REQUEST-----'
KEY_PEM='-----BEGIN PRIVATE KEY-----
MIIE
-----END PRIVATE KEY-----'
t_csr_files() {
	local d=$tmp/csr-files

	rm -rf "$d" && mkdir "$d" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 0 csr --cn phone.example --org 'Example Org' --email ops@example.com --country US \
			--state Bayern --san DNS:phone.example,IP:192.0.2.1 --key-type ec-p256 --out "$d" &&
		field verb csr && field cn phone.example && field org 'Example Org' &&
		field san DNS:phone.example,IP:192.0.2.1 &&
		field email ops@example.com && field country US && field state Bayern &&
		field key_type ec-p256 && [ ! -e "$tmp/req/keep_key" ] &&
		[ "$(cat "$d/525400123456.csr")" = "$CSR_PEM" ] &&
		[ "$(cat "$d/525400123456-private.key")" = "$KEY_PEM" ] &&
		[ "$(stat -c %a "$d/525400123456.csr")" = 644 ] &&
		[ "$(stat -c %a "$d/525400123456-private.key")" = 600 ] &&
		[ "$(ls -A "$d" | wc -l)" -eq 2 ] &&
		has "$tmp/out" "wrote $d/525400123456.csr" &&
		has "$tmp/out" "wrote $d/525400123456-private.key"
}
t_csr_default_out() {
	local d=$tmp/csr-cwd

	rm -rf "$d" && mkdir "$d" && serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		(cd "$d" && run 0 csr --cn x) && [ -f "$d/525400123456.csr" ] &&
		[ -f "$d/525400123456-private.key" ] && field cn x && [ ! -e "$tmp/req/key_type" ] &&
		rm -f "$d"/* && serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 0 csr --cn x --key rsa3072 --out "$d" && field key_type rsa3072
}
# While devcredd makes the key: what it does and a dot a second on a
# terminal (script(1) gives credctl one); nothing on a file.
t_csr_progress() {
	local d=$tmp/csr-progress

	rm -rf "$d" && mkdir "$d" &&
		FAKE_DELAY=3.5 serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		script -qec "'$CREDCTL' csr --cn x --key-type rsa3072 --out '$d'" /dev/null \
			</dev/null >"$tmp/tty.out" 2>&1 || { cat "$tmp/tty.out"; return 1; }
	wait "$fake"
	fake=
	grep -q 'credctl: making an rsa3072 key in devcredd\.\.' "$tmp/tty.out" ||
		{ echo "no progress on the terminal:"; cat "$tmp/tty.out"; return 1; }
	rm -f "$d"/* && FAKE_DELAY=1.5 serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 0 csr --cn x --out "$d" && [ ! -s "$tmp/err" ] ||
		{ echo "standard error, not a terminal:"; cat "$tmp/err"; return 1; }
}
t_csr_keep_key() {
	local d=$tmp/csr-keep

	rm -rf "$d" && mkdir "$d" && printf old >"$d/525400123456.csr" &&
		chmod 600 "$d/525400123456.csr" &&
		serve csr 'platform2: the new key is kept\n' 525400123456 "$CSR_PEM" &&
		run 0 csr --cn x --keep-key platform2 --out "$d" && field keep_key platform2 &&
		[ "$(cat "$d/525400123456.csr")" = "$CSR_PEM" ] &&
		[ "$(stat -c %a "$d/525400123456.csr")" = 644 ] &&
		[ ! -e "$d/525400123456-private.key" ] && [ "$(ls -A "$d" | wc -l)" -eq 1 ] &&
		has "$tmp/out" "platform2: the new key is kept"
}
# An existing key file, or a link where it would go: refused, nothing written.
t_csr_never_over_key() {
	local d=$tmp/csr-excl

	rm -rf "$d" && mkdir "$d" && printf 'old key' >"$d/525400123456-private.key" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 1 csr --cn x --out "$d" &&
		has "$tmp/err" "$d/525400123456-private.key exists; not overwriting a private key" &&
		[ "$(cat "$d/525400123456-private.key")" = 'old key' ] &&
		[ ! -e "$d/525400123456.csr" ] &&
		rm "$d/525400123456-private.key" && ln -s "$tmp/victim" "$d/525400123456-private.key" &&
		printf victim >"$tmp/victim" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" && run 1 csr --cn x --out "$d" &&
		[ "$(cat "$tmp/victim")" = victim ] && [ ! -e "$d/525400123456.csr" ]
}
t_csr_bad_answer() {
	local d=$tmp/csr-bad

	rm -rf "$d" && mkdir "$d" &&
		serve csr '' ../525400123456 "$CSR_PEM" "$KEY_PEM" && run 1 csr --cn x --out "$d" &&
		has "$tmp/err" "bad answer from devcredd: the file name is not a MAC address" &&
		serve csr '' 525400123456 "$CSR_PEM" && run 1 csr --cn x --out "$d" &&
		has "$tmp/err" "bad answer from devcredd: no private key in it" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 1 csr --cn x --keep-key app1 --out "$d" &&
		has "$tmp/err" "a private key in it, though the device was to keep it" &&
		[ "$(ls -A "$d" | wc -l)" -eq 0 ]
}
t_csr_refused() {
	local d=$tmp/csr-refused

	rm -rf "$d" && mkdir "$d" &&
		serve answer 1 '' "credctl: --country 'USA': give the two-letter country code\n" &&
		run 1 csr --cn x --country USA --out "$d" && field country USA &&
		[ "$(cat "$tmp/err")" = "credctl: --country 'USA': give the two-letter country code" ] &&
		[ "$(ls -A "$d" | wc -l)" -eq 0 ] &&
		rm -f "$DEVCRED_SOCKET" && run 1 csr --cn x --out "$tmp/no-such-dir" &&
		[ "$(cat "$tmp/err")" = "credctl: --out $tmp/no-such-dir: No such file or directory" ]
}
t_csr_upload() {
	local d=$tmp/csr-upload

	rm -rf "$d" "$tmp/www/upload"/* && mkdir "$d" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 0 csr --cn x --out "$d" --upload "$HTTPS/upload/" --upload-key --cacert "$tmp/srv.pem" --no-client-cert &&
		cmp "$d/525400123456.csr" "$tmp/www/upload/525400123456.csr" &&
		cmp "$d/525400123456-private.key" "$tmp/www/upload/525400123456-private.key" &&
		has "$tmp/out" "uploaded $d/525400123456.csr to $HTTPS/upload/525400123456.csr" &&
		rm -f "$d"/* && serve csr '' 525400123456 "$CSR_PEM" &&
		run 0 csr --cn x --out "$d" --keep-key platform1 --upload "$HTTP/upload/mine.csr" &&
		cmp "$d/525400123456.csr" "$tmp/www/upload/mine.csr" &&
		rm -f "$d"/* && serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 1 csr --cn x --out "$d" --upload "$HTTP/forbidden/" &&
		has "$tmp/err" "credctl: $HTTP/forbidden/525400123456.csr: the server answered HTTP status 403 ($d/525400123456.csr is written all the same)" &&
		[ -f "$d/525400123456.csr" ] && [ -f "$d/525400123456-private.key" ]
}
t_path() {
	local r=$tmp/run

	rm -f "$DEVCRED_SOCKET"
	mkdir -p "$r/sip" && touch "$r/sip/cert.pem" "$r/sip/chain.pem" "$r/sip/key.pem" &&
		DEVCRED_RUN_DIR=$r run 0 path sip &&
		[ "$(cat "$tmp/out")" = "$(printf '%s\n' "$r/sip/cert.pem" "$r/sip/chain.pem" "$r/sip/key.pem")" ] &&
		DEVCRED_RUN_DIR=$r run 0 path sip --key && [ "$(cat "$tmp/out")" = "$r/sip/key.pem" ] &&
		DEVCRED_RUN_DIR=$r run 0 path sip --chain --cert &&
		[ "$(cat "$tmp/out")" = "$(printf '%s\n' "$r/sip/cert.pem" "$r/sip/chain.pem")" ] &&
		DEVCRED_RUN_DIR=$r run 1 path ldap &&
		[ "$(cat "$tmp/err")" = "credctl: ldap: no credential published at $r/ldap (its slot is empty, or devcredd is not running)" ] &&
		[ ! -s "$tmp/out" ] &&
		rm "$r/sip/key.pem" && DEVCRED_RUN_DIR=$r run 1 path sip && [ ! -s "$tmp/out" ] &&
		DEVCRED_RUN_DIR=$r run 0 path sip --cert &&
		run 2 path voip && has "$tmp/err" "unknown operation 'voip'" &&
		run 2 path && has "$tmp/err" "missing OPERATION" &&
		run 2 path sip --key=x && has "$tmp/err" "'--key' takes no argument" &&
		run 1 path sip && has "$tmp/err" "at /run/devcred/sip"
}
# factory-expected is compiled in when credctl/factory_expected.c is there.
# csr --upload sends the CSR alone; the private key only with --upload-key,
# and only over https (refused before devcredd is asked for anything).
t_csr_upload_key() {
	local d=$tmp/csr-upload-key

	rm -rf "$d" "$tmp/www/upload"/* && mkdir "$d" &&
		serve csr '' 525400123456 "$CSR_PEM" "$KEY_PEM" &&
		run 0 csr --cn x --out "$d" --upload "$HTTPS/upload/" --cacert "$tmp/srv.pem" --no-client-cert &&
		cmp "$d/525400123456.csr" "$tmp/www/upload/525400123456.csr" &&
		[ -f "$d/525400123456-private.key" ] &&
		[ ! -e "$tmp/www/upload/525400123456-private.key" ] ||
		{ echo "the key was uploaded without --upload-key"; return 1; }
	has "$tmp/out" "the private key stays in $d/525400123456-private.key" || return 1
	rm -f "$DEVCRED_SOCKET"
	run 2 csr --cn x --out "$d" --upload "$HTTP/upload/" --upload-key &&
		has "$tmp/err" "--upload-key sends the private key, which goes over https only" &&
		has "$tmp/err" "--keep-key SLOT" &&
		run 2 csr --cn x --out "$d" --upload "tftp://127.0.0.1:1/" --upload-key &&
		run 2 csr --cn x --out "$d" --upload-key && has "$tmp/err" "--upload-key goes with --upload" &&
		run 2 csr --cn x --out "$d" --keep-key app1 --upload "$HTTPS/upload/" --upload-key &&
		has "$tmp/err" "there is none to upload" &&
		[ ! -e "$tmp/www/upload/525400123456-private.key" ]
}
# path prints the directory the OP link names now, so that a program opening
# the files gets one version's certificate and key.
t_path_resolved() {
	local r=$tmp/run-link

	rm -f "$DEVCRED_SOCKET"
	mkdir -p "$r/.sip-Ab12Cd" && touch "$r/.sip-Ab12Cd/cert.pem" "$r/.sip-Ab12Cd/chain.pem" \
		"$r/.sip-Ab12Cd/key.pem" && ln -sfn .sip-Ab12Cd "$r/sip" &&
		DEVCRED_RUN_DIR=$r run 0 path sip &&
		[ "$(cat "$tmp/out")" = "$(printf '%s\n' "$(realpath "$r")/.sip-Ab12Cd/cert.pem" \
			"$(realpath "$r")/.sip-Ab12Cd/chain.pem" "$(realpath "$r")/.sip-Ab12Cd/key.pem")" ] ||
		{ echo "path printed:"; cat "$tmp/out"; return 1; }
	rm "$r/sip" && DEVCRED_RUN_DIR=$r run 1 path sip &&
		has "$tmp/err" "no credential published at $r/sip"
}
# A URI's query string (a token) stays out of the source devcredd logs and of
# credctl's messages; a password can come from a netrc file instead of the
# command line (--netrc-file).
t_uri_secrets() {
	serve answer 0 '' '' && run 0 apply "$HTTP/ok?token=s3cret" && [ "$(cat "$tmp/req/cert")" = hello ] &&
		! grep -q s3cret "$tmp/req/source" ||
		{ echo "the query string reached the source: $(cat "$tmp/req/source")"; return 1; }
	rm -f "$DEVCRED_SOCKET"
	run 1 apply "$HTTP/status/404?token=s3cret" && ! grep -q s3cret "$tmp/err" ||
		{ echo "the query string reached the message: $(cat "$tmp/err")"; return 1; }
	run 1 apply "$HTTP/auth" && has "$tmp/err" "HTTP status 401" || return 1
	printf 'machine 127.0.0.1 login u password s3cret\n' >"$tmp/netrc" && chmod 600 "$tmp/netrc" &&
		serve answer 0 '' '' && run 0 apply --netrc-file "$tmp/netrc" "$HTTP/auth" &&
		[ "$(cat "$tmp/req/cert")" = hello ] && ! grep -q s3cret "$tmp/req/source" &&
		rm -f "$DEVCRED_SOCKET" && run 1 apply --netrc-file "$tmp/none" "$HTTP/auth" &&
		has "$tmp/err" "--netrc-file $tmp/none"
}
t_factory_expected() {
	run 0 --help || return 1
	grep -q '^  factory-expected ' "$tmp/out" || { echo "not compiled in (no credctl/factory_expected.c)"; return 77; }
	rm -f "$DEVCRED_SOCKET"
	DEVCRED_FACTORY_TABLE=$(dirname "$0")/../../data/factory-certs.tsv \
		run 0 factory-expected 2201-44500-001 B &&
		[ "$(cut -f1 "$tmp/out")" = yes ] &&
		run 2 factory-expected 2201-44500-001 && has "$tmp/err" "missing REVISION"
}

tests=(
	"t_no_args:no arguments: usage error, exit 2"
	"t_help:--help lists every command on stdout, exit 0"
	"t_version:--version: the package's version and the protocol's, exit 0"
	"t_command_help:COMMAND --help and -h show the command's options"
	"t_unknown_command:unknown command: exit 2 with the hint"
	"t_bad_slot:bad SLOT: exit 2, the permitted slots listed"
	"t_bad_operation:bad OPERATION: exit 2, the permitted operations listed"
	"t_arg_count:missing and extra arguments: exit 2"
	"t_bad_options:unknown, foreign, argument-less, repeated options: exit 2"
	"t_install_combinations:install/factory-install input combinations; one stdin"
	"t_not_running:no socket: 'devcredd is not running', exit 1, at once"
	"t_refused:socket without a listener: ECONNREFUSED, exit 1"
	"t_status:status: the request, the answer verbatim"
	"t_show_json:show --json: arg1 and DC_REQ_JSON"
	"t_export_chain:export --chain: DC_REQ_CHAIN"
	"t_bind:bind: operation and slot"
	"t_install_cert_key:install --cert --key --passphrase-file --force: bytes, CRLF dropped"
	"t_install_bundle_stdin:install --bundle -: standard input, DC_REQ_BUNDLE"
	"t_passphrase_one_newline:passphrase loses one newline only; from stdin"
	"t_factory_install:factory-install: cert and key"
	"t_size_limit:inputs over 262144 bytes refused before connecting; 262144 sent"
	"t_read_errors:unreadable, directory, empty inputs: file named, exit 1"
	"t_refusal_verbatim:a refusal: the daemon's message verbatim, exit 1"
	"t_status_2_and_clamp:status 2 passed on; status 7 is exit 1, texts verbatim"
	"t_garbage_answer:a non-protocol answer: 'bad answer', exit 1"
	"t_closed_without_answer:connection closed without an answer: exit 1"
	"t_wrong_version:an answer of another version: exit 1"
	"t_help_new_commands:--help: apply, csr, path; their help (csr's wrapped at 80)"
	"t_apply_file:apply FILE: verb apply, the bytes as DC_F_CERT, the path as source"
	"t_apply_file_uri:apply file://: the bytes, the URI as source"
	"t_apply_http:apply http:// on 127.0.0.1: the body sent"
	"t_curl_on_demand:libcurl is loaded for a URI, not for a file"
	"t_no_libcurl:without libcurl: a URI fails naming it, exit 1; files work"
	"t_uri_errors:404, over 256 KiB, ftp, missing file, empty: the URI and why, exit 1, no daemon"
	"t_uri_password_hidden:a URI's password is neither in the source nor in messages"
	"t_timeout_option:--timeout: bad values exit 2, a slow server 'timed out'"
	"t_cacert_option:https: refused without the CA, --cacert, DEVCRED_CONFDIR/provisioning-ca.pem"
	"t_csr_usage:csr usage errors: --cn, --key-type (and --key, twice), --keep-key, --upload, subject strings, --san over 512 bytes"
	"t_csr_files:csr: request fields (--san too); MAC.csr 0644, MAC-private.key 0600"
	"t_csr_default_out:csr: the current directory by default; no --key-type sends no key type; --key, its older spelling, still sends one"
	"t_csr_progress:csr: progress while devcredd makes the key, on a terminal only"
	"t_csr_keep_key:csr --keep-key: only the CSR, replacing an older one as 0644"
	"t_csr_never_over_key:csr: an existing key file or a link there: refused, nothing written"
	"t_csr_bad_answer:csr: a bad file name, a missing or unwanted key: bad answer, nothing written"
	"t_csr_refused:csr: the daemon's refusal verbatim; a missing --out DIR before asking"
	"t_csr_upload:csr --upload: PUT over https (name appended) and http; 403 keeps the files"
	"t_path:path: every file, one, two; absent: the message, exit 1; usage errors"
	"t_factory_expected:factory-expected PART REVISION: answered locally; usage errors"
	"t_csr_upload_key:csr --upload: the CSR alone; the key only with --upload-key over https"
	"t_uri_secrets:a URI's query string stays out of the source and messages; a password from --netrc-file"
	"t_path_resolved:path: the files in the directory the OP link names now, not through the link"
)

echo "TAP version 13"
echo "1..${#tests[@]}"
# python3 runs the fake devcredd; scripts/deps installs it.
command -v python3 >/dev/null || { echo "Bail out! python3 is missing (scripts/deps installs it)"; exit 1; }
fake=
start_servers || echo "# the URI tests' servers did not start"
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
for t in "${tests[@]}"; do
	ok "${t#*:}" "${t%%:*}"
done
exit $failed
