#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Private keys sealed to the board's TPM (Documentation/devcred/key-sealing.rst),
# tested from the outside: the host searches the flash image file for the
# keys' bytes and damages sealed keys in it, the guest drives the store
# with devcred_tool and keyctl (the kernel's trusted and encrypted keys in
# a session keyring of the test's own), not with devcred-unseal, whose own
# tests are elsewhere.
#
#  - a new store on a TPM board is in clear, and says so; keys installed in
#    clear are in the image, where keybytes.py finds them (the proof that
#    the search below can fail);
#  - migration: the first KEK seals the clear store in one record: the same
#    certificates, keys and generations; then keys written on the sealed
#    store (platform2, a pending key, a new self-signed built-in): no byte
#    of any private key anywhere in the image (PEM lines, DER, the secret
#    numbers), the record is format version 2 with every key 28 bytes
#    longer;
#  - the gcm(aes) the kernel gives the driver is the ARMv8 Crypto
#    Extensions one (gcm-aes-ce), as on a SoC whose BSP enables it;
#  - after a reboot the store is sealed until the KEK is loaded (slots
#    Invalid with key-sealed, READ_KEY ENOKEY), a KEK not the store's is
#    refused (a new trusted key, or a new encrypted key under the store's
#    trusted key: no sealed key opens, none marked corrupt), the stored blobs unseal on the same TPM and the keys work:
#    mutual TLS to nginx on the host with platform1 and platform2;
#  - tampering: one bit flipped in a sealed key's ciphertext, tag or nonce
#    (and a pending key's tag), both CRCs recomputed: that slot Invalid with
#    key-corrupt, the others fine;
#  - the image on a board with another TPM: slots Invalid with key-sealed,
#    certificates readable, LOAD_KEK refused; factory mode provisions again;
#    emptied, that sealed store refuses a new encrypted key under its
#    trusted key (no sealed key to prove it: the blob is compared);
#  - power cuts at every flash step of the migration and of sealed updates
#    (a test build of the module); SEALING_CUT_MODES and
#    SEALING_POWERCUT_ROUNDS make the sweep shorter (make check's debug run),
#    SEALING_NAND_CUTS=1 runs it on a NAND board too.
#
# KERNEL and VM_FLAGS choose the kernel as for every boot test (make check
# runs it on the debug kernel too: VM_FLAGS=--debug).
#
# shellcheck disable=SC2016 # the guest scripts in single quotes expand there
set -u
. "$(dirname "$0")/tap.sh"
. "$TOP/scripts/lib.sh"
. "$(dirname "$0")/nginx.sh"
. "$TOP/scripts/tpm.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$0")
REC=$here/flashrec.py
KEYBYTES=$here/keybytes.py
flash=$tmp/flash.img
moved=$tmp/moved.img
share=$tmp/share
c=$share/c
mkdir -p "$share"
sh "$here/mkcerts.sh" "$c" >/dev/null
cp "$here/sealing_cuts_guest.sh" "$share/"
nginx_start_devices "$tmp/ng" "$c"
mkdir -p "$NGINX_DOCROOT/mtls"
# The partition is the first mebibyte of the flash file (flashrec.py).
PART_BYTES=$((4 * 256 * 1024))

