#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gen-corpus.sh DIR: make the credential test corpus in DIR with the openssl
# command line tool only. Keys are random, everything else (file names,
# subjects, validity dates, which file holds what) is fixed; test_credential.c
# reads the files by name. Expected fingerprints are written by openssl itself
# (*.fp-md5, *.fp-sha1, *.fp-sha256) so the tests do not hard-code them.
#
# Takes a few seconds; the one RSA 4096 key dominates.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
out=$1
rm -rf "$out"
mkdir -p "$out"
cd "$out"
# Only this script's configs; never an interactive prompt.
export OPENSSL_CONF=/dev/null
export LC_ALL=C

PASS=correct-horse
printf '%s\n' "$PASS" >pass.txt
DAYS=3650

key() {		# key NAME ALGORITHM [OPTION]: PKCS#8 PEM key NAME.key
	name=$1 alg=$2
	shift 2
	openssl genpkey -quiet -algorithm "$alg" ${1:+-pkeyopt "$1"} -out "$name.key"
}

selfsigned() {	# selfsigned NAME SUBJECT: NAME.pem from NAME.key
	openssl req -x509 -new -key "$1.key" -subj "$2" -days $DAYS -utf8 \
		-out "$1.pem"
}

fingerprints() {	# fingerprints NAME: NAME.fp-{md5,sha1,sha256}
	for md in md5 sha1 sha256; do
		openssl x509 -in "$1.pem" -noout -fingerprint -"$md" |
			sed 's/^[^=]*=//' >"$1.fp-$md"
	done
}

# --- keys and self-signed certificates of every supported type ----------
key rsa2048 RSA rsa_keygen_bits:2048
key rsa3072 RSA rsa_keygen_bits:3072
key rsa4096 RSA rsa_keygen_bits:4096
key ec256 EC ec_paramgen_curve:P-256
key ec384 EC ec_paramgen_curve:P-384
key ed25519 ED25519
key other2048 RSA rsa_keygen_bits:2048	# for mismatches
key otherec256 EC ec_paramgen_curve:P-256

selfsigned rsa2048 "/O=devcred test/CN=rsa2048.example"
selfsigned rsa3072 "/CN=rsa3072.example"
selfsigned rsa4096 "/CN=rsa4096.example"
selfsigned ec256 "/CN=ec256.example"
selfsigned ec384 "/CN=ec384.example"
selfsigned ed25519 "/CN=ed25519.example"
# A UTF-8 common name, as a phone admin might type it.
key utf8 EC ec_paramgen_curve:P-256
selfsigned utf8 "/CN=Téléphone Zürich"
fingerprints rsa2048
fingerprints ec256

# --- other encodings of the same keys ------------------------------------
openssl pkey -in rsa2048.key -traditional -out rsa2048.rsakey	# RSA PRIVATE KEY
openssl ec -in ec256.key -out ec256.eckey 2>/dev/null		# EC PRIVATE KEY
openssl pkey -in rsa2048.key -outform DER -out rsa2048.key.der	# PKCS#8 DER
openssl pkey -in rsa2048.key -aes256 -passout file:pass.txt \
	-out rsa2048.enckey					# ENCRYPTED PRIVATE KEY
openssl pkey -in ec256.key -aes256 -passout file:pass.txt \
	-out ec256.enckey
openssl pkey -in rsa2048.key -traditional -aes256 -passout file:pass.txt \
	-out rsa2048.legacy-enckey			# Proc-Type: 4,ENCRYPTED
openssl pkey -in rsa2048.key -pubout -out rsa2048.pub	# PUBLIC KEY
openssl pkey -in rsa2048.key -pubout -outform DER -out rsa2048.pub.der
openssl x509 -in rsa2048.pem -outform DER -out rsa2048.der
# "openssl ecparam -genkey" style: EC PARAMETERS block, then the key.
openssl ecparam -name prime256v1 -out ecparam.key
cat ec256.eckey >>ecparam.key
cp ec256.pem ecparam.pem

# --- CA, intermediate, leaf ----------------------------------------------
cat >ext.cnf <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth, serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
key ca EC ec_paramgen_curve:P-384
key inter EC ec_paramgen_curve:P-256
key leaf RSA rsa_keygen_bits:2048
openssl req -x509 -new -key ca.key -subj "/CN=devcred test root" \
	-days $DAYS -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
