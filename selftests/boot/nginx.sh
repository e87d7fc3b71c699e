# SPDX-License-Identifier: GPL-2.0
# A private nginx on the host's 127.0.0.1 for the boot tests: HTTPS with a
# given certificate, client certificates checked against a given CA, PUT
# uploads, static files. Sourced, not run. Needs nginx (Debian's nginx or
# nginx-light: http_ssl and http_dav are built in) and python3.
#
#   nginx_start DIR CERT KEY CLIENT_CA
#	Starts nginx in the background with everything in DIR (which must
#	exist): nginx.conf, nginx.pid, error.log (and stderr.log), access.log,
#	tmp/, and the document root DIR/www. CERT and KEY are the server's certificate
#	(chain) and key; CLIENT_CA the CAs client certificates must chain to.
#	NGINX_PROTOCOLS, when set, is its ssl_protocols (e.g. "TLSv1.2
#	TLSv1.3"); else nginx's default (1.22: up to TLS 1.2).
#	NGINX_VERIFY_CLIENT, when set, is its ssl_verify_client ("on": every
#	HTTPS request needs a client certificate CLIENT_CA verifies, else
#	400); else "optional".
#	Picks two free ports and sets:
#	  NGINX_PORT       the HTTPS port on 127.0.0.1
#	  NGINX_HTTP_PORT  a plain HTTP port on 127.0.0.1 (same files; /mtls/
#	                   always 403)
#	  NGINX_PID        the master process
#	  NGINX_DOCROOT    DIR/www
#	  NGINX_LOG        DIR/access.log
#	Returns 0 once both ports accept connections, 1 (with error.log on
#	standard error) if nginx did not start. Run as root, the workers stay
#	root, so that they read and write the test's private folders.
#	The server stops when the calling shell exits: nginx_start chains
#	nginx_stop in front of the EXIT trap already set (set yours first),
#	so a trap that removes DIR runs after nginx is gone.
#
#   nginx_start_devices DIR CERTS
#	nginx_start in DIR (created) with the PKI mkcerts.sh made in CERTS:
#	the server's certificate tls-server (it names IP:10.0.2.100), client
#	certificates from the devices' CA (other-ca) or from test-ca. The
#	test cannot go on without it: "Bail out!" and exit 1 when it does
#	not start.
#
#   nginx_stop
#	Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it. Safe to
#	call twice.
#
# What the server does, on both ports:
#   /          static files from DIR/www (GET, HEAD)
#   /upload/   PUT stores the body as DIR/www/upload/PATH, creating folders;
#              201 (new) or 204 (replaced); GET reads it back
#   /mtls/     static files from DIR/www/mtls/, only to a client whose
#              certificate CLIENT_CA verifies ($ssl_client_verify =
#              SUCCESS), else 403; /mtls/whoami answers the client
#              certificate's subject ($ssl_client_s_dn, RFC 2253) and a
#              newline
# A client certificate is asked for but optional; note that nginx answers
# 400 to a client that presents one CLIENT_CA does not verify.
#
# Access log lines (DIR/access.log, one per request):
#   ADDR "REQUEST" STATUS verify=$ssl_client_verify dn="$ssl_client_s_dn"
# e.g.  127.0.0.1 "GET /mtls/whoami HTTP/1.1" 200 verify=SUCCESS dn="CN=a,O=b"
# verify= is SUCCESS, FAILED:reason, NONE (no certificate) or - (plain HTTP).
#
# The guest reaches the HTTPS port as https://10.0.2.100:$NGINX_PORT/ with
# scripts/vm --guestfwd $NGINX_PORT; CERT must then name IP:10.0.2.100.
#
# Example:
#   tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
#   . selftests/boot/nginx.sh
#   nginx_start "$tmp" server.pem server.key test-ca.pem || exit 1
#   curl --cacert test-ca.pem https://127.0.0.1:$NGINX_PORT/upload/a -T file

# shellcheck disable=SC2034 # what nginx_start sets is for its callers
NGINX_PORT=
NGINX_HTTP_PORT=
NGINX_PID=
NGINX_DOCROOT=
NGINX_LOG=
_nginx_prev_trap=