# What every point sources: the KEK made or loaded as devcred-unseal would,
# in the caller's session keyring (sealing.sh's boots start theirs:
# keyctl new_session in BOARD_PRELUDE), and the checks the points share.
cat >"$share/sealing.lib" <<EOF
$GUEST_WAIT_UNTIL
SRK=$TPM_SRK_HANDLE
EOF
cat >>"$share/sealing.lib" <<'EOF'
SLOTS="builtin platform1 platform2"
# A new trusted key sealed by the TPM, a new encrypted key with it as master.
kek_make() {
	keyctl add trusted devcred:kmk "new 32 keyhandle=$SRK" @s >/dev/null
	keyctl add encrypted devcred:kek "new default trusted:devcred:kmk 32" @s >/dev/null
}
# A KEK that is not the store's under the store's own trusted key (the
# TPM unseals the stored one): a new encrypted key. Only the sealed keys,
# or with none to open the encrypted key's blob, can tell it from the
# store's.
kek_foreign() {
	keyctl add trusted devcred:kmk "load $(devcred_tool read-seal kmk)" @s >/dev/null
	keyctl add encrypted devcred:kek "new default trusted:devcred:kmk 32" @s >/dev/null
}
# The store's own blobs loaded (the TPM unseals the first), then given to it.
kek_load() {
	kek_load_keys
	devcred_tool load-kek
}
kek_load_keys() {
	keyctl add trusted devcred:kmk "load $(devcred_tool read-seal kmk)" @s >/dev/null
	keyctl add encrypted devcred:kek "load $(devcred_tool read-seal kek)" @s >/dev/null
}
# The store's encrypted key loaded, its trusted key gone from the keyrings
# after it (unlinked from the session keyring, its only link: no lookup
# finds it from then on, where an invalidated key is found, as revoked,
# until the garbage collector unlinks it).
kek_without_trusted() {
	kek_load_keys
	keyctl unlink "$(keyctl search @s trusted devcred:kmk)" @s >/dev/null
	if keyctl search @s trusted devcred:kmk; then
		echo "the trusted key is still found"
		return 1
	fi
}
# The store's encrypted key loaded (its 32 bytes open the sealed keys),
# then its trusted key replaced by a new one of the same name: the keys an
# older era's encrypted key would come with, beside a trusted key of its
# own that the TPM still unseals.
kek_other_trusted() {
	kek_without_trusted
	keyctl add trusted devcred:kmk "new 32 keyhandle=$SRK" @s >/dev/null
}
# kek_refused SETUP ENAME: the KEK that function SETUP leaves, in a session
# keyring of its own, refused with ENAME; the store still sealed, no slot
# marked key-corrupt.
kek_refused() {
	keyctl session - sh -ec ". /mnt/share/sealing.lib
		$1
		fails_with $2 devcred_tool load-kek"
	info_lacks kek-loaded
	for s in $SLOTS; do
		slot_has $s key-sealed
		slot_lacks $s key-corrupt
	done
}
# gcm_aes: each gcm(aes) in /proc/crypto as "PRIORITY DRIVER SELFTEST", the
# one the crypto API gives (the highest priority) last.
gcm_aes() {
	awk -F ' *: ' '$1 == "name" { n = $2 } $1 == "driver" { d = $2 }
		$1 == "priority" { p = $2 } $1 == "selftest" { t = $2 }
		/^$/ { if (n == "gcm(aes)") print p, d, t; n = "" }
		END { if (n == "gcm(aes)") print p, d, t }' /proc/crypto | sort -n
}
# info_has FLAG, slot_has SLOT FLAG: the store's, the slot's flags (by
# devcred_tool's names) include FLAG; if not, they are printed.
info_has() {
	devcred_tool info >/tmp/info
	grep -q "^flag_names=.*$1," /tmp/info && return 0
	echo "the store has no $1: $(grep ^flag_names= /tmp/info)"
	return 1
}
slot_has() {
	devcred_tool status "$1" >/tmp/status
	grep -q "^flag_names=.*$2," /tmp/status && return 0
	echo "$1 has no $2: $(grep ^flag_names= /tmp/status)"
	return 1
}
# info_lacks FLAG, slot_lacks SLOT FLAG: the contrary.
info_lacks() {
	devcred_tool info >/tmp/info
	grep -q "^flag_names=.*$1," /tmp/info || return 0
	echo "the store has $1: $(grep ^flag_names= /tmp/info)"
	return 1
}
slot_lacks() {
	devcred_tool status "$1" >/tmp/status
	grep -q "^flag_names=.*$2," /tmp/status || return 0
	echo "$1 has $2: $(grep ^flag_names= /tmp/status)"
	return 1
}
# fails_with ENAME CMD...: CMD fails, and devcred_tool named ENAME.
fails_with() {
	_want=$1
	shift
	if "$@" >/tmp/out 2>/tmp/err; then
		echo "$*: succeeded, expected $_want"
		return 1
	fi
	cat /tmp/err
	if [ -s /tmp/out ]; then
		echo "$*: failed but printed $(wc -c </tmp/out) bytes"
		return 1
	fi
	grep -q ": $_want (" /tmp/err
}
# save_slots DIR: each flash slot's status (its flags aside: those say
# whether the key is sealed) and certificate.
save_slots() {
	mkdir -p "$1"
	for s in $SLOTS; do
		devcred_tool status "$s" | grep -v '^flag' >"$1/$s.status"
		devcred_tool read-cert "$s" >"$1/$s.cert"
	done
}
# same_key SLOT FILE: the slot's key is the key in FILE (devcredd stores
# keys as PKCS#8 PEM: both normalized by openssl).
same_key() {
	devcred_tool read-key "$1" | openssl pkey >/tmp/key.slot
	openssl pkey -in "$2" >/tmp/key.file
	cmp /tmp/key.slot /tmp/key.file
}
# usable SLOT FILE: a valid slot whose key is FILE's.
usable() {
	slot_has "$1" present
	slot_lacks "$1" invalid
	same_key "$1" "$2"
}
# all_sealed: every flash slot Invalid with key-sealed, its certificate the
# one saved after the sealed writes, its key unreadable (ENOKEY).
all_sealed() {
	for s in $SLOTS; do
		slot_has $s invalid
		slot_has $s key-sealed
		devcred_tool read-cert $s | cmp - /mnt/share/sealed/$s.cert
		fails_with ENOKEY devcred_tool read-key $s
	done
}
mtd() { echo "/dev/mtd$(devcred_tool info | sed -n 's/^mtd_index=//p')"; }
# devcredd stopped, if it runs: it holds the device, and the module is to go.
stop_daemon() {
	_pid=$(cat /run/devcredd.pid 2>/dev/null) || return 0
	kill "$_pid" 2>/dev/null || return 0
	wait_until 30 "! kill -0 $_pid 2>/dev/null"
}
# put_partition FILE: the partition written from FILE with the module
# unloaded, then loaded again as at a boot (the KEK forgotten); without
# FILE only the module unloaded and loaded again.
put_partition() {
	_mtd=$(mtd)
	stop_daemon
	rmmod devcred
	[ -z "${1:-}" ] || flashcp "$1" "$_mtd" || _rc=$?
	# shellcheck disable=SC2046 # the parameters as init gave them
	insmod /lib/modules/devcred.ko $(cat /run/devcred.modparams)
	return "${_rc:-0}"
}
EOF

