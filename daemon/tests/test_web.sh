#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred-web on the host (ASan, UBSan), over devcredd and its fake device,
# attacked as a hostile network peer would with curl, openssl s_client and
# raw sockets: the security headers, no default password, login and its
# throttle, the session cookie, CSRF tokens and origins, HTTP Basic for the
# API, oversized and slow requests, refusals that change nothing, markup in
# certificate fields, and the credential bound to browser served from the
# next connection on. TAP on stdout.
#
#	test_web.sh HOST PKI	(HOST: the host build folder with devcredd,
#				credctl and devcred-web; PKI: the certificates
#				of selftests/boot/mkcerts.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# the unprivileged server reaches the socket in it
. "$(dirname "$0")/devcredd_env.sh"
WEB=$HOST/devcred-web
# The server's user: nobody, in the group devcredd trusts (-g, -k).
WEB_UID=65534
web_pid=
www_pid=
trap 'kill $web_pid $www_pid 2>/dev/null; wait $web_pid $www_pid 2>/dev/null; daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# lacks FILE TEXT : FILE does not contain TEXT.
lacks() {
	! grep -qF -- "$2" "$1" || { echo "$1 has '$2':"; grep -F -- "$2" "$1"; return 1; }
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PORT=$(free_port)
BASE=https://127.0.0.1:$PORT
PW=correct-horse-battery
AUTH=admin:$PW

web_start() {
	local i

	: >"$tmp/web.log"
	setpriv --reuid=$WEB_UID --regid=$WEB_UID --groups="$ADMIN_GID" \
		"$WEB" -l 127.0.0.1 -p "$PORT" -s "$tmp/sock" -r "$tmp/run" -c "$tmp/conf" \
		-t "${WEB_TIMEOUT:-30}" -v 3 "$@" 2>>"$tmp/web.log" &
	web_pid=$!
	for i in $(seq 200); do
		grep -q "serving https" "$tmp/web.log" && return 0
		kill -0 "$web_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "devcred-web did not start:"
	cat "$tmp/web.log"
	return 1
}

web_stop() {
	kill -TERM "$web_pid" 2>/dev/null
	wait "$web_pid"
	local rc=$?
	web_pid=
	return $rc
}

# w ARGS... : curl to the server, which must prove itself with the test CA;
# headers in $tmp/h, body in $tmp/b, the status on stdout.
w() {
	curl -sS --max-time 30 --cacert "$PKI/test-ca.pem" -D "$tmp/h" -o "$tmp/b" \
		-w '%{http_code}' "$@"
}

# code WANT ARGS... : w ARGS answers WANT.
code() {
	local want=$1 got

	shift
	got=$(w "$@") || { echo "curl $*: failed"; return 1; }
	[ "$got" = "$want" ] || { echo "curl $*: $got, not $want"; cat "$tmp/h"; head -c 2000 "$tmp/b"; return 1; }
}

# The password file as 'credctl web-password' writes it, for the server's group.
set_password() {
	printf '%s\n' "$1" | ctl web-password >/dev/null &&
		chgrp "$ADMIN_GID" "$tmp/conf/web-password" && chmod 0640 "$tmp/conf/web-password"
}

# login: a session in $tmp/jar, its CSRF token in $CSRF.
login() {
	rm -f "$tmp/jar"
	code 303 -c "$tmp/jar" -d user=admin --data-urlencode "password=$PW" "$BASE/login" &&
		code 200 -b "$tmp/jar" "$BASE/certificates" &&
		CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$tmp/b" | head -1) &&
		[ ${#CSRF} -eq 64 ]
}

# unchanged CMD... : CMD runs, and credctl list --json and bindings --json
# are the same after it.
unchanged() {
	ctl list --json >"$tmp/before" && ctl bindings --json >>"$tmp/before" || return 1
	"$@" || return 1
	{ ctl list --json && ctl bindings --json; } | cmp - "$tmp/before"
}

# Certificates served over http for install from a URI.
mkdir -p "$tmp/www"
cp "$PKI"/{web1,web2,markup,big,platform1,app1}.{pem,key} "$PKI/web2-bundle.pem" "$tmp/www/"
cat "$PKI/big.pem" "$PKI/big.key" >"$tmp/www/big-bundle.pem"
cat "$PKI/markup.pem" "$PKI/markup.key" >"$tmp/www/markup-bundle.pem"
WWW_PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$tmp/www" "$WWW_PORT" >/dev/null 2>&1 &
www_pid=$!
WWW=http://127.0.0.1:$WWW_PORT

# The browser operation starts on web1 in platform1, so that every
# connection proves the test CA's chain.
t_setup() {
	local i

	daemon_start -k "$ADMIN_GROUP" &&
		ctl install platform1 --cert "$PKI/web1.pem" --key "$PKI/web1.key" >/dev/null &&
		ctl bind browser platform1 >/dev/null && web_start &&
		has "$tmp/web.log" "no administrator password yet: set one with credctl web-password" &&
		for i in $(seq 100); do
			curl -s --max-time 5 -o /dev/null "$WWW/web1.pem" && return 0
			sleep 0.1
		done
}
# Each line of credctl status on the page, as it prints it: the status and
# whether the keys are sealed at rest.
t_status() {
	code 200 "$BASE/" && ctl status >"$tmp/status" && [ "$(wc -l <"$tmp/status")" -eq 2 ] &&
		has "$tmp/b" "<p class=\"status\" id=\"device-certificate\">$(sed -n 1p "$tmp/status")</p>" &&
		has "$tmp/b" "<p class=\"status\" id=\"keys-at-rest\">$(sed -n 2p "$tmp/status")</p>" &&
		has "$tmp/b" '<p class="status" id="keys-at-rest">Keys at rest: not encrypted</p>' &&
		has "$tmp/b" '<td class="mono" id="mac">000000000000</td>' &&
		code 200 "$BASE/api/v1/status" && ctl status --json | cmp - "$tmp/b" &&
		has "$tmp/b" '"keys_at_rest": "not-encrypted", "keys_at_rest_text": "not encrypted"'
}
t_headers() {
	local url

	for url in "$BASE/" "$BASE/nothing-here" "$BASE/api/v1/slots" "$BASE/login"; do
		w "$url" >/dev/null || return 1
		has "$tmp/h" "Strict-Transport-Security: max-age=31536000" &&
			has "$tmp/h" "Content-Security-Policy: default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" &&
			has "$tmp/h" "X-Frame-Options: DENY" && has "$tmp/h" "Cache-Control: no-store" &&
			has "$tmp/h" "X-Content-Type-Options: nosniff" || return 1
	done
}
t_no_password() {
	code 403 "$BASE/certificates" && has "$tmp/b" "credctl web-password" &&
		code 403 "$BASE/login" && has "$tmp/b" "No administrator password is set" &&
		unchanged code 403 -d user=admin -d password=anything-at-all "$BASE/login" &&
		code 403 -u "admin:anything-at-all" "$BASE/api/v1/slots" &&
		has "$tmp/b" '"error": "no administrator password is set'
}
t_web_password() {
	printf 'short\n' | ctl web-password 2>"$tmp/err"
	[ $? -eq 1 ] && has "$tmp/err" "shorter than 8 bytes" && [ ! -e "$tmp/conf/web-password" ] &&
		set_password "$PW" && has "$tmp/conf/web-password" 'admin:$y$' &&
		lacks "$tmp/conf/web-password" "$PW"
}
t_login() {
	code 401 -d user=admin -d password=wrong-password "$BASE/login" &&
		has "$tmp/b" "Wrong user or password." &&
		code 401 -d user=root --data-urlencode "password=$PW" "$BASE/login" &&
		code 303 "$BASE/certificates" && has "$tmp/h" "Location: /login" &&
		login &&
		code 303 -d user=admin --data-urlencode "password=$PW" "$BASE/login" &&
		grep -i '^set-cookie:' "$tmp/h" >"$tmp/cookie" &&
		grep -Eq '^Set-Cookie: __Host-devcred=[0-9a-f]{64}; Path=/; Max-Age=[0-9]+; Secure; HttpOnly; SameSite=Strict' "$tmp/cookie" &&
		has "$tmp/web.log" "web: 127.0.0.1: login refused: wrong user or password" &&
		has "$tmp/web.log" "web: 127.0.0.1: login: admin"
}
t_pages() {
	code 200 -b "$tmp/jar" "$BASE/certificates" && has "$tmp/b" '<a href="/certificates/platform1">' &&
		has "$tmp/b" "web1.example" &&
		code 200 -b "$tmp/jar" "$BASE/certificates/platform1" &&
		has "$tmp/b" "<td id=\"sha256\" class=\"mono\">$(cat "$PKI/web1.sha256")</td>" &&
		code 200 -b "$tmp/jar" "$BASE/certificates/platform1/cert.pem" &&
		openssl x509 -in "$tmp/b" -noout -fingerprint -sha256 | grep -qF "$(cat "$PKI/web1.sha256")" &&
		lacks "$tmp/b" PRIVATE &&
		code 200 -b "$tmp/jar" "$BASE/profiles" && has "$tmp/b" '<tr id="op-browser">' &&
		code 404 -b "$tmp/jar" "$BASE/certificates/slot9"
}
t_csrf() {
	# No token, a wrong one, the right one from another origin: refused.
	unchanged code 403 -b "$tmp/jar" -d operation=sip -d slot=platform1 "$BASE/profiles" &&
		unchanged code 403 -b "$tmp/jar" -d operation=sip -d slot=platform1 \
			-d csrf=0000000000000000000000000000000000000000000000000000000000000000 \
			"$BASE/profiles" &&
		unchanged code 403 -b "$tmp/jar" -H "Origin: https://evil.example" \
			-d operation=sip -d slot=platform1 -d "csrf=$CSRF" "$BASE/profiles" &&
		has "$tmp/web.log" "POST /profiles refused: from another origin" &&
		unchanged code 403 -d operation=sip -d slot=platform1 -d "csrf=$CSRF" "$BASE/profiles" &&
		code 200 -b "$tmp/jar" -H "Origin: $BASE" -d operation=sip -d slot=platform1 \
			-d "csrf=$CSRF" "$BASE/profiles" &&
		ctl bindings | grep -q '^sip  *platform1' &&
		has "$tmp/web.log" "web: 127.0.0.1: bind sip platform1"
}
t_api_auth() {
	code 401 "$BASE/api/v1/slots" && has "$tmp/h" 'WWW-Authenticate: Basic realm="devcred"' &&
		has "$tmp/b" '"error": "HTTP Basic authentication as admin needed"' &&
		code 401 -u admin:wrong-password "$BASE/api/v1/slots" &&
		code 401 -H "Authorization: Basic !!!!" "$BASE/api/v1/slots" &&
		code 200 -u "$AUTH" "$BASE/api/v1/slots" && ctl list --json | cmp - "$tmp/b" &&
		code 200 -u "$AUTH" "$BASE/api/v1/bindings" && ctl bindings --json | cmp - "$tmp/b" &&
		code 200 -u "$AUTH" "$BASE/api/v1/slots/platform1" && ctl show platform1 --json | cmp - "$tmp/b"
}
t_api_refusals() {
	unchanged code 400 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
		-d '{"slot": "app1"}' "$BASE/api/v1/bindings/802.1x" &&
		has "$tmp/b" '"error": "' && has "$tmp/b" 'app1' &&
		unchanged code 400 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
			-d "{\"bundle\": \"$WWW/big-bundle.pem\"}" "$BASE/api/v1/slots/platform2" &&
		has "$tmp/b" "private key is" && has "$tmp/b" "4096" &&
		unchanged code 400 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
			-d '{"bundle": "file:///etc/shadow"}' "$BASE/api/v1/slots/app1" &&
		has "$tmp/b" "http, https and tftp" &&
		unchanged code 400 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
			-d '{"slot": 1}' "$BASE/api/v1/bindings/sip" &&
		unchanged code 400 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
			-d 'not json' "$BASE/api/v1/bindings/sip" &&
		unchanged code 404 -u "$AUTH" -X DELETE "$BASE/api/v1/slots/slot9" &&
		unchanged code 400 -u "$AUTH" -X DELETE "$BASE/api/v1/slots/builtin"
}
t_api_changes() {
	code 200 -u "$AUTH" -X PUT -H 'Content-Type: application/json' \
		-d "{\"cert\": \"$WWW/app1.pem\", \"key\": \"$WWW/app1.key\"}" "$BASE/api/v1/slots/app3" &&
		ctl show app3 --json | cmp - "$tmp/b" &&
		has "$tmp/web.log" "web: 127.0.0.1: install app3: " &&
		code 204 -u "$AUTH" -X DELETE "$BASE/api/v1/slots/app3" &&
		ctl list | grep -q '^app3 *empty' &&
		code 200 -u "$AUTH" -X POST -H 'Content-Type: application/json' \
			-d '{"cn": "api.example", "key_type": "ec-p256"}' "$BASE/api/v1/csr" &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); open(sys.argv[2],"w").write(d["csr"]); assert "BEGIN PRIVATE KEY" in d["private_key"]' \
			"$tmp/b" "$tmp/api.csr" &&
		openssl req -in "$tmp/api.csr" -noout -verify -subject 2>&1 | grep -q "CN *= *api.example"
}
t_too_large() {
	head -c 20000 /dev/zero | tr '\0' a >"$tmp/large"
	unchanged code 413 -u "$AUTH" -X POST -H 'Content-Type: application/json' \
		--data-binary @"$tmp/large" "$BASE/api/v1/csr" &&
		unchanged code 413 -b "$tmp/jar" --data-binary @"$tmp/large" "$BASE/install" &&
		# Headers over the limit: no answer but a refusal.
		w -H "X-Pad: $(head -c 9000 /dev/zero | tr '\0' a)" "$BASE/" >"$tmp/code"
	case $(cat "$tmp/code") in 4*) ;; *) echo "oversized headers: $(cat "$tmp/code")"; return 1 ;; esac
}
t_markup() {
	code 200 -b "$tmp/jar" -d "csrf=$CSRF" -d slot=app2 --data-urlencode "bundle=$WWW/markup-bundle.pem" \
		"$BASE/install" && has "$tmp/b" "app2: credential installed" &&
		code 200 -b "$tmp/jar" "$BASE/certificates/app2" &&
		has "$tmp/b" "&lt;script&gt;alert(1)&lt;/script&gt;" && lacks "$tmp/b" "<script>" &&
		has "$tmp/b" "Bold &amp; Co" && lacks "$tmp/b" "<b>Bold" &&
		code 200 -b "$tmp/jar" "$BASE/certificates" && lacks "$tmp/b" "<script>" &&
		has "$tmp/b" "&lt;script&gt;"
}
# A slot name with a newline in a form makes no log line of its own.
t_log_lines() {
	unchanged code 400 -b "$tmp/jar" -d "csrf=$CSRF" --data-urlencode $'slot=app9\nwarning: forged' \
		--data-urlencode "bundle=$WWW/none.pem" "$BASE/install" &&
		has "$tmp/web.log" "install app9?warning: forged" &&
		if grep -q '^warning: forged' "$tmp/web.log"; then
			echo "a forged line:"
			grep '^warning: forged' "$tmp/web.log"
			return 1
		fi
}
t_remove() {
	code 200 -b "$tmp/jar" "$BASE/certificates/app2/remove" && has "$tmp/b" 'id="confirm"' &&
		ctl list | grep -q '^app2 *present' &&
		unchanged code 403 -b "$tmp/jar" -d confirm=1 "$BASE/certificates/app2/remove" &&
		code 200 -b "$tmp/jar" -d "csrf=$CSRF" "$BASE/certificates/app2/remove" &&
		ctl list | grep -q '^app2 *empty' && has "$tmp/web.log" "web: 127.0.0.1: remove app2: "
}
t_csr_page() {
	code 200 -b "$tmp/jar" -d "csrf=$CSRF" -d cn=page.example -d org=Example -d key_type=ec-p256 \
		-d keep=platform2 "$BASE/csr" && has "$tmp/b" "CSR generation completed" &&
		has "$tmp/b" 'id="key-kept"' &&
		code 200 -b "$tmp/jar" "$BASE/csr/request" &&
		openssl req -in "$tmp/b" -noout -verify -subject 2>&1 | grep -q "CN *= *page.example" &&
		code 404 -b "$tmp/jar" "$BASE/csr/key"
}

