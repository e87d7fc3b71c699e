#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkcerts.sh DIR: the PKI the credctl boot tests install from, made with the
# openssl command line tool:
#   vendor-root, vendor-ica1 (the original issuing CA), vendor-ica2 (a newer
#   one): factory1.{pem,key} and factory2.{pem,key} for the built-in slot;
#   vendor-ca.pem and factory-issuers, the device's vendor trust set;
#   other-ca: platform1/platform2/app1 leaves (RSA 2048, EC P-256, RSA 3072),
#   expired.{pem,key}, big.{pem,key} (an RSA 6144 key: over 4096 bytes),
#   enc.key (encrypted with pass.txt), bundle.pem (certificate and key),
#   chain.p7b (PKCS#7 of the platform2 chain) and p7-body.txt (without its
#   BEGIN/END lines); selfsigned.{pem,key} (issuer = subject);
#   test-ca.{pem,key}, the network tests' CA, and tls-server.{pem,key} it
#   signed for the host's test servers, as the guest (10.0.2.100) and the
#   host (127.0.0.1) reach them; web1 (EC P-256) and web2 (RSA 2048), the
#   board's web server's credentials as the host reaches it (127.0.0.1,
#   localhost), web2-bundle.pem with its key; markup.{pem,key}, whose
#   common name is HTML markup.
#
# DEVCRED_TEST_PKI=DIR (make check sets it): the PKI is made once into DIR
# and every later call copies it, rather than every test making its own
# (the RSA 6144 key alone takes seconds).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
if [ -n "${DEVCRED_TEST_PKI:-}" ] && [ "$DEVCRED_TEST_PKI" != "$1" ]; then
	if [ ! -e "$DEVCRED_TEST_PKI/.complete" ]; then
		mkdir -p "$DEVCRED_TEST_PKI"
		# One maker at a time; the others wait and copy.
		exec 9>"$DEVCRED_TEST_PKI/.lock"
		flock 9
		if [ ! -e "$DEVCRED_TEST_PKI/.complete" ]; then
			DEVCRED_TEST_PKI='' sh "$0" "$DEVCRED_TEST_PKI"
			: >"$DEVCRED_TEST_PKI/.complete"
		fi
		exec 9>&-
	fi
	mkdir -p "$1"
	cp -a "$DEVCRED_TEST_PKI/." "$1/"
	rm -f "$1/.complete" "$1/.lock"
	exit 0
fi
mkdir -p "$1"
cd "$1"
export OPENSSL_CONF=/dev/null LC_ALL=C

