#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/mkseeds.sh: remake the committed seed corpora of credential_fuzz,
# proto_fuzz and provider_fuzz (record_fuzz's are hand-made). Keys are new
# each time; they are throwaway test keys, small (EC P-256, one RSA 1024)
# so that the seeds stay a few KiB and the fuzzer fast. Needs openssl and
# python3.
set -eu
cd "$(dirname "$0")"
export OPENSSL_CONF=/dev/null LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SEP='
~~devcred-fuzz~~
'

# --- credential_fuzz: CERT [SEP KEY [SEP PASSPHRASE]] ----------------------
c=corpus/credential_fuzz
rm -rf "$c"
mkdir -p "$c"
ec() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/$1.key"; }
ec root
ec leaf
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/rsa.key"
openssl req -x509 -new -key "$tmp/root.key" -subj "/CN=fuzz root" -days 3650 \
	-addext "keyUsage=critical,keyCertSign" -out "$tmp/root.pem"
openssl req -new -key "$tmp/leaf.key" -subj "/O=fuzz/CN=fuzz-leaf" -out "$tmp/leaf.csr"
openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/root.pem" -CAkey "$tmp/root.key" \
	-set_serial 2 -days 3650 -out "$tmp/leaf.pem" 2>/dev/null
openssl req -x509 -new -key "$tmp/rsa.key" -subj "/CN=fuzz rsa" -days 3650 -out "$tmp/rsa.pem"
cat "$tmp/leaf.pem" "$tmp/root.pem" >"$tmp/chain.pem"

part() { printf '%s' "$SEP"; cat "$@"; }
{ cat "$tmp/leaf.pem"; part "$tmp/leaf.key"; } >"$c/pem-pkcs8"
{ cat "$tmp/root.pem" "$tmp/leaf.pem" "$tmp/leaf.key"; } >"$c/bundle-chain-reversed"
{ openssl x509 -in "$tmp/leaf.pem" -outform DER
  part; openssl pkey -in "$tmp/leaf.key" -outform DER; } >"$c/der-der"
{ openssl crl2pkcs7 -nocrl -certfile "$tmp/chain.pem" -outform DER
  part "$tmp/leaf.key"; } >"$c/p7-der"
{ openssl crl2pkcs7 -nocrl -certfile "$tmp/chain.pem"
  part; openssl ec -in "$tmp/leaf.key" 2>/dev/null; } >"$c/p7-pem-eckey"
# Encrypted keys with one PBKDF2 iteration: decryption stays cheap.
{ cat "$tmp/leaf.pem"
  part; openssl pkcs8 -topk8 -in "$tmp/leaf.key" -v2 aes-128-cbc -iter 1 -passout pass:pw
  printf '%s%s' "$SEP" pw; } >"$c/enc-pkcs8"
{ cat "$tmp/rsa.pem"
  part; openssl pkey -in "$tmp/rsa.key" -traditional -aes128 -passout pass:pw
  printf '%s%s' "$SEP" pw; } >"$c/enc-legacy-rsa"
{ openssl x509 -in "$tmp/rsa.pem" -text; openssl pkey -in "$tmp/rsa.key" -traditional; } \
	>"$c/text-rsa-bundle"
{ openssl ecparam -name prime256v1; openssl ec -in "$tmp/leaf.key" 2>/dev/null; } >"$tmp/ecp.key"
{ cat "$tmp/leaf.pem"; part "$tmp/ecp.key"; } >"$c/ecparam-key"
{ cat "$tmp/leaf.pem"; part; openssl pkey -in "$tmp/leaf.key" -pubout; } >"$c/pubkey"

# --- proto_fuzz: requests and responses as credctl and devcredd send them --
p=corpus/proto_fuzz
rm -rf "$p"
mkdir -p "$p"
python3 - "$p" <<'PY'
import struct, sys

