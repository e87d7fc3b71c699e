#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh PHASE [NAME]: the board side of `make bench` (scripts/bench
# boots the board once per phase and runs this from the shared folder). Each
# phase writes key=value lines to $OUT/NAME.txt (NAME defaults to PHASE;
# lists space-separated; times in nanoseconds); bench/report.py turns them
# into the table and the JSON.
#
#   prep     (devcredd running) installs the benchmark credentials through
#            credctl and saves the bytes the store then holds
#   devcred  (no devcredd) N_UPDATES platform1 updates through the driver
#   uboot    (no devcred) the same updates as a U-Boot-style redundant
#            environment: erase the other sector, write it whole, mark the
#            old copy obsolete
#   flashcp  (no devcred) the same updates as flash_erase of the whole
#            partition then flashcp of the credential bytes
#   attach   (no devcredd) module load to store ready with 1 record, a full
#            block and a full partition, and the same without the module
#            load (the driver bound again; the module's init to store
#            ready), against reading the partition; the bytes each reads
#   daemon   (devcredd running) mutual TLS, credctl csr, credctl install
#            and devcred-web's status page and API against their baselines
#            (the board's device tree with the scratch partition
#            "bench-scratch" that scripts/bench adds)
#   install  (devcredd running) credctl install against its baseline alone
#            (on the timed nandsim board: flash_erase + nandwrite)
#   sealed   (a TPM, devcredd started here) keys sealed to the TPM against
#            the same store in clear, on two partitions of one chip: attach
#            with DEVCRED_IOC_LOAD_KEK against attach, DEVCRED_IOC_WRITE and
#            credctl install with the key-encryption key loaded against the
#            same in clear; and the boot's unsealing of the kernel keys.
#            With SEALED_ATTACH_ONLY=1 only the attaches (the boots of
#            scripts/vm --cpu-model, whose clock counts instructions)
#
# The attach, install and sealed phases run on either board: on nandsim
# (scripts/vm --nand) the store is "NAND simulator partition 0" and the
# scratch partition "NAND simulator partition 1" (sealed writes prep's
# records on both, nandsim's flash being erased at each boot).
#
# Erase and program calls are counted with the function profiler of ftrace,
# independently of the driver's own counters (devcred_tool info, recorded
# beside them): the MTD entry points mtd_erase, mtd_write and mtd_write_oob;
# concat_erase and concat_write, because virt's two flash banks are one
# concatenated MTD device whose calls enter mtd_erase/mtd_write a second
# time for the bank; and the CFI chip driver's do_erase_oneblock (one per
# block erased), cfi_intelext_write_buffers and cfi_intelext_write_words.
# Bytes read, programmed and erased are counted with kprobe events on the
# MTD entry points, which record each call's length (count_start).
set -eu

PHASE=${1:?usage: guest.sh PHASE [NAME]}
NAME=${2:-$PHASE}
SHARE=/mnt/share
CERTS=$SHARE/certs
STATE=$SHARE/state
OUT=$SHARE/out
N_UPDATES=${N_UPDATES:-1000}
N_BASELINE=${N_BASELINE:-100}
REPEAT=${REPEAT:-9}
ATTACH_REPEAT=${ATTACH_REPEAT:-15}
TRACE_RUNS=${TRACE_RUNS:-5}
B=$SHARE/devcred_bench
KO=/lib/modules/devcred.ko
TRACING=/sys/kernel/debug/tracing
PROFILED="mtd_erase mtd_write mtd_write_oob concat_erase concat_write do_erase_oneblock
	cfi_intelext_write_buffers cfi_intelext_write_words"
# The U-Boot baseline's sector: one block of virt's CFI flash.
ERASE_SIZE=262144
if grep -q '"NAND simulator partition 0"' /proc/mtd; then
	NAND=1
	STORE_PART="NAND simulator partition 0"
	SCRATCH_PART="NAND simulator partition 1"
else
	NAND=
	STORE_PART=devcred
	SCRATCH_PART=bench-scratch
fi
mkdir -p "$OUT" "$STATE"
out=$OUT/$NAME.txt
# Traces name each event's process from a table of recent ones (128 by
# default): room for every process a phase starts.
echo 8192 >$TRACING/saved_cmdlines_size
: >"$out"

put() {
	echo "$1=$2" >>"$out"
}

die() {
	echo "guest.sh $PHASE: $*" >&2
	exit 1
}

# mtd_dev [NAME]: the MTD character device of partition NAME (the store's)
mtd_dev() {
	n=$(grep "\"${1:-$STORE_PART}\"" /proc/mtd | cut -d: -f1)
	[ -n "$n" ] || die "no MTD partition named ${1:-$STORE_PART} in /proc/mtd"
	echo "/dev/$n"
}

# info KEY: one field of the driver's DEVCRED_IOC_INFO answer
info() {
	devcred_tool info | sed -n "s/^$1=//p"
}

# bench_ns ARGS...: the "ns=" that devcred_bench ARGS prints; dies when it fails
bench_ns() {
	"$B" "$@" >/tmp/ns.out 2>/tmp/ns.err || { cat /tmp/ns.err >&2; die "devcred_bench $* failed"; }
	sed -n 's/^ns=//p' /tmp/ns.out
}

# ns COMMAND...: its run time (devcred_bench run), in nanoseconds; its
# output is dropped, and shown only when it fails
ns() {
	bench_ns run "$@"
}

profile_start() {
	for f in $PROFILED; do
		grep -qx "$f" $TRACING/available_filter_functions ||
			die "$f cannot be traced (not in available_filter_functions)"
	done
	echo "$PROFILED" >$TRACING/set_ftrace_filter
	echo 0 >$TRACING/function_profile_enabled
	# Enabling starts the counts from zero.
	echo 1 >$TRACING/function_profile_enabled
}

# profile_stop: each profiled function's calls, summed over the CPUs
profile_stop() {
	for f in $PROFILED; do
		put "ftrace_$f" "$(cat $TRACING/trace_stat/function* |
			awk -v f="$f" '$1 == f { n += $2 } END { print n + 0 }')"
	done
	echo 0 >$TRACING/function_profile_enabled
	echo >$TRACING/set_ftrace_filter
}

