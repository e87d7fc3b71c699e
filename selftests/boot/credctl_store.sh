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

# Three boots of one board, each running its points in turn with the
# certificates at /c; a new boot only where a point needs one (application
# slots are empty after a reboot).
BOARD_PRELUDE="ln -s /mnt/share/c /c; cd /c"
boot() {
	run_points --flash "$flash" --share "$tmp"
}

tap_plan 17
point "first boot: self-signed built-in with CN = MAC, status Self-signed" "
	credctl status | grep -qx 'Device Certificate: Self-signed'
	credctl show builtin | grep -qx 'Common name:  $MAC'
	credctl list --json | grep -q '\"slot\": \"builtin\", \"state\": \"present\", \"origin\": \"self-signed\", \"common_name\": \"$MAC\"'
	grep -q 'made a self-signed built-in certificate for $MAC' /run/devcredd.log
	dmesg | grep -q 'devcred: builtin: saved new self-signed credential'"

point "install, show, export on a platform and an application slot" "
	credctl install platform1 --cert platform1.pem --key platform1.key
	credctl install app1 --bundle bundle.pem
	credctl show platform1 | grep -qx \"SHA256:       \$(cat platform1.sha256)\"
	credctl show app1 --json | grep -q \"\\\"sha256\\\": \\\"\$(cat platform2.sha256)\\\"\"
	credctl export platform1 | openssl x509 -noout -fingerprint -sha256 | grep -q \"\$(cat platform1.sha256)\"
	credctl export platform1 >/tmp/export
	if grep -q PRIVATE /tmp/export; then echo 'export printed a private key'; exit 1; fi
	grep -q \"saving new credential in platform1: common name 'Custom-$MAC', MD5 fingerprint\" /run/devcredd.log"

point "PKCS#7 chain, encrypted key with passphrase file, export --chain" "
	credctl install platform2 --cert chain.p7b --key platform2.key
	[ \$(credctl export platform2 --chain | grep -c 'BEGIN CERTIFICATE') -eq 2 ]
	credctl install app2 --cert platform1.pem --key enc.key --passphrase-file pass.txt
	credctl show app2 | grep -q 'Custom-$MAC'"

# refused DESC WANT CMD... : CMD fails with status 1, its message matches $want, and
# the store lists exactly as before.
refused() {
	local desc=$1

	shift
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
	point "$desc" "WANT='$1' sh -e /mnt/share/refused.sh ${*:2}"
}
refused "key over 4096 bytes refused on platform1, named with the numbers" \
	"platform1: private key is [0-9]* bytes; platform slots hold at most 4096" \
	credctl install platform1 --cert big.pem --key big.key
refused "mismatched pair refused" "does not match" \
	credctl install platform2 --cert platform1.pem --key platform2.key
refused "expired certificate refused without --force" "expired" \
	credctl install app3 --cert expired.pem --key expired.key
refused "encrypted key without a passphrase refused" "passphrase" \
	credctl install app3 --cert platform1.pem --key enc.key
refused "PKCS#7 body without its BEGIN/END lines refused as exactly that" \
	"PKCS#7 body without" credctl install platform2 --cert p7-body.txt --key platform2.key

point "the big key fits an application slot; --force takes the expired one" "
	credctl install app4 --cert big.pem --key big.key
	credctl install app5 --cert expired.pem --key expired.key --force
	credctl list | grep -q '^app5 *present'"

# The phones' own lines (issue 19), for the actions of the points above.
point "the phones' lines word for word: a save, a key too big, a bare PKCS#7 body, a CSR" "
	grep -q 'Saving new Custom platform device certificate 1\$' /run/devcredd.log
	grep -q \"New Certificate Common Name 'Custom-$MAC' Fingerprint '\$(openssl x509 -in platform1.pem -noout -fingerprint -md5 | sed 's/^[^=]*=//')'\" /run/devcredd.log
	grep -q 'No previous certificate stored\$' /run/devcredd.log
	grep -q 'Could not store key for custom device key1, length [0-9]* is bigger than maximum 4096\$' /run/devcredd.log
	grep -q 'Could not decode cert chain, results 0\$' /run/devcredd.log
	if credctl install platform1 --cert big.pem --key big.key 2>/tmp/err; then exit 1; fi
	grep -qx 'credctl: Failed to save certificate' /tmp/err
	mkdir -p /tmp/csr
	credctl csr --cn csr.example --key-type ec-p256 --out /tmp/csr | grep -qx 'CSR generation completed'"

