#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcred-unseal on the board (Documentation/devcred/key-sealing.rst, "Who
# creates the KEK"): the first boot with a TPM makes the key-encryption key
# and the store seals its keys; the next boot on the same flash and TPM
# unseals it before devcredd starts, so the keys are published; the module
# reloaded without it leaves the keys sealed and said so, until
# devcred-unseal runs; the flash on another board cannot be unsealed, and
# in factory mode devcred-unseal --factory gives it a new key; a board
# without a TPM says its keys stay unencrypted and goes on. Reading the
# flash image, tampering and power cuts are sealing.sh's.
set -u
. "$(dirname "$0")/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flash=$tmp/flash.img

tap_plan 11

# The first boot: the store is in clear when init runs devcred-unseal.
point "first boot with a TPM: devcred-unseal makes the KEK, the store seals its keys" '
	cat /run/devcred-unseal.log
	grep -q "devcred-unseal: info: a new key-encryption key, sealed by the TPM at /sys/class/tpm/tpm0" /run/devcred-unseal.log
	dmesg | grep -q "devcred: private keys are sealed now"'
point "credctl status says the keys are sealed, list has no note, the built-in is Self-signed" '
	credctl status | tee /tmp/status
	grep -qx "Keys at rest: sealed (key-encryption key loaded)" /tmp/status
	grep -qx "Device Certificate: Self-signed" /tmp/status
	credctl status --json | grep -q "\"keys_at_rest\": \"sealed\""
	credctl list | tee /tmp/list
	if grep -q "^note:" /tmp/list; then echo "a note on a sealed store"; exit 1; fi'
point "running devcred-unseal again on the open store does nothing" '
	devcred-unseal 2>&1 | tee /tmp/again
	grep -q "the key-encryption key is loaded already: nothing to do" /tmp/again'
run_points --flash "$flash"

# The same board rebooted: the TPM unseals the stored KEK before devcredd.
point "reboot: devcred-unseal loads the stored KEK; devcredd publishes the keys" '
	cat /run/devcred-unseal.log
	grep -q "devcred-unseal: info: the key-encryption key is loaded: the sealed private keys are open" /run/devcred-unseal.log
	credctl status | grep -qx "Keys at rest: sealed (key-encryption key loaded)"
	credctl status | grep -qx "Device Certificate: Self-signed"
	openssl pkey -in /run/devcred/802.1x/key.pem -noout'
point "module reloaded without devcred-unseal: keys sealed and said so, nothing published, devcredd serving" '
	pid=$(cat /run/devcredd.pid)
	kill "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "devcredd did not stop"; exit 1; }
		sleep 0.1
	done
	DEVCRED_RELOAD_SEALED=1 devcred-reload
	devcred-restart
	credctl status | tee /tmp/status
	grep -qx "Keys at rest: sealed, key-encryption key NOT loaded: run devcred-unseal" /tmp/status
	grep -qx "Device Certificate: Invalid" /tmp/status
	credctl list | tee /tmp/list
	grep -q "^builtin *invalid *self-signed" /tmp/list
	grep -q "^note: builtin is invalid: its private key is sealed and the key-encryption key is not loaded: run devcred-unseal" /tmp/list
	credctl show builtin | grep -q "^State:        invalid: its private key is sealed"
	credctl show builtin | grep -q "^Subject: "
	test ! -e /run/devcred/802.1x
	grep -q "802.1x: not published: builtin: its private key is sealed" /run/devcredd.log'
point "devcred-unseal run by hand: the keys open, devcredd publishes them without a restart" '
	devcred-unseal
	credctl status | grep -qx "Keys at rest: sealed (key-encryption key loaded)"
	credctl status | grep -qx "Device Certificate: Self-signed"
	i=0
	until [ -e /run/devcred/802.1x/key.pem ]; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "not published"; exit 1; }
		sleep 0.1
	done
	openssl pkey -in /run/devcred/802.1x/key.pem -noout'
run_points --flash "$flash"

# The same flash on another board (a copy meets a TPM of its own), in
# factory mode: the stored KEK cannot be unsealed; --factory replaces it.
cp "$flash" "$tmp/moved.img"
point "the flash on another board: devcred-unseal's EPERM at boot, the keys stay sealed" '
	cat /run/devcred-unseal.log
	grep -q "trusted key devcred:kmk: load failed (EPERM): the TPM refused to unseal it" /run/devcred-unseal.log
	credctl status | grep -qx "Keys at rest: sealed, key-encryption key NOT loaded: run devcred-unseal"'
point "factory mode: devcred-unseal --factory gives the store a new KEK, the lost built-in is made again" '
	devcred-unseal --factory 2>&1 | tee /tmp/factory
	grep -q "factory: a new key-encryption key replaced the one that could not be loaded" /tmp/factory
	credctl status | grep -qx "Keys at rest: sealed (key-encryption key loaded)"
	credctl list | grep -q "^builtin *empty"
	devcred-restart
	credctl status | grep -qx "Device Certificate: Self-signed"
	devcred-unseal 2>&1 | grep -q "the key-encryption key is loaded already"'
run_points --flash "$tmp/moved.img" --modparam factory_mode=1

# No TPM: nothing sealed, said by devcred-unseal, status and list.
point "--no-tpm: devcred-unseal says keys stay unencrypted, exits 0, devcredd starts" '
	cat /run/devcred-unseal.log
	grep -q "devcred-unseal: warning: no TPM: private keys stay unencrypted on flash" /run/devcred-unseal.log
	devcred-unseal
	credctl status | grep -qx "Device Certificate: Self-signed"'
point "--no-tpm: credctl status says 'Keys at rest: not encrypted', list notes it" '
	credctl status | grep -qx "Keys at rest: not encrypted"
	credctl list | grep -qx "note: private keys are not encrypted on flash (no key-encryption key: see devcred-unseal(8))"'
point "--no-tpm: the kernel log says the keys are unencrypted" '
	dmesg | grep -q "devcred: private keys are stored unencrypted on mtd"'
run_points --no-tpm

tap_done
