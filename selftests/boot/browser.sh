# SPDX-License-Identifier: GPL-2.0
# The browser operation served from the board for a client on the host:
# openssl s_server in the guest with devcred:op=browser (the key through
# the devcred provider), reached through scripts/vm --hostfwd. Sourced
# after tap.sh, not run.
#
#   browser_check FLASH SHARE SLOT GUEST_SETUP CLIENT...
#	Boots the board on FLASH with SHARE as its share, runs GUEST_SETUP
#	(sh -e), binds browser to SLOT, writes SLOT's SHA-256 fingerprint as
#	credctl show reports it to SHARE/browser.sha256, and serves on the
#	guest's port 4433. Once the server listens (a boot and a TLS
#	server's start take a minute on the debug kernel), or the boot ended
#	without it, runs CLIENT on the host with BROWSER_PORT, the host port
#	forwarded to the server, and keeps what it prints in BROWSER_OUT.
#	Then lets the guest stop the server; returns the boot's status.

BROWSER_PORT=
BROWSER_OUT=

browser_check() {
	local flash=$1 share=$2 slot=$3 setup=$4 pid

	shift 4
	BROWSER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -f "$share/ready" "$share/done" "$share/browser.sha256"
	vm --flash "$flash" --share "$share" --hostfwd "tcp:127.0.0.1:$BROWSER_PORT-:4433" -- sh -ec "
		$setup
		credctl bind browser $slot
		credctl show $slot | sed -n 's/^SHA256: *//p' >/mnt/share/browser.sha256
		openssl s_server -provider default -provider devcred -quiet -accept 4433 -www \
			-cert devcred:op=browser -key devcred:op=browser &
		$GUEST_WAIT_UNTIL
		# Listening (state 0A) on port 4433 (0x1151).
		wait_until 60 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q \":1151 [0-9A-F]*:0000 0A \"'
		touch /mnt/share/ready
		wait_until 120 '[ -e /mnt/share/done ]'
		kill %1" &
	pid=$!
	wait_guest_file "$share/ready" "$pid" 1800
	BROWSER_OUT=$("$@")
	touch "$share/done"
	wait "$pid"
}
