# SPDX-License-Identifier: GPL-2.0
#
# The guest half of sealing.sh's power cuts during the migration (busybox
# sh -e, a test build of devcred.ko, the KEK's trusted and encrypted keys in
# the caller's session keyring): the store holds keys in clear, and
# DEVCRED_IOC_LOAD_KEK with DEVCRED_KEK_NEW seals them all in one record.
# For each tearing mode and k = 1, 2, ...: the clear partition is written
# back with the module unloaded, the power is cut at the migration's k-th
# flash write or erase (debugfs devcred/cut_at), the module is reloaded as
# a reboot would, and the store must be the old one (in clear: keys-clear,
# the same slots) or the new one (sealed: no keys-clear, every key
# unreadable until the KEK is loaded again, then the same slots); nothing
# else. The migration's last steps erase the blocks of the records in
# clear, after its sealed record is written: a cut there leaves the store
# sealed, and the next attach erases what is left. k grows until the
# migration completes before its cut.
#
# The cuts must happen, or every migration would complete at k = 1 and
# nothing would be checked: k = 1 must cut in every mode, every failed
# migration must be the driver's one cut (devcred/cuts), and across the
# cut points both the old and the new state must have been seen.
#
# After each cut the partition is searched for a line of KEY-FILE's PEM body
# (a key the store holds, written as it is): it is there while the store is
# in clear, and nowhere once it is sealed, the erasing of the blocks with
# the records in clear included, which an attach after a cut finishes.
#
#   sh -e sealing_cuts_guest.sh KEY-FILE [MODE...]
#       prints "# ..." lines, exits 0 when all held; the tearing modes
#       (0 1 2, debugfs devcred/cut_mode) are MODE..., all three by default
KNOB=/sys/kernel/debug/devcred
SLOTS="builtin platform1 platform2"

# snapshot DIR: every flash slot as userspace reads it (certificate, key,
# pending key, origin, lengths, generation), and the bindings.
snapshot() {
	rm -rf "$1"
	mkdir -p "$1"
	for s in $SLOTS; do
		devcred_tool status "$s" | grep -v '^flag' >"$1/$s.status"
		if grep -qx 'cert_len=0' "$1/$s.status"; then :; else
			devcred_tool read-cert "$s" >"$1/$s.cert"
			devcred_tool read-key "$s" >"$1/$s.key"
		fi
		if grep -qx 'pending_key_len=0' "$1/$s.status"; then :; else
			devcred_tool read-pending "$s" >"$1/$s.pending"
		fi
	done
	devcred_tool bindings >"$1/bindings"
}

same_as_before() {
	snapshot /tmp/after
	diff -r /tmp/before /tmp/after
}

clear_store() { devcred_tool info | grep -q '^flag_names=.*keys-clear,'; }

cuts() { cat "$KNOB/cuts"; }

# shellcheck disable=SC2046 # the parameters as init gave them
load_module() { insmod /lib/modules/devcred.ko $(cat /run/devcred.modparams); }

mtd_index=$(devcred_tool info | sed -n 's/^mtd_index=//p')
[ -n "$mtd_index" ] || { echo "# devcred_tool info names no mtd_index"; exit 1; }
mtd=/dev/mtd$mtd_index
sysfs=/sys/class/mtd/mtd$mtd_index
# put_back IMAGE: the partition as IMAGE, the module unloaded. NAND pages
# are programmed once after an erase: erased pages stay erased, as the
# driver expects of the pages after its records.
case $(cat "$sysfs/type") in
*nand)
	# nandwrite skips bad blocks, where dd kept them in the image.
	[ "$(cat "$sysfs/bad_blocks")" = 0 ] || { echo "# $mtd has bad blocks"; exit 1; }
	put_back() {
		flash_erase -q "$mtd" 0 0
		nandwrite -q --skip-all-ffs "$mtd" "$1"
	}
	;;
*)
	put_back() { flashcp "$1" "$mtd"; }
	;;