BOARD_PRELUDE="keyctl new_session >/dev/null; ln -s /mnt/share/c /c; cd /c"
# spoint DESCRIPTION SCRIPT: a point whose script has the library, and
# prints the board's uptime as it starts and ends (the points' timings).
spoint() {
	local up='$(cut -d" " -f1 /proc/uptime)'
	point "$1" ". /mnt/share/sealing.lib
echo \"# uptime $up: start\"
$2
echo \"# uptime $up: end\""
}
board() {
	local t0=$SECONDS rc
	run_points --no-unseal --flash "$flash" --share "$share" "$@"
	rc=$?
	echo "# that boot took $((SECONDS - t0)) s"
	return $rc
}

if [ "${SEALING_NAND_CUTS:-0}" = 1 ]; then
	tap_plan 35
else
	tap_plan 32
fi

# --- first boot: a new store on a TPM board, keys installed in clear ------

spoint "a new store on a TPM board is in clear: keys-clear, no KEK, no stored blob (ENOENT); the log says so" '
	test -c /dev/tpm0
	info_has keys-clear
	info_lacks kek-loaded
	fails_with ENOENT devcred_tool read-seal kmk
	fails_with ENOENT devcred_tool read-seal kek
	dmesg | grep -q "devcred: private keys are stored unencrypted on mtd"'
spoint "keys installed in clear: platform1, platform2 and a pending key; the slots saved" '
	credctl install platform1 --cert platform1.pem --key platform1.key
	credctl install platform2 --cert platform2.pem --key platform2.key
	devcred_tool pending platform2 web1.key
	info_has keys-clear
	devcred_tool read-key builtin >/mnt/share/builtin-clear.key
	save_slots /mnt/share/before'
board

# Each key the test knows, where the image must not hold it.
keys_first=("$share/builtin-clear.key" "$c/platform1.key" "$c/platform2.key" "$c/web1.key")
# search IMAGE KEY...: keybytes.py's status, its lines as diagnostics.
search() {
	local rc
	python3 "$KEYBYTES" search "$@" >"$tmp/found"
	rc=$?
	sed 's/^/# /' "$tmp/found"
	return $rc
}
found_each() {
	local k rc=0 found
	for k in "${keys_first[@]}"; do
		search "$flash" "$k"
		found=$?
		if [ $found != 1 ] || ! grep -q "^$k pem " "$tmp/found"; then
			echo "# $k: not found in the clear image (keybytes.py status $found)"
			rc=1
		fi
	done
	return $rc
}
tap_ok "harness: in clear, keybytes.py finds the built-in, platform1, platform2 and the pending key in the image" \
	found_each
