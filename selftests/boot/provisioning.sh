#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Provisioning configuration files on the board: a file using every
# parameter applied and checked slot by slot and binding by binding, the
# older firmware's parameter, files that must change nothing, the files
# devcredd publishes under /run/devcred for each operation, and the
# provisioning directory devcredd applies at start.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
c=$tmp/c
sh "$(dirname "$0")/mkcerts.sh" "$c" >/dev/null
mkdir -p "$tmp/cfg"

# cfg NAME ATTRIBUTES...: a configuration file; @FILE@ in an attribute is
# replaced by that file of the test PKI, line breaks and all (XML makes
# them spaces, as in the phones' files).
cfg() {
	local name=$1 a v f
	shift
	{
		echo '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
		echo '<!-- a phone configuration file: most parameters are not devcred'"'"'s -->'
		echo '<polycomConfig up.backlight.idleIntensity="1" voIpProt.server.1.address="pbx.example">'
		for a in "$@"; do
			v=${a#*=}
			if [[ $v == @*@ ]]; then
				f=${v#@}
				v=$(cat "$c/${f%@}")
			fi
			printf '  <device %s="%s"/>\n' "${a%%=*}" "$v"
		done
		echo '</polycomConfig>'
	} >"$tmp/cfg/$name.xml"
}

# Every parameter devcred reads, in one file.
cfg full device.set=1 \
	device.sec.TLS.customDeviceCert1.set=1 \
	device.sec.TLS.customDeviceCert1.publicCert=@chain.p7b@ \
	device.sec.TLS.customDeviceCert1.privateKey=@platform2.key@ \
	device.sec.TLS.customDeviceCert2.set=1 \
	device.sec.TLS.customDeviceCert2.publicCert=@platform1.pem@ \
	device.sec.TLS.customDeviceCert2.privateKey=@platform1.key@ \
	sec.TLS.customDeviceCert.1=@app1.pem@ sec.TLS.customDeviceKey.1=@app1.key@ \
	sec.TLS.customDeviceCert.2=@platform1.pem@ sec.TLS.customDeviceKey.2=@platform1.key@ \
	sec.TLS.customDeviceCert.3=@platform2.pem@ sec.TLS.customDeviceKey.3=@platform2.key@ \
	sec.TLS.customDeviceCert.4=@chain.p7b@ sec.TLS.customDeviceKey.4=@platform2.key@ \
	sec.TLS.customDeviceCert.5=@app1.pem@ sec.TLS.customDeviceKey.5=@app1.key@ \
	sec.TLS.customDeviceCert.6=@platform1.pem@ sec.TLS.customDeviceKey.6=@platform1.key@ \
	device.sec.TLS.profile.deviceCert1.set=1 device.sec.TLS.profile.deviceCert1=Platform2 \
	device.sec.TLS.profile.deviceCert2.set=1 device.sec.TLS.profile.deviceCert2=Platform1 \
	sec.TLS.profile.1.deviceCert=Application1 sec.TLS.profile.2.deviceCert=Application2 \
	sec.TLS.profile.3.deviceCert=Application3 sec.TLS.profile.4.deviceCert=Builtin \
	sec.TLS.profile.5.deviceCert=Platform1 sec.TLS.profile.6.deviceCert=Application6 \
	device.sec.TLS.profileSelection.dot1x.set=1 device.sec.TLS.profileSelection.dot1x=PlatformProfile1 \
	device.sec.TLS.profileSelection.provisioning.set=1 \
	device.sec.TLS.profileSelection.provisioning=PlatformProfile2 \
	device.sec.TLS.profileSelection.syslog.set=1 device.sec.TLS.profileSelection.syslog=PlatformProfile2 \
	sec.TLS.profileSelection.syslog=ApplicationProfile3 \
	sec.TLS.profileSelection.SIP=ApplicationProfile1 sec.TLS.profileSelection.browser=ApplicationProfile2 \
	sec.TLS.profileSelection.LDAP=ApplicationProfile6 sec.TLS.profileSelection.XMPP=ApplicationProfile4
# UCS 3.3.2's one platform certificate.
cfg ssl device.set=1 device.sec.SSL.customDeviceCert.set=1 \
	device.sec.SSL.customDeviceCert.publicCert=@app1.pem@ \
	device.sec.SSL.customDeviceCert.privateKey=@app1.key@
# Files that must change nothing.
cfg bad-profile device.set=1 device.sec.TLS.profile.deviceCert2.set=1 \
	device.sec.TLS.profile.deviceCert2=Application2
cfg no-set device.set=1 device.sec.TLS.customDeviceCert2.publicCert=@app1.pem@ \
	device.sec.TLS.customDeviceCert2.privateKey=@app1.key@
cfg no-device-set device.sec.TLS.customDeviceCert2.set=1 \
	device.sec.TLS.customDeviceCert2.publicCert=@app1.pem@ \
	device.sec.TLS.customDeviceCert2.privateKey=@app1.key@
cfg p7-body sec.TLS.customDeviceCert.2=@p7-body.txt@ sec.TLS.customDeviceKey.2=@platform2.key@
cfg half-valid device.set=1 device.sec.TLS.customDeviceCert2.set=1 \
	device.sec.TLS.customDeviceCert2.publicCert=@app1.pem@ \
	device.sec.TLS.customDeviceCert2.privateKey=@app1.key@ \
	sec.TLS.customDeviceCert.3=@platform1.pem@ sec.TLS.customDeviceKey.3=@platform2.key@ \
	sec.TLS.profileSelection.SIP=ApplicationProfile3
cfg big-key device.set=1 device.sec.TLS.customDeviceCert2.set=1 \
	device.sec.TLS.customDeviceCert2.publicCert=@big.pem@ \
	device.sec.TLS.customDeviceCert2.privateKey=@big.key@
cfg app-for-dot1x sec.TLS.profileSelection.syslog=ApplicationProfile2 \
	sec.TLS.profile.2.deviceCert=Application2
printf '<a device.set="1">\n<b>\n</a>\n' >"$tmp/cfg/broken.xml"

# Three boots of one board, each running its points in turn with the PKI
# at /c and the files at /cfg. A point begins from the state the one before
# it left; a new boot where a point needs devcredd's first start.
BOARD_PRELUDE="ln -s /mnt/share/c /c; ln -s /mnt/share/cfg /cfg"
boot() {
	run_points --flash "$flash" --share "$tmp"
}

# fp FILE: its SHA-256 fingerprint as credctl shows it (guest side).
FP='fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed "s/^[^=]*=//"; }'

tap_plan 9

# unchanged FILE WANT: applying FILE changes nothing (slots, bindings); its
# exit status is 1 and its message matches WANT, or with WANT empty it is 0.
unchanged() {
	cat >"$tmp/unchanged.sh" <<'EOT' # sh -e
file=$1 want=$(cat "$2")
credctl list --json >/tmp/list.before
credctl bindings --json >/tmp/bind.before
rc=0
credctl apply "$file" >/tmp/out 2>/tmp/err || rc=$?
echo "credctl apply $file: status $rc"
cat /tmp/out /tmp/err
if [ -n "$want" ]; then
	[ $rc -eq 1 ]
	grep -q -- "$want" /tmp/err
	grep -q 'not applied; nothing was changed' /tmp/err
else
	[ $rc -eq 0 ]
	grep -q 'nothing to change' /tmp/out
fi
credctl list --json | cmp - /tmp/list.before
credctl bindings --json | cmp - /tmp/bind.before
EOT
	# WANT goes in a file: no quoting of it in the guest's command line.
	printf '%s' "$2" >"$tmp/want.$1"
	echo "sh -e /mnt/share/unchanged.sh /cfg/$1.xml /mnt/share/want.$1"
}
# app-for-dot1x first, on a fresh store with no profile settings: once
# full.xml's device.* syslog selection is in effect (kept on flash from then
# on) it wins over the file's sec.* one, as on a phone holding both, and the
# file is no longer wrong.
point "a file with every parameter: each slot and each binding as it says" "$FP
	$(unchanged app-for-dot1x 'syslog may only use Builtin, Platform1 or Platform2')
	credctl apply /cfg/full.xml | tee /tmp/out
	grep -qx 'platform1: installed .platform2.example. from device.sec.TLS.customDeviceCert1.publicCert' /tmp/out
	grep -qx 'sip: app1 (was builtin), from sec.TLS.profileSelection.SIP' /tmp/out
	for s in platform1:platform2 platform2:platform1 app1:app1 app2:platform1 app3:platform2 \
		 app4:platform2 app5:app1 app6:platform1; do
		credctl show \${s%%:*} | grep -qx \"SHA256:       \$(cat /c/\${s#*:}.sha256)\" ||
			{ echo \"slot \${s%%:*} is not \${s#*:}\"; exit 1; }
	done
	[ \$(credctl export platform1 --chain | grep -c 'BEGIN CERTIFICATE') -eq 2 ]
	credctl bindings --json | tee /tmp/b
	for b in 802.1x:platform2 provisioning:platform1 syslog:platform1 sip:app1 \
		 browser:app2 ldap:app6 presence:builtin; do
		grep -q \"\\\"operation\\\": \\\"\${b%%:*}\\\", \\\"slot\\\": \\\"\${b#*:}\\\"\" /tmp/b ||
			{ echo \"binding \$b\"; exit 1; }
	done
	grep -q 'configuration /cfg/full.xml applied' /run/devcredd.log"

point "the older firmware's device.sec.SSL.customDeviceCert installs platform1" "
	credctl apply /cfg/ssl.xml
	credctl show platform1 | grep -qx \"SHA256:       \$(cat /c/app1.sha256)\""

point "files that change nothing: bad values, missing .set, PKCS#7 without its lines, half valid, too big, broken XML" "
	credctl apply /cfg/full.xml >/dev/null
	$(unchanged bad-profile "device.sec.TLS.profile.deviceCert2 is 'Application2'; permitted values are Builtin, Platform1 or Platform2")
	$(unchanged no-set '')
	$(unchanged no-device-set '')
	$(unchanged p7-body 'sec.TLS.customDeviceCert.2: could not decode the certificate chain: it is a PKCS#7 body without its lines')
	$(unchanged half-valid 'sec.TLS.customDeviceCert.3, sec.TLS.customDeviceKey.3: app3: private key does not match the certificate')
	$(unchanged big-key 'device.sec.TLS.customDeviceCert2.publicCert, device.sec.TLS.customDeviceCert2.privateKey: platform2: private key is .* bytes; platform slots hold at most 4096')
	$(unchanged broken 'not well-formed XML at line 3')
	grep -q 'ignored: device.set is not 1' /run/devcredd.log"

boot

point "/run/devcred/OP: certificate, chain and key of the bound slot; key 0600; credctl path" "$FP
	credctl apply /cfg/full.xml >/dev/null
	for b in 802.1x:platform1 provisioning:platform2 sip:app1 browser:platform1 ldap:platform1; do
		op=\${b%%:*}
		[ \"\$(fp /run/devcred/\$op/cert.pem)\" = \"\$(cat /c/\${b#*:}.sha256)\" ] || { echo \"\$op\"; exit 1; }
	done
	[ \$(grep -c 'BEGIN CERTIFICATE' /run/devcred/provisioning/chain.pem) -eq 2 ]
	[ \$(grep -c 'BEGIN CERTIFICATE' /run/devcred/provisioning/cert.pem) -eq 1 ]
	[ \"\$(openssl pkey -in /run/devcred/provisioning/key.pem -pubout)\" = \"\$(openssl x509 -in /run/devcred/provisioning/cert.pem -noout -pubkey)\" ]
	[ \"\$(stat -c %a /run/devcred/sip/key.pem)\" = 600 ]
	[ \"\$(stat -c %a /run/devcred/sip/cert.pem)\" = 644 ]
	[ \"\$(credctl path sip --key)\" = /run/devcred/\$(readlink /run/devcred/sip)/key.pem ]
	[ \"\$(credctl path provisioning --cert)\" = /run/devcred/\$(readlink /run/devcred/provisioning)/cert.pem ]
	credctl path provisioning | grep -qx /run/devcred/\$(readlink /run/devcred/provisioning)/chain.pem
	[ \"\$(fp /run/devcred/presence/cert.pem)\" = \"\$(credctl show builtin | sed -n 's/^SHA256: *//p')\" ]"

point "published files follow removals, rebinding and changes made around devcredd" "$FP
	credctl apply /cfg/full.xml >/dev/null
	credctl remove app1
	[ ! -e /run/devcred/sip ]
	[ -z \"\$(ls -a /run/devcred | grep '^\\.sip-')\" ]
	if credctl path sip --cert 2>/tmp/err; then echo 'credctl path sip: a path, for an empty slot'; exit 1; fi
	grep -q 'sip: no credential published' /tmp/err
	credctl bind sip app2
	[ \"\$(fp /run/devcred/sip/cert.pem)\" = \"\$(cat /c/platform1.sha256)\" ]
	# Straight through the device, not devcredd: seen within its poll period.
	devcred_tool erase app2
	i=0; while [ -e /run/devcred/sip ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done
	[ ! -e /run/devcred/sip ]
	# browser used app2 too; the others stay.
	ls /run/devcred | grep -v devcredd.sock | tr '\\n' ' ' >/tmp/ls
	cat /tmp/ls
	[ \"\$(cat /tmp/ls)\" = '802.1x ldap presence provisioning syslog ' ]"

boot

point "key.pem mode 0640 and group with devcredd --key-group" "
	devcred-restart --key-group devcred
	[ \"\$(stat -c '%a %G' /run/devcred/provisioning/key.pem)\" = '640 devcred' ]"

point "a reader never sees one credential's certificate with another's key" "
	credctl install platform1 --cert /c/platform1.pem --key /c/platform1.key
	credctl bind provisioning platform1
	( while [ ! -e /tmp/stop ]; do
		credctl install platform1 --cert /c/platform2.pem --key /c/platform2.key >/dev/null
		credctl install platform1 --cert /c/platform1.pem --key /c/platform1.key >/dev/null
	done ) &
	# As a TLS program loads its pair: resolve the link once, open both files
	# in that directory, then use them (here: compare their public keys).
	n=0 tries=0 seen=
	while { [ \$n -lt 10 ] || [ \$(echo \$seen | wc -w) -lt 3 ]; } && [ \$tries -lt 400 ]; do
		tries=\$((tries+1))
		d=\$(readlink /run/devcred/provisioning) || continue
		cat /run/devcred/\$d/cert.pem >/tmp/cert.pem 2>/dev/null || continue
		cat /run/devcred/\$d/key.pem >/tmp/key.pem 2>/dev/null || continue
		c=\$(openssl x509 -in /tmp/cert.pem -noout -pubkey) || { touch /tmp/stop; exit 1; }
		k=\$(openssl pkey -in /tmp/key.pem -pubout) || { touch /tmp/stop; exit 1; }
		[ \"\$c\" = \"\$k\" ] || { echo mismatch in \$d; touch /tmp/stop; exit 1; }
		n=\$((n+1))
		case \$seen in *\"\$d\"*) ;; *) seen=\"\$seen \$d\" ;; esac
	done
	touch /tmp/stop; wait
	echo \"\$n consistent reads of \$(echo \$seen | wc -w) versions in \$tries tries\"
	[ \$n -ge 10 ]
	[ \$(echo \$seen | wc -w) -ge 3 ]
	# The version in use and the one it replaced; no others left behind.
	[ \$(ls -a /run/devcred | grep -c '^\\.provisioning-') -eq 2 ]
	# The replaced one holds the previous key: gone within 10 s and a poll.
	i=0
	while [ \$(ls -a /run/devcred | grep -c '^\\.provisioning-') -gt 1 ] && [ \$i -lt 150 ]; do
		sleep 0.1; i=\$((i+1))
	done
	[ \$(ls -a /run/devcred | grep -c '^\\.provisioning-') -eq 1 ]"

point "devcredd applies its provisioning directory at start" "
	mkdir -p /etc/devcred/provisioning.d
	cp /cfg/ssl.xml /etc/devcred/provisioning.d/10-ssl.xml
	cp /cfg/bad-profile.xml /etc/devcred/provisioning.d/20-bad.xml
	devcred-restart
	credctl show platform1 | grep -qx \"SHA256:       \$(cat /c/app1.sha256)\"
	grep -q 'configuration 10-ssl.xml applied' /run/devcredd.log
	grep -q 'configuration /etc/devcred/provisioning.d/20-bad.xml: credctl: device.sec.TLS.profile.deviceCert2' /run/devcredd.log"

point "a file from the provisioning server's URI: file:// here, http(s) in the TLS tests" "
	credctl apply file:///cfg/ssl.xml
	credctl show platform1 | grep -qx \"SHA256:       \$(cat /c/app1.sha256)\""

boot
tap_done
