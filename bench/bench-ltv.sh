#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-ltv.sh [BUILDDIR]: signing time per PAdES level (B-B, B-T, B-LT, B-LTA) with the local
# loopback peers of the ltv tests (TSA with OpenSSL's TS API, `openssl ocsp` per request, CRL over
# HTTP; tests/ltv/ltv-peers), side by side in one hyperfine run on the corpus letter. Every output
# is checked with pdfsig afterwards. The network part is loopback only, so the numbers show
# Teken's own overhead per level (extra file passes, OCSP/TSA round trips), not a real TSA's latency.
#
# Environment: RUNS (default 10), INPUT (default tests/corpus/naskah-dinas-libreoffice.pdf).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(realpath -m "${1:-$root/_build}")
runs=${RUNS:-10}
input=${INPUT:-$root/tests/corpus/naskah-dinas-libreoffice.pdf}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dapp=false
fi
ninja -C "$build" src/cli/teken-cli tests/ltv/ltv-peers tests/common/test-pki.stamp >/dev/null
cli=$build/src/cli/teken-cli
export TEKEN_TEST_PKI=$build/tests/common/pki
pass=$TEKEN_TEST_PKI/passphrase.txt

work=$(mktemp -d)
# A private configuration and cache: nothing of the user's is read or written.
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
mkdir -p "$XDG_CONFIG_HOME/teken"

coproc PEERS { "$build/tests/ltv/ltv-peers"; }
peers_in=${PEERS[1]}
cleanup () {
  exec {peers_in}>&- 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
while read -r line <&"${PEERS[0]}"; do
  case $line in
    TSA=*) TSA=${line#TSA=} ;;
    P12=*) P12=${line#P12=} ;;
    READY=1) break ;;
  esac
done
printf '[timestamp]\nurl=%s\ntimeout=10\n' "$TSA" > "$XDG_CONFIG_HOME/teken/teken.conf"

out=$here/out
mkdir -p "$out"
json=$out/ltv-$(date -u +%Y%m%dT%H%M%SZ).json
cmd () { echo "$cli sign --p12 $P12 --passphrase-file $pass --level $1 -o $work/$1.pdf $input"; }

# The revocation cache is emptied before every run, so B-LT and B-LTA always ask the OCSP responder.
hyperfine --warmup 2 --runs "$runs" --export-json "$json" --prepare "rm -rf $XDG_CACHE_HOME" \
  -n B-B "$(cmd B-B)" -n B-T "$(cmd B-T)" -n B-LT "$(cmd B-LT)" -n B-LTA "$(cmd B-LTA)"

echo
for level in B-B B-T B-LT B-LTA; do
  f=$work/$level.pdf
  valid=$(pdfsig -nssdir "sql:$TEKEN_TEST_PKI/nssdb" "$f" 2>/dev/null | grep -c 'Signature is Valid' || true)
  printf '%-6s %8d bytes  pdfsig valid signatures: %s\n' "$level" "$(stat -c %s "$f")" "$valid"
done
echo "results: $json"
