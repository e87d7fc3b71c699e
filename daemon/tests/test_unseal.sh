#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred-unseal (host build) over the fake device (tests/fake_device.c) and
# fake kernel keys (tests/fake_keyutils.c, whose TPM is a folder with a
# seed): the first boot with a TPM makes the key-encryption key and the
# store adopts it; the next boot unseals it; another TPM, an altered blob,
# a TPM that refuses are logged with their step and exit 1, the store
# untouched; no TPM says keys stay in clear; seal.conf is parsed strictly;
# --factory replaces a lost key in factory mode only; every key added is
# revoked before the program ends. TAP on stdout.
#
#	test_unseal.sh [HOSTDIR]	(default: ../build/host)
set -u

HOST=$(realpath "${1:-$(dirname "$0")/../../build/host}")
UNSEAL=$HOST/devcred-unseal
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ok and the sanitizers' settings; devcredd itself is not started here.
. "$(dirname "$0")/devcredd_env.sh"
unset DEVCRED_CONFDIR

dev=$tmp/dev
tpm=$tmp/tpm
sysfs=$tmp/sys-tpm0
export FAKE_TPM=$tpm

# A board: an empty store in clear, a TPM 2.0 of seed "a", seal.conf as on
# the board.
board() {
	rm -rf "$dev" "$tpm" "$sysfs"
	mkdir -p "$dev" "$tpm" "$sysfs"
	echo a >"$tpm/seed"
	echo 2 >"$sysfs/tpm_version_major"
	printf '# the board\ntrusted_options=keyhandle=0x81000001\ntpm=%s\n' "$sysfs" >"$tmp/seal.conf"
}

# run [ARGS...]: devcred-unseal on the board; its status in $rc, its log in
# $tmp/out, the fake kernel's calls of this run in $tmp/calls.
run() {
	rm -f "$tpm/calls"
	"$UNSEAL" --config "$tmp/seal.conf" --device "$dev" "$@" >"$tmp/out" 2>&1
	rc=$?
	touch "$tpm/calls"
	cp "$tpm/calls" "$tmp/calls"
	sed 's/^/# /' "$tmp/out"
}

# expect STATUS LINE: the run's status and a line of its log.
expect() {
	[ "$rc" -eq "$1" ] || { echo "# exit status $rc, expected $1"; return 1; }
	grep -qF -- "$2" "$tmp/out" || { echo "# no line: $2"; return 1; }
}

# Every key this run added was revoked, and it worked in a keyring of its own.
all_revoked() {
	local d
	for d in devcred:kmk devcred:kek; do
		if grep -q "^add $d " "$tmp/calls" && ! grep -qx "revoke $d" "$tmp/calls"; then
			echo "# $d added and not revoked"
			return 1
		fi
	done
	! grep -q '^add ' "$tmp/calls" || grep -qx 'session (anonymous)' "$tmp/calls"
}

sealed() {
	[ -s "$dev/kmk.blob" ] && [ -s "$dev/kek.blob" ]
}

first_boot() {
	board && run || return 1
	expect 0 "a new key-encryption key, sealed by the TPM at $sysfs" &&
		sealed && [ -e "$dev/kek_loaded" ] &&
		grep -qx 'add devcred:kmk new' "$tmp/calls" &&
		grep -qx 'add devcred:kek new' "$tmp/calls" && all_revoked
}
ok "first boot with a TPM: a new KEK, the store sealed, the keys revoked" first_boot

again_open() {
	run
	expect 0 "the key-encryption key is loaded already: nothing to do" &&
		! grep -q '^add ' "$tmp/calls"
}
ok "run again on an open store: nothing to do, no key made" again_open

reboot() {
	rm -f "$dev/kek_loaded"
	cp "$dev/kek.blob" "$tmp/kek.blob.before"
	run
	expect 0 "the key-encryption key is loaded: the sealed private keys are open" &&
		[ -e "$dev/kek_loaded" ] && cmp -s "$dev/kek.blob" "$tmp/kek.blob.before" &&
		grep -qx 'add devcred:kmk load' "$tmp/calls" &&
		grep -qx 'add devcred:kek load' "$tmp/calls" && all_revoked
}
ok "reboot: the stored blobs are loaded, the store opened with the same KEK" reboot