# TLS profile settings combine across files; the platform part is kept on
# flash with the bindings, its sources in the state folder (on the share
# here: the board's root is an initramfs).
point "TLS profiles: a deviceCert file then a selection file bind provisioning to their combination" "
	devcred-restart --state-dir /mnt/share/state
	printf '<c device.set=\"1\" device.sec.TLS.profile.deviceCert2.set=\"1\" device.sec.TLS.profile.deviceCert2=\"Platform1\"/>' >/tmp/cert2.xml
	printf '<c device.set=\"1\" device.sec.TLS.profileSelection.provisioning.set=\"1\" device.sec.TLS.profileSelection.provisioning=\"PlatformProfile2\"/>' >/tmp/select.xml
	credctl apply /tmp/cert2.xml | grep -q 'PlatformProfile2: deviceCert Platform1'
	credctl apply /tmp/select.xml | grep -q 'provisioning: platform1 (was builtin)'
	credctl bindings | grep -q '^provisioning  *platform1  *yes'
	credctl profiles | grep -q '^provisioning  *PlatformProfile2  *platform1  *platform1  *across reboots  */tmp/select.xml\$'"

boot

# A new boot: app1 is empty, so sip bound to it has no credential.
point "bindings: platform-only rule, unavailable slot, stored" "
	credctl bind 802.1x platform1
	credctl bind sip app1 | grep -q 'note: app1 is empty'
	if credctl bind provisioning app1 2>/tmp/err; then echo 'provisioning bound to app1'; exit 1; fi
	grep -q 'provisioning may only use builtin, platform1 or platform2' /tmp/err
	credctl bindings | grep -q '^802.1x  *platform1  *yes'
	credctl bindings --json | grep -q '\"operation\": \"sip\", \"slot\": \"app1\", \"available\": false'"

boot

point "after a reboot platform slots and bindings stay, application slots are empty" "
	credctl list | grep -q '^platform1 *present'
	credctl list | grep -q '^platform2 *present'
	credctl list | grep -q '^app1 *empty'
	credctl bindings | grep -q '^802.1x  *platform1  *yes'
	credctl bindings | grep -q '^sip  *app1  *no'
	grep -q 'platform1 certificate length [0-9]*, MD5 fingerprint' /run/devcredd.log"

point "after a reboot the phones' boot lines, and the platform TLS profile settings stay" "
	grep -q 'Custom platform device certificate 1 length [0-9]*\$' /run/devcredd.log
	grep -q 'Custom platform device certificate 1 MD5 fingerprint: [0-9A-F:]*\$' /run/devcredd.log
	grep -q 'Custom platform device certificate 1 common name \"Custom-$MAC\"\$' /run/devcredd.log
	grep -q 'Custom platform device key 1 length [0-9]*\$' /run/devcredd.log
	grep -q 'Polycom device certificate common name \"$MAC\"\$' /run/devcredd.log
	credctl profiles | grep -q '^PlatformProfile2  *Platform1  *across reboots  *the flash record\$'
	credctl profiles | grep -q '^provisioning  *PlatformProfile2  *platform1  *platform1  *across reboots  *the flash record\$'
	devcred-restart --state-dir /mnt/share/state
	credctl profiles | grep -q '^PlatformProfile2  *Platform1  *across reboots  */tmp/cert2.xml\$'
	credctl profiles | grep -q '^provisioning  *PlatformProfile2  *platform1  *platform1  *across reboots  */tmp/select.xml\$'
	credctl bindings | grep -q '^provisioning  *platform1  *yes'"

point "a non-root user reads but cannot change the store" "
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
point "a member of devcredd's admin group (-g devcred) may change the store" "
	sed -i -e 's/^devcred:x:100:..*/&,user/' -e 's/^devcred:x:100:\$/&user/' /etc/group
	grep -q '^devcred:x:100:.*[:,]user\$' /etc/group
	chmod 0644 /c/*.pem /c/*.key
	su user -s /bin/sh -c 'credctl install app3 --bundle bundle.pem'
	su user -s /bin/sh -c 'credctl remove app3'"
point "remove empties platform and application slots; the built-in stays" "
	credctl install app2 --bundle bundle.pem
	credctl remove app2
	credctl remove platform2
	credctl list | grep -q '^app2 *empty'
	credctl list | grep -q '^platform2 *empty'
	if credctl remove builtin 2>/tmp/err; then echo 'the built-in certificate was removed'; exit 1; fi
	grep -q 'the built-in certificate stays' /tmp/err
	credctl status | grep -qx 'Device Certificate: Self-signed'"
boot
tap_done
