#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcredd and credctl on the board: the self-signed built-in on first boot,
# install/show/export/remove on every kind of slot, refused inputs that
# leave the store unchanged, bindings, persistence, non-root callers.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
sh "$(dirname "$0")/mkcerts.sh" "$tmp/c" >/dev/null
MAC=525400123456	# QEMU's default MAC address for the first NIC

# g SCRIPT: run SCRIPT in the guest (sh -e) with the certificates at /c.
g() {
	vm --flash "$flash" --share "$tmp" -- sh -ec "ln -s /mnt/share/c /c; cd /c; $1"
}

tap_plan 14
tap_ok "first boot: self-signed built-in with CN = MAC, status Self-signed" g "
	credctl status | grep -qx 'Device Certificate: Self-signed'
	credctl show builtin | grep -qx 'Common name:  $MAC'
	credctl list --json | grep -q '\"slot\": \"builtin\", \"state\": \"present\", \"origin\": \"self-signed\", \"common_name\": \"$MAC\"'
	grep -q 'made a self-signed built-in certificate for $MAC' /run/devcredd.log
	dmesg | grep -q 'devcred: builtin: saved new self-signed credential'"

tap_ok "install, show, export on a platform and an application slot" g "
	credctl install platform1 --cert platform1.pem --key platform1.key
	credctl install app1 --bundle bundle.pem
	credctl show platform1 | grep -qx \"SHA256:       \$(cat platform1.sha256)\"
	credctl show app1 --json | grep -q \"\\\"sha256\\\": \\\"\$(cat platform2.sha256)\\\"\"
	credctl export platform1 | openssl x509 -noout -fingerprint -sha256 | grep -q \"\$(cat platform1.sha256)\"
	credctl export platform1 >/tmp/export
	if grep -q PRIVATE /tmp/export; then echo 'export printed a private key'; exit 1; fi
	grep -q \"saving new credential in platform1: common name 'Custom-$MAC', MD5 fingerprint\" /run/devcredd.log"

tap_ok "PKCS#7 chain, encrypted key with passphrase file, export --chain" g "
	credctl install platform2 --cert chain.p7b --key platform2.key
	[ \$(credctl export platform2 --chain | grep -c 'BEGIN CERTIFICATE') -eq 2 ]
	credctl install app2 --cert platform1.pem --key enc.key --passphrase-file pass.txt
	credctl show app2 | grep -q 'Custom-$MAC'"

# refused CMD... : CMD fails with status 1, its message matches $want, and
# the store lists exactly as before.
refused() {
	cat >"$tmp/refused.sh" <<EOT # sh -e
credctl list --json >/tmp/before
set +e
"\$@" 2>/tmp/err
rc=\$?
set -e
cat /tmp/err
[ \$rc -eq 1 ]
grep -q "\$WANT" /tmp/err
credctl list --json | cmp - /tmp/before
EOT
	g "WANT='$1' sh -e /mnt/share/refused.sh ${*:2}"
}
tap_ok "key over 4096 bytes refused on platform1, named with the numbers" \
	refused "platform1: private key is [0-9]* bytes; platform slots hold at most 4096" \
	credctl install platform1 --cert big.pem --key big.key
tap_ok "mismatched pair refused" refused "does not match" \
	credctl install platform2 --cert platform1.pem --key platform2.key
tap_ok "expired certificate refused without --force" refused "expired" \
	credctl install app3 --cert expired.pem --key expired.key
tap_ok "encrypted key without a passphrase refused" refused "passphrase" \
	credctl install app3 --cert platform1.pem --key enc.key
tap_ok "PKCS#7 body without its BEGIN/END lines refused as exactly that" \
	refused "PKCS#7 body without" credctl install platform2 --cert p7-body.txt --key platform2.key

tap_ok "the big key fits an application slot; --force takes the expired one" g "
	credctl install app4 --cert big.pem --key big.key
	credctl install app5 --cert expired.pem --key expired.key --force
	credctl list | grep -q '^app5 *present'"

# A new boot: app1 is empty, so sip bound to it has no credential.
tap_ok "bindings: platform-only rule, unavailable slot, stored" g "
	credctl bind 802.1x platform1
	credctl bind sip app1 | grep -q 'note: app1 is empty'
	if credctl bind provisioning app1 2>/tmp/err; then echo 'provisioning bound to app1'; exit 1; fi
	grep -q 'provisioning may only use builtin, platform1 or platform2' /tmp/err
	credctl bindings | grep -q '^802.1x  *platform1  *yes'
	credctl bindings --json | grep -q '\"operation\": \"sip\", \"slot\": \"app1\", \"available\": false'"

tap_ok "after a reboot platform slots and bindings stay, application slots are empty" g "
	credctl list | grep -q '^platform1 *present'
	credctl list | grep -q '^platform2 *present'
	credctl list | grep -q '^app1 *empty'
	credctl bindings | grep -q '^802.1x  *platform1  *yes'
	credctl bindings | grep -q '^sip  *app1  *no'
	grep -q 'platform1 certificate length [0-9]*, MD5 fingerprint' /run/devcredd.log"

tap_ok "a non-root user reads but cannot change the store" g "
	chmod 0644 /c/*.pem /c/*.key
	credctl list --json >/tmp/list.before
	credctl bindings --json >/tmp/bind.before
	su user -s /bin/sh -c 'credctl list' | grep -q '^platform1 *present'
	su user -s /bin/sh -c 'credctl show platform1' | grep -q Custom
	su user -s /bin/sh -c 'credctl export platform1' | grep -q 'BEGIN CERTIFICATE'
	for cmd in 'install app1 --cert platform1.pem --key platform1.key' 'remove platform1' \
		   'bind sip platform1'; do
		if su user -s /bin/sh -c \"credctl \$cmd\" 2>/tmp/err; then
			echo \"credctl \$cmd: allowed to a non-root user\"; exit 1
		fi
		grep -q 'permission denied' /tmp/err
	done
	credctl list --json | cmp - /tmp/list.before
	credctl bindings --json | cmp - /tmp/bind.before"
tap_ok "a member of devcredd's admin group (-g devcred) may change the store" g "
	sed -i 's/^devcred:x:100:\$/devcred:x:100:user/' /etc/group
	chmod 0644 /c/*.pem /c/*.key
	su user -s /bin/sh -c 'credctl install app3 --bundle bundle.pem'
	su user -s /bin/sh -c 'credctl remove app3'"
tap_ok "remove empties platform and application slots; the built-in stays" g "
	credctl install app2 --bundle bundle.pem
	credctl remove app2
	credctl remove platform2
	credctl list | grep -q '^app2 *empty'
	credctl list | grep -q '^platform2 *empty'
	if credctl remove builtin 2>/tmp/err; then echo 'the built-in certificate was removed'; exit 1; fi
	grep -q 'the built-in certificate stays' /tmp/err
	credctl status | grep -qx 'Device Certificate: Self-signed'"
tap_done
