#!/usr/bin/env bash
# Writes the test certificates of tests/emulator/tls (see tests/emulator/README.md, "TLS"):
#   ca.pem                      test CA (its key is not kept)
#   server.pem / server.key     leaf for 127.0.0.1, ::1 and localhost, issued by ca.pem
#   wrong-host.pem / .key       leaf for wrong-host.invalid only, issued by ca.pem
#   other-ca.pem                a second CA that issued nothing here (an untrusting trust store)
# Valid 2000-01-01 to 2099-12-31, so no test depends on the clock. Test-only keys: never use
# them for anything else. Needs openssl; run from anywhere: bash tests/emulator/tls/make-certs.sh
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

start=20000101000000Z
end=20991231235959Z

cat > ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
commonName = supplied
[ca_ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
authorityKeyIdentifier = keyid
[wrong_host_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong-host.invalid
authorityKeyIdentifier = keyid
CNF

# A self-signed CA: a CSR signed by its own key with `openssl ca -selfsign`, so the dates apply.
make_ca() { # name subject
    : > index.txt
    echo 01 > serial
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
    openssl ca -batch -config ca.cnf -selfsign -keyfile "$1.key" -in "$1.csr" \
        -startdate "$start" -enddate "$end" -extensions ca_ext -notext -out "$1.pem" 2>/dev/null
}

leaf() { # name subject extensions
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" \
        -startdate "$start" -enddate "$end" -extensions "$3" -notext -out "$1.pem" 2>/dev/null
    # PKCS#8, as rustls reads it.
    openssl pkcs8 -topk8 -nocrypt -in "$1.key" -out "$out/$1.key"
    cp "$1.pem" "$out/$1.pem"
}

make_ca other-ca "StarRocks connector untrusted test CA"
cp other-ca.pem "$out/other-ca.pem"
make_ca ca "StarRocks connector test CA"
cp ca.pem "$out/ca.pem"
leaf server "starrocks-emulator" server_ext
leaf wrong-host "wrong-host.invalid" wrong_host_ext
echo "wrote $(ls "$out" | grep -c pem) PEM certificates and 2 keys to $out"
