#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devcredd's signing service on the host (ASan, UBSan, over the fake
# device), driven by sign_client as the devcred provider drives it: what a
# key reference resolves to, signatures in every scheme checked with the
# certificate's key, refusals that sign nothing, the pin (a rebind or a
# new credential refuses the old handle), the key access file and how it
# is read, and the bounds on unprivileged callers' signatures. TAP on
# stdout.
#
#	test_sign.sh HOST PKI	(HOST: the host build folder; PKI: the
#				certificates of selftests/boot/mkcerts.sh)
set -u

HOST=$(realpath "$1")
PKI=$(realpath "$2")
tmp=$(mktemp -d)
chmod 0755 "$tmp"	# unprivileged clients reach the socket in it
. "$(dirname "$0")/devcredd_env.sh"
trap 'daemon_stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT
S=$HOST/sign_client
ACCESS=$tmp/conf/key-access
# Where the unprivileged clients write.
U=$tmp/u
mkdir -m 1777 "$U"


# signed ARGS... : sign_client sign ARGS succeeds, its signature verified.
signed() {
	"$S" sign "$@" >"$tmp/sig.out" 2>"$tmp/sig.err" && has "$tmp/sig.out" verified ||
		{ echo "sign $* failed:"; cat "$tmp/sig.err"; return 1; }
}

# refused WANT sign_client-ARGS... : exit 1 saying WANT, and devcredd made
# no signature meanwhile (its log says each one it makes).
refused() {
	local want=$1 before rc

	shift
	before=$(grep -c 'signed with' "$tmp/log")
	"$S" "$@" >"$tmp/ref.out" 2>"$tmp/ref.err"
	rc=$?
	[ $rc -eq 1 ] || { echo "sign_client $*: status $rc"; cat "$tmp/ref.out" "$tmp/ref.err"; return 1; }
	has "$tmp/ref.err" "$want" &&
		[ "$(grep -c 'signed with' "$tmp/log")" -eq "$before" ] ||
		{ echo "devcredd signed for: sign_client $*"; return 1; }
}

# access TEXT : the key access file holds TEXT (root's, 0644); SIGHUP.
access() {
	printf '%s\n' "$1" >"$ACCESS" && chmod 0644 "$ACCESS" && reload
}


t_credential() {
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		ctl install platform2 --cert "$PKI/platform2.pem" --key "$PKI/platform2.key" >/dev/null &&
		ctl install app1 --cert "$PKI/app1.pem" --key "$PKI/app1.key" >/dev/null &&
		ctl bind sip platform1 >/dev/null || return 1
	"$S" open op=sip "$tmp/sip.pin" >"$tmp/out" && has "$tmp/out" "slot=platform1" &&
		has "$tmp/out" "may_sign=1" && has "$tmp/out" "stamp_bytes=32" || return 1
	# The chain is what export --chain gives; the stamp its SHA-256.
	tail -n +4 "$tmp/sip.pin" >"$tmp/chain.pem"
	ctl export platform1 --chain | cmp - "$tmp/chain.pem" &&
		[ "$(sed -n 3p "$tmp/sip.pin")" = "$(sha256sum <"$tmp/chain.pem" | cut -c1-64)" ] ||
		{ echo "the chain or its stamp is not the slot's"; return 1; }
	"$S" open slot=app1 "$tmp/app1.pin" >"$tmp/out" && has "$tmp/out" "slot=app1" || return 1
	refused "bad key reference 'op=nope': unknown operation after op=" open op=nope "$tmp/x" &&
		refused "bad key reference 'sip': neither op=OPERATION nor slot=SLOT" open sip "$tmp/x" &&
		refused "slot=app5: app5 holds no credential" open slot=app5 "$tmp/x" &&
		ctl bind presence app5 >/dev/null &&
		refused "op=presence: app5 holds no credential" open op=presence "$tmp/x"
}

t_sign_schemes() {
	local d

	"$S" open op=sip "$tmp/sip.pin" >/dev/null && "$S" open slot=platform2 "$tmp/ec.pin" >/dev/null &&
		"$S" open slot=app1 "$tmp/app1.pin" >/dev/null || return 1
	for d in sha256 sha384 sha512; do
		signed op=sip "$tmp/sip.pin" rsa-pkcs1 "$d" &&
			signed slot=app1 "$tmp/app1.pin" rsa-pkcs1 "$d" &&
			signed op=sip "$tmp/sip.pin" rsa-pss "$d" 32 &&
			signed slot=app1 "$tmp/app1.pin" rsa-pss "$d" 20 sha256 &&
			signed slot=platform2 "$tmp/ec.pin" ecdsa "$d" || return 1
	done
	# The longest salt a 2048-bit key takes with SHA-512: 256 - 64 - 2 bytes.
	signed op=sip "$tmp/sip.pin" rsa-pss sha512 190
}