planted() {
	local kind
	for kind in der raw; do
		cp "$flash" "$tmp/planted.img"
		# The image holds the key in clear already: the search must find
		# the planted form, where it was planted, not only the PEM lines.
		python3 "$KEYBYTES" plant "$tmp/planted.img" "$c/platform1.key" "$kind" || return 1
		search "$tmp/planted.img" "$c/platform1.key"
		grep -q " $kind .* at 0x80000\$" "$tmp/found" || return 1
	done
	python3 "$KEYBYTES" plant "$tmp/planted.img" "$c/platform2.key" raw || return 1
	search "$tmp/planted.img" "$c/platform2.key"
	grep -q ' raw priv at 0x80000$' "$tmp/found"
}
tap_ok "harness: keybytes.py finds a key planted as DER and as its secret numbers (RSA and EC)" planted

# --- second boot: migration, then keys written sealed ----------------------

spoint "migration: the first KEK (LOAD_KEK --new) seals the clear store: kek-loaded, the same certificates, keys and generations" '
	info_has keys-clear
	kek_make
	devcred_tool load-kek --new
	info_has kek-loaded
	info_lacks keys-clear
	save_slots /tmp/after
	diff -r /mnt/share/before /tmp/after
	same_key platform1 platform1.key
	same_key platform2 platform2.key
	devcred_tool read-key builtin | cmp - /mnt/share/builtin-clear.key
	devcred_tool read-pending platform2 | cmp - web1.key
	keyctl pipe "$(keyctl search @s trusted devcred:kmk)" >/tmp/kmk
	keyctl pipe "$(keyctl search @s encrypted devcred:kek)" >/tmp/kek
	devcred_tool read-seal kmk | cmp - /tmp/kmk
	devcred_tool read-seal kek | cmp - /tmp/kek'
# The board's kernels have the ARMv8 Crypto Extensions drivers
# (selftests/config), as a BSP for a SoC with them would: the generic C in
# their place makes opening sealed keys several times slower (README.md,
# Performance).
spoint "the sealed store's gcm(aes) is the ARMv8 Crypto Extensions one: gcm-aes-ce, the highest priority in /proc/crypto, its self-test passed" '
	gcm_aes >/tmp/gcm
	cat /tmp/gcm
	[ "$(tail -n 1 /tmp/gcm | cut -d" " -f2-)" = "gcm-aes-ce passed" ]'
spoint "on the sealed store: platform2 and its pending key written again, a new self-signed built-in made by devcredd" '
	devcred-restart
	credctl remove platform2
	credctl install platform2 --cert platform2.pem --key platform2.key
	devcred_tool pending platform2 web1.key
	devcred_tool erase builtin
	devcred-restart
	wait_until 120 "devcred_tool status builtin | grep -qx origin=self-signed"
	devcred_tool read-key builtin >/mnt/share/builtin.key
	if cmp -s /mnt/share/builtin.key /mnt/share/builtin-clear.key; then
		echo "the built-in key was not made anew"; exit 1
	fi
	usable platform2 platform2.key
	info_has kek-loaded
	save_slots /mnt/share/sealed'
board

keys_all=("${keys_first[@]}" "$share/builtin.key")
no_key_bytes() {
	search "$flash" "${keys_all[@]}"
}
tap_ok "no byte of any private key in the flash image after the migration and the sealed writes (PEM lines, DER, secret numbers)" \
	no_key_bytes