# count_start: kprobe events on the MTD entry points every read, program
# and erase of a partition passes through, each with the length asked and
# the size of the device called (a partition's calls are told from the
# nested ones of virt's concatenated banks by that size), and on what the
# chips are asked: the CFI driver's reads (bytes) and raw NAND page reads.
count_start() {
	ev=$TRACING/kprobe_events
	[ -w $ev ] || die "no kprobe events ($ev): the kernel lacks CONFIG_KPROBE_EVENTS"
	count_clear
	# shellcheck disable=SC2016 # $argN are the probe's arguments, not the shell's
	{
		echo 'p:bench/mtd_read mtd_read_oob size=+8($arg1):u64 len=+8($arg3):u64'
		echo 'p:bench/mtd_write mtd_write_oob size=+8($arg1):u64 len=+8($arg3):u64'
		echo 'p:bench/mtd_erase mtd_erase size=+8($arg1):u64 len=+8($arg2):u64'
		echo 'p:bench/cfi_read cfi_intelext_read len=$arg3:u64'
		echo 'p:bench/nand_page_read nand_read_page_op'
		echo 'p:bench/nand_oob_read nand_read_oob_op'
	} >>$ev
	echo >$TRACING/trace
	echo 1 >$TRACING/events/bench/enable
}

count_clear() {
	if [ -d $TRACING/events/bench ]; then
		echo 0 >$TRACING/events/bench/enable
		grep '^p:bench/' $TRACING/kprobe_events | cut -d' ' -f1 | sed 's/^p:/-:/' |
			while read -r e; do echo "$e" >>$TRACING/kprobe_events; done
	fi
}

# count_stop NAME ["COMM..."] [SIZE]: what was counted since count_start,
# as NAME_read_bytes, NAME_read_calls, NAME_program_bytes, NAME_erase_bytes,
# NAME_chip_read_bytes (CFI) and NAME_nand_pages_read (raw NAND page and
# OOB reads); only calls on devices of SIZE bytes (default: the store's
# partition's size) and, with COMM, only those of processes of these names.
count_stop() {
	echo 0 >$TRACING/events/bench/enable
	size=${3:-$(cat "/sys/class/mtd/$(basename "$(mtd_dev)")/size")}
	# "# entries-in-buffer/entries-written: KEPT/WRITTEN": none lost.
	kept=$(sed -n 's|.*entries-in-buffer/entries-written: \([0-9]*\)/\([0-9]*\).*|\1 \2|p' $TRACING/trace)
	if [ -z "$kept" ] || [ "${kept% *}" != "${kept#* }" ]; then
		die "the trace buffer lost events while counting $1 ($kept)"
	fi
	awk -v name="$1" -v comm=" ${2:-} " -v size="$size" '
		/^#/ { next }
		{
			c = $1
			sub(/-[0-9]+$/, "", c)
			if (comm != "  " && index(comm, " " c " ") == 0)
				next
			ev = ""
			for (i = 2; i <= NF; i++)
				if ($i ~ /^[a-z_]+:$/ && $(i + 1) ~ /^\(/) {
					ev = substr($i, 1, length($i) - 1)
					break
				}
			s = -1
			l = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^size=/)
					s = substr($i, 6) + 0
				if ($i ~ /^len=/)
					l = substr($i, 5) + 0
			}
			if (ev == "mtd_read" && s == size) {
				rb += l
				rc++
			} else if (ev == "mtd_write" && s == size) {
				pb += l
			} else if (ev == "mtd_erase" && s == size) {
				eb += l
			} else if (ev == "cfi_read") {
				cb += l
			} else if (ev == "nand_page_read" || ev == "nand_oob_read") {
				np++
			}
		}
		END {
			printf "%s_read_bytes=%d\n%s_read_calls=%d\n", name, rb, name, rc
			printf "%s_program_bytes=%d\n%s_erase_bytes=%d\n", name, pb, name, eb
			printf "%s_chip_read_bytes=%d\n%s_nand_pages_read=%d\n", name, cb, name, np
		}' $TRACING/trace >>"$out"
	count_clear
}

prep() {
	# Pair B first, then A: the store ends with A in platform1, and both
	# are saved as devcredd stores them (the bytes every method keeps).
	credctl install platform1 --cert "$CERTS/renew.pem" --key "$CERTS/renew.key" >/dev/null
	devcred_tool read-cert platform1 >"$STATE/B.cert"
	devcred_tool read-key platform1 >"$STATE/B.key"
	credctl install platform1 --cert "$CERTS/platform1.pem" --key "$CERTS/platform1.key" >/dev/null
	devcred_tool read-cert platform1 >"$STATE/A.cert"
	devcred_tool read-key platform1 >"$STATE/A.key"
	devcred_tool read-cert builtin >"$STATE/builtin.cert"
	devcred_tool read-key builtin >"$STATE/builtin.key"
	credctl bind provisioning platform1 >/dev/null
	# The whole platform state as a flat file: what flashcp keeps.
	cat "$STATE/builtin.cert" "$STATE/builtin.key" "$STATE/A.cert" "$STATE/A.key" >"$STATE/A.state"
	cat "$STATE/builtin.cert" "$STATE/builtin.key" "$STATE/B.cert" "$STATE/B.key" >"$STATE/B.state"
	for f in builtin.cert builtin.key A.cert A.key B.cert B.key A.state B.state; do
		put "bytes_$f" "$(wc -c <"$STATE/$f")"
	done
	put sequence "$(info sequence)"
	put kernel "$(uname -r)"
	put cpus "$(grep -c ^processor /proc/cpuinfo)"
}

devcred_updates() {
	[ -e /dev/devcred ] || die "/dev/devcred is missing"
	put erases_before "$(info erases)"
	put bytes_before "$(info bytes_written)"
	profile_start
	count_start
	"$B" updates "$N_UPDATES" platform1 "$STATE/A.cert" "$STATE/A.key" \
		"$STATE/B.cert" "$STATE/B.key" >/dev/null
	count_stop kprobe
	profile_stop
	put updates "$N_UPDATES"
	put erases "$(info erases)"
	put bytes_written "$(info bytes_written)"
	put blocks "$(info blocks)"
	put sequence "$(info sequence)"
	# The newest update is the one that is stored (pair B when N is even).
	last=B
	[ $((N_UPDATES % 2)) -eq 0 ] || last=A
	devcred_tool read-cert platform1 | cmp -s - "$STATE/$last.cert" ||
		die "after $N_UPDATES updates platform1 does not hold the last pair written"
}

