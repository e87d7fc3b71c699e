#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh PHASE: the board side of `make bench` (scripts/bench boots
# the board once per phase and runs this from the shared folder). Each phase
# writes key=value lines to $OUT/PHASE.txt (lists space-separated; times in
# nanoseconds); bench/report.py turns them into the table and the JSON.
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
#            block and a full partition, against reading the partition
#   daemon   (devcredd running) mutual TLS, credctl csr and credctl install
#            against their baselines (the board's device tree with the
#            scratch partition "bench-scratch" that scripts/bench adds)
#
# Erase and program calls are counted with the function profiler of ftrace,
# independently of the driver's own counters (devcred_tool info, recorded
# beside them): the MTD entry points mtd_erase, mtd_write and mtd_write_oob;
# concat_erase and concat_write, because virt's two flash banks are one
# concatenated MTD device whose calls enter mtd_erase/mtd_write a second
# time for the bank; and the CFI chip driver's do_erase_oneblock (one per
# block erased), cfi_intelext_write_buffers and cfi_intelext_write_words.
set -eu

PHASE=${1:?usage: guest.sh PHASE}
SHARE=/mnt/share
CERTS=$SHARE/certs
STATE=$SHARE/state
OUT=$SHARE/out
N_UPDATES=${N_UPDATES:-1000}
N_BASELINE=${N_BASELINE:-100}
REPEAT=${REPEAT:-9}
ATTACH_REPEAT=${ATTACH_REPEAT:-15}
B=$SHARE/devcred_bench
KO=/lib/modules/devcred.ko
TRACING=/sys/kernel/debug/tracing
PROFILED="mtd_erase mtd_write mtd_write_oob concat_erase concat_write do_erase_oneblock
	cfi_intelext_write_buffers cfi_intelext_write_words"
ERASE_SIZE=262144
mkdir -p "$OUT" "$STATE"
out=$OUT/$PHASE.txt
: >"$out"

put() {
	echo "$1=$2" >>"$out"
}

die() {
	echo "guest.sh $PHASE: $*" >&2
	exit 1
}

# mtd_dev [NAME]: the MTD character device of partition NAME (devcred)
mtd_dev() {
	n=$(grep "\"${1:-devcred}\"" /proc/mtd | cut -d: -f1)
	[ -n "$n" ] || die "no MTD partition named ${1:-devcred} in /proc/mtd"
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
	"$B" updates "$N_UPDATES" platform1 "$STATE/A.cert" "$STATE/A.key" \
		"$STATE/B.cert" "$STATE/B.key" >/dev/null
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
	profile_stop
	put updates "$N_BASELINE"
	last=$(((N_BASELINE - 1) % 2))
	dd if="$mtd" bs=$ERASE_SIZE skip=$last count=1 2>/dev/null | cmp -s - "$STATE/uenv-$last.bin" ||
		die "the environment sector written last does not hold its image"
}

flashcp_updates() {
	mtd=$(mtd_dev)
	profile_start
	i=0
	while [ $i -lt "$N_BASELINE" ]; do
		if [ $((i % 2)) -eq 0 ]; then f=A.state; else f=B.state; fi
		flash_erase -q "$mtd" 0 0
		flashcp "$STATE/$f" "$mtd"
		i=$((i + 1))
	done
	profile_stop
	put updates "$N_BASELINE"
	head -c "$(wc -c <"$STATE/B.state")" "$mtd" | cmp -s - "$STATE/B.state" ||
		die "the partition does not hold the last image flashcp wrote"
}