# record_sealed: the current record is version 2, AES-256-GCM, and each key
# takes its length in clear (what the uAPI reports) plus nonce and tag.
record_sealed() {
	local s clear
	python3 "$REC" "$flash" show current >"$tmp/show" || return 1
	sed 's/^/# /' "$tmp/show"
	grep -qx 'version 2' "$tmp/show" || return 1
	# flags 1: DEVCRED_SEAL_SCRUBBED, the blocks before it erased.
	grep -q '^seal cipher 1 kmk_len [1-9][0-9]* kek_len [1-9][0-9]* flags 1$' "$tmp/show" ||
		return 1
	for s in builtin platform1 platform2; do
		clear=$(sed -n 's/^key_len=//p' "$share/sealed/$s.status")
		grep -q "^slot $s .* key_len $((clear + 28)) " "$tmp/show" || return 1
	done
	clear=$(sed -n 's/^pending_key_len=//p' "$share/sealed/platform2.status")
	grep -q "^slot platform2 .* pending_len $((clear + 28)) " "$tmp/show"
}
tap_ok "the current record is format version 2, AES-256-GCM, scrubbed, every key and the pending key 12 + n + 16 bytes" \
	record_sealed

# The damaged partitions the third boot writes in turn: one bit of
# platform1's sealed key (its ciphertext, tag, nonce) or of platform2's
# pending key's tag; authentic sealed keys in the wrong place (platform1's
# and platform2's exchanged, platform2's key and pending key exchanged, a
# slot's generation changed, as a key replayed from an older record would
# be); both CRCs recomputed.
tampered() {
	local name=$1
	shift
	cp "$flash" "$tmp/t.img" || return 1
	python3 "$REC" "$tmp/t.img" "$1" current "${@:2}" >"$tmp/flip" || return 1
	sed 's/^/# /' "$tmp/flip"
	cmp -l "$flash" "$tmp/t.img" | wc -l | sed 's/^/# bytes changed (the bit and the CRCs): /'
	head -c "$PART_BYTES" "$tmp/t.img" >"$share/tamper-$name.part"
}
make_tampered() {
	head -c "$PART_BYTES" "$flash" >"$share/intact.part" || return 1
	tampered ciphertext seal-flip platform1 key ciphertext || return 1
	tampered tag seal-flip platform1 key tag || return 1
	tampered nonce seal-flip platform1 key nonce || return 1
	tampered pending-tag seal-flip platform2 pending tag || return 1
	tampered swap-slots seal-swap platform1:key platform2:key || return 1
	tampered swap-kind seal-swap platform2:key platform2:pending || return 1
	tampered generation seal-generation platform1
}
tap_ok "harness: flashrec.py flips one bit of a sealed key, moves sealed keys, changes a generation" \
	make_tampered
# The image moved to another board: a copy, whose TPM is new.
cp "$flash" "$moved"

# --- third boot: reboot, the KEK loaded again, TLS, tampering --------------

spoint "after a reboot the store is sealed: every slot Invalid with key-sealed, certificates readable, READ_KEY and key writes ENOKEY" '
	info_lacks keys-clear
	info_lacks kek-loaded
	all_sealed
	fails_with ENOKEY devcred_tool read-pending platform2
	fails_with ENOKEY devcred_tool write platform1 installed platform1.pem platform1.key
	fails_with ENOKEY devcred_tool load-kek'
spoint "a KEK that is not the store's is refused (EKEYREJECTED), and so is a new one on a sealed store (EEXIST)" '
	keyctl session - sh -ec ". /mnt/share/sealing.lib
		kek_make
		fails_with EKEYREJECTED devcred_tool load-kek
		fails_with EEXIST devcred_tool load-kek --new"
	info_lacks kek-loaded
	slot_has platform1 key-sealed'
spoint "a new encrypted key under the store's own trusted key is refused (EKEYREJECTED): no sealed key opens under it, none marked key-corrupt or logged as altered" '
	dmesg -c >/dev/null
	kek_refused kek_foreign EKEYREJECTED
	if dmesg | grep "failed authentication"; then exit 1; fi
	dmesg | grep -q "devcred: the key-encryption key in the keyring is not the one this store was sealed with"'
spoint "the stored blobs unseal on the same TPM: LOAD_KEK opens the store, every key is the one installed" '
	kek_load
	info_has kek-loaded
	usable platform1 platform1.key
	usable platform2 platform2.key
	usable builtin /mnt/share/builtin.key
	devcred_tool read-pending platform2 | cmp - web1.key
	devcred-restart'
