#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcredd on the host (ASan, UBSan), over the fake device of fake_device.c,
# driven by credctl as the board's tests drive them: start-up, the commands,
# refusals that change nothing, the published files, who may change the
# store, stopping. TAP on stdout.
#
#	test_devcredd.sh HOST PKI	(HOST: the host build folder with
#					devcredd and credctl; PKI: the
#					certificates of selftests/boot/mkcerts.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# unprivileged clients reach the socket in it
. "$(dirname "$0")/devcredd_env.sh"
trap 'daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# refused WANT CREDCTL-ARGS... : credctl exits 1 saying WANT; the store lists
# as before.
refused() {
	local want=$1 rc

	shift
	ctl list --json >"$tmp/before" || return 1
	ctl "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || { echo "credctl $*: status $rc"; cat "$tmp/err"; return 1; }
	has "$tmp/err" "$want" && ctl list --json | cmp - "$tmp/before"
}

t_start() {
	ctl status >"$tmp/out" && has "$tmp/out" "Device Certificate: Self-signed" &&
		has "$tmp/log" "made a self-signed built-in certificate for 000000000000" &&
		has "$tmp/log" "serving $tmp/sock" && [ -S "$tmp/sock" ]
}
# status --json: the text for people, the stable value for programs.
t_status_json() {
	ctl status --json >"$tmp/out" &&
		has "$tmp/out" '"device_certificate": "Self-signed", "state": "self-signed", "detail": '
}
# --version: the package's version (dkms.conf), the protocol's, OpenSSL's.
t_version() {
	local ver want

	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$(dirname "$0")/../../dkms.conf")
	want="devcredd (devcred) $ver, protocol 1, OpenSSL 3."
	"$HOST/devcredd" --version >"$tmp/out" 2>&1 || { cat "$tmp/out"; return 1; }
	[ -n "$ver" ] && has "$tmp/out" "$want"
}
t_install_show_export() {
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >"$tmp/out" &&
		has "$tmp/out" "platform1: credential installed" &&
		ctl install app1 --bundle "$PKI/bundle.pem" &&
		ctl show platform1 >"$tmp/out" && has "$tmp/out" "SHA256:       $(cat "$PKI/platform1.sha256")" &&
		ctl export platform1 | openssl x509 -noout -fingerprint -sha256 >"$tmp/out" &&
		has "$tmp/out" "$(cat "$PKI/platform1.sha256")" &&
		! ctl export platform1 | grep -q PRIVATE &&
		ctl list >"$tmp/out" && grep -q '^app1 *present' "$tmp/out" &&
		has "$tmp/log" "saving new credential in platform1"
}
t_refusals() {
	refused "platform2: private key is" install platform2 --cert "$PKI/big.pem" --key "$PKI/big.key" &&
		refused "does not match" install platform2 --cert "$PKI/platform1.pem" --key "$PKI/platform2.key" &&
		refused "expired" install app3 --cert "$PKI/expired.pem" --key "$PKI/expired.key" &&
		refused "the built-in certificate stays" remove builtin
}
t_bind_publish() {
	ctl bind provisioning platform1 &&
		[ "$(openssl x509 -in "$tmp/run/provisioning/cert.pem" -noout -fingerprint -sha256 | sed 's/^[^=]*=//')" = \
		  "$(cat "$PKI/platform1.sha256")" ] &&
		[ "$(stat -c %a "$tmp/run/provisioning/key.pem")" = 600 ] &&
		ctl remove platform1 && [ ! -e "$tmp/run/provisioning" ]
}
t_apply() {
	{
		printf '<c device.set="1" device.sec.TLS.customDeviceCert2.set="1" device.sec.TLS.customDeviceCert2.publicCert="'
		cat "$PKI/platform2.pem"
		printf '" device.sec.TLS.customDeviceCert2.privateKey="'
		cat "$PKI/platform2.key"
		printf '"/>\n'
	} >"$tmp/cfg.xml"
	ctl apply "$tmp/cfg.xml" >"$tmp/out" && has "$tmp/out" "platform2: installed" &&
		has "$tmp/log" "configuration $tmp/cfg.xml applied"
}
# A file whose device.* parameters do not take effect changes nothing, and
# credctl says why on standard error, not only the daemon's log.
t_apply_says_why() {
	{
		printf '<c device.sec.TLS.customDeviceCert2.set="1" device.sec.TLS.customDeviceCert2.publicCert="'
		cat "$PKI/platform1.pem"
		printf '"/>\n'
	} >"$tmp/no-device-set.xml"
	printf '<c device.set="1" device.sec.TLS.profile.deviceCert2="Platform1"/>\n' >"$tmp/no-gate.xml"
	ctl apply "$tmp/no-device-set.xml" >"$tmp/out" 2>"$tmp/err" &&
		has "$tmp/out" "nothing to change" &&
		has "$tmp/err" "device.sec.TLS.customDeviceCert2.publicCert ignored: device.set is not 1" &&
		ctl apply "$tmp/no-gate.xml" >"$tmp/out" 2>"$tmp/err" &&
		has "$tmp/err" "device.sec.TLS.profile.deviceCert2 ignored: device.sec.TLS.profile.deviceCert2.set is not 1"
}
# has_since LINE TEXT: the log from line LINE on contains TEXT.
has_since() {
	tail -n +"$1" "$tmp/log" | grep -qF -- "$2" || { echo "not in the log since line $1: $2"; return 1; }
}
log_end() {
	echo $(($(wc -l <"$tmp/log") + 1))
}
# The phones' own lines, word for word, beside devcredd's (issue 19): a
# first and a second save of platform1, a platform key over 4096 bytes, a
# certificate that does not decode (the PKCS#7 body without its lines, in a
# file and given to install), and the lines at start.
t_seed_lines() {
	local from md5 cn

	ctl remove platform1 >/dev/null 2>&1
	ctl remove platform2 >/dev/null 2>&1
	md5=$(openssl x509 -in "$PKI/platform1.pem" -noout -fingerprint -md5 | sed 's/^[^=]*=//')
	cn=$(openssl x509 -in "$PKI/platform1.pem" -noout -subject -nameopt multiline |
		sed -n 's/^ *commonName *= //p')
	from=$(log_end)
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		has_since "$from" "Saving new Custom platform device certificate 1" &&
		has_since "$from" "New Certificate Common Name '$cn' Fingerprint '$md5'" &&
		has_since "$from" "No previous certificate stored" &&
		has_since "$from" "saving new credential in platform1" || return 1
	from=$(log_end)
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		has_since "$from" "Saving new Custom platform device certificate 1" || return 1
	if tail -n +"$from" "$tmp/log" | grep -qF "No previous certificate stored"; then
		echo "a replaced certificate was logged as the first one"
		return 1
	fi
	from=$(log_end)
	refused "platform2: private key is" install platform2 --cert "$PKI/big.pem" --key "$PKI/big.key" &&
		has "$tmp/err" "credctl: Failed to save certificate" &&
		has_since "$from" "Could not store key for custom device key2, length $(openssl pkey -in "$PKI/big.key" | wc -c) is bigger than maximum 4096" ||
		return 1
	{
		printf '<c device.set="1" device.sec.TLS.customDeviceCert2.set="1" device.sec.TLS.customDeviceCert2.publicCert="'
		openssl crl2pkcs7 -nocrl -certfile "$PKI/platform2.pem" | grep -v -- '-----'
		printf '"/>\n'
	} >"$tmp/bare.xml"
	from=$(log_end)
	refused "could not decode the certificate chain" apply "$tmp/bare.xml" &&
		has "$tmp/err" "credctl: Failed to save certificate" &&
		has_since "$from" "Could not decode cert chain, results 0" || return 1
	from=$(log_end)
	refused "but no certificate" install platform2 --cert "$PKI/platform2.key" --key "$PKI/platform2.key" &&
		has_since "$from" "Could not decode cert chain, results 0" || return 1
	from=$(log_end)
	daemon_stop && daemon_start &&
		has_since "$from" "Custom platform device certificate 1 length $(wc -c <"$tmp/dev/platform1.cert")" &&
		has_since "$from" "Custom platform device certificate 1 MD5 fingerprint: $md5" &&
		has_since "$from" "Custom platform device certificate 1 common name \"$cn\"" &&
		has_since "$from" "Custom platform device key 1 length $(wc -c <"$tmp/dev/platform1.key")" &&
		has_since "$from" "Custom platform device certificate 2 is not available" &&
		has_since "$from" "Polycom device certificate length $(wc -c <"$tmp/dev/builtin.cert")" &&
		has_since "$from" "Polycom device certificate common name \"000000000000\"" &&
		has_since "$from" "platform1 certificate length" &&
		ctl remove platform1 >/dev/null
}
# TLS profiles are state (issue 19, item 4): a file setting a profile's
# deviceCert alone and a later one setting the selection alone end in the
# binding of both; the platform part is kept across a reboot (the run
# folder, a tmpfs, is empty after one), the application part until then.
t_profiles_combine() {
	local f=$tmp/profiles

	mkdir -p "$f" &&
		ctl install app1 --bundle "$PKI/bundle.pem" >/dev/null &&
		ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl bind sip builtin >/dev/null && ctl bind provisioning builtin >/dev/null || return 1
	printf '<c sec.TLS.profile.1.deviceCert="Application1"/>\n' >"$f/a.xml"
	printf '<c sec.TLS.profileSelection.SIP="ApplicationProfile1"/>\n' >"$f/b.xml"
	printf '<c device.set="1" device.sec.TLS.profile.deviceCert2.set="1" device.sec.TLS.profile.deviceCert2="Platform1"/>\n' >"$f/c.xml"
	printf '<c device.set="1" device.sec.TLS.profileSelection.provisioning.set="1" device.sec.TLS.profileSelection.provisioning="PlatformProfile2"/>\n' >"$f/d.xml"
	printf '<c device.set="1" device.sec.TLS.profile.deviceCert2.set="1" device.sec.TLS.profile.deviceCert2="Builtin"/>\n' >"$f/e.xml"
	ctl apply "$f/a.xml" >"$tmp/out" &&
		has "$tmp/out" "ApplicationProfile1: deviceCert Application1 (was Builtin, the default)" &&
		ctl bindings | grep -q '^sip  *builtin' &&
		ctl apply "$f/b.xml" >"$tmp/out" &&
		has "$tmp/out" "sip: app1 (was builtin), from sec.TLS.profileSelection.SIP" &&
		ctl bindings | grep -q '^sip  *app1' || { cat "$tmp/out"; return 1; }
	ctl apply "$f/c.xml" >/dev/null && ctl apply "$f/d.xml" >"$tmp/out" &&
		has "$tmp/out" "provisioning: platform1 (was builtin)" &&
		ctl profiles >"$tmp/out" || { cat "$tmp/out"; return 1; }
	cat "$tmp/out"
	grep -q "^ApplicationProfile1  *Application1  *until reboot  *$f/a.xml\$" "$tmp/out" &&
		grep -q "^PlatformProfile2  *Platform1  *across reboots  *$f/c.xml\$" "$tmp/out" &&
		grep -q "^sip  *ApplicationProfile1  *app1  *app1  *until reboot  *$f/b.xml\$" "$tmp/out" &&
		grep -q "^provisioning  *PlatformProfile2  *platform1  *platform1  *across reboots  *$f/d.xml\$" "$tmp/out" &&
		grep -q "^browser  *PlatformProfile1  *builtin  *builtin  *-  *default\$" "$tmp/out" &&
		ctl profiles --json | grep -qF '"operation": "sip", "profile": "ApplicationProfile1", "uses": "app1", "bound_to": "app1", "kept": "ram", "from": ' ||
		return 1
	# devcredd started again: both parts; a reboot: the platform part.
	daemon_stop && daemon_start && ctl profiles | grep -q "^sip  *ApplicationProfile1 .*$f/b.xml\$" &&
		daemon_stop && rm "$tmp/run/.profiles" && daemon_start &&
		ctl profiles >"$tmp/out" && cat "$tmp/out" &&
		grep -q "^PlatformProfile2  *Platform1  *across reboots  *$f/c.xml\$" "$tmp/out" &&
		grep -q "^provisioning  *PlatformProfile2  *platform1 .*$f/d.xml\$" "$tmp/out" &&
		grep -q "^ApplicationProfile1  *Builtin  *-  *default\$" "$tmp/out" &&
		grep -q "^sip  *PlatformProfile1  *builtin  *app1  *-  *default\$" "$tmp/out" || return 1
	# syslog: the device.* selection of an earlier file wins over a later
	# application one, which is kept beside it (until reboot).
	printf '<c device.set="1" device.sec.TLS.profileSelection.syslog.set="1" device.sec.TLS.profileSelection.syslog="PlatformProfile2"/>\n' >"$f/s1.xml"
	printf '<c sec.TLS.profileSelection.syslog="ApplicationProfile4"/>\n' >"$f/s2.xml"
	ctl apply "$f/s1.xml" >/dev/null && ctl apply "$f/s2.xml" >"$tmp/out" &&
		has "$tmp/out" "syslog: the application's selection is ApplicationProfile4 (the device.* selection, given, wins)" &&
		ctl bindings | grep -q '^syslog  *platform1' &&
		ctl profiles | grep -q "^syslog  *PlatformProfile2  *platform1  *platform1  *across reboots  *$f/s1.xml\$" &&
		grep -qx "select-app syslog ApplicationProfile4 $f/s2.xml" "$tmp/run/.profiles" || return 1
	# The kept selection counts: PlatformProfile2 made Builtin rebinds provisioning.
	ctl apply "$f/e.xml" >"$tmp/out" &&
		has "$tmp/out" "provisioning: builtin (was platform1), from device.sec.TLS.profile.deviceCert2" &&
		has "$tmp/out" "syslog: builtin (was platform1), from device.sec.TLS.profile.deviceCert2" &&
		ctl remove platform1 >/dev/null
}
# The platform part lives in the store, with the bindings: a reboot on a
# board whose state folder is not persistent (an empty one here, and the
# run folder emptied) still has it, its source then the flash record.
t_profiles_on_the_store() {
	daemon_stop && rm -f "$tmp/run/.profiles" && daemon_start -D "$tmp/empty-state" &&
		ctl profiles >"$tmp/out" && cat "$tmp/out" &&
		grep -q "^PlatformProfile2  *Builtin  *across reboots  *the flash record\$" "$tmp/out" &&
		grep -q "^provisioning  *PlatformProfile2  *builtin  *builtin  *across reboots  *the flash record\$" "$tmp/out" &&
		grep -q "^syslog  *PlatformProfile2  *builtin  *builtin  *across reboots  *the flash record\$" "$tmp/out" &&
		grep -q "^sip  *PlatformProfile1  *builtin  *app1  *-  *default\$" "$tmp/out" &&
		daemon_stop && daemon_start
}
# A state folder that cannot be written: the file is applied (the store
# changed), credctl warns and exits 0, devcredd logs why.
t_profiles_unwritable() {
	: >"$tmp/not-a-folder"
	printf '<c sec.TLS.profile.3.deviceCert="Platform2"/>\n' >"$tmp/p3.xml"
	daemon_stop && daemon_start -D "$tmp/not-a-folder/state" || return 1
	ctl apply "$tmp/p3.xml" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; return 1; }
	has "$tmp/out" "ApplicationProfile3: deviceCert Platform2" &&
		has "$tmp/err" "credctl: warning: the TLS profile settings could not be written" &&
		has "$tmp/log" "TLS profiles: cannot write $tmp/not-a-folder/state/profiles: Not a directory" &&
		ctl profiles | grep -q "^ApplicationProfile3  *Platform2  *until reboot  *$tmp/p3.xml\$" &&
		daemon_stop && daemon_start
}
t_unprivileged() {
	as_user 65534 65534 - "$CREDCTL" list >"$tmp/out" && grep -q '^app1 *present' "$tmp/out" &&
		! as_user 65534 65534 - "$CREDCTL" remove app1 2>"$tmp/err" && has "$tmp/err" "permission denied" &&
		as_user 65534 "$ADMIN_GID" - "$CREDCTL" remove app1 &&
		ctl list >"$tmp/out" && grep -q '^app1 *empty' "$tmp/out"
}
# csr: the key kept as a pending key, or written with the request; an RSA
# key is made by a worker: requests that come meanwhile are answered, each
# in under half the csr's time. The times are devcredd's own (its log: from
# the connection to the answer), which a loaded machine's process starts
# and scheduling do not blur as they do times taken by the client. Three
# lists go at once as soon as devcredd has the csr; a key made before any
# of them was answered (a lucky prime search) is made again, twice at most.
t_csr() {
	local d=$tmp/csr from pid try a b c during worst csr

	mkdir -p "$d" &&
		ctl csr --cn csr.example --key ec-p256 --out "$d" >"$tmp/out" &&
		has "$tmp/out" "CSR generation completed" &&
		openssl req -in "$d/000000000000.csr" -noout -verify 2>&1 | grep -q 'verify OK' &&
		[ "$(openssl req -in "$d/000000000000.csr" -noout -pubkey)" = \
		  "$(openssl pkey -in "$d/000000000000-private.key" -pubout)" ] || return 1
	for try in 1 2 3; do
		from=$(($(wc -l <"$tmp/log") + 1))
		ctl csr --cn worker.example --key rsa3072 --keep-key app3 --out "$d" >"$tmp/out" &
		pid=$!
		until tail -n +"$from" "$tmp/log" | grep -q 'uid 0 pid [0-9]*: csr'; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		ctl list >/dev/null &
		a=$!
		ctl list >/dev/null &
		b=$!
		ctl list >/dev/null &
		c=$!
		wait "$a" && wait "$b" && wait "$c" || { echo "a list failed"; return 1; }
		wait "$pid" && [ -s "$tmp/dev/app3.pending" ] || { echo "csr --keep-key app3 failed"; return 1; }
		tail -n +"$from" "$tmp/log" | grep -E 'uid 0( pid [0-9]*)?: (csr|list)' >"$tmp/csr.log"
		cat "$tmp/csr.log"
		# The lists answered between the csr's request and its answer.
		during=$(sed -n '/uid 0 pid [0-9]*: csr/,/uid 0: csr answered/p' "$tmp/csr.log" |
			sed -n 's/.*uid 0: list answered with status 0, \([0-9]*\) ms after connecting$/\1/p')
		[ -z "$during" ] || break
		echo "try $try: the key was made before a list was answered; again"
	done
	[ -n "$during" ] || return 1
	worst=$(echo "$during" | sort -n | tail -n1)
	csr=$(sed -n 's/.*uid 0: csr answered with status 0, \([0-9]*\) ms after connecting$/\1/p' \
		"$tmp/csr.log")
	echo "an rsa3072 csr took $csr ms; $(echo "$during" | wc -l) lists meanwhile, $worst ms at most"
	[ -n "$csr" ] && [ $((worst * 2)) -lt "$csr" ]
}