other_tpm() {
	rm -f "$dev/kek_loaded"
	echo b >"$tpm/seed"
	run
	echo a >"$tpm/seed"
	expect 1 "trusted key devcred:kmk: load failed (EPERM): the TPM refused to unseal it: sealed by another TPM" &&
		[ ! -e "$dev/kek_loaded" ] && cmp -s "$dev/kek.blob" "$tmp/kek.blob.before" && all_revoked
}
ok "another TPM: EPERM logged with its meaning, exit 1, the store stays sealed" other_tpm

altered_kek() {
	sed 's/ \(.\)/ X/' "$tmp/kek.blob.before" >"$dev/kek.blob"
	run
	cp "$tmp/kek.blob.before" "$dev/kek.blob"
	expect 1 "encrypted key devcred:kek: load failed (EINVAL): its blob does not authenticate under devcred:kmk" &&
		[ ! -e "$dev/kek_loaded" ] && grep -qx 'revoke devcred:kmk' "$tmp/calls" && all_revoked
}
ok "an altered encrypted blob: EINVAL logged, exit 1, the trusted key revoked" altered_kek

tpm_busy() {
	echo 16 >"$tpm/fail_trusted_load"
	run
	rm "$tpm/fail_trusted_load"
	expect 1 "trusted key devcred:kmk: load failed (EBUSY): the TPM is busy: run devcred-unseal again"
}
ok "a busy TPM: EBUSY says to run it again" tpm_busy

no_trusted_keys() {
	rm "$tpm/seed"
	run
	echo a >"$tpm/seed"
	expect 1 "load failed (ENODEV): the kernel has no trusted keys backed by a TPM"
}
ok "a sealed store on a kernel without trusted keys: ENODEV named, exit 1" no_trusted_keys

no_tpm() {
	board && rm -r "$sysfs" && run
	expect 0 "no TPM: private keys stay unencrypted on flash" && ! sealed &&
		! grep -q . "$tmp/calls"
}
ok "no TPM: keys stay unencrypted, said, exit 0, no kernel key touched" no_tpm

no_tpm_required() {
	board && rm -r "$sysfs" && touch "$dev/require_sealing" && run
	expect 0 "no TPM: private keys stay unencrypted on flash" &&
		expect 0 "sealing is required: the store refuses private keys until a key-encryption key is loaded"
}
ok "no TPM with sealing required: both said" no_tpm_required

tpm12() {
	board && echo 1 >"$sysfs/tpm_version_major" && run
	expect 0 "no TPM: private keys stay unencrypted on flash" && ! sealed
}
ok "a TPM 1.2 is not the TPM 2.0 that seals: keys stay in clear" tpm12

seal_refused() {
	board && echo 1 >"$tpm/fail_trusted_new" && run
	expect 1 "trusted key devcred:kmk: new failed (EPERM): the TPM refused to seal" && ! sealed &&
		[ ! -e "$dev/generation" ]
}
ok "the TPM refuses to seal: EPERM logged, exit 1, the store still in clear" seal_refused

no_keyhandle() {
	board && printf 'tpm=%s\n' "$sysfs" >"$tmp/seal.conf" && run
	expect 1 "trusted key devcred:kmk: new failed (EINVAL): the kernel refused seal.conf's trusted_options" &&
		! sealed
}
ok "no keyhandle for a TPM 2.0: EINVAL names seal.conf's trusted_options" no_keyhandle

no_session() {
	board && echo 38 >"$tpm/fail_session" && run
	expect 1 "a session keyring of its own: keyctl_join_session_keyring failed (ENOSYS): the kernel has no keys (CONFIG_KEYS)" &&
		! sealed
}
ok "no keyrings in the kernel: the step and CONFIG_KEYS named" no_session

# conf_refused CONTENT MESSAGE: seal.conf with CONTENT is refused, naming the line.
conf_refused() {
	board && printf '%b' "$1" >"$tmp/seal.conf" && run
	expect 1 "configuration: $tmp/seal.conf $2" && ! sealed && ! grep -q . "$tmp/calls"
}
ok "seal.conf: an unknown key is refused, naming the line" \
	conf_refused '# x\n\nkeyhandle=0x81000001\n' "line 3: unknown key (trusted_options, tpm): keyhandle"