uboot_updates() {
	mtd=$(mtd_dev)
	profile_start
	count_start
	i=0
	while [ $i -lt "$N_BASELINE" ]; do
		new=$((i % 2))
		old=$((1 - new))
		flash_erase -q "$mtd" $((new * ERASE_SIZE)) 1
		dd if="$STATE/uenv-$new.bin" of="$mtd" bs=$ERASE_SIZE seek=$new conv=notrunc 2>/dev/null
		# U-Boot's redundant environment on NOR: the old copy's flag
		# byte (after its CRC) is programmed to "obsolete" (0).
		printf '\000' | dd of="$mtd" bs=1 seek=$((old * ERASE_SIZE + 4)) conv=notrunc 2>/dev/null
		i=$((i + 1))
	done
	count_stop kprobe
	profile_stop
	put updates "$N_BASELINE"
	last=$(((N_BASELINE - 1) % 2))
	dd if="$mtd" bs=$ERASE_SIZE skip=$last count=1 2>/dev/null | cmp -s - "$STATE/uenv-$last.bin" ||
		die "the environment sector written last does not hold its image"
}

flashcp_updates() {
	mtd=$(mtd_dev)
	profile_start
	count_start
	i=0
	while [ $i -lt "$N_BASELINE" ]; do
		if [ $((i % 2)) -eq 0 ]; then f=A.state; else f=B.state; fi
		flash_erase -q "$mtd" 0 0
		flashcp "$STATE/$f" "$mtd"
		i=$((i + 1))
	done
	count_stop kprobe
	profile_stop
	put updates "$N_BASELINE"
	head -c "$(wc -c <"$STATE/B.state")" "$mtd" | cmp -s - "$STATE/B.state" ||
		die "the partition does not hold the last image flashcp wrote"
}

# platform_dev: the platform device devcred is bound to through the device
# tree, or nothing when it was bound by its mtd= parameter (nandsim)
platform_dev() {
	l=$(find /sys/bus/platform/drivers/devcred/ -maxdepth 1 -type l ! -name module 2>/dev/null)
	[ -z "$l" ] || basename "$l"
}

# reattach: unbind and bind the store again (device tree), or unload and
# load the module (mtd= has no driver to bind again)
reattach() {
	drv=/sys/bus/platform/drivers/devcred
	dev=$(platform_dev)
	if [ -n "$dev" ]; then
		echo "$dev" >$drv/unbind
		bench_ns bind $drv "$dev" >/dev/null
	else
		rmmod devcred
		# The module's functions leave the tracer's filter with it; a
		# filter on a module not loaded yet waits for it (":mod:").
		echo "devcred_store_load:mod:devcred" >>$TRACING/set_ftrace_filter
		bench_ns attach "$KO" "$(cat /run/devcred.modparams)" >/dev/null
	fi
}

# store_load_times: the store's own part of an attach, REPEAT times: from
# devcred_store_load (scan the blocks, read and check the current record)
# to misc_register, as the function tracer timestamps them (nanoseconds)
store_load_times() {
	echo "devcred_store_load misc_register" >$TRACING/set_ftrace_filter
	echo function >$TRACING/current_tracer
	echo 0 >$TRACING/tracing_on
	t=
	i=0
	while [ $i -lt "$REPEAT" ]; do
		echo >$TRACING/trace
		echo 1 >$TRACING/tracing_on
		reattach
		echo 0 >$TRACING/tracing_on
		t="$t $(awk '/ devcred_store_load <-/ { sub(":", "", $(NF - 2)); s = $(NF - 2) }
			/ misc_register <-devcred_attach/ { sub(":", "", $(NF - 2)); e = $(NF - 2) }
			END { if (s && e) printf "%d", (e - s) * 1e9 }' $TRACING/trace)"
		i=$((i + 1))
	done
	echo nop >$TRACING/current_tracer
	echo >$TRACING/set_ftrace_filter
	echo 1 >$TRACING/tracing_on
	[ "$(echo "$t" | wc -w)" -eq "$REPEAT" ] || die "the function tracer did not time the store load"
	echo "${t# }"
}

# init_to_ready PARAMS: one attach (module load to store ready) less its
# module load: from the initcall_start event of devcred's init (after the
# kernel read, relocated and linked the module) to DEVCRED_IOC_INFO
# answered, on one clock (trace_clock mono, devcred_bench's end_ns, both
# CLOCK_MONOTONIC), in nanoseconds. The store's attach without a module
# load where no driver can be bound again: on nandsim the store is bound
# by the mtd= parameter, by the module's init.
init_to_ready() {
	echo mono >$TRACING/trace_clock
	echo 1 >$TRACING/events/initcall/initcall_start/enable
	echo >$TRACING/trace
	bench_ns attach "$KO" "$1" >/dev/null
	echo 0 >$TRACING/events/initcall/initcall_start/enable
	end=$(sed -n 's/^end_ns=//p' /tmp/ns.out)
	# The event names the init function by an address that the trace no
	# longer resolves (the module's init memory is freed by then): the
	# load's only initcall is devcred's.
	awk -v end="$end" '/ initcall_start: / {
			n++
			for (i = 1; i < NF; i++)
				if ($(i + 1) == "initcall_start:") {
					t = $i
					sub(":", "", t)
				}
		}
		END {
			if (n != 1 || end == "")
				exit 1
			printf "%.0f\n", end - t * 1e9
		}' $TRACING/trace || die "not one initcall_start event for devcred's init"
	# After reading: a change of clock empties the buffer.
	echo local >$TRACING/trace_clock
}