# csr --san: the names in the request's subjectAltName; a kind of name a
# device does not use, or no list at all: refused, nothing made.
t_csr_san() {
	local d=$tmp/csr-san

	rm -rf "$d" && mkdir -p "$d" &&
		ctl csr --cn san.example --san DNS:phone.example,IP:192.0.2.1,email:ops@example.com \
			--key-type ec-p256 --out "$d" >"$tmp/out" &&
		openssl req -in "$d/000000000000.csr" -noout -verify 2>&1 | grep -q 'verify OK' &&
		openssl req -in "$d/000000000000.csr" -noout -text >"$tmp/req.txt" &&
		has "$tmp/req.txt" "X509v3 Subject Alternative Name" &&
		has "$tmp/req.txt" "DNS:phone.example, IP Address:192.0.2.1, email:ops@example.com" &&
		has "$tmp/log" "subjectAltName DNS:phone.example,IP:192.0.2.1,email:ops@example.com" &&
		rm "$d"/* || return 1
	for bad in URI:https://x.example dirName:sect IP:300.1.1.1 nonsense email:copy; do
		ctl csr --cn san.example --san "$bad" --key-type ec-p256 --out "$d" >"$tmp/out" 2>"$tmp/err" &&
			{ echo "--san $bad was taken"; return 1; }
		has "$tmp/err" "--san " || return 1
		[ -z "$(ls -A "$d")" ] || { echo "--san $bad left files"; return 1; }
	done
	has "$tmp/err" "is not a subjectAltName list" &&
		ctl csr --cn san.example --san URI:https://x.example --out "$d" 2>&1 |
		grep -qF "name 1 is neither DNS:, IP: nor email:"
}

# status makes the built-in key sign: any user may ask it again and again,
# but it is computed once per store generation.
t_status_cached() {
	local i

	: >"$tmp/dev/trace"
	for i in $(seq 30); do
		as_user 65534 65534 - "$CREDCTL" status >/dev/null || return 1
	done
	[ "$(grep -c '^read_key builtin$' "$tmp/dev/trace")" -le 1 ] ||
		{ echo "30 status requests read the built-in key $(grep -c '^read_key builtin$' "$tmp/dev/trace") times"; return 1; }
	ctl install app2 --bundle "$PKI/bundle.pem" && : >"$tmp/dev/trace" &&
		as_user 65534 65534 - "$CREDCTL" status >/dev/null &&
		[ "$(grep -c '^read_key builtin$' "$tmp/dev/trace")" -eq 1 ] &&
		ctl remove app2 && rm "$tmp/dev/trace"
}

# 200 idle and 200 slow unprivileged connections while root installs, binds
# and reads: every root request answered by devcredd within 1 s of
# connecting (its log says; the commands' whole runs, ASan's start-up
# included, within 5 s on a shared, loaded machine), every slow request answered,
# and the store holds what root's last install put there.
t_load() {
	local p=$PKI worst from

	from=$(($(wc -l <"$tmp/log") + 1))
	"$HOST/devcredd_load" -i 200 -s 200 -t 15 -l 5000 -- \
		"$CREDCTL install app1 --cert $p/platform1.pem --key $p/platform1.key" \
		"$CREDCTL bind sip app1" "$CREDCTL list" \
		"$CREDCTL install app1 --cert $p/platform2.pem --key $p/platform2.key" \
		"$CREDCTL show app1" "$CREDCTL bindings" || return 1
	worst=$(tail -n +"$from" "$tmp/log" |
		sed -n 's/.*uid 0: .* answered with status [0-9]*, \([0-9]*\) ms after connecting$/\1/p' |
		sort -n | tail -n1)
	echo "devcredd answered root within $worst ms"
	[ -n "$worst" ] && [ "$worst" -lt 1000 ] &&
	ctl install app1 --cert "$p/app1.pem" --key "$p/app1.key" &&
		ctl show app1 >"$tmp/out" && has "$tmp/out" "SHA256:       $(cat "$p/app1.sha256")"
}
# The keys stay in devcredd: its secure heap is locked in memory (VmLck),
# and it is not dumpable: another process of its own user cannot read its
# memory or environment (here a devcredd run as nobody, over its own
# store). (Core dumps are tested on the board: ASan turns them off here.)
t_keys_locked_in() {
	local d=$tmp/nobody pid locked i

	locked=$(awk '$1 == "VmLck:" { print $2 }' "/proc/$daemon_pid/status")
	echo "devcredd has $locked kB locked in memory"
	[ "$locked" -ge 4096 ] || return 1
	mkdir -p "$d/conf" "$d/prov" && chown -R 65534:65534 "$d" || return 1
	# setpriv itself, not as_user (a function: & would fork a shell): $! is devcredd.
	setpriv --reuid=65534 --regid=65534 --clear-groups "$DEVCREDD" -s "$d/sock" -d "$d/dev" \
		-r "$d/run" -c "$d/conf" -p "$d/prov" -i lo 2>"$d/log" &
	pid=$!
	for i in $(seq 200); do
		[ -S "$d/sock" ] && break
		sleep 0.05
	done
	as_user 65534 65534 - cat "/proc/$pid/environ" >/dev/null 2>"$tmp/err"
	i=$?
	[ -S "$d/sock" ] && [ "$(awk '$1 == "Uid:" { print $2 }' "/proc/$pid/status")" = 65534 ] ||
		{ echo "devcredd as nobody did not start:"; cat "$d/log"; kill "$pid"; return 1; }
	kill "$pid"
	wait "$pid"
	[ $i -ne 0 ] && has "$tmp/err" "Permission denied" ||
		{ echo "a process of devcredd's user read its /proc/PID/environ"; return 1; }
}

# factory-install writes what nobody can replace outside factory mode: root
# alone, in factory mode, and only what the vendor CA set vouches for.
t_factory_install() {
	cp "$PKI/vendor-ca.pem" "$PKI/factory-issuers" "$tmp/conf/" &&
		daemon_stop && daemon_start || return 1
	ctl list --json >"$tmp/before"
	install -m 0644 "$PKI/factory1.pem" "$PKI/factory1.key" "$tmp/"	# for nobody to read
	! as_user 65534 65534 "$ADMIN_GID" "$CREDCTL" factory-install --cert "$tmp/factory1.pem" \
		--key "$tmp/factory1.key" 2>"$tmp/err" && has "$tmp/err" "permission denied" &&
		ctl list --json | cmp - "$tmp/before" || { echo "an admin-group member wrote the factory credential"; return 1; }
	refused "factory_mode=1" factory-install --cert "$PKI/factory1.pem" --key "$PKI/factory1.key" ||
		{ echo "root wrote the factory credential outside factory mode"; return 1; }
	touch "$tmp/dev/factory_mode"
	refused "not a factory credential: its chain does not verify to the vendor CA set" \
		factory-install --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" ||
		{ echo "a credential of another CA went in as the factory one"; return 1; }
	ctl factory-install --cert "$PKI/factory1.pem" --key "$PKI/factory1.key" &&
		ctl status | grep -qx 'Device Certificate: Factory Installed' &&
		ctl status --json | grep -qF '"state": "factory"' &&
		rm "$tmp/dev/factory_mode"
}

# format: root alone, and only on a damaged store; then the self-signed
# built-in again.
t_format() {
	refused "the store holds a readable record, so it is not damaged" format ||
		{ echo "a working store was formatted"; return 1; }
	touch "$tmp/dev/damaged"
	! as_user 65534 65534 "$ADMIN_GID" "$CREDCTL" format 2>"$tmp/err" &&
		has "$tmp/err" "permission denied" && [ -e "$tmp/dev/damaged" ] ||
		{ echo "an admin-group member formatted the store"; return 1; }
	ctl format >"$tmp/out" && has "$tmp/out" "formatted: the flash slots are empty" &&
		has "$tmp/out" "builtin: a new self-signed certificate for 000000000000" &&
		[ ! -e "$tmp/dev/damaged" ] && ctl status | grep -qx 'Device Certificate: Self-signed' &&
		ctl list | grep -q '^platform1 *empty' && has "$tmp/log" "the store was formatted" ||
		return 1
	# The format emptied the platform profile settings (t_profiles_on_the_store
	# left some): none comes back with the next file that sets another.
	if ctl profiles | grep "the flash record"; then
		echo "platform profile settings kept after the format"; return 1
	fi
	printf '<c device.set="1" device.sec.TLS.profile.deviceCert1.set="1" device.sec.TLS.profile.deviceCert1="Platform1"/>\n' \
		>"$tmp/pp1.xml" &&
		ctl apply "$tmp/pp1.xml" >/dev/null && ctl profiles >"$tmp/out" && cat "$tmp/out" &&
		grep -q "^PlatformProfile1  *Platform1  *across reboots" "$tmp/out" || return 1
	if grep -E "^(PlatformProfile2|provisioning|syslog) .*across reboots" "$tmp/out"; then
		echo "a setting from before the format written back"; return 1
	fi
}

# The published files' modes are devcredd's, whatever umask it was started
# with (here 077, which would make cert.pem 0600).
t_publish_modes() {
	daemon_stop && DAEMON_WRAP=(sh -c 'umask 077 && exec "$@"' sh) && daemon_start || return 1
	DAEMON_WRAP=()
	ctl install platform2 --cert "$PKI/platform2.pem" --key "$PKI/platform2.key" >/dev/null &&
		ctl bind syslog platform2 >/dev/null || return 1
	stat -c '%n %a' "$tmp/run/syslog/"*.pem
	[ "$(stat -c %a "$tmp/run/syslog/cert.pem")" = 644 ] &&
		[ "$(stat -c %a "$tmp/run/syslog/chain.pem")" = 644 ] &&
		[ "$(stat -c %a "$tmp/run/syslog/key.pem")" = 600 ] &&
		[ "$(stat -c %a "$(realpath "$tmp/run/syslog")")" = 755 ] &&
		daemon_stop && daemon_start
}

# A certificate's fields reach terminals (credctl list is open to everyone)
# and logs: control characters in a common name (ESC, a UTF-8 C1 CSI, a
# line break) come out escaped, never raw.
t_control_characters() {
	local cn f

	cn="evil$(printf '\033')[31mred$(printf '\302\233')2J$(printf '\nforged: line')"
	OPENSSL_CONF=/dev/null openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$tmp/evil.key" -out "$tmp/evil.pem" -days 30 -utf8 -subj "/CN=$cn" \
		2>/dev/null || return 1
	ctl install app6 --cert "$tmp/evil.pem" --key "$tmp/evil.key" >"$tmp/install.out" || return 1
	ctl list >"$tmp/list.out" && ctl list --json >"$tmp/list.json" &&
		ctl show app6 >"$tmp/show.out" && ctl show app6 --json >"$tmp/show.json" || return 1
	for f in install.out list.out list.json show.out show.json log; do
		if grep -q "$(printf '\033')" "$tmp/$f" || grep -q "$(printf '\302\233')" "$tmp/$f" ||
		   grep -q '^forged: line' "$tmp/$f"; then
			echo "$f shows the common name raw:"
			grep -a 'evil' "$tmp/$f" | od -c | head -4
			return 1
		fi
	done
	grep -q 'evil\\x1b\[31mred' "$tmp/list.out" && ctl remove app6 >/dev/null
}

# Admin rights come from the groups the caller holds (SO_PEERGROUPS), not
# from the group database: a process given the admin group is admin, one
# that dropped it is not, whatever /etc/group lists (here a copy, mounted
# over /etc/group for devcredd alone, that makes nobody a member).
t_peer_groups() {
	local ok

	as_user 65534 65534 "$ADMIN_GID" "$CREDCTL" install app4 --bundle "$PKI/bundle.pem" ||
		{ echo "a caller holding group $ADMIN_GROUP was refused"; return 1; }
	ctl remove app4 >/dev/null || return 1
	sed "s/^$ADMIN_GROUP:\([^:]*\):\([0-9]*\):.*/$ADMIN_GROUP:\1:\2:nobody/" /etc/group >"$tmp/group"
	daemon_stop &&
		DAEMON_WRAP=(unshare -m sh -c 'mount --bind "$1" /etc/group && shift && exec "$@"' sh "$tmp/group") &&
		daemon_start || return 1
	DAEMON_WRAP=()
	as_user 65534 65534 - "$CREDCTL" install app4 --bundle "$PKI/bundle.pem" 2>"$tmp/err"
	ok=$?
	daemon_stop && daemon_start || return 1
	[ $ok -ne 0 ] && has "$tmp/err" "permission denied" ||
		{ echo "a caller without the group was admin because /etc/group lists its user"; return 1; }
}
# devcredd killed (a crash): the files stay, and the next devcredd replaces
# them in place, so a TLS client never finds its operation without them
# while devcredd comes back (a reader samples them all along).
t_respawn_keeps_files() {
	local gaps sampler

	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl bind provisioning platform1 >/dev/null &&
		[ -e "$tmp/run/provisioning/key.pem" ] || return 1
	kill -KILL "$daemon_pid"
	wait "$daemon_pid"
	daemon_pid=
	[ -e "$tmp/run/provisioning/key.pem" ] || { echo "the files went with the killed devcredd"; return 1; }
	rm -f "$tmp/gaps" "$tmp/sampled"
	( until [ -e "$tmp/sampled" ]; do
		[ -e "$tmp/run/provisioning/key.pem" ] || echo gap >>"$tmp/gaps"
	  done ) &
	sampler=$!
	daemon_start
	: >"$tmp/sampled"
	wait "$sampler"
	[ -n "$daemon_pid" ] || return 1
	gaps=$(cat "$tmp/gaps" 2>/dev/null | wc -l)
	echo "samples without provisioning/key.pem while devcredd restarted: $gaps"
	[ "$gaps" -eq 0 ] && [ -e "$tmp/run/provisioning/key.pem" ] &&
		[ "$(ls -a "$tmp/run" | grep -c '^\.provisioning-')" -le 2 ]
}

