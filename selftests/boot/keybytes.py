#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""keybytes.py: look for a private key's bytes in a board's flash image.

  keybytes.py search IMAGE KEY...
  keybytes.py plant IMAGE KEY KIND

For each private key file (PEM, as installed), search looks in IMAGE for
every form in which the key's secret could lie on flash:
  pem      each base64 line of the file's body, and of the key as devcredd
           stores it (PKCS#8 PEM, which openssl pkey prints), 16 characters
           or more: a line of the key is enough to find it
  der      the key in DER, PKCS#8 and the traditional form
  raw      the secret numbers themselves, big-endian as in DER: the EC
           private scalar; RSA's private exponent, primes, exponents and
           coefficient (the modulus and public exponent are public: they are
           in the certificate)
The forms come from the openssl command line tool. It prints one line per
form found (KEY KIND NAME at OFFSET) and exits 1 if any was, 0 when none
was ("no byte of N keys: M needles searched"); 2 on any error (a key
file missing, openssl failing), so that an error is never taken for a find.

plant writes the first needle of KIND (pem, der or raw) into IMAGE, at the
middle of its first mebibyte: the test's proof that search finds that kind.
"""
import re
import subprocess
import sys

MIN_PEM_LINE = 16
RAW_FIELDS = ("priv", "privateExponent", "prime1", "prime2", "exponent1", "exponent2",
              "coefficient")


def openssl(*args):
    return subprocess.run(("openssl",) + args, check=True, capture_output=True,
                          env={"OPENSSL_CONF": "/dev/null", "LC_ALL": "C"}).stdout


def pem_lines(pem):
    out = []
    for line in pem.decode("ascii").splitlines():
        line = line.strip()
        if line.startswith("-----") or ":" in line or len(line) < MIN_PEM_LINE:
            continue
        out.append(line.encode("ascii"))
    return out


def raw_numbers(text):
    """The secret numbers of openssl pkey -text: NAME: then hex lines."""
    out = []
    name = None
    digits = ""
    for line in text.decode("ascii").splitlines() + ["end:"]:
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            if name in RAW_FIELDS and digits:
                number = bytes.fromhex(digits).lstrip(b"\0")
                out.append((name, number))
            name, digits = m.group(1), ""
        elif name and re.match(r"^\s+[0-9a-f:]+$", line):
            digits += line.strip().replace(":", "")
    return out


def needles(key):
    """(kind, name, bytes) for every form of the key's secret."""
    with open(key, "rb") as f:
        pem = f.read()
    out = []
    # The file's lines, then those of the stored form that differ.
    lines = pem_lines(pem)
    lines += [line for line in pem_lines(openssl("pkey", "-in", key)) if line not in lines]
    for i, line in enumerate(lines):
        out.append(("pem", f"line{i}", line))
    out.append(("der", "pkcs8", openssl("pkey", "-in", key, "-outform", "DER")))
    out.append(("der", "traditional",
                openssl("pkey", "-in", key, "-outform", "DER", "-traditional")))
    raw = raw_numbers(openssl("pkey", "-in", key, "-text", "-noout"))
    if not raw:
        sys.exit(f"keybytes.py: {key}: openssl printed no secret number")
    for name, number in raw:
        out.append(("raw", name, number))
    return out


def search(image, keys):
    with open(image, "rb") as f:
        img = f.read()
    found = searched = 0
    for key in keys:
        for kind, name, needle in needles(key):
            searched += 1
            at = img.find(needle)
            if at >= 0:
                found += 1
                print(f"{key} {kind} {name} at {at:#x}")
    if found:
        return 1
    print(f"no byte of {len(keys)} keys: {searched} needles searched")
    return 0


def plant(image, key, kind):
    needle = next(n for k, _, n in needles(key) if k == kind)
    with open(image, "r+b") as f:
        f.seek(512 * 1024)
        f.write(needle)
    return 0


def main():
    try:
        return run(sys.argv[1:])
    except (OSError, subprocess.CalledProcessError, StopIteration) as e:
        print(f"keybytes.py: {e}", file=sys.stderr)
        return 2


def run(args):
    if len(args) >= 3 and args[0] == "search":
        return search(args[1], args[2:])
    if len(args) == 4 and args[0] == "plant" and args[3] in ("pem", "der", "raw"):
        return plant(args[1], args[2], args[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