esac
# A migration erases each of the partition's blocks but its record's once:
# as many cut points, and a few for the record.
limit=$(($(cat "$sysfs/size") / $(cat "$sysfs/erasesize") + 32))
keyfile=$1
shift
modes=${*:-0 1 2}
for mode in $modes; do
	case $mode in
	0|1|2) ;;
	*) echo "# tearing mode $mode: the driver's are 0, 1 and 2"; exit 1 ;;
	esac
done
keyline=$(sed -n 2p "$keyfile")
[ ${#keyline} -ge 32 ] || { echo "# $keyfile: no PEM body line to look for"; exit 1; }
key_on_flash() { grep -q -F "$keyline" "$mtd"; }
clear_store || { echo "# the store is not in clear to start with"; exit 1; }
snapshot /tmp/before
# The partition in clear, saved with the module unloaded.
rmmod devcred
dd if="$mtd" of=/tmp/clear.img 2>/dev/null
load_module

saw_old=0
saw_new=0
scrub_cuts=0
points=0
for mode in $modes; do
	k=1
	while :; do
		rmmod devcred
		put_back /tmp/clear.img
		load_module
		clear_store || { echo "# mode $mode k=$k: the clear partition did not load in clear"; exit 1; }
		before=$(cuts)
		echo "$mode" >"$KNOB/cut_mode"
		echo "$k" >"$KNOB/cut_at"
		if devcred_tool load-kek --new 2>/tmp/err; then done=1; else done=0; fi
		echo 0 >"$KNOB/cut_at"
		made=$(($(cuts) - before))
		# A failed migration is the one cut; a migration that succeeded
		# either made no cut (it completed before its k-th operation) or
		# was cut after its sealed record was written, while it erased
		# the blocks of the records in clear (the attach finishes that).
		if [ $done = 0 ]; then
			grep -q ESHUTDOWN /tmp/err || { cat /tmp/err; exit 1; }
			[ $made = 1 ] || { echo "# mode $mode k=$k: the migration failed, and the driver made $made cuts"; exit 1; }
		elif [ $made -gt 1 ]; then
			echo "# mode $mode k=$k: the driver made $made cuts"
			exit 1
		fi
		if [ $k = 1 ] && [ $made = 0 ]; then
			echo "# mode $mode: the migration completed with a cut at its first flash operation: no cut happened"
			exit 1
		fi
		devcred-reload
		points=$((points + 1))
		if clear_store; then
			[ $done = 0 ] || { echo "# mode $mode k=$k: migrated, and in clear after the reload"; exit 1; }
			same_as_before || { echo "# mode $mode k=$k: in clear, but not the old slots"; exit 1; }
			key_on_flash || { echo "# mode $mode k=$k: in clear, and the key is not on flash"; exit 1; }
			saw_old=$((saw_old + 1))
		else
			# Sealed: no key is readable before the KEK is loaded.
			for s in $SLOTS; do
				[ -e "/tmp/before/$s.key" ] || continue
				if devcred_tool read-key "$s" >/dev/null 2>/tmp/err; then
					echo "# mode $mode k=$k: $s's key read back before the KEK was loaded"
					exit 1
				fi
				grep -q ENOKEY /tmp/err
			done
			if key_on_flash; then
				echo "# mode $mode k=$k: sealed, and a key in clear is still on flash"
				exit 1
			fi
			devcred_tool load-kek
			same_as_before || { echo "# mode $mode k=$k: sealed, but not the old slots"; exit 1; }
			saw_new=$((saw_new + 1))
			if [ $made = 0 ]; then break; fi
			if [ $done = 1 ]; then scrub_cuts=$((scrub_cuts + 1)); fi
		fi
		k=$((k + 1))
		[ $k -lt $limit ] || { echo "# mode $mode: the migration never completed in $((limit - 1)) cut points"; exit 1; }
	done
	echo "# mode $mode: the migration completed at k=$k"
done
echo "# migration: $points cut points checked ($saw_old showed the store in clear, $saw_new sealed, $scrub_cuts of them cut while the blocks in clear were erased)"
[ $saw_old -gt 0 ] || { echo "# no cut left the store in clear"; exit 1; }
[ $saw_new -gt 0 ] || { echo "# no migration showed the sealed store"; exit 1; }
[ $scrub_cuts -gt 0 ] || { echo "# no cut fell while the blocks in clear were erased"; exit 1; }