ok "seal.conf: a line without '=' is refused" \
	conf_refused 'trusted_options\n' "line 1: no '=' (expected key = value)"
ok "seal.conf: a key given twice is refused" \
	conf_refused 'trusted_options=keyhandle=1\ntrusted_options=keyhandle=2\n' "line 2: given twice: trusted_options"
ok "seal.conf: a word that is not name=value cannot reach the kernel's payload" \
	conf_refused 'trusted_options=keyhandle=1 load xyz\n' "line 1: trusted_options: each option is name=value"
ok "seal.conf: an option without a value is refused" \
	conf_refused 'trusted_options=keyhandle=\n' "line 1: trusted_options: an option has no value"
ok "seal.conf: tpm must be an absolute path" \
	conf_refused 'tpm=sys/class/tpm/tpm0\n' "line 1: tpm is the TPM's sysfs folder"

conf_missing() {
	board && rm "$tmp/seal.conf" && run
	expect 1 "configuration: $tmp/seal.conf: No such file or directory"
}
ok "seal.conf missing: the file named, exit 1" conf_missing

conf_options_spaces() {
	board &&
		printf 'trusted_options = keyhandle=0x81000001  hash=sha256\ntpm=%s\n' "$sysfs" >"$tmp/seal.conf" &&
		run
	expect 0 "a new key-encryption key" && sealed
}
ok "seal.conf: several options, spaces around '=' accepted" conf_options_spaces

no_device() {
	board && "$UNSEAL" --config "$tmp/seal.conf" --device "$tmp/none/devcred" >"$tmp/out" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/out"
	expect 1 "open $tmp/none/devcred failed (ENOENT): the devcred module is not loaded (modprobe devcred)"
}
ok "no store device: the open step and modprobe named, exit 1" no_device

readonly_store() {
	board && touch "$dev/readonly" && run
	expect 0 "the credential partition is read-only: nothing to do" && ! sealed
}
ok "a read-only partition: nothing to do, exit 0" readonly_store

damaged_store() {
	board && touch "$dev/damaged" && run
	expect 0 "the store holds no valid record: nothing to seal until it is formatted (credctl format)" &&
		! sealed
}
ok "a damaged store: nothing sealed, credctl format named" damaged_store

# A store sealed by TPM "a" with a key in platform1, booted beside TPM "b".
moved_store() {
	board && run && [ "$rc" -eq 0 ] || return 1
	echo cert >"$dev/platform1.cert" && echo key >"$dev/platform1.key" &&
		rm "$dev/kek_loaded" && echo b >"$tpm/seed"
}

factory_refused() {
	moved_store && run --factory
	expect 1 "--factory: the store is not in factory mode (devcred module parameter factory_mode=1): its key-encryption key stays" &&
		[ -e "$dev/platform1.key" ] && [ ! -e "$dev/kek_loaded" ] && all_revoked
}
ok "--factory outside factory mode: refused, the slots kept" factory_refused

factory_replaces() {
	moved_store && touch "$dev/factory_mode" && cp "$dev/kmk.blob" "$tmp/kmk.old" &&
		run --factory
	expect 0 "factory: a new key-encryption key replaced the one that could not be loaded" &&
		[ -e "$dev/kek_loaded" ] && [ ! -e "$dev/platform1.key" ] &&
		! cmp -s "$dev/kmk.blob" "$tmp/kmk.old" && grep -q '^tpm2\.b\.' "$dev/kmk.blob" &&
		all_revoked
}
ok "--factory in factory mode: a new KEK of this TPM, the lost slots emptied" factory_replaces

usage() {
	"$UNSEAL" --bogus >/dev/null 2>&1
	[ $? -eq 2 ] || return 1
	"$UNSEAL" --verbose 9 >"$tmp/out" 2>&1
	[ $? -eq 2 ] && grep -qF -- "--verbose takes 0 to 3, not '9'" "$tmp/out" &&
		"$UNSEAL" --help | grep -q -- '--factory'
}
ok "usage errors exit 2; --help lists the options" usage

echo "1..$n"
exit $failed