# Under systemd (Type=notify): READY=1 to $NOTIFY_SOCKET once the socket
# takes connections, STOPPING=1 on SIGTERM.
t_notify() {
	local i listener

	daemon_stop || return 1
	python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
open(sys.argv[1] + ".up", "w").close()
while True:
    m = s.recv(4096).decode()
    print(m, "with-socket" if os.path.exists(sys.argv[2]) else "no-socket", flush=True)
    if m == "STOPPING=1":
        break
' "$tmp/notify" "$tmp/sock" >"$tmp/notify.out" 2>&1 &
	listener=$!
	for i in $(seq 600); do	# 30 s each: Python, ASan, a loaded machine
		[ -e "$tmp/notify.up" ] && break
		sleep 0.05
	done
	NOTIFY_SOCKET=$tmp/notify daemon_start || return 1
	for i in $(seq 600); do
		grep -q READY "$tmp/notify.out" && break
		sleep 0.05
	done
	daemon_stop || return 1
	wait "$listener"
	echo "notifications: $(tr '\n' ' ' <"$tmp/notify.out")"
	daemon_start &&
		has "$tmp/notify.out" "READY=1 with-socket" && has "$tmp/notify.out" "STOPPING=1"
}

# The socket's path appears only once devcredd listens on it, its mode
# set: with listen() made 2 s slow (tests/slow_listen.c, widening what a
# loaded machine opens by chance), a client that connects as soon as the
# path is there is answered, not refused as if devcredd were not running.
t_socket_ready() {
	daemon_stop || return 1
	DAEMON_WRAP=(env "LD_PRELOAD=$HOST/slow_listen.so" SLOW_LISTEN_MS=2000
		"ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0")
	daemon_start || return 1
	ctl list >"$tmp/out" 2>&1 && has "$tmp/out" builtin && [ "$(stat -c %a "$tmp/sock")" = 666 ] &&
		return 0
	cat "$tmp/out"
	sleep 2		# the slow listen() over before the next point stops devcredd
	return 1
}

