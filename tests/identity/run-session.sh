#!/bin/sh
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-session.sh PROGRAM [ARG...]: runs PROGRAM (a test) inside a private desktop-like session:
# a fresh HOME/XDG tree, an unlocked gnome-keyring (secrets only) on the session bus that
# dbus-run-session provides, and softhsm2 tokens with the test PKI's keys. Meson runs it as
#   dbus-run-session -- sh run-session.sh PROGRAM
# Everything lives in one temporary directory that is removed at the end; the keyring daemon
# exits with the bus.
#
# Tokens (SO PIN 12345678; user PIN in $TEKEN_TEST_TOKEN_PIN, distinctive so that logs can be searched for it):
#   teken-test  individu-rsa2048 key+cert CKA_ID 01, individu-p256 key+cert CKA_ID 02, ca.crt (CKA_ID 03, no key)
#   teken-rm    individu-rsa2048 key+cert CKA_ID 01, for the removal test (its directory,
#               $TEKEN_TEST_RM_TOKEN_DIR, is deleted)
# Also exported: TEKEN_TEST_SOFTHSM_MODULE, TEKEN_TEST_TOKEN_DIR, TEKEN_TEST_SESSION_DIR.
set -eu

PIN=Pin-Uji-8402

: "${TEKEN_TEST_PKI:?TEKEN_TEST_PKI is not set}"
base=$(mktemp -d "${TMPDIR:-/tmp}/teken-identity.XXXXXX")
trap 'rm -rf "$base"' EXIT INT TERM

export HOME="$base/home" XDG_DATA_HOME="$base/data" XDG_CONFIG_HOME="$base/config"
export XDG_CACHE_HOME="$base/cache" XDG_RUNTIME_DIR="$base/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password from stdin, creates the "login" keyring and makes it the default.
printf '%s' 'teken-keyring-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null

module=/usr/lib/softhsm/libsofthsm2.so
[ -e "$module" ] || module=/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so
mkdir -p "$base/hsm/tokens" "$base/p11"
printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$base" \
  > "$base/hsm/softhsm2.conf"
export SOFTHSM2_CONF="$base/hsm/softhsm2.conf"

der () { # NAME: key and certificate of the test PKI as DER, for pkcs11-tool
  openssl pkcs8 -topk8 -nocrypt -in "$TEKEN_TEST_PKI/$1.key" -outform DER -out "$base/p11/$1.key.der"
  openssl x509 -in "$TEKEN_TEST_PKI/$1.crt" -outform DER -out "$base/p11/$1.crt.der"
}
put () { # TOKEN NAME ID TYPE FILE
  pkcs11-tool --module "$module" --token-label "$1" --login --pin "$PIN" \
    --write-object "$5" --type "$4" --id "$3" --label "$2" >/dev/null 2>&1
}
der individu-rsa2048
der individu-p256
openssl x509 -in "$TEKEN_TEST_PKI/ca.crt" -outform DER -out "$base/p11/ca.crt.der"
softhsm2-util --init-token --free --label teken-test --so-pin 12345678 --pin "$PIN" >/dev/null
first=$(ls "$base/hsm/tokens")
softhsm2-util --init-token --free --label teken-rm --so-pin 12345678 --pin "$PIN" >/dev/null
rm_dir=
for d in $(ls "$base/hsm/tokens"); do [ "$d" = "$first" ] || rm_dir="$base/hsm/tokens/$d"; done
put teken-test rsakey 01 privkey "$base/p11/individu-rsa2048.key.der"
put teken-test rsakey 01 cert "$base/p11/individu-rsa2048.crt.der"
put teken-test eckey 02 privkey "$base/p11/individu-p256.key.der"
put teken-test eckey 02 cert "$base/p11/individu-p256.crt.der"
put teken-test ca 03 cert "$base/p11/ca.crt.der"
put teken-rm rsakey 01 privkey "$base/p11/individu-rsa2048.key.der"
put teken-rm rsakey 01 cert "$base/p11/individu-rsa2048.crt.der"

export TEKEN_TEST_SOFTHSM_MODULE="$module"
export TEKEN_TEST_TOKEN_PIN="$PIN"
export TEKEN_TEST_TOKEN_DIR="$base/hsm/tokens"
export TEKEN_TEST_RM_TOKEN_DIR="$rm_dir"   # the teken-rm token's directory
export TEKEN_TEST_SESSION_DIR="$base"

status=0
"$@" || status=$?
exit $status
