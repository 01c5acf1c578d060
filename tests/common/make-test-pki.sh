#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-test-pki.sh OUTDIR [STAMP]
#
# Generates the throw-away test PKI used by Teken's test suite (see docs/testing.md):
# a root, a BSrE-like issuing CA, signers of the three certificate kinds with several key types,
# special signers (expired, not yet valid, wrong key usage, expiring, untrusted), TSA and OCSP
# certificates, PKCS#12 files and NSS databases for pdfsig.
#
# Idempotent: does nothing when OUTDIR/.complete exists and was written by this same script version.
# The PKI is built in a temporary directory and renamed into place, so readers never see half of it.
# Needs bash, openssl and the NSS tools (certutil, pk12util) only. Private keys are test-only.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUTDIR [STAMP]" >&2
  exit 2
fi

out=$(realpath -m "$1")
stamp=${2:+$(realpath -m "$2")}
self_hash=$(openssl dgst -sha256 -r "${BASH_SOURCE[0]}" | cut -d' ' -f1)

finish () {
  if [ -n "$stamp" ]; then
    printf '%s\n' "$self_hash" > "$stamp"
  fi
}

if [ -f "$out/.complete" ] && [ "$(cat "$out/.complete")" = "$self_hash" ]; then
  finish
  exit 0
fi

PASSPHRASE='Rahasia-Uji-123'
parent=$(dirname "$out")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.pki-tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

printf '%s\n' "$PASSPHRASE" > passphrase.txt

# --- dates --------------------------------------------------------------------------------------
now=$(date -u +%s)
day=86400
when () { date -u -d "@$((now + $1 * day))" +%Y%m%d%H%M%SZ; }

# --- openssl ca configuration (one database per issuer) -----------------------------------------
cat > openssl-ca.cnf <<'EOF'
[ ca ]
default_ca = CA_default

[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes

[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
title = optional
commonName = optional
description = optional

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder

[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ca_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ signer_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.2.840.113583.1.1.5, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ sistem_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.2.840.113583.1.1.5, emailProtection
subjectAltName = DNS:sipd.contoh.go.id
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ wrongku_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = 1.2.840.113583.1.1.5, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ocsp_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# Private databases of openssl ca, kept in ca-db/ISSUER (index.txt is usable by `openssl ocsp -index`).
init_db () {
  mkdir -p "ca-db/$1/newcerts"
  : > "ca-db/$1/index.txt"
}

genkey () { # NAME TYPE
  case $2 in
    rsa2048) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    rsa3072) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$1.key" ;;
    rsa4096) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$1.key" ;;
    rsapss)  openssl genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    p256)    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
               -pkeyopt ec_param_enc:named_curve -out "$1.key" ;;
    p384)    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
               -pkeyopt ec_param_enc:named_curve -out "$1.key" ;;
    ed25519) openssl genpkey -quiet -algorithm ED25519 -out "$1.key" ;;
    *) echo "unknown key type $2" >&2; exit 1 ;;
  esac
  chmod 600 "$1.key"
}

# issue NAME ISSUER SUBJECT EXT START_DAYS END_DAYS  (ISSUER "self" = self-signed)
issue () {
  local name=$1 issuer=$2 subject=$3 ext=$4 start end db
  start=$(when "$5")
  end=$(when "$6")
  openssl req -new -config openssl-ca.cnf -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  if [ "$issuer" = self ]; then
    db=$name
    init_db "$db"
    (cd "ca-db/$db" && openssl ca -batch -config ../../openssl-ca.cnf -selfsign -preserveDN -notext \
       -rand_serial -keyfile "../../$name.key" -in "../../$name.csr" -out "../../$name.crt" \
       -startdate "$start" -enddate "$end" -extensions "$ext" 2>/dev/null)
  else
    db=$issuer
    (cd "ca-db/$db" && openssl ca -batch -config ../../openssl-ca.cnf -preserveDN -notext -rand_serial \
       -cert "../../$issuer.crt" -keyfile "../../$issuer.key" -in "../../$name.csr" -out "../../$name.crt" \
       -startdate "$start" -enddate "$end" -extensions "$ext" 2>/dev/null)
  fi
  rm -f "$name.csr"
  if [ ! -s "$name.crt" ]; then
    echo "make-test-pki: failed to issue $name" >&2
    exit 1
  fi
}

# Deterministic 16-hex-digit prefix of the subject description, like BSrE's "<id>_Tanda Tangan Elektronik".
hexid () { printf '%s' "$1" | openssl dgst -sha256 -r | cut -c1-16 | tr a-f A-F; }

INDIVIDU_O='/C=ID/O=Pemerintah Kabupaten Contoh'
individu_subject () { # CN ID
  printf '%s/CN=%s/description=%s_Tanda Tangan Elektronik' "$INDIVIDU_O" "$1" "$(hexid "$2")"
}
jabatan_subject () {
  printf '/C=ID/O=Pemerintah Kabupaten Contoh/OU=Sekretariat Daerah/title=Bupati/CN=Bupati Contoh/description=%s_Tanda Tangan Jabatan' \
    "$(hexid "$1")"
}
sistem_subject () {
  printf '/C=ID/O=Pemerintah Kabupaten Contoh/OU=Dinas Komunikasi dan Informatika/CN=SIPD Kabupaten Contoh/description=%s_Sistem Elektronik' \
    "$(hexid "$1")"
}