# A second devcredd on the socket of one that runs is refused at once,
# naming the first's pid, before it publishes anything; the first keeps its
# socket (the same inode) and answers. Killed with -9, the first leaves the
# path free for the next.
t_single_instance() {
	local inode rc

	inode=$(stat -c %i "$tmp/sock") || return 1
	timeout 20 "$DEVCREDD" -s "$tmp/sock" -d "$tmp/dev" -r "$tmp/run2" -c "$tmp/conf" \
		-p "$tmp/prov" -i lo >"$tmp/out" 2>&1
	rc=$?
	[ $rc = 1 ] && has "$tmp/out" "another devcredd (pid $daemon_pid) serves this socket" || {
		echo "exit status $rc"
		return 1
	}
	[ ! -e "$tmp/run2" ] && [ "$(stat -c %i "$tmp/sock")" = "$inode" ] || {
		echo "the second devcredd published or took the socket over"
		return 1
	}
	ctl list >"$tmp/out" && has "$tmp/out" builtin || return 1
	kill -KILL "$daemon_pid" && wait "$daemon_pid"
	daemon_pid=
	daemon_start && ctl list >"$tmp/out" && has "$tmp/out" builtin
}

# The lock is devcredd's alone: a user who could open the file could hold
# the lock and keep every later devcredd from starting. It is 0600, an
# unprivileged user cannot take it, and a lock file that is not devcredd's
# own (here made 0644) is refused, naming it.
t_lock_private() {
	local rc

	[ "$(stat -c '%a %U' "$tmp/sock.lock")" = "600 $(id -un)" ] ||
		{ stat -c '%a %U' "$tmp/sock.lock"; return 1; }
	if as_user 65534 65534 - flock -n "$tmp/sock.lock" true 2>/dev/null; then
		echo "an unprivileged user took the lock"
		return 1
	fi
	daemon_stop || return 1
	chmod 0644 "$tmp/sock.lock"
	"$DEVCREDD" -s "$tmp/sock" -d "$tmp/dev" -r "$tmp/run2" -c "$tmp/conf" -p "$tmp/prov" \
		-i lo >"$tmp/out" 2>&1
	rc=$?
	chmod 0600 "$tmp/sock.lock"
	daemon_start || return 1
	[ $rc = 1 ] && has "$tmp/out" "sock.lock: not devcredd's" && [ ! -e "$tmp/run2" ]
}