# attach_round NAME: ATTACH_REPEAT module loads to store ready, each
# followed, when the store is bound through the device tree, by a bind of
# the loaded driver alone, and by a load timed from the module's init
# (init_to_ready), alternating with reads of the whole partition
# (the baseline), with the store as it is; then the bytes one attach and
# one read of the partition read, counted apart from the timed runs.
attach_round() {
	mtd=$(mtd_dev)
	params=$(cat /run/devcred.modparams)
	drv=/sys/bus/platform/drivers/devcred
	a=
	b=
	n=
	r=
	i=0
	rmmod devcred
	while [ $i -lt "$ATTACH_REPEAT" ]; do
		a="$a $(bench_ns attach "$KO" "$params")"
		dev=$(platform_dev)
		if [ -n "$dev" ]; then
			echo "$dev" >$drv/unbind
			b="$b $(bench_ns bind $drv "$dev")"
		fi
		rmmod devcred
		n="$n $(init_to_ready "$params")"
		rmmod devcred
		r="$r $(bench_ns read "$mtd")"
		i=$((i + 1))
	done
	count_start
	bench_ns attach "$KO" "$params" >/dev/null
	count_stop "count_attach_$1"
	count_start
	bench_ns read "$mtd" >/dev/null
	count_stop "count_read_$1"
	loads=$(store_load_times)
	put "attach_$1_ns" "${a# }"
	put "store_load_$1_ns" "$loads"
	[ -z "$b" ] || put "bind_$1_ns" "${b# }"
	put "init_$1_ns" "${n# }"
	put "read_$1_ns" "${r# }"
	put "records_$1" "$(info sequence)"
	[ "$1" != partition ] || attach_trace
}

# traced_loads MARK FILE "FUNCTIONS" ARGS...: TRACE_RUNS module loads
# (devcred_bench ARGS) under the function tracer, with the filter the
# caller set plus devcred's FUNCTIONS (set again for each load: the
# module's functions leave the filter with it), each run between the
# trace markers "bench: MARK" and "bench: end"; the trace kept as FILE
traced_loads() {
	mark=$1
	file=$2
	fns=$3
	shift 3
	echo function >$TRACING/current_tracer
	echo >$TRACING/trace
	i=0
	while [ $i -lt "$TRACE_RUNS" ]; do
		rmmod devcred
		# A filter on a module not loaded yet waits for it (":mod:").
		for f in $fns; do
			echo "$f:mod:devcred" >>$TRACING/set_ftrace_filter
		done
		echo "bench: $mark" >$TRACING/trace_marker
		bench_ns "$@" >/dev/null
		echo "bench: end" >$TRACING/trace_marker
		i=$((i + 1))
	done
	# Before the tracer changes, which empties the buffer.
	cp $TRACING/trace "$OUT/$file"
	echo nop >$TRACING/current_tracer
	echo >$TRACING/set_ftrace_filter
}

# attach_trace: module loads to store ready under the function tracer
# (traced_loads), at the points that show where the time goes (the
# module's load, its init until the store's first read, the store's load
# until misc_register, the device's registration until it answers
# DEVCRED_IOC_INFO), kept as NAME-attach-trace.txt
attach_trace() {
	echo "__arm64_sys_finit_module do_one_initcall mtd_read_oob misc_register" \
		>$TRACING/set_ftrace_filter
	traced_loads attach "$NAME-attach-trace.txt" devcred_ioctl \
		attach "$KO" "$(cat /run/devcred.modparams)"
}

# fill_block: appends records (pair A) until the current block holds its last
fill_block() {
	left=$((per_block - 1 - $(info record_offset) / len))
	[ "$left" -le 0 ] || "$B" updates "$left" platform1 "$@" >/dev/null
	if [ "$(info record_offset)" -ne $(((per_block - 1) * len)) ]; then
		devcred_tool info >&2
		die "expected a full block of $per_block records of $len bytes"
	fi
}

attach() {
	mtd=$(mtd_dev)
	erase=$(info erase_size)
	blocks=$(info blocks)
	# Pair A only: every record the same size, so that the block fills evenly.
	pair="$STATE/A.cert $STATE/A.key $STATE/A.cert $STATE/A.key"
	# shellcheck disable=SC2086
	set -- $pair
	rmmod devcred
	flash_erase -q "$mtd" 0 0
	# shellcheck disable=SC2046
	insmod "$KO" $(cat /run/devcred.modparams)
	"$B" updates 1 platform1 "$@" >/dev/null
	[ "$(info sequence)" -eq 1 ] || die "the store does not hold exactly one record"
	attach_round one

	# A record's size on flash: the distance between two records appended
	# one after the other (the first append after an attach may open a
	# block of its own).
	"$B" updates 1 platform1 "$@" >/dev/null
	first=$(info record_offset)
	"$B" updates 1 platform1 "$@" >/dev/null
	len=$(($(info record_offset) - first))
	[ "$len" -gt 0 ] || die "two records appended one after the other are not in one block"
	per_block=$((erase / len))
	fill_block "$@"
	put erase_size "$erase"
	put write_size "$(cat "/sys/class/mtd/$(basename "$mtd")/writesize")"
	put record_bytes "$len"
	put records_per_block "$per_block"
	attach_round block

	# Every block full: the steady state of a store updated for a while.
	"$B" updates $(((blocks - 1) * per_block)) platform1 "$@" >/dev/null
	fill_block "$@"
	put blocks "$blocks"
	attach_round partition
}

# The web UI's ports on the board (devcred-web, and the static baseline)
WEB_PORT=8443
STATIC_PORT=4434

# wait_listening PORT WHO: until 127.0.0.1:PORT listens (/proc/net/tcp)
wait_listening() {
	hex=$(printf '%04X' "$1")
	i=0
	until grep -q "0100007F:$hex 00000000:0000 0A" /proc/net/tcp; do
		i=$((i + 1))
		[ $i -lt 300 ] || die "$2 did not start"
		sleep 0.1
	done
}