t_sign_refusals() {
	"$S" open op=sip "$tmp/sip.pin" >/dev/null && "$S" open slot=platform2 "$tmp/ec.pin" >/dev/null ||
		return 1
	refused "ecdsa asked of an RSA key" sign op=sip "$tmp/sip.pin" ecdsa sha256 &&
		refused "rsa-pkcs1 asked of an EC key" sign slot=platform2 "$tmp/ec.pin" rsa-pkcs1 sha256 &&
		refused "a sha256 digest is 32 bytes, not 31" sign op=sip "$tmp/sip.pin" rsa-pkcs1 short &&
		refused "unknown scheme 'rsa-raw'" sign op=sip "$tmp/sip.pin" rsa-raw sha256 &&
		refused "unknown digest 'sha1'" raw sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha1 \
			"$(printf '%040d' 0)" &&
		refused "unknown digest 'md5'" raw sign op=sip "$tmp/sip.pin" rsa-pss md5 \
			"$(printf '%032d' 0)" &&
		refused "a PSS salt of 191 bytes does not fit a 2048-bit key with sha512" \
			sign op=sip "$tmp/sip.pin" rsa-pss sha512 191 &&
		refused "a salt length and an MGF1 digest are for rsa-pss only" \
			sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 32 &&
		refused "bad key reference" sign op=sip2 "$tmp/sip.pin" rsa-pkcs1 sha256
}

# The pin: a handle signs with the key whose certificate it loaded, or not at all.
t_pin() {
	"$S" open op=sip "$tmp/sip.pin" >/dev/null && ctl bind sip platform2 >/dev/null || return 1
	refused "op=sip is bound to platform2 now, no longer to platform1 whose certificate this key was opened with: open devcred:op=sip again" \
		sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 || return 1
	# Bound back: the same key, still at the generation it was opened at.
	ctl bind sip platform1 >/dev/null && signed op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 || return 1
	# The same credential installed again: a new generation.
	ctl install platform1 --cert "$PKI/platform1.pem" --key "$PKI/platform1.key" >/dev/null &&
		refused "op=sip: platform1 changed since this key was opened" \
			sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 &&
		"$S" open op=sip "$tmp/sip.pin" >/dev/null &&
		signed op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 || return 1
	# Another chain than the one opened (the stamp), at the same generation.
	cp "$tmp/sip.pin" "$tmp/other.pin" && sed -i '3y/0123456789abcdef/123456789abcdef0/' "$tmp/other.pin" &&
		refused "platform1 holds another chain than the one this key was opened with" \
			sign op=sip "$tmp/other.pin" rsa-pkcs1 sha256
}

# as USER GROUPS sign_client-ARGS... : sign_client as uid/gid USER with those
# supplementary groups ("-": none).
as() {
	local u=$1 g=$2

	shift 2
	as_user "$u" "$u" "$g" "$S" "$@"
}

t_access_default() {
	rm -f "$ACCESS" && reload || return 1
	as 1 - open op=sip "$U/d.pin" >"$tmp/out" && has "$tmp/out" "may_sign=0" || return 1
	as 1 - sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 2>"$tmp/err"
	[ $? -eq 1 ] &&
		has "$tmp/err" "devcred: permission denied: uid 1 may not sign with the key of op=sip ($ACCESS names who may)" &&
		has "$tmp/log" "uid 1: sign op=sip refused: devcred: permission denied: uid 1 may not sign with the key of op=sip" &&
		signed op=sip "$tmp/sip.pin" rsa-pkcs1 sha256
}

