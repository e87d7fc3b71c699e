#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "credctl status": the five strings of the phones' Status menu, computed
# from the stored certificate every time, and the two situations the phones
# are known to display wrongly.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
sh "$(dirname "$0")/mkcerts.sh" "$tmp/c" >/dev/null

# g SCRIPT: run SCRIPT in the guest with the certificates at /c and the
# vendor trust set (both issuing CAs) in /etc/devcred.
g() {
	vm --flash "$flash" --share "$tmp" -- sh -ec "
		ln -s /mnt/share/c /c; cd /c
		cp vendor-ca.pem factory-issuers /etc/devcred/
		devcred-restart
		$1"
}
status_is() { echo "credctl status | grep -qx 'Device Certificate: $1'"; }

tap_plan 9
tap_ok "Self-signed: the certificate the device made" g "$(status_is Self-signed)"
tap_ok "Factory Installed: chain to the vendor CAs, issuing CA listed" g "
	echo 1 >/sys/module/devcred/parameters/factory_mode
	credctl factory-install --cert factory1.pem --key factory1.key
	$(status_is 'Factory Installed')
	credctl list | grep -q '^builtin *present *factory'"
tap_ok "a factory certificate is not replaced outside factory mode" g "
	if credctl factory-install --cert factory2.pem --key factory2.key 2>/tmp/err; then
		echo 'factory-install replaced a factory certificate'; exit 1
	fi
	grep -q 'factory mode' /tmp/err
	if devcred_tool erase builtin; then echo 'the kernel erased a factory certificate'; exit 1; fi
	credctl show builtin | grep -qx \"SHA256:       \$(cat factory1.sha256)\"
	$(status_is 'Factory Installed')"
tap_ok "Factory Installed for a newer issuing CA too (the phones showed Self-signed)" \
	vm --flash "$tmp/f2.img" --share "$tmp" -- sh -ec "
		cd /mnt/share/c
		cp vendor-ca.pem factory-issuers /etc/devcred/
		devcred-restart
		echo 1 >/sys/module/devcred/parameters/factory_mode
		credctl factory-install --cert factory2.pem --key factory2.key
		$(status_is 'Factory Installed')
		cp vendor-ca-old.pem /etc/devcred/vendor-ca.pem
		cp factory-issuers-old /etc/devcred/factory-issuers
		devcred-restart
		$(status_is Installed)"
tap_ok "Self-signed even when the store says factory (the phones' downgrade case)" \
	vm --flash "$tmp/f3.img" --share "$tmp" --no-daemon -- sh -ec "
		cd /mnt/share/c
		devcred_tool write builtin factory selfsigned.pem selfsigned.key
		devcred-restart
		devcred_tool status builtin | grep -qx origin=factory
		$(status_is Self-signed)"
tap_ok "Installed: valid, signed by a CA outside the vendor set" \
	vm --flash "$tmp/f4.img" --share "$tmp" --no-daemon -- sh -ec "
		cd /mnt/share/c
		devcred_tool write builtin factory platform1.pem platform1.key
		devcred-restart
		$(status_is Installed)"
tap_ok "Invalid: expired, or a key that does not match" \
	vm --flash "$tmp/f5.img" --share "$tmp" --no-daemon -- sh -ec "
		cd /mnt/share/c
		devcred_tool write builtin factory expired.pem expired.key
		devcred-restart
		$(status_is Invalid)
		echo 1 >/sys/module/devcred/parameters/factory_mode
		devcred_tool write builtin factory platform1.pem platform2.key
		$(status_is Invalid)
		credctl status --json | grep -q 'does not match'"
tap_ok "Not Installed: empty built-in slot" \
	vm --flash "$tmp/f6.img" --share "$tmp" -- sh -ec "
		devcred_tool erase builtin
		$(status_is 'Not Installed')"
# The table credctl reads is the one make install puts in the image, as a
# BSP recipe would (the image once lacked it: the command failed on the
# board and passed on the host).
tap_ok "factory-expected answers on the board from the installed table" \
	vm --no-daemon -- sh -ec "
		test -f /usr/share/devcred/factory-certs.tsv
		credctl factory-expected 2201-12450-001 K >/tmp/out
		cat /tmp/out
		printf 'yes\tSoundPoint IP 450\tJ\tJuly 2009\n' | cmp - /tmp/out
		credctl factory-expected 2200-37172-001 2 | grep -qx 'no	SpectraLink 8452	3	December 2011'
		set +e
		credctl factory-expected 9999-99999-999 A 2>/tmp/err
		rc=\$?
		set -e
		[ \$rc -eq 1 ]
		grep -q \"unknown part number '9999-99999-999'\" /tmp/err"
tap_done