# store_load_times: the store's own part of a bind, REPEAT times: from
# devcred_store_load (scan the blocks, read and check the current record)
# to misc_register, as the function tracer timestamps them (microseconds)
store_load_times() {
	drv=/sys/bus/platform/drivers/devcred
	echo "devcred_store_load misc_register" >$TRACING/set_ftrace_filter
	echo function >$TRACING/current_tracer
	echo 0 >$TRACING/tracing_on
	t=
	i=0
	while [ $i -lt "$REPEAT" ]; do
		dev=$(basename "$(find $drv/ -maxdepth 1 -type l ! -name module)")
		echo "$dev" >$drv/unbind
		echo >$TRACING/trace
		echo 1 >$TRACING/tracing_on
		bench_ns bind $drv "$dev" >/dev/null
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

# attach_round NAME: ATTACH_REPEAT module loads to store ready, alternating with
# reads of the whole partition (the baseline), with the store as it is.
attach_round() {
	mtd=$(mtd_dev)
	params=$(cat /run/devcred.modparams)
	drv=/sys/bus/platform/drivers/devcred
	a=
	b=
	r=
	i=0
	rmmod devcred
	while [ $i -lt "$ATTACH_REPEAT" ]; do
		a="$a $(bench_ns attach "$KO" "$params")"
		# The attach alone: unbind and bind the loaded driver again.
		dev=$(basename "$(find $drv/ -maxdepth 1 -type l ! -name module)")
		echo "$dev" >$drv/unbind
		b="$b $(bench_ns bind $drv "$dev")"
		rmmod devcred
		r="$r $(bench_ns read "$mtd")"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	insmod "$KO" $params
	put "attach_$1_ns" "${a# }"
	put "store_load_$1_ns" "$(store_load_times)"
	put "bind_$1_ns" "${b# }"
	put "read_$1_ns" "${r# }"
	put "records_$1" "$(info sequence)"
}

attach() {
	mtd=$(mtd_dev)
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

	# Fill the current block: the second record's offset is the record
	# size. The driver's counters count from the last attach.
	"$B" updates 1 platform1 "$@" >/dev/null
	len=$(info record_offset)
	per_block=$((ERASE_SIZE / len))
	"$B" updates $((per_block - 2)) platform1 "$@" >/dev/null
	if [ "$(info erases)" -ne 0 ] || [ "$(info record_offset)" -ne $(((per_block - 1) * len)) ]; then
		devcred_tool info >&2
		die "expected one full block of $per_block records of $len bytes"
	fi
	put record_bytes "$len"
	put records_per_block "$per_block"
	attach_round block

	# Every block full: the steady state of a store updated for a while.
	"$B" updates $((3 * per_block)) platform1 "$@" >/dev/null
	[ "$(info erases)" -eq 3 ] || die "expected four full blocks"
	attach_round partition

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
	i=0
	# Listening: 127.0.0.1:4433 (0x1151) in state 0A in /proc/net/tcp.
	until grep -q '0100007F:1151 00000000:0000 0A' /proc/net/tcp; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "openssl s_server did not start"
		sleep 0.1
	done
	"$B" tls 4433 "$CERTS/test-ca.pem" "$TLS_ROUNDS" $prov/cert.pem $prov/key.pem \
		/tmp/tls/cert.pem /tmp/tls/key.pem >/tmp/tls.out ||
		{ cat /tmp/s_server.log >&2; die "mutual TLS failed"; }
	kill $server
	put tls_devcred_ns "$(sed -n 's/^a_ns=//p' /tmp/tls.out)"
	put tls_tmpfs_ns "$(sed -n 's/^b_ns=//p' /tmp/tls.out)"
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

# credctl install end to end against flash_erase + flashcp of the same
# bytes, alternating. The baseline writes a scratch partition of the same
# size on the same chip (scripts/bench adds it to the device tree), so that
# it never disturbs the store between two installs.
install_timing() {
	scratch=$(mtd_dev bench-scratch)
	h=
	l=
	c=
	e=
	f=
	erases0=$(info erases)
	bytes0=$(info bytes_written)
	i=0
	while [ $i -lt "$REPEAT" ]; do
		if [ $((i % 2)) -eq 0 ]; then p=renew s=B.state; else p=platform1 s=A.state; fi
		h="$h $(ns credctl --help)"
		l="$l $(ns credctl list)"
		c="$c $(ns credctl install platform1 --cert "$CERTS/$p.pem" --key "$CERTS/$p.key")"
		e="$e $(ns flash_erase -q "$scratch" 0 0)"
		f="$f $(ns flashcp "$STATE/$s" "$scratch")"
		i=$((i + 1))
	done
	put install_erases "$(($(info erases) - erases0))"
	put install_bytes "$(($(info bytes_written) - bytes0))"
	put install_count "$REPEAT"
	put credctl_help_ns "${h# }"
	put credctl_list_ns "${l# }"
	put install_credctl_ns "${c# }"
	put install_flash_erase_ns "${e# }"
	put install_flashcp_ns "${f# }"
}

daemon() {
	TLS_ROUNDS=${TLS_ROUNDS:-100}
	tls
	csr ec-p256 "$REPEAT"
	csr rsa2048 "${CSR_RSA_REPEAT:-31}"
	install_timing
}

case $PHASE in
prep) prep ;;
devcred) devcred_updates ;;
uboot) uboot_updates ;;
flashcp) flashcp_updates ;;
attach) attach ;;
daemon) daemon ;;
*) die "unknown phase (prep, devcred, uboot, flashcp, attach, daemon)" ;;
esac
put "done" 1