key() { openssl genpkey -quiet -algorithm "$2" ${3:+-pkeyopt "$3"} -out "$1.key"; }
ca_ext() { printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >ca.ext; }
leaf_ext() { printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,serverAuth\n' >leaf.ext; }

# sign NAME ISSUER SUBJECT EXTFILE [DAYS]: NAME.pem for NAME.key
sign() {
	openssl req -new -key "$1.key" -subj "$3" -out "$1.csr"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
		-days "${5:-3650}" -extfile "$4" -out "$1.pem" 2>/dev/null
}

ca_ext
leaf_ext
key vendor-root EC ec_paramgen_curve:P-256
openssl req -x509 -new -key vendor-root.key -subj "/O=Vendor/CN=Vendor Root CA" -days 7300 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	-out vendor-root.pem
for ica in vendor-ica1 vendor-ica2; do
	key $ica EC ec_paramgen_curve:P-256
	sign $ica vendor-root "/O=Vendor/CN=Vendor Issuing CA ${ica#vendor-ica}" ca.ext
done
for n in 1 2; do
	key factory$n RSA rsa_keygen_bits:2048
	sign factory$n vendor-ica$n "/O=Vendor/CN=525400123456" leaf.ext
done
cat vendor-root.pem vendor-ica1.pem vendor-ica2.pem >vendor-ca.pem
{
	echo "# issuing CAs of factory certificates"
	openssl x509 -in vendor-ica1.pem -noout -fingerprint -sha1 | sed 's/^[^=]*=/SHA1 /'
	openssl x509 -in vendor-ica2.pem -noout -fingerprint -md5 | sed 's/^[^=]*=/MD5 /'
} >factory-issuers
# The vendor set without the newer issuing CA: what an old device knows.
cat vendor-root.pem vendor-ica1.pem >vendor-ca-old.pem
grep -v '^MD5' factory-issuers >factory-issuers-old

key other-ca EC ec_paramgen_curve:P-256
openssl req -x509 -new -key other-ca.key -subj "/O=Example/CN=Example Device CA" -days 7300 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	-out other-ca.pem
key platform1 RSA rsa_keygen_bits:2048
sign platform1 other-ca "/O=Example/CN=Custom-525400123456" leaf.ext
key platform2 EC ec_paramgen_curve:P-256
sign platform2 other-ca "/O=Example/CN=platform2.example" leaf.ext
key app1 RSA rsa_keygen_bits:3072
sign app1 other-ca "/O=Example/CN=app1.example" leaf.ext
key big RSA rsa_keygen_bits:6144
sign big other-ca "/O=Example/CN=big.example" leaf.ext
key expired EC ec_paramgen_curve:P-256
openssl req -new -key expired.key -subj "/CN=expired.example" -out expired.csr
openssl x509 -req -in expired.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial \
	-days 1 -extfile leaf.ext -out expired-fresh.pem 2>/dev/null
# A certificate whose validity ended in 2021 (openssl 3.0 has no -not_after).
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=idx\nnew_certs_dir=.\nserial=ser\npolicy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\n' >ca.cnf
: >idx
echo 1000 >ser
openssl ca -batch -notext -config ca.cnf -cert other-ca.pem -keyfile other-ca.key \
	-startdate 200101000000Z -enddate 210101000000Z -in expired.csr -out expired.pem 2>/dev/null
key selfsigned EC ec_paramgen_curve:P-256
openssl req -x509 -new -key selfsigned.key -subj "/CN=525400123456" -days 3650 -out selfsigned.pem

echo 'correct horse battery staple' >pass.txt
openssl pkcs8 -topk8 -in platform1.key -v2 aes-256-cbc -passout file:pass.txt -out enc.key
cat platform2.pem platform2.key >bundle.pem
cat platform2.pem other-ca.pem >chain.pem
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b
grep -v -- '-----' chain.p7b >p7-body.txt
for f in platform1 platform2 app1 factory1 factory2; do
	openssl x509 -in $f.pem -noout -fingerprint -sha256 | sed 's/^[^=]*=//' >$f.sha256
done
# The network tests: one CA signs the test servers' certificate and the
# devices' certificate signing requests, and is the servers' client CA.
key test-ca EC ec_paramgen_curve:P-256
openssl req -x509 -new -key test-ca.key -subj "/O=Test/CN=Test CA" -days 7300 \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	-out test-ca.pem
key tls-server EC ec_paramgen_curve:P-256
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:10.0.2.100,IP:127.0.0.1\n' >tls-server.ext
sign tls-server test-ca "/O=Test/CN=10.0.2.100" tls-server.ext
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >web.ext
key web1 EC ec_paramgen_curve:P-256
sign web1 test-ca "/O=Test/CN=web1.example" web.ext
key web2 RSA rsa_keygen_bits:2048
sign web2 test-ca "/O=Test/CN=web2.example" web.ext
cat web2.pem web2.key >web2-bundle.pem
for f in web1 web2; do
	openssl x509 -in $f.pem -noout -fingerprint -sha256 | sed 's/^[^=]*=//' >$f.sha256
done
key markup EC ec_paramgen_curve:P-256
sign markup other-ca "/O=<b>Bold & Co<\/b>/CN=<script>alert(1)<\/script>" leaf.ext

rm -f ./*.csr ./*.srl idx* ser* ./*.ext ca.cnf ./10*.pem