out = sys.argv[1]
REQ, RESP = 0x51524344, 0x53524344
STR, U32 = "s", "u"

def msg(magic, fields):
    body = b""
    for ftype, value in fields:
        if isinstance(value, int):
            value = struct.pack("<Q" if ftype == 23 else "<I", value)
        elif isinstance(value, str):
            value = value.encode()
        body += struct.pack("<HHI", ftype, 0, len(value)) + value
    return struct.pack("<III", magic, 1, len(body)) + body

seeds = {
    "status": msg(REQ, [(1, "status"), (4, 0)]),
    "list-json": msg(REQ, [(1, "list"), (4, 1)]),
    "bind": msg(REQ, [(1, "bind"), (2, "provisioning"), (3, "platform1"), (4, 0)]),
    "install": msg(REQ, [(1, "install"), (2, "app1"), (4, 2),
                         (5, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
                         (6, "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"),
                         (7, "secret"), (8, "--cert c.pem --key c.key")]),
    "install-bundle": msg(REQ, [(1, "install"), (2, "platform2"), (4, 8), (5, "bundle")]),
    "answer-ok": msg(RESP, [(16, 0), (17, "Device Certificate: Self-signed\n")]),
    "answer-refused": msg(RESP, [(16, 1), (18, "credctl: platform1: key over 4096 bytes\n")]),
    # The devcred provider's: credential, then sign with its pin.
    "credential": msg(REQ, [(1, "credential"), (2, "op=sip"), (4, 0)]),
    "sign": msg(REQ, [(1, "sign"), (2, "op=sip"), (4, 0), (22, "app1"), (23, 42),
                      (24, bytes(range(32))), (27, "rsa-pss"), (28, "sha256"),
                      (29, "sha256"), (30, 32), (31, bytes(32))]),
    "answer-credential": msg(RESP, [(16, 0), (22, "app1"), (23, 42), (24, bytes(range(32))),
                                    (25, "-----BEGIN CERTIFICATE-----\nMIIB\n"), (26, 1)]),
    "answer-signature": msg(RESP, [(16, 0), (32, bytes(range(256)))]),
}
for name, data in seeds.items():
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)
PY
# --- provider_fuzz: 'c' CREDENTIAL-ANSWER, 's' ROOM SIGN-ANSWER, 'u' URI ----
p=corpus/provider_fuzz
rm -rf "$p"
mkdir -p "$p"
python3 - "$p" "$tmp/chain.pem" <<'PY'
import struct, sys

out, chain = sys.argv[1], open(sys.argv[2], "rb").read()
RESP = 0x53524344

def msg(fields):
    body = b""
    for ftype, value in fields:
        if isinstance(value, int):
            value = struct.pack("<Q" if ftype == 23 else "<I", value)
        elif isinstance(value, str):
            value = value.encode()
        body += struct.pack("<HHI", ftype, 0, len(value)) + value
    return struct.pack("<III", RESP, 1, len(body)) + body

cred = [(16, 0), (22, "platform2"), (23, 7), (24, bytes(range(32))), (25, chain), (26, 1)]
seeds = {
    "credential": b"c" + msg(cred),
    "credential-no-key": b"c" + msg(cred[:-1] + [(26, 0), (18, "devcred: permission denied\n")]),
    "credential-refused": b"c" + msg([(16, 1), (18, "devcred: slot=app5: app5 holds no credential\n")]),
    "signature-ecdsa": b"s\x08" + msg([(16, 0), (32, bytes(range(71)))]),
    "signature-rsa": b"s\xc0" + msg([(16, 0), (32, bytes(256))]),
    "uri-op": b"udevcred:op=provisioning",
    "uri-slot-type": b"udevcred:slot=app1;type=issuers",
}
for name, data in seeds.items():
    with open(f"{out}/{name}", "wb") as f:
        f.write(data)
PY
du -sh corpus/credential_fuzz corpus/proto_fuzz corpus/provider_fuzz
