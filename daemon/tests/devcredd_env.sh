# SPDX-License-Identifier: GPL-2.0
# Sourced by the host tests that run devcredd (the host build, over the
# fake device of fake_device.c) and credctl against it. Needs HOST (the
# host build folder) and tmp (a scratch folder) set.
#
#   daemon_start [DEVCREDD-OPTIONS...]  a devcredd on $tmp/sock (or on
#				$DAEMON_SOCK), its store
#				in $tmp/dev, files in $tmp/run, log $tmp/log;
#				run through the command DAEMON_WRAP (an array)
#				names, when set; the options of the array
#				DAEMON_OPTS after those given
#   daemon_stop				SIGTERM, and wait for it
#   ctl ARGS...				credctl as root, against it
#   as_user UID GID GROUPS CMD...	CMD with that uid, gid and supplementary
#					groups (comma-separated, "-" for none)
#   ok DESCRIPTION COMMAND...		one TAP test point (COMMAND's output
#					the diagnostics when it fails)
#   has FILE TEXT			FILE contains TEXT (fixed string)
#   reload				SIGHUP; waits until devcredd read
#					the key access file again
#   run_tests				devcredd started, then each entry
#					"FUNCTION:DESCRIPTION" of the array
#					tests as a test point; exits 0 if all
#					passed
DEVCREDD=$HOST/devcredd
CREDCTL=$HOST/credctl
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export DEVCRED_SOCKET=$tmp/sock DEVCRED_RUN_DIR=$tmp/run DEVCRED_CONFDIR=$tmp/conf
export DEVCRED_STATE_DIR=$tmp/var/lib/devcred	# made by devcredd, as on a board without it
# The group the daemon's -g names: an unprivileged member may change the store.
ADMIN_GROUP=users
ADMIN_GID=$(getent group "$ADMIN_GROUP" | cut -d: -f3)
daemon_pid=
DAEMON_WRAP=()
DAEMON_OPTS=()

daemon_start() {
	local i sock=${DAEMON_SOCK:-$tmp/sock}

	mkdir -p "$tmp/conf" "$tmp/prov"
	rm -f "$sock"
	"${DAEMON_WRAP[@]}" "$DEVCREDD" -s "$sock" -d "$tmp/dev" -r "$tmp/run" -c "$tmp/conf" \
		-p "$tmp/prov" -i lo -g "$ADMIN_GROUP" -v 3 "$@" "${DAEMON_OPTS[@]}" 2>>"$tmp/log" &
	daemon_pid=$!
	for i in $(seq 200); do
		[ -S "$sock" ] && return 0
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "devcredd did not start:"
	tail -5 "$tmp/log"
	return 1
}

daemon_stop() {
	[ -n "$daemon_pid" ] || return 0
	kill -TERM "$daemon_pid" 2>/dev/null
	wait "$daemon_pid"
	local rc=$?
	daemon_pid=
DAEMON_WRAP=()
	return $rc
}

ctl() {
	"$CREDCTL" "$@"
}

as_user() {
	local uid=$1 gid=$2 groups=$3

	shift 3
	if [ "$groups" = - ]; then
		setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"
	else
		setpriv --reuid="$uid" --regid="$gid" --groups="$groups" "$@"
	fi
}

n=0
failed=0

# ok DESCRIPTION COMMAND... : one test point; COMMAND's output as diagnostics
# when it fails. COMMAND runs in this shell: it may stop and start devcredd.
ok() {
	local desc=$1

	shift
	n=$((n + 1))
	if "$@" >"$tmp/ok.out" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/# /' "$tmp/ok.out"
		failed=1
	fi
}

# has FILE TEXT : FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1" || { echo "$1 lacks '$2':"; cat "$1"; return 1; }
}

# reload: SIGHUP, and wait until devcredd logged that it read the file.
reload() {
	local lines i

	lines=$(wc -l <"$tmp/log")
	kill -HUP "$daemon_pid"
	for i in $(seq 600); do	# 30 s: ASan on a loaded machine
		tail -n +"$((lines + 1))" "$tmp/log" | grep -q 'key-access' && return 0
		sleep 0.05
	done
	echo "devcredd did not read its key access file again"
	return 1
}

run_tests() {
	echo "TAP version 13"
	echo "1..${#tests[@]}"
	if ! daemon_start; then
		for t in "${tests[@]}"; do
			n=$((n + 1))
			echo "not ok $n - ${t#*:} # devcredd did not start"
		done
		exit 1
	fi
	for t in "${tests[@]}"; do
		ok "${t#*:}" "${t%%:*}"
	done
	exit $failed
}