# The certificate of a new connection, as its SHA-256 fingerprint.
served() {
	openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$PKI/test-ca.pem" -verify_return_error \
		</dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}
# served_is NAME: a new connection gets NAME's certificate ($PKI/NAME.sha256).
served_is() {
	local got

	got=$(served)
	[ "$got" = "$(cat "$PKI/$1.sha256")" ] ||
		{ echo "a new connection got ${got:-no certificate}, not $1's"; return 1; }
}
t_rebind() {
	[ "$(served)" = "$(cat "$PKI/web1.sha256")" ] &&
		# A connection kept open across the change keeps its certificate.
		python3 - "$PORT" "$PKI/test-ca.pem" "$HOST/credctl" "$WWW" "$PW" <<'EOF'
import base64, hashlib, http.client, json, ssl, subprocess, sys
port, ca, credctl, www, pw = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
auth = {"Authorization": "Basic " + base64.b64encode(("admin:" + pw).encode()).decode()}
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx)
def fp(conn):
    return hashlib.sha256(conn.sock.getpeercert(True)).hexdigest()
c.request("GET", "/api/v1/status")
r = c.getresponse(); r.read()
first = fp(c)
# platform2 gets web2 over the API, browser is bound to it.
c.request("PUT", "/api/v1/slots/platform2", json.dumps({"bundle": www + "/web2-bundle.pem"}),
          dict(auth, **{"Content-Type": "application/json"}))
r = c.getresponse(); body = r.read()
assert r.status == 200, (r.status, body)
c.request("PUT", "/api/v1/bindings/browser", json.dumps({"slot": "platform2"}),
          dict(auth, **{"Content-Type": "application/json"}))
r = c.getresponse(); body = r.read()
assert r.status == 200, (r.status, body)
# The same connection still answers, with the certificate it began with.
c.request("GET", "/api/v1/status")
r = c.getresponse(); r.read()
assert r.status == 200 and fp(c) == first, "the open connection changed or was cut"
n = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx)
n.request("GET", "/api/v1/status")
r = n.getresponse(); r.read()
assert fp(n) != first, "a new connection still gets the old certificate"
print("first", first, "then", fp(n))
EOF
	[ "$(served)" = "$(cat "$PKI/web2.sha256")" ] &&
		has "$tmp/web.log" "(CN web2.example) from the next handshake on"
}
# A page elsewhere cannot make a browser that holds the API's Basic
# credentials post to it: a text/plain form whose body is JSON, or JSON
# from another origin, changes nothing.
t_api_cross_site() {
	local json='{"cn":"x","keep_key":"platform1","org":"="}'

	unchanged code 403 -u "$AUTH" -H 'Content-Type: text/plain' -H 'Origin: https://evil.example' \
		--data "$json" "$BASE/api/v1/csr" &&
		unchanged code 415 -u "$AUTH" -H 'Content-Type: text/plain' --data "$json" \
			"$BASE/api/v1/csr" &&
		unchanged code 403 -u "$AUTH" -H 'Content-Type: application/json' \
			-H 'Origin: https://evil.example' --data "$json" "$BASE/api/v1/csr" &&
		has "$tmp/b" '"error": ' &&
		code 200 -u "$AUTH" -H 'Content-Type: application/json; charset=utf-8' \
			-H "Origin: $BASE" -X PUT --data '{"slot": "platform1"}' "$BASE/api/v1/bindings/ldap"
}

