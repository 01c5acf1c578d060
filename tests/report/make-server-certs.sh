#!/bin/bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-server-certs.sh PKI OUTDIR: TLS server certificates for the report tests' loopback servers,
# for DNS:localhost and IP:127.0.0.1: server.crt/.key issued by the test PKI's CA (trusted through
# ca-file = PKI/chain.pem) and untrusted.crt/.key, self-signed (never trusted).
set -euo pipefail
pki=$1
out=$2
mkdir -p "$out"
cd "$out"
cat > ext.cnf <<'CNF'
[ext]
subjectAltName = DNS:localhost, IP:127.0.0.1
extendedKeyUsage = serverAuth
keyUsage = critical, digitalSignature, keyEncipherment
basicConstraints = CA:FALSE
CNF
openssl req -new -newkey rsa:2048 -nodes -keyout server.key -subj "/CN=localhost/O=Teken Test Helpdesk" \
  -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -CAserial serial.srl \
  -days 30 -sha256 -extfile ext.cnf -extensions ext -out server.crt 2>/dev/null
cat server.crt "$pki/ca.crt" > server-chain.crt
openssl req -x509 -newkey rsa:2048 -nodes -keyout untrusted.key -subj "/CN=localhost/O=Untrusted" \
  -days 30 -addext "subjectAltName = DNS:localhost, IP:127.0.0.1" -out untrusted.crt 2>/dev/null