t_access_grants() {
	ctl bind browser platform2 >/dev/null && "$S" open op=browser "$tmp/br.pin" >/dev/null &&
		"$S" open op=sip "$tmp/sip.pin" >/dev/null && "$S" open slot=platform2 "$tmp/ec.pin" >/dev/null ||
		return 1
	access "# services and their keys
op=sip   user:daemon   # by name
op=sip   user:2
op=browser group:adm
slot=platform2 group:65534" || return 1
	has "$tmp/log" "$ACCESS: 4 grants of key use read" || return 1
	as 1 - sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 >/dev/null &&
		as 2 - sign op=sip "$tmp/sip.pin" rsa-pss sha256 32 >/dev/null &&
		as 3 adm sign op=browser "$tmp/br.pin" ecdsa sha256 >/dev/null ||
		{ echo "a grant did not let its user sign"; return 1; }
	# Not op=browser by its slot, not another operation, not without the group.
	as 1 - open op=browser "$U/x" >"$tmp/out" && has "$tmp/out" "may_sign=0" &&
		as 3 - sign op=browser "$tmp/br.pin" ecdsa sha256 2>"$tmp/err"
	[ $? -eq 1 ] && has "$tmp/err" "uid 3 may not sign with the key of op=browser" || return 1
	as 3 adm sign slot=platform2 "$tmp/ec.pin" ecdsa sha256 2>"$tmp/err"
	[ $? -eq 1 ] && has "$tmp/err" "uid 3 may not sign with the key of slot=platform2" || return 1
	# A group as the primary group counts as a supplementary one does.
	as_user 65534 65534 - "$S" sign slot=platform2 "$tmp/ec.pin" ecdsa sha256 >/dev/null
}

# A file devcredd cannot trust or read is not used: at start root alone
# signs, on SIGHUP the table read before stays.
t_access_file_rules() {
	chmod 0666 "$ACCESS" && reload && has "$tmp/log" "writable by others than root (mode 0666; chmod go-w): not used; the table read before stays" &&
		as 1 - sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 >/dev/null || return 1
	access "op=sip user:no-such-user-here" &&
		has "$tmp/log" "line 1: 'user:no-such-user-here': no such user or group: not used" || return 1
	access "op=voip user:1" && has "$tmp/log" "line 1: 'op=voip': unknown operation after op=" &&
		access "op=sip" && has "$tmp/log" "line 1: op=sip names no user or group" &&
		access "op=sip someone" && has "$tmp/log" "not user:NAME, user:UID, group:NAME or group:GID" ||
		return 1
	chown 1 "$ACCESS" && reload && has "$tmp/log" "owned by uid 1, not root" || return 1
	# The same at start: nobody but root.
	daemon_stop && daemon_start || return 1
	as 1 - sign op=sip "$tmp/sip.pin" rsa-pkcs1 sha256 2>"$tmp/err"
	[ $? -eq 1 ] && has "$tmp/err" "permission denied" &&
		has "$tmp/log" "only root may sign with the keys" && chown 0 "$ACCESS"
}

# Unprivileged callers' signatures: one per user in the workers at a time,
# two in all (devcredd's log: each request when it runs and when it is
# answered); every one made. Eight of each of two users, at once.
t_sign_bounds() {
	local from i u pids=()

	access "op=sip user:1 user:2" || return 1
	from=$(($(wc -l <"$tmp/log") + 1))
	for i in $(seq 8); do
		for u in 1 2; do
			as "$u" - sign op=sip "$tmp/sip.pin" rsa-pss sha512 64 >/dev/null &
			pids+=($!)
		done
	done
	for i in "${pids[@]}"; do
		wait "$i" || { echo "a signature failed"; return 1; }
	done
	tail -n +"$from" "$tmp/log" | awk '
		/ pid [0-9]*: sign op=sip *$/ { u = $4; inflight[u]++; all++
			if (inflight[u] > 1) { print "uid " u ": two signatures at once"; bad = 1 }
			if (all > 2) { print all " signatures of users at once"; bad = 1 }
			if (all > top) top = all }
		/: sign answered with status 0/ { u = $4; sub(":", "", u); inflight[u]--; all--; done++ }
		END { print done " answered, at most " top " at once"; exit bad || done != 16 || top != 2 }'
}

tests=(
	"t_credential:credential: an operation or a slot resolves to a slot, its generation, its chain and the chain's SHA-256"
	"t_sign_schemes:sign: RSA PKCS#1 v1.5 and PSS (2048, 3072), ECDSA (P-256) over SHA-256, -384, -512, each verified"
	"t_sign_refusals:a scheme the key cannot make, a wrong digest length, SHA-1, a salt too long: refused, nothing signed"
	"t_pin:a rebind or a new credential refuses the handle opened before, until it is opened again"
	"t_access_default:without a key access file root alone signs; a refusal is the client's message and a log line"
	"t_access_grants:the key access file: users and groups by name or number, per reference, supplementary groups"
	"t_access_file_rules:a key access file writable by others, with an unknown name or a bad line: not used"
	"t_sign_bounds:16 signatures of two users at once: one per user and two in all in the workers, all made"
)

run_tests