openssl req -new -key inter.key -subj "/CN=devcred test intermediate" \
	-out inter.csr
openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -set_serial 2 \
	-days $DAYS -extfile ext.cnf -extensions ca -out inter.pem 2>/dev/null
openssl req -new -key leaf.key -subj "/CN=phone-0004f2000001" -out leaf.csr
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -set_serial 3 \
	-days $DAYS -extfile ext.cnf -extensions leaf -out leaf.pem 2>/dev/null
fingerprints leaf
openssl x509 -in leaf.pem -outform DER -out leaf.der

cat leaf.pem inter.pem ca.pem >chain.pem
cat ca.pem inter.pem leaf.pem >chain-reversed.pem
cat inter.pem leaf.pem ca.pem >chain-shuffled.pem
cat leaf.pem inter.pem rsa3072.pem >chain-unrelated.pem
cat leaf.pem inter.pem leaf.pem >chain-duplicate.pem
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b.der

# --- single-file credentials: certificate(s) + private key ---------------
cat rsa2048.pem rsa2048.rsakey >bundle-spec.pem		# the spec's example
cat chain.pem leaf.key >bundle-chain.pem
cat chain.p7b leaf.key >bundle-p7.pem
cat rsa2048.pem rsa2048.enckey >bundle-enc.pem
cat rsa2048.pem rsa2048.pub >bundle-pub.pem

# --- expired and not yet valid, signed by the intermediate ---------------
mkdir -p ca.d/new
: >ca.d/index.txt
echo 10 >ca.d/serial
cat >ca.cnf <<'EOF'
[ca]
default_ca = test
[test]
dir = ca.d
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
email_in_dn = no
[any]
commonName = supplied
EOF
signca() {	# signca NAME START END: NAME.pem for leaf.key
	openssl req -new -key leaf.key -subj "/CN=$1" -out "$1.csr"
	openssl ca -batch -notext -config ca.cnf -cert inter.pem -keyfile inter.key \
		-startdate "$2" -enddate "$3" -in "$1.csr" -out "$1.pem" 2>/dev/null
}
signca expired 200101000000Z 210101000000Z
signca notyet 400101000000Z 410101000000Z
cat expired.pem inter.pem >expired-chain.pem
cat notyet.pem inter.pem >notyet-chain.pem

# --- refusals -------------------------------------------------------------
cat rsa2048.pem other2048.key >mismatch.pem		# same type, other key
cp ec256.pem mismatch-ec.pem				# same type, other key
cp otherec256.key mismatch-ec.key
cp rsa2048.pem mismatch-type.pem			# RSA cert, EC key
cp ec256.key mismatch-type.key
head -c 700 rsa2048.pem >truncated.pem
: >empty.pem
printf '\n \t\r\n' >blank.pem
# Deterministic pseudo-random bytes: AES-CTR of zeros with a fixed key.
garbage() {
	head -c "$1" /dev/zero | openssl enc -aes-128-ctr -nosalt \
		-K 000102030405060708090a0b0c0d0e0f -iv 0f0e0d0c0b0a09080706050403020100
}
garbage 2048 >garbage.bin
# Oversize: valid certificates, more than CRED_INPUT_MAX (256 KiB) in all.
i=0
while [ $i -lt 300 ]; do cat leaf.pem; i=$((i + 1)); done >oversize.pem
{ cat rsa2048.pem; echo "this line is not PEM"; } >trailing.pem
{ cat rsa2048.pem; printf '\200'; garbage 64; } >trailing-bin.pem
{ cat rsa2048.der; garbage 16; } >trailing.der
sed '/^-----/d' chain.p7b >p7-body.txt
sed '/^-----/d' rsa2048.pem >cert-body.txt
# Accepted variants: explanatory text before the block, CRLF line ends.
openssl x509 -in rsa2048.pem -text >rsa2048-text.pem
sed 's/$/\r/' rsa2048.pem >rsa2048-crlf.pem
cat rsa2048.pem leaf.csr >unexpected-block.pem
cp rsa2048.key cert-is-key.pem

rm -f ./*.csr
echo "corpus: $(find . -type f | wc -l) files in $out"
