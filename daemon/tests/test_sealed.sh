#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcredd and credctl (host builds) over a store whose keys are sealed at
# rest (the fake device's sealing files: kmk.blob, kek.blob, kek_loaded,
# require_sealing, SLOT.corrupt): "Keys at rest" in status and its JSON,
# the note under list when keys are not encrypted, slots whose key is
# sealed or corrupt listed and shown invalid with the reason (certificate
# still shown), ENOKEY on a key write named as devcred-unseal or
# require-sealing, and publishing: a sealed key is logged once and not
# published, then published when the key-encryption key is loaded. TAP on
# stdout.
#
#	test_sealed.sh HOST PKI		(as test_devcredd.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"
. "$(dirname "$0")/devcredd_env.sh"
trap 'daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT

dev=$tmp/dev

# The store sealed, as devcred-unseal leaves it on the first boot with a TPM.
seal() {
	echo "tpm2.a.1" >"$dev/kmk.blob" && echo "default trusted:devcred:kmk 32 00" >"$dev/kek.blob" &&
		touch "$dev/kek_loaded"
}

# lacks FILE TEXT: FILE does not contain TEXT.
lacks() {
	! grep -qF -- "$2" "$1" || { echo "$1 has '$2':"; cat "$1"; return 1; }
}

# refused WANT CREDCTL-ARGS...: credctl exits 1 saying WANT.
refused() {
	local want=$1 rc

	shift
	ctl "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || { echo "credctl $*: status $rc"; cat "$tmp/err"; return 1; }
	has "$tmp/err" "$want"
}

# wait_for TEST...: TEST holds within 10 s.
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	"$@"
}

t_clear() {
	ctl status >"$tmp/out" && has "$tmp/out" "Keys at rest: not encrypted" &&
		ctl status --json >"$tmp/out" && has "$tmp/out" '"keys_at_rest": "not-encrypted"' &&
		ctl list >"$tmp/out" &&
		has "$tmp/out" "note: private keys are not encrypted on flash (no key-encryption key: see devcred-unseal(8))" &&
		ctl list --json >"$tmp/out" && has "$tmp/out" '"keys_at_rest": "not-encrypted"'
}

t_required() {
	touch "$dev/require_sealing"
	ctl status >"$tmp/out" &&
		has "$tmp/out" "Keys at rest: not encrypted (sealing is required: new keys are refused until devcred-unseal loads a key-encryption key)" &&
		refused "platform1: key not written: sealing is required (devcred,require-sealing or require_sealing=1) and no key-encryption key is loaded: run devcred-unseal (it needs the TPM)" \
			install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" &&
		[ ! -e "$dev/platform1.cert" ] && rm "$dev/require_sealing"
}

t_sealed_open() {
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl bind provisioning platform1 >/dev/null && seal &&
		ctl status >"$tmp/out" && has "$tmp/out" "Keys at rest: sealed (key-encryption key loaded)" &&
		has "$tmp/out" "Device Certificate: Self-signed" &&
		ctl status --json >"$tmp/out" && has "$tmp/out" '"keys_at_rest": "sealed"' &&
		ctl list >"$tmp/out" && lacks "$tmp/out" "not encrypted" && grep -q '^platform1 *present' "$tmp/out"
}

SEALED_WHY="its private key is sealed and the key-encryption key is not loaded: run devcred-unseal"

# The module reloaded (or devcred-unseal not run): devcredd started on a
# sealed store without its KEK.
t_sealed_locked() {
	daemon_stop
	rm "$dev/kek_loaded"
	: >"$tmp/log"
	daemon_start || return 1
	ctl status >"$tmp/out" &&
		has "$tmp/out" "Keys at rest: sealed, key-encryption key NOT loaded: run devcred-unseal" &&
		has "$tmp/out" "Device Certificate: Invalid" &&
		ctl status --json >"$tmp/out" && has "$tmp/out" '"keys_at_rest": "sealed-kek-not-loaded"' &&
		has "$tmp/out" "\"detail\": \"$SEALED_WHY"
}