# The devcredd before lets the lock go only when its last thread has
# exited: one started right after waits for it (here the lock is held 1 s
# more by another process) rather than refusing.
t_lock_wait() {
	local holder

	daemon_stop || return 1
	rm -f "$tmp/held"
	flock -n "$tmp/sock.lock" sh -c ": >'$tmp/held'; sleep 1" &
	holder=$!
	for _ in $(seq 100); do
		[ -e "$tmp/held" ] && break
		sleep 0.02
	done
	[ -e "$tmp/held" ] || { echo "the lock could not be taken"; wait "$holder"; daemon_start; return 1; }
	daemon_start && wait "$holder" && ctl list >"$tmp/out" && has "$tmp/out" builtin
}

# long_path N: a socket path of N bytes under $tmp (its folder made by
# devcredd: one level).
long_path() {
	local pad=$(($1 - ${#tmp} - 3))

	printf '%s/%s/s' "$tmp" "$(head -c "$pad" /dev/zero | tr '\0' d)"
}

# The longest socket path devcredd takes is 103 bytes (PATH.new, bound
# first, must fit a sun_path); one byte more is refused naming the limit,
# not with "File name too long"; credctl names the limit of a path it
# cannot connect to.
t_socket_path_limit() {
	local ok_path bad_path

	ok_path=$(long_path 103)
	bad_path=$(long_path 104)
	[ ${#ok_path} = 103 ] && [ ${#bad_path} = 104 ] || { echo "paths of ${#ok_path}, ${#bad_path}"; return 1; }
	daemon_stop || return 1
	"$DEVCREDD" -s "$bad_path" -d "$tmp/dev" -r "$tmp/run" -c "$tmp/conf" -p "$tmp/prov" -i lo \
		>"$tmp/out" 2>&1
	[ $? = 1 ] && has "$tmp/out" "the socket path is 104 bytes, at most 103" || return 1
	DEVCRED_SOCKET=$(long_path 108) "$CREDCTL" list >"$tmp/out" 2>&1
	[ $? != 0 ] && has "$tmp/out" "socket path too long (108 bytes, a Unix socket's at most 107)" ||
		return 1
	DAEMON_SOCK=$ok_path daemon_start || return 1
	DEVCRED_SOCKET=$ok_path ctl list >"$tmp/out" 2>&1 && has "$tmp/out" builtin || return 1
	daemon_stop && daemon_start
}

# SIGTERM (the service stopped): no key stays behind in the run folder.
t_stop() {
	[ -e "$tmp/run/provisioning/key.pem" ] || { echo "nothing published to begin with"; return 1; }
	daemon_stop && [ ! -e "$tmp/sock" ] || return 1
	find "$tmp/run" | sed 's/^/left: /'
	[ -z "$(find "$tmp/run" -name key.pem)" ] && [ ! -e "$tmp/run/provisioning" ]
}

tests=(
	"t_start:start: the self-signed built-in for the MAC address, serving"
	"t_status_json:status --json: \"state\": \"self-signed\" beside the display text"
	"t_version:--version: the package's version, the protocol's and OpenSSL's, exit 0"
	"t_install_show_export:install, show, export, list on a platform and an application slot"
	"t_refusals:a key over 4096 bytes, a mismatched pair, an expired certificate, remove builtin: refused, store unchanged"
	"t_bind_publish:bind: the credential published for the operation; removed with its slot"
	"t_apply:apply: a provisioning file installs platform2"
	"t_apply_says_why:apply of a file that changes nothing says on standard error which parameters were ignored and why"
	"t_seed_lines:the phones' log lines word for word: a save, a second save, a key over 4096 bytes, a chain that does not decode, the lines at start"
	"t_profiles_combine:TLS profiles combine across files (deviceCert, then selection: the binding of both); credctl profiles; the platform part kept across a reboot"
	"t_profiles_on_the_store:the platform TLS profile settings come back from the store when the state folder is empty (a board whose /var/lib is not persistent)"
	"t_profiles_unwritable:a state folder that cannot be written: the file applied, credctl warns, devcredd logs why"
	"t_unprivileged:unprivileged callers read; one whose group is the admin group may change the store"
	"t_csr:csr: the request and key written, or the key kept pending; lists answered while a worker makes an RSA key"
	"t_csr_san:csr --san: DNS, IP and email names in the request; URI, dirName, a bad address, no list: refused"
	"t_status_cached:30 unprivileged status requests read the built-in key once; a change of the store computes it again"
	"t_load:200 idle and 200 slow unprivileged clients: root's commands answered within 1 s, every slow request answered"
	"t_keys_locked_in:the secure heap is locked in memory; devcredd is not dumpable, even for its own user"
	"t_factory_install:factory-install: root alone, in factory mode, a chain the vendor CA set vouches for; status then factory"
	"t_format:format: root alone, refused on a working store; a damaged one starts afresh with a self-signed built-in and no platform profile settings"
	"t_publish_modes:published files are 0644 (certificates), 0600 (key) under umask 077"
	"t_control_characters:control characters of a common name are escaped in list, show, JSON and the log"
	"t_peer_groups:admin rights follow the caller's groups (SO_PEERGROUPS), not the group database"
	"t_respawn_keeps_files:devcredd killed and started again: its files are there all along"
	"t_socket_ready:the socket's path appears once devcredd listens: a client right behind it is answered (listen() made 2 s slow)"
	"t_single_instance:a second devcredd on the same socket is refused naming the first, which keeps its socket; after kill -9 one starts"
	"t_lock_private:the lock file is 0600: an unprivileged user cannot hold it; one not devcredd's own is refused, naming it"
	"t_lock_wait:a devcredd started while the lock is still held (1 s) waits for it and serves"
	"t_socket_path_limit:a socket path of 103 bytes served, of 104 refused naming the limit; credctl names a Unix socket's limit"
	"t_notify:READY=1 to \$NOTIFY_SOCKET once serving, STOPPING=1 on SIGTERM"
	"t_stop:SIGTERM: exit 0, the socket and every published file removed"
)

run_tests