p12 () { # NAME CHAINFILE
  openssl pkcs12 -export -inkey "$1.key" -in "$1.crt" -certfile "$2" -name "$1" \
    -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -iter 2048 \
    -passout file:passphrase.txt -out "$1.p12"
}

# --- roots and issuing CA -----------------------------------------------------------------------
genkey root rsa3072
issue root self '/C=ID/O=Kementerian Uji/CN=Teken Test Root CA' root_ext -1826 3652
genkey ca rsa3072
issue ca root '/C=ID/O=Badan Uji Sandi Negara/CN=Teken Test BSrE CA DS G1' ca_ext -1825 3650
init_db ca
genkey other-root rsa2048
issue other-root self '/C=ID/O=Organisasi Tak Dikenal/CN=Teken Other Root CA' root_ext -1826 3652
cat ca.crt root.crt > chain.pem

# --- ordinary signers ---------------------------------------------------------------------------
for kt in rsa2048 rsa4096 p256 p384 rsapss ed25519; do
  n=individu-$kt
  genkey "$n" "$kt"
  issue "$n" ca "$(individu_subject 'Budi Santoso' "$n")" signer_ext -1 730
done
for kt in rsa2048 p256; do
  n=jabatan-$kt
  genkey "$n" "$kt"
  issue "$n" ca "$(jabatan_subject "$n")" signer_ext -1 730
  n=sistem-$kt
  genkey "$n" "$kt"
  issue "$n" ca "$(sistem_subject "$n")" sistem_ext -1 730
done

# --- special signers (RSA-2048, individu subject with a distinct CN) ----------------------------
special () { # NAME CN ISSUER EXT START END
  genkey "$1" rsa2048
  issue "$1" "$3" "$(individu_subject "$2" "$1")" "$4" "$5" "$6"
}
special expired  'Budi Santoso Kedaluwarsa' ca signer_ext -731 -1
special notyet   'Budi Santoso Belum Berlaku' ca signer_ext 30 760
special wrongku  'Budi Santoso Salah Penggunaan' ca wrongku_ext -1 730
special expiring 'Budi Santoso Segera Berakhir' ca signer_ext -720 10
special untrusted 'Budi Santoso Tak Tepercaya' other-root signer_ext -1 730

for n in individu-rsa2048 individu-rsa4096 individu-p256 individu-p384 individu-rsapss individu-ed25519 \
         jabatan-rsa2048 jabatan-p256 sistem-rsa2048 sistem-p256 expired notyet wrongku expiring; do
  cp chain.pem "$n-chain.pem"
  p12 "$n" "$n-chain.pem"
done
cp other-root.crt untrusted-chain.pem
p12 untrusted untrusted-chain.pem

# --- PKCS#12 variants ---------------------------------------------------------------------------
openssl pkcs12 -export -nokeys -in individu-rsa2048.crt -certfile chain.pem -name nokey \
  -certpbe AES-256-CBC -macalg sha256 -passout file:passphrase.txt -out nokey.p12
openssl pkcs12 -export -legacy -inkey individu-rsa2048.key -in individu-rsa2048.crt -certfile chain.pem \
  -name legacy-rc2 -passout file:passphrase.txt -out legacy-rc2.p12
openssl pkcs12 -export -inkey individu-rsa2048.key -in individu-rsa2048.crt -name nochain \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -passout file:passphrase.txt -out nochain.p12

# --- TSA and OCSP responder ---------------------------------------------------------------------
genkey tsa rsa2048
issue tsa ca '/C=ID/O=Badan Uji Sandi Negara/CN=Teken Test TSA' tsa_ext -1 1825
genkey ocsp rsa2048
issue ocsp ca '/C=ID/O=Badan Uji Sandi Negara/CN=Teken Test OCSP Responder' ocsp_ext -1 1825

# --- NSS databases for pdfsig -------------------------------------------------------------------
mkdir nssdb
certutil -N -d sql:nssdb --empty-password
certutil -A -d sql:nssdb -n 'Teken Test Root CA' -t CT,C,C -i root.crt
certutil -A -d sql:nssdb -n 'Teken Test BSrE CA DS G1' -t ,, -i ca.crt

mkdir nss-signer
certutil -N -d sql:nss-signer --empty-password
certutil -A -d sql:nss-signer -n 'Teken Test Root CA' -t CT,C,C -i root.crt
certutil -A -d sql:nss-signer -n 'Teken Test BSrE CA DS G1' -t ,, -i ca.crt
: > nss-signer/nicks.txt
for n in individu-rsa2048 individu-p256; do
  pk12util -i "$n.p12" -d sql:nss-signer -w passphrase.txt >/dev/null
  certutil -L -d sql:nss-signer -n "$n" >/dev/null   # fails if the nickname is not the friendly name
  printf '%s\n' "$n" >> nss-signer/nicks.txt
done

# poppler-glib reads trust only from $HOME/.pki/nssdb: a ready HOME for tests that use it.
mkdir -p home/.pki
cp -r nssdb home/.pki/nssdb

chmod 755 .
printf '%s\n' "$self_hash" > .complete

cd "$parent"
rm -rf "$out"
mv "$work" "$out"
trap - EXIT
finish