# A port nobody listens on now (nginx binds it right after; a lost race
# is retried by nginx_start).
_nginx_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# _nginx_conf DIR CERT KEY CLIENT_CA: the configuration, on standard output.
_nginx_conf() {
	local dir=$1 cert=$2 key=$3 ca=$4 t

	echo "daemon off;"
	echo "worker_processes 1;"
	echo "pid $dir/nginx.pid;"
	echo "error_log $dir/error.log info;"
	# Workers of a root master would become nobody, who cannot read DIR.
	[ "$(id -u)" -eq 0 ] && echo "user root root;"
	echo "events { worker_connections 64; }"
	echo "http {"
	echo "  log_format devcred '\$remote_addr \"\$request\" \$status verify=\$ssl_client_verify dn=\"\$ssl_client_s_dn\"';"
	echo "  access_log $dir/access.log devcred;"
	for t in client_body proxy fastcgi uwsgi scgi; do
		echo "  ${t}_temp_path $dir/tmp/$t;"
	done
	echo "  types { text/plain txt pem csr key crt; application/xml xml; }"
	echo "  default_type application/octet-stream;"
	echo "  client_max_body_size 1m;"
	echo "  root $dir/www;"
	echo "  server {"
	echo "    listen 127.0.0.1:$NGINX_PORT ssl;"
	echo "    ssl_certificate $cert;"
	echo "    ssl_certificate_key $key;"
	[ -z "${NGINX_PROTOCOLS:-}" ] || echo "    ssl_protocols $NGINX_PROTOCOLS;"
	echo "    ssl_client_certificate $ca;"
	echo "    ssl_verify_client ${NGINX_VERIFY_CLIENT:-optional};"
	echo "    ssl_verify_depth 4;"
	echo "    location /upload/ { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }"
	echo "    location /mtls/ {"
	echo "      if (\$ssl_client_verify != SUCCESS) { return 403; }"
	echo "      location = /mtls/whoami {"
	echo "        if (\$ssl_client_verify != SUCCESS) { return 403; }"
	echo "        default_type text/plain;"
	# shellcheck disable=SC2016 # nginx's variable, and its \n
	printf '        return 200 "$ssl_client_s_dn\\n";\n'
	echo "      }"
	echo "    }"
	echo "  }"
	echo "  server {"
	echo "    listen 127.0.0.1:$NGINX_HTTP_PORT;"
	echo "    location /upload/ { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }"
	echo "    location /mtls/ { return 403; }"
	echo "  }"
	echo "}"
}

# _nginx_listening PORT: something accepts connections on 127.0.0.1:PORT.
_nginx_listening() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

nginx_start() {
	local dir cert key ca i prev

	[ $# -eq 4 ] || { echo "usage: nginx_start DIR CERT KEY CLIENT_CA" >&2; return 2; }
	dir=$(cd "$1" && pwd) || return 1
	cert=$(realpath "$2") && key=$(realpath "$3") && ca=$(realpath "$4") || return 1
	command -v nginx >/dev/null || { echo "nginx_start: no nginx (apt-get install nginx-light)" >&2; return 1; }
	mkdir -p "$dir/www/upload" "$dir/www/mtls" "$dir/tmp"
	# shellcheck disable=SC2034 # for the caller
	NGINX_DOCROOT=$dir/www NGINX_LOG=$dir/access.log
	for _ in 1 2 3 4 5; do
		NGINX_PORT=$(_nginx_free_port) && NGINX_HTTP_PORT=$(_nginx_free_port) || return 1
		[ "$NGINX_PORT" != "$NGINX_HTTP_PORT" ] || continue
		_nginx_conf "$dir" "$cert" "$key" "$ca" >"$dir/nginx.conf"
		: >"$dir/error.log"
		nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>"$dir/stderr.log" &
		NGINX_PID=$!
		for i in $(seq 100); do
			if _nginx_listening "$NGINX_PORT" && _nginx_listening "$NGINX_HTTP_PORT"; then
				if [ -z "${_nginx_trap_set:-}" ]; then
					_nginx_trap_set=1
					prev=$(trap -p EXIT)
					prev=${prev#trap -- }
					prev=${prev% EXIT}
					eval "_nginx_prev_trap=${prev:-''}"
					trap 'nginx_stop; eval "$_nginx_prev_trap"' EXIT
				fi
				return 0
			fi
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.05
		done
		nginx_stop
		# A port taken between choosing and binding: try others.
		grep -q 'Address already in use' "$dir/error.log" || break
	done
	echo "nginx_start: nginx did not start:" >&2
	cat "$dir/stderr.log" "$dir/error.log" >&2
	return 1
}

nginx_start_devices() {
	local dir=$1 certs=$2

	mkdir -p "$dir"
	cat "$certs/other-ca.pem" "$certs/test-ca.pem" >"$dir/client-ca.pem"
	nginx_start "$dir" "$certs/tls-server.pem" "$certs/tls-server.key" "$dir/client-ca.pem" ||
		{ echo "Bail out! nginx did not start"; exit 1; }
}

# Called from EXIT traps of set -e scripts: every step tolerates a server
# that is already gone (kill and wait then fail), and the function always
# returns 0, so stopping can never change the caller's exit status.
nginx_stop() {
	local i

	[ -n "$NGINX_PID" ] || return 0
	kill -TERM "$NGINX_PID" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$NGINX_PID" 2>/dev/null || true
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
	return 0
}