# Mutual TLS with the credential devcredd published against copies of the
# same files on tmpfs, handshake by handshake (devcred_bench tls).
tls() {
	prov=/run/devcred/provisioning
	if [ ! -s $prov/cert.pem ] || [ ! -s $prov/key.pem ]; then
		die "devcredd did not publish $prov"
	fi
	mkdir -p /tmp/tls
	cp $prov/cert.pem $prov/key.pem /tmp/tls/
	# The server demands a client certificate, verifies it and echoes.
	openssl s_server -quiet -rev -accept 127.0.0.1:4433 -cert "$CERTS/tls-server.pem" \
		-key "$CERTS/tls-server.key" -CAfile "$CERTS/other-ca.pem" -Verify 2 \
		</dev/null >/tmp/s_server.log 2>&1 &
	server=$!
	wait_listening 4433 "openssl s_server"
	"$B" tls 4433 "$CERTS/test-ca.pem" "$TLS_ROUNDS" $prov/cert.pem $prov/key.pem \
		/tmp/tls/cert.pem /tmp/tls/key.pem >/tmp/tls.out ||
		{ cat /tmp/s_server.log >&2; die "mutual TLS failed"; }
	put tls_devcred_ns "$(sed -n 's/^a_ns=//p' /tmp/tls.out)"
	put tls_tmpfs_ns "$(sed -n 's/^b_ns=//p' /tmp/tls.out)"
	# The same credential with its key through the devcred provider
	# (devcredd signs), against its published files, interleaved.
	"$B" tls 4433 "$CERTS/test-ca.pem" "$TLS_ROUNDS" $prov/cert.pem $prov/key.pem \
		devcred:op=provisioning devcred:op=provisioning >/tmp/tls.out ||
		{ cat /tmp/s_server.log >&2; die "mutual TLS through the provider failed"; }
	kill $server
	put tls_files_ns "$(sed -n 's/^a_ns=//p' /tmp/tls.out)"
	put tls_provider_ns "$(sed -n 's/^b_ns=//p' /tmp/tls.out)"
}