t_list_show_sealed() {
	local cn
	cn=$(openssl x509 -in "$PKI/platform1.pem" -noout -subject -nameopt multiline |
		sed -n 's/^ *commonName *= //p')
	ctl list >"$tmp/out" && grep -q "^platform1 *invalid *installed *$cn" "$tmp/out" &&
		has "$tmp/out" "note: platform1 is invalid: $SEALED_WHY" &&
		has "$tmp/out" "note: builtin is invalid: $SEALED_WHY" &&
		ctl list --json >"$tmp/out" && has "$tmp/out" "\"reason\": \"$SEALED_WHY" &&
		ctl show platform1 >"$tmp/out" && has "$tmp/out" "State:        invalid: $SEALED_WHY" &&
		has "$tmp/out" "SHA256:       $(cat "$PKI/platform1.sha256")" &&
		ctl show platform1 --json >"$tmp/out" && has "$tmp/out" "\"invalid\": \"$SEALED_WHY"
}

t_write_sealed() {
	refused "platform2: key not written: the store's keys are sealed and the key-encryption key is not loaded: run devcred-unseal" \
		install platform2 --cert "$PKI/platform2.pem" --key "$PKI/platform2.key" &&
		[ ! -e "$dev/platform2.cert" ]
}

# The bound operation is not published, said once per operation, and not
# again while nothing changes (no retry loop, no crash).
t_publish_sealed() {
	local n
	[ ! -e "$tmp/run/provisioning" ] &&
		has "$tmp/log" "provisioning: not published: platform1: $SEALED_WHY" || return 1
	n=$(grep -c 'not published: platform1' "$tmp/log")
	sleep 3
	[ "$(grep -c 'not published: platform1' "$tmp/log")" = "$n" ] && kill -0 "$daemon_pid" ||
		{ echo "logged again or gone"; return 1; }
}

# devcred-unseal run while devcredd serves: the files appear, status follows.
t_unsealed_later() {
	touch "$dev/kek_loaded"
	wait_for [ -e "$tmp/run/provisioning/key.pem" ] &&
		ctl status >"$tmp/out" && has "$tmp/out" "Device Certificate: Self-signed" &&
		has "$tmp/out" "Keys at rest: sealed (key-encryption key loaded)"
}

CORRUPT_WHY="its sealed private key failed authentication (altered on flash): install the credential again"

t_corrupt() {
	touch "$dev/platform1.corrupt"
	ctl list >"$tmp/out" && grep -q '^platform1 *invalid' "$tmp/out" &&
		has "$tmp/out" "note: platform1 is invalid: $CORRUPT_WHY" &&
		lacks "$tmp/out" "note: builtin is invalid" &&
		ctl show platform1 >"$tmp/out" && has "$tmp/out" "State:        invalid: $CORRUPT_WHY" &&
		ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl list >"$tmp/out" && grep -q '^platform1 *present' "$tmp/out"
}

tests=(
	"t_clear:a store in clear: status says 'Keys at rest: not encrypted', list notes it, both in JSON"
	"t_required:sealing required without a KEK: status says so, a key write names require-sealing and devcred-unseal"
	"t_sealed_open:a sealed store with its KEK loaded: 'sealed (key-encryption key loaded)', no note"
	"t_sealed_locked:a sealed store without its KEK: status says to run devcred-unseal, the built-in is Invalid with the reason"
	"t_list_show_sealed:list and show: a sealed slot is invalid with its reason, its certificate still shown"
	"t_write_sealed:a key write on a sealed store without its KEK names devcred-unseal"
	"t_publish_sealed:a sealed key is not published, logged once, devcredd keeps serving"
	"t_unsealed_later:the KEK loaded while devcredd runs: the files appear, status follows at once"
	"t_corrupt:a key that failed authentication: invalid with its reason; installing again mends it"
)
run_tests