spoint "the keys work after the reboot: mutual TLS to nginx on the host with platform1, then platform2" "
	fetch() { curl -sS -f --max-time 20 --cacert /c/test-ca.pem \
		--cert \"\$(credctl path provisioning --cert)\" --key \"\$(credctl path provisioning --key)\" \
		\"https://10.0.2.100:$NGINX_PORT/\$1\"; }
	credctl bind provisioning platform1
	[ \"\$(fetch mtls/whoami)\" = 'CN=Custom-525400123456,O=Example' ]
	credctl bind provisioning platform2
	[ \"\$(fetch mtls/whoami)\" = 'CN=platform2.example,O=Example' ]"

# corrupt NAME SLOT FIELD OTHER OTHER-KEY: the tampered partition NAME
# loaded, the KEK loaded again: SLOT Invalid with key-corrupt, named in the
# log, its certificate still readable, its FIELD (key or pending key)
# unreadable (ENOKEY), and no key at all read from it: an Invalid slot
# gives none. OTHER (and builtin) usable.
corrupt() {
	local read=read-key
	[ "$3" = key ] || read=read-pending
	spoint "tampering ($1): one bit flipped, CRCs recomputed: $2 Invalid with key-corrupt, named in the log, no key read from it; the other slots work" "
		put_partition /mnt/share/tamper-$1.part
		dmesg -c >/dev/null
		devcred_tool load-kek
		slot_has $2 invalid
		slot_has $2 key-corrupt
		dmesg | grep -q 'devcred: $2: '
		devcred_tool read-cert $2 | cmp - /mnt/share/sealed/$2.cert
		fails_with ENOKEY devcred_tool $read $2
		if devcred_tool read-key $2 >/tmp/key; then
			echo 'an Invalid slot gave its key'; exit 1
		fi
		usable $4 $5
		usable builtin /mnt/share/builtin.key"
}
corrupt ciphertext platform1 key platform2 platform2.key
spoint "a corrupt slot is written anew: the new key is sealed and usable" '
	devcred_tool write platform1 installed platform1.pem platform1.key
	usable platform1 platform1.key
	slot_lacks platform1 key-corrupt'
corrupt tag platform1 key platform2 platform2.key
corrupt nonce platform1 key platform2 platform2.key
corrupt pending-tag platform2 pending platform1 platform1.key
# displaced NAME DESCRIPTION SLOT...: the partition NAME, whose sealed keys are
# authentic but not where they were sealed: each SLOT Invalid with
# key-corrupt and no key read from it, the other flash slots usable.
displaced() {
	local name=$1 desc=$2 bad
	shift 2
	bad="$*"
	spoint "$desc: $bad Invalid with key-corrupt, no key read; the other slots work" "
		put_partition /mnt/share/tamper-$name.part
		devcred_tool load-kek
		for s in $bad; do
			slot_has \$s invalid
			slot_has \$s key-corrupt
			if devcred_tool read-key \$s >/tmp/key; then echo \"\$s: a displaced key was read\"; exit 1; fi
		done
		for s in builtin:/mnt/share/builtin.key platform1:platform1.key platform2:platform2.key; do
			case ' $bad ' in *\" \${s%%:*} \"*) continue ;; esac
			usable \${s%%:*} \${s#*:}
		done"
}
displaced swap-slots "platform1's and platform2's sealed keys exchanged (slot in the associated data)" \
	platform1 platform2
displaced swap-kind "platform2's key and pending key exchanged (kind in the associated data)" platform2
displaced generation "platform1's generation changed, as a key replayed from an older record (generation in the associated data)" \
	platform1
spoint "harness: the intact partition written back loads whole" '
	put_partition /mnt/share/intact.part
	devcred_tool load-kek
	usable platform1 platform1.key
	usable platform2 platform2.key'
spoint "the store's own encrypted key is refused without its trusted key (ENOKEY) and beside another trusted key (EKEYREJECTED, logged), though its sealed keys would open: the trusted key's blob must be the stored one" '
	put_partition
	info_lacks kek-loaded
	kek_refused kek_without_trusted ENOKEY
	dmesg -c >/dev/null
	kek_refused kek_other_trusted EKEYREJECTED
	dmesg | grep -q "devcred: the key-encryption key in the keyring is not the one this store was sealed with"'
board --guestfwd "$NGINX_PORT"

# --- fourth boot: the image on a board with another TPM --------------------

spoint "on another TPM the trusted key does not unseal; LOAD_KEK refused (ENOKEY); slots Invalid with key-sealed, certificates readable and shown" '
	if keyctl add trusted devcred:kmk "load $(devcred_tool read-seal kmk)" @s; then
		echo "another TPM unsealed the trusted key"; exit 1
	fi
	fails_with ENOKEY devcred_tool load-kek
	all_sealed
	credctl show platform1 | grep -qx "SHA256:       $(cat platform1.sha256)"
	credctl list | grep -q "^platform1 *invalid"'
spoint "on another TPM a new KEK is refused (EKEYREJECTED, EEXIST) outside factory mode" '
	kek_make
	fails_with EKEYREJECTED devcred_tool load-kek
	fails_with EEXIST devcred_tool load-kek --new
	info_lacks kek-loaded'
spoint "factory mode provisions again: the new KEK replaces the unusable one, the slots it cannot open emptied, a key written then works" '
	echo 1 >/sys/module/devcred/parameters/factory_mode
	devcred_tool load-kek --new
	echo 0 >/sys/module/devcred/parameters/factory_mode
	info_has kek-loaded
	for s in $SLOTS; do
		devcred_tool status $s | grep -qx cert_len=0
	done
	devcred_tool write platform1 installed platform1.pem platform1.key
	usable platform1 platform1.key'
spoint "an empty sealed store (no sealed key to prove a KEK) refuses a new encrypted key under its trusted key (EKEYREJECTED) and loads its own" '
	stop_daemon
	for s in $SLOTS; do
		devcred_tool status $s | grep -qx cert_len=0 || devcred_tool erase $s
		devcred_tool status $s | grep -qx cert_len=0
	done
	put_partition
	info_lacks keys-clear
	info_lacks kek-loaded
	keyctl session - sh -ec ". /mnt/share/sealing.lib
		kek_foreign
		fails_with EKEYREJECTED devcred_tool load-kek"
	info_lacks kek-loaded
	dmesg -c >/dev/null
	devcred_tool load-kek
	info_has kek-loaded
	dmesg | grep -q "devcred: key-encryption key loaded: 0 sealed keys opened$"'
t0=$SECONDS
run_points --no-unseal --flash "$moved" --share "$share"
echo "# that boot took $((SECONDS - t0)) s"

# --- fifth boot: power cuts (a test build of the module) -------------------
# And with SEALING_NAND_CUTS=1 (make stress) a sixth: the same on a NAND
# board (nandsim), where records are programmed a page at a time and each
# of the partition's blocks but the record's is erased.

# cut_points ON: the power-cut points, the board named in them by ON.
cut_points() {
	spoint "power cuts$1, setup: the built-in, platform1, platform2 and a pending key in clear; a KEK made" '
	devcred_tool write builtin self-signed selfsigned.pem selfsigned.key
	devcred_tool write platform1 installed platform1.pem platform1.key
	devcred_tool write platform2 installed platform2.pem platform2.key
	devcred_tool pending platform2 web1.key
	info_has keys-clear
	kek_make'
	spoint "power cuts$1 at every flash step of the migration$modes_named: the store in clear or sealed, the same slots" "
	sh -e /mnt/share/sealing_cuts_guest.sh platform1.key $cut_modes"
	spoint "power cuts$1 at every flash step of sealed updates (devcred_powercut, the KEK loaded again after each)" "
	# Sealed with the KEK loaded, whatever the point before left.
	devcred-reload
	if devcred_tool info | grep -q '^flag_names=.*keys-clear,'; then
		devcred_tool load-kek --new
	else
		devcred_tool load-kek
	fi
	info_has kek-loaded
	DEVCRED_SEALED=1 DEVCRED_POWERCUT_ROUNDS=${SEALING_POWERCUT_ROUNDS:-2} devcred_powercut"
}
# SEALING_CUT_MODES: the tearing modes of the migration's cuts (default all
# three), named in the point when fewer.
cut_modes=${SEALING_CUT_MODES:-0 1 2}
modes_named=
[ "$cut_modes" = "0 1 2" ] || modes_named=" (tearing modes $cut_modes of 0 1 2)"
cut_points ""
t0=$SECONDS
run_points --no-daemon --share "$share" --timeout 1800
echo "# that boot took $((SECONDS - t0)) s"
if [ "${SEALING_NAND_CUTS:-0}" = 1 ]; then
	cut_points " on NAND"
	t0=$SECONDS
	run_points --no-daemon --share "$share" --timeout 1800 --nand "$DEVCRED_NAND"
	echo "# that boot took $((SECONDS - t0)) s"
fi
tap_done
