#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up, builds into _build and starts Teken with the sample letter.
set -euo pipefail
cd "$(dirname "$0")/.."

sample=tests/corpus/naskah-dinas-libreoffice.pdf

bash tools/setup.sh
if [ ! -f _build/build.ninja ]; then
  meson setup _build
fi
ninja -C _build

# Starts the GTK app (uninstalled) with the sample letter signed by the build's throw-away test
# identity; that identity's test root is trusted only inside _build/start-data (never the user's
# own trust store). Falls back to the unsigned letter when signing is not available.
start_app () {
  local app=_build/src/app/teken
  local cli=_build/src/cli/teken-cli
  local pki=_build/tests/common/pki
  local data=$PWD/_build/start-data
  local doc=$sample

  if [ ! -x "$app" ]; then
    echo "start: the GTK app was not built (meson configured with -Dapp=false?)" >&2
    exit 1
  fi
  ninja -C _build tests/common/test-pki.stamp data/gschemas.compiled >/dev/null 2>&1 || true
  # A newcomer with a keyring but no identity yet: the welcome page offers “Try With a Demo
  # Certificate” (DEMO CA + identity in the keyring, the sample letter copied to Documents, then
  # Sign), so they can sign the sample letter themselves and see it verified.
  if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${TEKEN_START_TEST_IDENTITY:-}" ] &&
     ids=$("$cli" certs list --json 2>/dev/null) && ! printf '%s' "$ids" | grep -q '"id"'; then
    echo "start: no signing identity yet: choose “Try With a Demo Certificate”, then “Sign”" \
         "(the demo CA is never trusted as BSrE; set TEKEN_START_TEST_IDENTITY=1 for the pre-signed test letter)"
    GSETTINGS_SCHEMA_DIR=$PWD/_build/data TEKEN_LOCALEDIR=$PWD/_build/po/locale exec "$app"
  fi
  if "$cli" sign --help >/dev/null 2>&1 && [ -f "$pki/.complete" ]; then
    doc=_build/contoh-surat-ditandatangani.pdf
    rm -f "$doc"
    if "$cli" sign --p12 "$pki/individu-rsa2048.p12" --passphrase-file "$pki/passphrase.txt" \
         --page 1 --rect 380,70,170,60 --reason "Contoh tanda tangan" --location "Contoh Raya" \
         -o "$doc" "$sample"; then
      mkdir -p "$data/teken/trust"
      cp "$pki/root.crt" "$data/teken/trust/$(openssl x509 -in "$pki/root.crt" -outform DER | sha256sum | cut -c1-64).pem"
      export XDG_DATA_HOME=$data
      echo "start: signed with the TEST identity (not a real certificate); its test root is trusted only in $data"
    else
      doc=$sample
    fi
  fi
  GSETTINGS_SCHEMA_DIR=$PWD/_build/data TEKEN_LOCALEDIR=$PWD/_build/po/locale exec "$app" "$doc"
}

start_app
