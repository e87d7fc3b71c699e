# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The board's TPM 2.0: swtpm (Debian's swtpm and swtpm-tools), which QEMU
# attaches as a tpm-tis-device. Sourced by scripts/vm and scripts/mkdtb, after
# lib.sh. The functions print what went wrong and return 1; each caller exits
# by its own convention.

# The persistent handle of the storage root key, the parent every trusted key
# of the board is sealed under (keyctl ... "new 32 keyhandle=0x81000001").
# TCG's provisioning guidance reserves this handle for the SRK.
TPM_SRK_HANDLE=0x81000001

# tpm_qemu_args SOCKET: set TPM_QEMU_ARGS to QEMU's arguments for a TPM whose
# swtpm listens on SOCKET (a comma in a QEMU option value is written twice).
tpm_qemu_args() {
	TPM_QEMU_ARGS=(-chardev "socket,id=tpmctrl,path=${1//,/,,}"
		-tpmdev emulator,id=tpm0,chardev=tpmctrl
		-device tpm-tis-device,tpmdev=tpm0)
}

# tpm_manufacture DIR: make DIR the state folder of a new TPM, as its vendor
# and the board's factory would: seeds of its own, the SRK made persistent at
# TPM_SRK_HANDLE, the sha256 PCR bank active. A folder that holds a TPM 2.0
# already is kept as it is: it is that board's TPM. The TPM is made in a
# folder beside DIR and renamed into place, so that an interrupted run leaves
# no half-made TPM behind.
tpm_manufacture() {
	local dir=$1 new
	if [ -e "$dir" ]; then
		[ -f "$dir/tpm2-00.permall" ] && return 0
		echo "tpm: $dir holds no TPM 2.0 state (no tpm2-00.permall); remove it to give the board a new TPM" >&2
		return 1
	fi
	new=$(mktemp -d "$dir.new.XXXXXX") || return 1
	if ! swtpm_setup --tpm2 --tpm-state "$new" --create-spk --pcr-banks sha256 \
		>"$new.log" 2>&1; then
		cat "$new.log" >&2
		rm -rf "$new" "$new.log"
		echo "tpm: swtpm_setup could not make a TPM in $dir" >&2
		return 1
	fi
	rm -f "$new.log"
	# Another boot of the same flash file may have made one meanwhile:
	# mv -T does not replace a folder that is not empty, and theirs is kept.
	mv -T "$new" "$dir" 2>/dev/null || rm -rf "$new"
	[ -f "$dir/tpm2-00.permall" ] && return 0
	echo "tpm: no TPM state in $dir after swtpm_setup" >&2
	return 1
}

# tpm_throwaway DIR: a TPM in DIR for a board that keeps nothing (no flash
# file): a copy of one made once per cache and swtpm version. What such a
# board sealed is gone with it, so its TPM's seeds need not be its own, and
# the copy spares each such boot the second swtpm_setup takes. A board with a
# flash file gets a new TPM of its own (tpm_manufacture): the tests that move
# a flash image to another board depend on that.
tpm_throwaway() {
	local template
	template=$DEVCRED_CACHE/tpm-template/$(dpkg-query -W -f='${Version}' swtpm)
	mkdir -p "$(dirname "$template")" || return 1
	tpm_manufacture "$template" || return 1
	cp -a "$template" "$1"
}

# tpm_start STATE SOCKET LOG LIFETIME: run swtpm on the TPM state folder
# STATE, its control channel listening on SOCKET, and set TPM_PID. It ends
# when QEMU closes its connection (--terminate), whether QEMU exits, crashes
# or is killed, and at the latest after LIFETIME seconds (a caller that was
# killed itself before QEMU connected cannot leave it running). swtpm locks
# STATE when QEMU initialises the TPM: a second board on the same TPM at once
# does not start (QEMU: "TPM result for CMD_INIT: 0x9"; swtpm's log: "Could
# not lock access to lockfile").
#
# The kernel logs "tpm tpm0: A TPM error (256) occurred attempting the self
# test" at every boot: it finds the TPM not started (TPM_RC_INITIALIZE, as
# no firmware ran before it to send TPM2_Startup), sends the Startup itself
# and goes on; nothing is wrong. swtpm's --flags startup-clear does not
# spare it: swtpm sends that Startup as its main loop begins, and QEMU's
# CMD_INIT on the control channel, when the board starts, initialises the
# TPM again, not started (tried: the line stays, twice a boot).
tpm_start() {
	local state=$1 sock=$2 log=$3 lifetime=$4 i=0
	# sockaddr_un's sun_path holds 108 bytes with the terminating NUL.
	if [ ${#sock} -ge 108 ]; then
		echo "tpm: socket path $sock is too long for a Unix socket (at most 107 bytes)" >&2
		return 1
	fi
	timeout -s KILL "$lifetime" swtpm socket --tpm2 --tpmstate dir="$state" \
		--ctrl type=unixio,path="$sock" --terminate --log file="$log" </dev/null &
	TPM_PID=$!
	until [ -S "$sock" ]; do
		if ! kill -0 "$TPM_PID" 2>/dev/null || [ $i -ge 100 ]; then
			cat "$log" >&2 2>/dev/null
			tpm_stop
			echo "tpm: swtpm did not start on $state" >&2
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# tpm_stop: end the swtpm tpm_start ran, if it still runs, and reap it.
tpm_stop() {
	[ -n "${TPM_PID:-}" ] || return 0
	kill "$TPM_PID" 2>/dev/null || true
	wait "$TPM_PID" 2>/dev/null || true
	TPM_PID=
}
