#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# credctl's URI module (credctl/fetch.c, ASan/UBSan build) against servers
# on 127.0.0.1 (fetch_server.py: HTTP, HTTPS, TFTP): makes a test CA and a
# server certificate for 127.0.0.1 and a second, unrelated CA, starts the
# servers and runs test_fetch, which prints TAP.
#
#	test_fetch.sh [TEST_FETCH]	(default: ../build/host/test_fetch)
set -u

here=$(cd "$(dirname "$0")" && pwd)
TEST_FETCH=$(realpath "${1:-$here/../../build/host/test_fetch}")
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT

# Both are dependencies (scripts/deps installs them): without them the
# tests cannot run, and that is a failure, not a skip.
for tool in python3 openssl; do
	command -v $tool >/dev/null || { echo "Bail out! $tool is missing (scripts/deps installs it)"; exit 1; }
done

# ca NAME: a self-signed CA, NAME.pem and NAME.key
ca() {
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -subj "/CN=$1" -days 2 \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
		-out "$tmp/$1.pem" 2>/dev/null
}
export OPENSSL_CONF=/dev/null
ca test-ca && ca wrong-ca &&
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/server.key" \
	-subj /CN=127.0.0.1 -out "$tmp/server.csr" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tmp/server.ext" &&
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/test-ca.pem" -CAkey "$tmp/test-ca.key" \
	-CAcreateserial -days 2 -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null ||
	{ echo "Bail out! cannot make the test certificates"; exit 1; }
mkdir -p "$tmp/www/tftp" "$tmp/confdir" "$tmp/empty-confdir"
cp "$tmp/test-ca.pem" "$tmp/confdir/provisioning-ca.pem"
printf 'from tftp\n' >"$tmp/www/tftp/hello.txt"
printf 'from a file\n' >"$tmp/local.txt"

python3 "$here/fetch_server.py" "$tmp/www" "$tmp/server.pem" "$tmp/server.key" \
	"$tmp/ports" 2>"$tmp/server.err" &
server=$!
for _ in $(seq 600); do	# 30 s: Python on a loaded machine
	[ -s "$tmp/ports" ] && break
	sleep 0.05
done
[ -s "$tmp/ports" ] || { echo "Bail out! the test servers did not start"; cat "$tmp/server.err"; exit 1; }
read -r http https tftp <"$tmp/ports"

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
FETCH_HTTP=http://127.0.0.1:$http FETCH_HTTPS=https://127.0.0.1:$https \
FETCH_HTTPS_PORT=$https FETCH_TFTP=tftp://127.0.0.1:$tftp FETCH_DIR=$tmp \
	"$TEST_FETCH"