# csr KIND REPEAT: credctl csr against openssl req -new -newkey, alternating
csr() {
	case $1 in
	ec-p256) newkey="-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
	rsa2048) newkey="-newkey rsa:2048" ;;
	esac
	c=
	o=
	i=0
	while [ $i -lt "$2" ]; do
		rm -rf /tmp/csr /tmp/req
		mkdir /tmp/csr /tmp/req
		c="$c $(ns credctl csr --cn bench.example --key "$1" --out /tmp/csr)"
		# shellcheck disable=SC2086
		o="$o $(ns openssl req -new $newkey -nodes -sha256 -subj /CN=bench.example \
			-keyout /tmp/req/key.pem -out /tmp/req/req.csr)"
		i=$((i + 1))
	done
	openssl req -in /tmp/csr/*.csr -noout -verify 2>&1 | grep -q 'verify OK' ||
		die "credctl csr --key $1 made no valid request"
	openssl req -in /tmp/req/req.csr -noout -verify 2>&1 | grep -q 'verify OK' ||
		die "openssl req made no valid request"
	put "csr_$1_credctl_ns" "${c# }"
	put "csr_$1_openssl_ns" "${o# }"
}

# write_image [ns] FILE MTD: the baseline's write of FILE to the freshly
# erased partition MTD (with ns: timed, its time printed): flashcp on NOR;
# nandwrite -p on NAND (whole pages, the last one padded), the tool for raw
# NAND
write_image() {
	t=
	if [ "$1" = ns ]; then
		t=ns
		shift
	fi
	if [ -n "$NAND" ]; then
		$t nandwrite -q -p "$2" "$1"
	else
		$t flashcp "$1" "$2"
	fi
}

# install_pair I: the credential pair and flat image of the I-th install
install_pair() {
	if [ $(($1 % 2)) -eq 0 ]; then p=renew s=B.state; else p=platform1 s=A.state; fi
}

# credctl install end to end against flash_erase + flashcp (nandwrite on
# NAND) of the same bytes, alternating. The baseline writes a scratch
# partition of the same size on the same chip (scripts/bench adds it to the
# device tree; on nandsim it is the second partition), so that it never
# disturbs the store between two installs. Then what one install and one
# baseline read, program and erase, counted apart from the timed runs.
install_timing() {
	scratch=$(mtd_dev "$SCRATCH_PART")
	h=
	l=
	c=
	e=
	f=
	erases0=$(info erases)
	bytes0=$(info bytes_written)
	i=0
	while [ $i -lt "$REPEAT" ]; do
		install_pair $i
		h="$h $(ns credctl --help)"
		l="$l $(ns credctl list)"
		c="$c $(ns credctl install platform1 --cert "$CERTS/$p.pem" --key "$CERTS/$p.key")"
		e="$e $(ns flash_erase -q "$scratch" 0 0)"
		f="$f $(write_image ns "$STATE/$s" "$scratch")"
		i=$((i + 1))
	done
	put install_erases "$(($(info erases) - erases0))"
	put install_bytes "$(($(info bytes_written) - bytes0))"
	put install_count "$REPEAT"
	put credctl_help_ns "${h# }"
	put credctl_list_ns "${l# }"
	put install_credctl_ns "${c# }"
	put install_flash_erase_ns "${e# }"
	put install_write_ns "${f# }"
	if [ -n "$NAND" ]; then put install_writer nandwrite; else put install_writer flashcp; fi
	put scratch_erase_size "$(cat "/sys/class/mtd/$(basename "$scratch")/erasesize")"

	install_pair "$REPEAT"
	count_start
	credctl install platform1 --cert "$CERTS/$p.pem" --key "$CERTS/$p.key" >/dev/null
	count_stop count_install devcredd
	count_start
	flash_erase -q "$scratch" 0 0
	write_image "$STATE/$s" "$scratch"
	count_stop count_baseline "flash_erase flashcp nandwrite"
	install_trace "$((REPEAT + 1))" "$scratch"
}

# install_trace I SCRATCH: TRACE_RUNS installs and baselines under the
# function tracer, from the I-th install on, at the points that show where
# their time goes (process start and end, messages between credctl and
# devcredd, devcred's ioctls, the MTD calls, publishing the files), kept as
# NAME-trace.txt
install_trace() {
	fns="__arm64_sys_execve __arm64_sys_exit_group unix_stream_sendmsg devcred_ioctl
		__arm64_sys_renameat2 __arm64_sys_symlinkat mtd_read_oob mtd_write_oob mtd_erase"
	for f in $fns; do
		grep -q "^$f\( \[[a-z_]*\]\)\{0,1\}\$" $TRACING/available_filter_functions ||
			die "$f cannot be traced (not in available_filter_functions)"
	done
	echo "$fns" >$TRACING/set_ftrace_filter
	echo function >$TRACING/current_tracer
	echo >$TRACING/trace
	i=0
	while [ $i -lt "$TRACE_RUNS" ]; do
		install_pair $(($1 + i))
		# The markers (trace_marker) bound each method's events.
		echo "bench: install" >$TRACING/trace_marker
		credctl install platform1 --cert "$CERTS/$p.pem" --key "$CERTS/$p.key" >/dev/null
		echo "bench: baseline" >$TRACING/trace_marker
		flash_erase -q "$2" 0 0
		write_image "$STATE/$s" "$2"
		echo "bench: end" >$TRACING/trace_marker
		i=$((i + 1))
	done
	cp $TRACING/trace "$OUT/$NAME-trace.txt"
	echo nop >$TRACING/current_tracer
	echo >$TRACING/set_ftrace_filter
}

# The credentials every later install replaces, as prep leaves them, on a
# board whose store starts empty (nandsim)
install_setup() {
	credctl install platform1 --cert "$CERTS/renew.pem" --key "$CERTS/renew.key" >/dev/null
	credctl install platform1 --cert "$CERTS/platform1.pem" --key "$CERTS/platform1.key" >/dev/null
	credctl bind provisioning platform1 >/dev/null
}

# The web UI's status page (GET /) and the JSON API's status (GET
# /api/v1/status) from devcred-web, as set up for an administrator (its
# own user in devcredd's group, the key of the credential bound to browser
# through the devcred provider, --key-source provider), each on a
# connection kept alive and with
# a new connection and handshake per request; against credctl status
# --json, the same document asked of devcredd by the command line, and
# openssl s_server -WWW serving the status page's bytes as a static file
# with the same certificate and key from their files. Round by round
# (devcred_bench web), after the other timings: it binds browser.
web() {
	credctl install platform2 --cert "$CERTS/web1.pem" --key "$CERTS/web1.key" >/dev/null
	credctl bind browser platform2 >/dev/null
	sed -i 's/^devcred:x:100:$/devcred:x:100:devcred-web/' /etc/group
	echo "op=browser user:devcred-web" >>/etc/devcred/key-access
	devcred-restart >/dev/null || die "devcredd did not start again"
	echo bench-admin-password | credctl web-password >/dev/null
	# The provider or nothing: no quiet fall back to the key file.
	devcred-web --user devcred-web --listen 127.0.0.1 --port $WEB_PORT --key-source provider \
		2>/tmp/web.log &
	web_pid=$!
	wait_listening $WEB_PORT devcred-web
	url=https://127.0.0.1:$WEB_PORT
	mkdir -p /tmp/www
	curl -sS --cacert "$CERTS/test-ca.pem" -o /tmp/www/status.html "$url/" ||
		die "devcred-web did not serve its status page"
	(cd /tmp/www && exec openssl s_server -quiet -WWW -accept 127.0.0.1:$STATIC_PORT \
		-cert "$CERTS/web1.pem" -key "$CERTS/web1.key") </dev/null >/tmp/www.log 2>&1 &
	static_pid=$!
	wait_listening $STATIC_PORT "openssl s_server -WWW"
	"$B" web "$CERTS/test-ca.pem" "${WEB_ROUNDS:-60}" "keep:$url/" "keep:$url/api/v1/status" \
		"new:$url/" "new:$url/api/v1/status" \
		"new:https://127.0.0.1:$STATIC_PORT/status.html" -- credctl status --json >/tmp/web.out ||
		{ cat /tmp/web.log >&2; die "the web requests failed"; }
	kill $web_pid $static_pid
	for k in 0:page_keep 1:api_keep 2:page_new 3:api_new 4:static_new; do
		put "web_${k#*:}_ns" "$(sed -n "s/^ns_${k%%:*}=//p" /tmp/web.out)"
		put "web_${k#*:}_bytes" "$(sed -n "s/^bytes_${k%%:*}=//p" /tmp/web.out)"
	done
	put web_cli_ns "$(sed -n 's/^cmd_ns=//p' /tmp/web.out)"
	put web_cli_bytes "$(credctl status --json | wc -c)"
	grep -q 'key from the devcred provider' /tmp/web.log ||
		{ cat /tmp/web.log >&2; die "devcred-web did not serve with the key through the provider"; }
	put web_key_from provider
	cp /tmp/web.log "$OUT/$NAME-web.log"
}

daemon() {
	TLS_ROUNDS=${TLS_ROUNDS:-100}
	tls
	csr ec-p256 "$REPEAT"
	csr rsa2048 "${CSR_RSA_REPEAT:-$REPEAT}"
	install_timing
	web
}

# The partitions of the sealed phase: the store's, sealed, and the scratch
# partition of the same size on the same chip with the same credentials
# in clear (on the CFI board the device tree's bench-scratch, on nandsim
# its second partition). The module binds one or the other by its mtd=
# parameter (the device tree binding then stays unused).
SEALED_PART=$STORE_PART
CLEAR_PART=$SCRATCH_PART

# part_params PART: the module's parameters binding partition PART, by its
# number (the board's own mtd=, on nandsim, replaced)
part_params() {
	_dev=$(mtd_dev "$1") || exit 1
	echo "$(sed 's/\(^\| \)mtd=[^ ]*//g' /run/devcred.modparams) mtd=${_dev#/dev/mtd}"
}
# The TPM's storage root key (scripts/vm makes it persistent there).
SRK=0x81000001
# DEVCRED_INFO_KEYS_CLEAR and DEVCRED_INFO_KEK_LOADED (uapi/linux/devcred.h)
INFO_KEYS_CLEAR=32
INFO_KEK_LOADED=64
# DEVCRED_IOC_WRITEs timed together in each round of the sealed phase
SEALED_WRITES=${SEALED_WRITES:-4}
# Attaches of each store, and loads of each kernel key, in the sealed phase:
# each takes milliseconds, and the noise of a shared machine wants many.
SEALED_REPEAT=${SEALED_REPEAT:-90}
# Rounds of writes and installs on each store: about twice the other
# phases' runs, as both sides are devcred and differ by little; a multiple
# of 4, so that each pair is installed first on each store as often.
SEALED_ROUNDS=${SEALED_ROUNDS:-32}