# slow CLIENT-SCRIPT: how long (s) the server keeps a connection open to a
# client that sends its request one byte every half second, up to 10 s.
slow() {
	python3 - "$PORT" "$PKI/test-ca.pem" <<'PY'
import socket, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
start = time.monotonic()
s.settimeout(0.5)
req = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
try:
    for b in req:
        s.send(bytes([b]))
        try:
            if s.recv(1) == b"":
                break
        except socket.timeout:
            pass
        if time.monotonic() - start > 10:
            break
except (OSError, ssl.SSLError):
    pass
print(round(time.monotonic() - start))
PY
}
t_slowloris() {
	local took

	web_stop && WEB_TIMEOUT=2 web_start && took=$(slow) || return 1
	echo "a request trickled in was cut after $took s"
	[ "$took" -le 4 ] && has "$tmp/web.log" "no whole request in 2 s" && web_stop && web_start
}

t_tls_versions() {
	openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 </dev/null >/dev/null 2>&1 &&
		openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 </dev/null >/dev/null 2>&1 &&
		! openssl s_client -connect "127.0.0.1:$PORT" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
			</dev/null >/dev/null 2>&1
}
t_password_change() {
	set_password "another-password-9" &&
		code 303 -b "$tmp/jar" "$BASE/certificates" &&
		code 401 -u "$AUTH" "$BASE/api/v1/slots" &&
		code 200 -u admin:another-password-9 "$BASE/api/v1/slots" &&
		set_password "$PW" && login
}
# A real browser (selftests/boot/web_browser.py), from web1 in platform1
# and platform2 empty; skipped where Chromium or Selenium is missing.
BROWSER=$(dirname "$0")/../../selftests/boot/web_browser.py
have_browser() {
	[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && command -v certutil >/dev/null &&
		/usr/bin/python3 -c 'import selenium' 2>/dev/null
}
t_browser() {
	cp "$PKI/web2.sha256" "$tmp/www/" && ctl bind browser platform1 && ctl remove platform2 &&
		rm -rf "$HOST/web-browser" &&
		/usr/bin/python3 "$BROWSER" "$BASE" "$PKI/test-ca.pem" "$PKI/test-ca.key" "$PW" "$WWW" \
			"$tmp/www" "$HOST/web-browser" &&
		has "$tmp/web.log" "web: 127.0.0.1: install app1: " &&
		has "$tmp/web.log" "web: 127.0.0.1: remove app1: "
}

# The API under load: 20 clients, each a new connection per request, for
# LOAD_SECONDS (30) while browser is rebound every second; no request may
# fail, and devcredd answers credctl throughout.
t_load() {
	ctl install platform2 --bundle "$PKI/web2-bundle.pem" >/dev/null &&
		/usr/bin/python3 - "$PORT" "$PKI/test-ca.pem" "$AUTH" "$HOST/credctl" "${LOAD_SECONDS:-30}" <<'EOF2'
import base64, http.client, json, ssl, subprocess, sys, threading, time
port, ca, auth, credctl, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
ctx = ssl.create_default_context(cafile=ca)
hdr = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
stop = time.monotonic() + seconds
done, failed, lock = [0], [], threading.Lock()

def req(method, path, body=None):
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
    h = dict(hdr)
    if body is not None:
        h["Content-Type"] = "application/json"
    c.request(method, path, body, h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data

def client(i):
    paths = ["/api/v1/status", "/api/v1/slots", "/api/v1/bindings", "/api/v1/slots/platform1"]
    n = 0
    while time.monotonic() < stop:
        p = paths[n % len(paths)]
        n += 1
        try:
            st, data = req("GET", p)
            json.loads(data)
            ok = st == 200
        except Exception as e:
            ok, st = False, repr(e)
        with lock:
            done[0] += 1
            if not ok:
                failed.append((p, st))

threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
for t in threads:
    t.start()
binds = ctl_slow = 0
slot = "platform1"
while time.monotonic() < stop:
    slot = "platform2" if slot == "platform1" else "platform1"
    st, data = req("PUT", "/api/v1/bindings/browser", json.dumps({"slot": slot}))
    if st != 200:
        failed.append(("bind", st, data))
    binds += 1
    t0 = time.monotonic()
    r = subprocess.run([credctl, "status"], capture_output=True, timeout=30)
    if r.returncode != 0 or time.monotonic() - t0 > 5:
        ctl_slow += 1
    time.sleep(max(0, 1 - (time.monotonic() - t0)))
for t in threads:
    t.join()
print("%d requests by 20 clients, %d rebindings, %d failed, credctl late or failing %d times"
      % (done[0], binds, len(failed), ctl_slow))
print(failed[:5])
sys.exit(1 if failed or ctl_slow or done[0] < 100 else 0)
EOF2
}

t_throttle() {
	local i

	# Counted from a server that has seen no failure yet.
	web_stop && web_start && login || return 1
	for i in 1 2 3 4 5; do
		code 401 -d user=admin -d password=wrong-password "$BASE/login" || return 1
	done
	unchanged code 429 -d user=admin --data-urlencode "password=$PW" "$BASE/login" &&
		has "$tmp/h" "Retry-After: " &&
		code 429 -u "$AUTH" "$BASE/api/v1/slots" &&
		# A session made before goes on.
		code 200 -b "$tmp/jar" "$BASE/certificates" &&
		has "$tmp/web.log" "login refused: throttled for"
}
# (Runs last: it leaves devcredd with --no-key-files.)
# --key-source provider: the key stays in devcredd (--no-key-files: no
# key.pem anywhere); devcredd signs each handshake for the user key-access
# names, and nobody else; a new binding is served from the next connection.
t_provider_key() {
	local access=$tmp/conf/key-access

	printf 'op=browser user:%s\n' "$WEB_UID" >"$access" && chmod 0644 "$access" &&
		web_stop && daemon_stop && daemon_start --no-key-files &&
		[ -z "$(find "$tmp/run" -name key.pem)" ] &&
		ctl install platform2 --bundle "$PKI/web2-bundle.pem" >/dev/null &&
		ctl bind browser platform1 >/dev/null || return 1
	# Without the provider, --key-source provider does not start.
	if OPENSSL_MODULES=$tmp/none web_start --key-source provider; then
		echo "devcred-web started without the provider"
		return 1
	fi
	has "$tmp/web.log" "--key-source provider: cannot load the devcred provider" &&
		OPENSSL_MODULES=$HOST/ossl-modules web_start --key-source provider &&
		has "$tmp/web.log" "key from the devcred provider" &&
		[ "$(served)" = "$(cat "$PKI/web1.sha256")" ] &&
		ctl bind browser platform2 >/dev/null &&
		[ "$(served)" = "$(cat "$PKI/web2.sha256")" ] &&
		code 200 -u "$AUTH" "$BASE/api/v1/status" || return 1
	# Not granted any more: devcredd refuses to sign, no handshake completes
	# (the certificate goes out before the signature: only a whole exchange
	# proves one).
	printf 'op=sip user:%s\n' "$WEB_UID" >"$access" && reload || return 1
	if w -u "$AUTH" "$BASE/api/v1/status" >/dev/null 2>&1; then
		echo "a handshake completed with a key the server's user may not use"
		return 1
	fi
	has "$tmp/log" "uid $WEB_UID may not sign with the key of op=browser" &&
		printf 'op=browser user:%s\n' "$WEB_UID" >"$access" && reload &&
		code 200 -u "$AUTH" "$BASE/api/v1/status"
}

# devcredd cannot publish browser's new binding (something in the way of
# its link: a full or broken /run would do the same); the binding holds in
# the store all the same, and the provider's key is served from the next
# handshake on: what devcredd answers, not what it published. Then the
# same slot with a new credential (a new generation): served too.
t_provider_unpublished() {
	local link

	served_is web2 && link=$(readlink "$tmp/run/browser") &&
		mkdir -p "$tmp/run/.browser.link/in-the-way" &&
		ctl bind browser platform1 >/dev/null &&
		has "$tmp/log" "browser: cannot publish platform1 in $tmp/run" &&
		[ "$(readlink "$tmp/run/browser")" = "$link" ] &&
		served_is web1 && code 200 -u "$AUTH" "$BASE/api/v1/status" &&
		ctl install platform1 --bundle "$PKI/web2-bundle.pem" >/dev/null &&
		[ "$(readlink "$tmp/run/browser")" = "$link" ] &&
		served_is web2 && code 200 -u "$AUTH" "$BASE/api/v1/status" &&
		grep -Eq 'tls: serving platform1:[0-9]+:[0-9a-f]{64} \(CN web2.example\) from the next handshake on' "$tmp/web.log" &&
		rm -rf "$tmp/run/.browser.link"
}

# At --max-connections the server stops accepting; a new client waits,
# and is served once one connection closes.
t_conn_cap() {
	web_stop && web_start --max-connections 3 &&
		python3 - "$PORT" "$PKI/test-ca.pem" <<'EOF3'
import socket, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
time.sleep(0.5)
def handshake(timeout):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        ctx.wrap_socket(s, server_hostname="127.0.0.1").close()
        return True
    except (socket.timeout, OSError):
        return False
assert not handshake(2), "a fourth connection was served at a cap of 3"
held.pop().close()
assert handshake(10), "no connection served after one of the three closed"
print("fourth waited at the cap, served after one closed")
EOF3
	[ $? -eq 0 ] && has "$tmp/web.log" "3 connections open, the cap: new ones wait until one closes" &&
		has "$tmp/web.log" "connections open: accepting again"
}

# A connection whose TLS cannot be made (SSL_new fails, as without memory)
# is never answered in plain HTTP, which evhttp would do: the server stops.
t_ssl_new_fails() {
	local reply

	web_stop && LD_PRELOAD=$HOST/fail_alloc.so FAIL_SSL_NEW_FROM=2 \
		ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 web_start &&
		code 200 "$BASE/" || return 1
	reply=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 nc -q 5 127.0.0.1 "$PORT" | head -c 200)
	if [ -n "$reply" ]; then
		echo "answered a connection without TLS: $reply"
		return 1
	fi
	wait "$web_pid"
	[ $? -eq 1 ] && web_pid= &&
		has "$tmp/web.log" "cannot make a connection's TLS (out of memory): stopping rather than let it be answered in plain HTTP" &&
		web_start
}

# The bufferevent failing after the SSL was made: libevent (2.1.9 on)
# frees the SSL itself on that path; freeing it again was a double free.
t_bev_fails() {
	web_stop && LD_PRELOAD=$HOST/fail_alloc.so FAIL_BEV_FROM=1 \
		ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 web_start || return 1
	if curl -sk --max-time 10 -o /dev/null "$BASE/"; then
		echo "a connection was served without its bufferevent"
		return 1
	fi
	wait "$web_pid"
	[ $? -eq 1 ] && web_pid= && lacks "$tmp/web.log" "Sanitizer" &&
		has "$tmp/web.log" "cannot make a connection's TLS (out of memory)" && web_start
}

t_stop() {
	web_stop && has "$tmp/web.log" "stopping" && lacks "$tmp/web.log" "runtime error" &&
		lacks "$tmp/web.log" "Sanitizer"
}

ok "starts unprivileged over devcredd, no password yet" t_setup
ok "status page and API status: credctl status's lines (keys at rest too) and MAC, without login" t_status
ok "every answer has HSTS, CSP, X-Frame-Options DENY, no-store, nosniff" t_headers
ok "no password set: every page but status says how to set one; no login" t_no_password
ok "credctl web-password: refuses a short one; stores a yescrypt hash, not the password" t_web_password
ok "login: wrong user or password 401; the cookie is __Host-, Secure, HttpOnly, SameSite=Strict" t_login
ok "pages: certificates, a slot with its fingerprints, the PEM (no key), profiles" t_pages
ok "CSRF: no token, a wrong token, another origin, no session: refused, nothing changed" t_csrf
ok "API: 401 with WWW-Authenticate without valid Basic; the documents credctl --json prints" t_api_auth
ok "API: app slot for 802.1X, key over the cap, file:// URI, bad bodies refused; store unchanged" t_api_refusals
ok "API: install from URIs, remove, CSR with its key" t_api_changes
ok "bodies over 16 KiB 413, headers over 8 KiB refused; nothing changed" t_too_large
ok "a certificate with markup in its fields shows it escaped" t_markup
ok "what a client sends makes no log line of its own (control characters replaced)" t_log_lines
ok "remove: a confirmation page, then the POST with the token" t_remove
ok "Generate CSR: key kept in the slot, the CSR downloadable, no key handed out" t_csr_page
ok "rebinding browser: new connections get the new certificate, an open one is not cut" t_rebind
ok "API: no text/plain bodies, no other origin (a form elsewhere cannot post JSON)" t_api_cross_site
ok "slowloris: a request trickled in is cut at the timeout, not kept by each byte" t_slowloris
ok "TLS 1.2 and 1.3 only" t_tls_versions
ok "a new password ends the old sessions and Basic credentials" t_password_change
if have_browser; then
	ok "Chromium: login, status, install from a URI, bind browser, the new certificate, CSR signed and installed, remove" t_browser
else
	n=$((n + 1))
	echo "ok $n - Chromium drives the pages # SKIP chromium, chromium-driver, python3-selenium or certutil missing"
fi
ok "the API under load: 20 clients for ${LOAD_SECONDS:-30} s while browser is rebound every second" t_load
ok "failed logins: 429 after five in a minute, form and API alike" t_throttle
ok "at --max-connections a new client waits, and is served when one closes" t_conn_cap
ok "SSL_new failing: the connection is not answered in plain HTTP, the server exits 1" t_ssl_new_fails
ok "the connection's bufferevent failing: no double free, no plain HTTP, the server exits 1" t_bev_fails
ok "--key-source provider: the key never in a file, devcredd signs for the granted user only" t_provider_key
ok "--key-source provider: a rebinding devcredd could not publish is served from the next handshake" t_provider_unpublished
ok "stops on SIGTERM, with no sanitizer report" t_stop

echo "1..$n"
exit $failed
