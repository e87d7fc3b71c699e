#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot-time provisioning on the board (devcred-provision, issue 19): nginx
# on the host's 127.0.0.1 serves <MAC>.cfg and its two CONFIG_FILES from a
# folder that requires a client certificate (/mtls/); the board reaches it
# as 10.0.2.100 (scripts/vm --guestfwd).
#
#  - a board whose only configuration is provisioning.conf fetches the
#    master file and both files, presenting its platform credential (nginx
#    logs the device's subject with verify=SUCCESS), and applies them:
#    application credentials and bindings;
#  - after a reboot on the same flash they are back;
#  - with nginx down at boot and up 20 s after the first round failed, the
#    device provisions within the backoff, by itself; before that, with no
#    round applied yet, the platform TLS profile settings the first file
#    gave are there, from the flash record (the board's /var/lib is an
#    initramfs: nothing else keeps them across the reboot).
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/nginx.sh"

tmp=$(mktemp -d)
trap 'kill "$(cat "$tmp/ng/nginx.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$tmp"' EXIT
flash=$tmp/flash.img
c=$tmp/c
sh "$(dirname "$0")/mkcerts.sh" "$c" >/dev/null
nginx_start_devices "$tmp/ng" "$c"
www=$NGINX_DOCROOT/mtls
BOARD_PRELUDE="ln -s /mnt/share/c /c"

# attr NAME FILE: ' NAME="contents of FILE"' (XML makes the line breaks spaces)
attr() {
	printf ' %s="' "$1"
	cat "$2"
	printf '"'
}
# The first file: app1 and SIP on it, and platform profile settings
# (PlatformProfile1 on platform1, which provisioning already uses; syslog
# on PlatformProfile2, builtin); the second: app2, LDAP on it, and a SIP
# profile the first file's must win over.
{
	printf '<polycomConfig'
	attr sec.TLS.customDeviceCert.1 "$c/app1.pem"
	attr sec.TLS.customDeviceKey.1 "$c/app1.key"
	printf ' sec.TLS.profile.1.deviceCert="Application1" sec.TLS.profileSelection.SIP="ApplicationProfile1"'
	printf ' device.set="1" device.sec.TLS.profile.deviceCert1.set="1" device.sec.TLS.profile.deviceCert1="Platform1"'
	printf ' device.sec.TLS.profileSelection.syslog.set="1" device.sec.TLS.profileSelection.syslog="PlatformProfile2"/>\n'
} >"$tmp/site.cfg"
{
	printf '<polycomConfig'
	attr sec.TLS.customDeviceCert.2 "$c/platform2.pem"
	attr sec.TLS.customDeviceKey.2 "$c/platform2.key"
	printf ' sec.TLS.profile.1.deviceCert="Application2" sec.TLS.profile.2.deviceCert="Application2"'
	printf ' sec.TLS.profileSelection.LDAP="ApplicationProfile2"/>\n'
} >"$tmp/phone.cfg"
cp "$tmp/site.cfg" "$tmp/phone.cfg" "$www/"
# The board's MAC address is QEMU's default for its first NIC.
printf '<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, phone.cfg"/>\n' \
	>"$www/525400123456.cfg"
tap_plan 5
mkdir -p "$tmp/etc-devcred"
cp "$c/test-ca.pem" "$tmp/etc-devcred/provisioning-ca.pem"
printf 'server = https://10.0.2.100:%s/mtls/\ninterval = 0\n' "$NGINX_PORT" \
	>"$tmp/etc-devcred/provisioning.conf"

# Boot 1, without provisioning.conf (not shared yet): the platform
# credential the server will recognise, bound to provisioning, in flash.
point "setup: platform1 from other-ca bound to provisioning, in flash" "
	credctl install platform1 --cert /c/platform1.pem --key /c/platform1.key
	credctl bind provisioning platform1
	[ ! -e /run/devcred/provision.state ]"
mv "$tmp/etc-devcred" "$tmp/etc-devcred.later"
run_points --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT"
mv "$tmp/etc-devcred.later" "$tmp/etc-devcred"

PROVISIONED="$GUEST_WAIT_UNTIL
wait_until 90 'grep -qsx result=ok /run/devcred/provision.state' ||
	{ cat /run/devcred/provision.state /run/devcred-provision.log; exit 1; }
grep -qx files=site.cfg,phone.cfg /run/devcred/provision.state
credctl show app1 | grep -q app1.example
credctl show app2 | grep -q platform2.example
credctl bindings | grep -Eq '^sip +app1 '
credctl bindings | grep -Eq '^ldap +app2 '"

point "boot with only provisioning.conf: master file and both CONFIG_FILES applied" "$PROVISIONED
	credctl provision status | grep -q 'Credential:     platform1'
	credctl provision status | grep -q 'Master file:    525400123456.cfg'"
run_points --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT"
nginx_saw_device() {
	local n f
	for f in 525400123456.cfg site.cfg phone.cfg; do
		n=$(grep -F "GET /mtls/$f " "$NGINX_LOG" | grep -F ' 200 verify=SUCCESS' |
			grep -c 'CN=Custom-525400123456')
		[ "$n" -ge 1 ] || { echo "# nginx did not serve $f to the device's certificate:"; sed 's/^/# /' "$NGINX_LOG"; return 1; }
	done
}
tap_ok "nginx served all three files to the device's subject with verify=SUCCESS" nginx_saw_device

point "reboot on the same flash: application credentials and bindings are back" "$PROVISIONED
	credctl bindings | grep -Eq '^syslog +builtin '"
run_points --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT"

# nginx down at boot; up again on the same ports 20 s after the board
# says its first round failed (a file in the shared folder), so that the
# device must find it by its backoff.
nginx_stop
(
	for _ in $(seq 600); do [ -e "$tmp/first-round-failed" ] && break; sleep 0.5; done
	sleep 20
	nginx -p "$tmp/ng" -c "$tmp/ng/nginx.conf" -e "$tmp/ng/error.log" 2>>"$tmp/ng/stderr.log"
) &
restart=$!
point "server down at boot: the platform TLS profile settings are kept; up 20 s later: provisioned within the backoff" "$GUEST_WAIT_UNTIL
	wait_until 60 'grep -qsx result=failed /run/devcred/provision.state'
	grep -qx failures=1 /run/devcred/provision.state
	credctl profiles >/tmp/profiles
	touch /mnt/share/first-round-failed
	cat /tmp/profiles
	grep -q '^PlatformProfile1  *Platform1  *across reboots  *the flash record\$' /tmp/profiles
	grep -q '^syslog  *PlatformProfile2  *builtin  *builtin  *across reboots  *the flash record\$' /tmp/profiles
	grep -q '^provisioning  *PlatformProfile1  *platform1  *platform1  *-  *default\$' /tmp/profiles
	$PROVISIONED
	grep -q 'trying again in 5 s' /run/devcred-provision.log"
run_points --flash "$flash" --share "$tmp" --guestfwd "$NGINX_PORT"
# The nginx started again runs in the foreground of that subshell: stop it.
[ -e "$tmp/first-round-failed" ] || kill "$restart"
for _ in $(seq 100); do [ -s "$tmp/ng/nginx.pid" ] && break; sleep 0.1; done
kill "$(cat "$tmp/ng/nginx.pid" 2>/dev/null)" 2>/dev/null
wait "$restart"
tap_done