# info_flag BIT: whether DEVCRED_IOC_INFO reports flag BIT
info_flag() {
	[ $(($(info flags) & $1)) -ne 0 ]
}

# alive PID: running, and not a zombie (nothing here reaps devcredd)
alive() {
	kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# stop_daemon: devcredd stopped (the callers' loops count with i: not here)
stop_daemon() {
	pid=$(cat /run/devcredd.pid 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	tries=0
	while alive "$pid"; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || die "devcredd $pid did not stop"
		sleep 0.1
	done
}

# bind_store sealed|clear: the module bound to that store, and for the
# sealed one its keys opened (the kernel keys are in the session keyring)
bind_store() {
	if [ -e /sys/module/devcred ]; then
		rmmod devcred
	fi
	# An assignment of its own: a partition missing stops the phase (set -e).
	if [ "$1" = sealed ]; then mp=$(part_params "$SEALED_PART"); else mp=$(part_params "$CLEAR_PART"); fi
	# shellcheck disable=SC2086
	insmod "$KO" $mp
	if [ "$1" = sealed ]; then
		"$B" kek >/dev/null || die "DEVCRED_IOC_LOAD_KEK failed on the sealed store"
	fi
}

# same_content: the sealed store's credentials, its keys opened, are the
# clear store's (builtin and platform1, certificate and key, and bindings)
same_content() {
	for store in sealed clear; do
		bind_store "$store"
		for slot in builtin platform1; do
			devcred_tool read-cert $slot >"/tmp/$store-$slot.cert"
			devcred_tool read-key $slot >"/tmp/$store-$slot.key"
		done
		devcred_tool bindings >"/tmp/$store-bindings"
	done
	for f in builtin.cert builtin.key platform1.cert platform1.key bindings; do
		if ! cmp -s "/tmp/sealed-$f" "/tmp/clear-$f"; then
			diff "/tmp/sealed-$f" "/tmp/clear-$f" >&2 || true
			die "the sealed and the clear store differ in $f"
		fi
	done
	rm -f /tmp/sealed-* /tmp/clear-*
}

# write_prep_store: the records prep left, written again with devcred_tool
# into the bound store (erased): the built-in, platform1's pair B then A,
# and the provisioning binding (the bytes prep saved in STATE)
write_prep_store() {
	devcred_tool write builtin self-signed "$STATE/builtin.cert" "$STATE/builtin.key"
	devcred_tool write platform1 installed "$STATE/B.cert" "$STATE/B.key"
	devcred_tool write platform1 installed "$STATE/A.cert" "$STATE/A.key"
	# DEVCRED_OP_PROVISIONING (uapi/linux/devcred.h)
	devcred_tool bind 2 platform1
}

# The two stores, holding the same credentials in the same number of
# records: the clear one is prep's store copied whole to the scratch
# partition (its records are prep's: one block, from an erased flash); the
# sealed one is prep's store migrated (DEVCRED_IOC_LOAD_KEK with
# DEVCRED_KEK_NEW: one sealed record in a fresh block, the clear ones
# erased) and then as many writes of platform1's pair (prep's last) as the
# clear one has records more.
# On nandsim, whose flash starts erased at each boot, prep's store is made
# again on both partitions by the same writes (write_prep_store).
sealed_setup() {
	sealed_mtd=$(mtd_dev "$SEALED_PART")
	clear_mtd=$(mtd_dev "$CLEAR_PART")
	rmmod devcred
	if [ -n "$NAND" ]; then
		for part in "$SEALED_PART" "$CLEAR_PART"; do
			m=$(mtd_dev "$part")
			mp=$(part_params "$part")
			flash_erase -q "$m" 0 0
			# shellcheck disable=SC2086
			insmod "$KO" $mp
			write_prep_store
			rmmod devcred
		done
	else
		cat "$sealed_mtd" >/tmp/store.img
		flash_erase -q "$clear_mtd" 0 0
		flashcp /tmp/store.img "$clear_mtd"
		rm /tmp/store.img
	fi
	bind_store clear
	records=$(info sequence)
	[ "$(info record_block)" -eq 0 ] || die "prep's records are not all in the first block"
	info_flag $INFO_KEYS_CLEAR || die "prep's store is not in clear"

	rmmod devcred
	mp=$(part_params "$SEALED_PART")
	# shellcheck disable=SC2086
	insmod "$KO" $mp
	keyctl add trusted devcred:kmk "new 32 keyhandle=$SRK" @s >/dev/null
	keyctl add encrypted devcred:kek "new default trusted:devcred:kmk 32" @s >/dev/null
	put migration_ns "$(bench_ns kek new)"
	if info_flag $INFO_KEYS_CLEAR || ! info_flag $INFO_KEK_LOADED; then
		devcred_tool info >&2
		die "DEVCRED_KEK_NEW did not seal the store"
	fi
	[ "$records" -le 1 ] || "$B" updates $((records - 1)) platform1 \
		"$STATE/A.cert" "$STATE/A.key" "$STATE/A.cert" "$STATE/A.key" >/dev/null
	put records "$records"
	same_content
}

# SEALED_REPEAT attaches with DEVCRED_IOC_LOAD_KEK of the sealed store
# (open), of the sealed store alone (sealed) and of the clear one (clear),
# in turn (which goes first rotating too), and the ioctl's own time; then
# the bytes an open and an attach of the clear store read, counted apart.
sealed_attach() {
	sealed_params=$(part_params "$SEALED_PART")
	clear_params=$(part_params "$CLEAR_PART")
	s=
	k=
	a=
	c=
	i=0
	while [ $i -lt "$SEALED_REPEAT" ]; do
		case $((i % 3)) in
		0) order="open sealed clear" ;;
		1) order="sealed clear open" ;;
		*) order="clear open sealed" ;;
		esac
		for run in $order; do
			rmmod devcred
			case $run in
			open)
				s="$s $(bench_ns open "$KO" "$sealed_params")"
				k="$k $(sed -n 's/^kek_ns=//p' /tmp/ns.out)"
				;;
			sealed) a="$a $(bench_ns attach "$KO" "$sealed_params")" ;;
			*) c="$c $(bench_ns attach "$KO" "$clear_params")" ;;
			esac
		done
		i=$((i + 1))
	done
	put attach_sealed_alone_ns "${a# }"
	put attach_sealed_ns "${s# }"
	put load_kek_ns "${k# }"
	put attach_clear_ns "${c# }"
	rmmod devcred
	count_start
	bench_ns open "$KO" "$sealed_params" >/dev/null
	count_stop count_attach_sealed
	rmmod devcred
	count_start
	bench_ns attach "$KO" "$clear_params" >/dev/null
	count_stop count_attach_clear
}

# sealed_kek_trace: attaches of the sealed store with DEVCRED_IOC_LOAD_KEK
# under the function tracer (traced_loads), at the points of the ioctl's
# steps (the lookup of the kernel keys, the reads of their blobs through
# their key types, the AEAD transform, each sealed key opened, the log
# line, the descriptor's release after the ioctl), kept as
# NAME-kek-trace.txt
sealed_kek_trace() {
	mp=$(part_params "$SEALED_PART")
	echo "_printk trusted_read encrypted_read" >$TRACING/set_ftrace_filter
	traced_loads open "$NAME-kek-trace.txt" \
		"devcred_store_load_kek devcred_kek_find devcred_seal_tfm devcred_open_key devcred_file_release" \
		open "$KO" "$mp"
}

# What the board does at boot before DEVCRED_IOC_LOAD_KEK, from the blobs
# the store keeps: the trusted key loaded (the TPM unseals it), then the
# encrypted key (decrypted with it), each added and invalidated
# SEALED_REPEAT times.
sealed_unseal() {
	keyctl pipe "$(keyctl search @s trusted devcred:kmk)" >/tmp/kmk.blob
	keyctl pipe "$(keyctl search @s encrypted devcred:kek)" >/tmp/kek.blob
	t=
	e=
	i=0
	while [ $i -lt "$SEALED_REPEAT" ]; do
		t="$t $(bench_ns keyload trusted "bench:kmk$i" /tmp/kmk.blob)"
		e="$e $(bench_ns keyload encrypted "bench:kek$i" /tmp/kek.blob)"
		i=$((i + 1))
	done
	put unseal_trusted_ns "${t# }"
	put load_encrypted_ns "${e# }"
	put kmk_blob_bytes "$(wc -c </tmp/kmk.blob)"
	put kek_blob_bytes "$(wc -c </tmp/kek.blob)"
}

# SEALED_ROUNDS rounds, each on each store (alternating which first):
# SEALED_WRITES updates of platform1 through DEVCRED_IOC_WRITE (no
# devcredd), then devcredd started and credctl install of the next pair.
# Then what one install on each programs, counted apart.
sealed_install() {
	ws=
	wc=
	is=
	ic=
	i=0
	# The pairs from a tmpfs: a first read through the shared folder is
	# slow, and the board's own would not be there.
	mkdir -p /tmp/certs
	for f in renew.pem renew.key platform1.pem platform1.key; do
		cp "$CERTS/$f" /tmp/certs/
	done
	while [ $i -lt "$SEALED_ROUNDS" ]; do
		install_pair $i
		# The order changes every other round, the pair every round: each
		# pair is installed first on each store as often.
		for store in $(if [ $((i / 2 % 2)) -eq 0 ]; then echo sealed clear; else echo clear sealed; fi); do
			stop_daemon
			bind_store "$store"
			w=$(bench_ns updates "$SEALED_WRITES" platform1 "$STATE/A.cert" "$STATE/A.key" \
				"$STATE/B.cert" "$STATE/B.key")
			devcred-restart >/dev/null || die "devcredd did not start on the $store store"
			# Serving, its start-up done, before the install is timed.
			credctl list >/dev/null
			t=$(ns credctl install platform1 --cert "/tmp/certs/$p.pem" --key "/tmp/certs/$p.key")
			if [ "$store" = sealed ]; then
				ws="$ws $((w / SEALED_WRITES))"
				is="$is $t"
			else
				wc="$wc $((w / SEALED_WRITES))"
				ic="$ic $t"
			fi
		done
		i=$((i + 1))
	done
	put write_sealed_ns "${ws# }"
	put write_clear_ns "${wc# }"
	put install_sealed_ns "${is# }"
	put install_clear_ns "${ic# }"
	put writes_per_round "$SEALED_WRITES"
	install_pair "$SEALED_ROUNDS"
	for store in sealed clear; do
		stop_daemon
		bind_store "$store"
		devcred-restart >/dev/null || die "devcredd did not start on the $store store"
		credctl list >/dev/null
		count_start
		credctl install platform1 --cert "/tmp/certs/$p.pem" --key "/tmp/certs/$p.key" >/dev/null
		count_stop "count_install_$store" devcredd
	done
	stop_daemon
	# Still what each was: the sealed store's keys sealed, the other's not.
	bind_store clear
	info_flag $INFO_KEYS_CLEAR || die "the clear store was sealed"
	bind_store sealed
	if info_flag $INFO_KEYS_CLEAR; then
		die "the sealed store holds keys in clear"
	fi
}

sealed() {
	# The kernel keys in a session keyring of this script's, which its
	# children (devcred_bench, devcredd) search.
	keyctl new_session >/dev/null
	# Whether this board's clock counts instructions (scripts/vm --cpu-model).
	put cpu_model "$(sed -n 's/^VM_CPU_MODEL=//p' /mnt/run/config)"
	sealed_setup
	sealed_attach
	[ "${SEALED_ATTACH_ONLY:-0}" = 0 ] || return 0
	sealed_kek_trace
	sealed_unseal
	sealed_install
}

case $PHASE in
prep) prep ;;
devcred) devcred_updates ;;
uboot) uboot_updates ;;
flashcp) flashcp_updates ;;
attach) attach ;;
daemon) daemon ;;
install)
	install_setup
	install_timing
	;;
sealed) sealed ;;
*) die "unknown phase (prep, devcred, uboot, flashcp, attach, daemon, install, sealed)" ;;
esac
put "done" 1
