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

# Starts the GTK app; until it exists, demonstrates teken-cli on the sample letter instead.
start_app () {
  if [ -x _build/src/app/teken ]; then
    exec _build/src/app/teken "$sample"
  fi

  local cli=_build/src/cli/teken-cli
  local pki=_build/tests/common/pki
  local out=_build/sample-signed.pdf

  echo "start: the GTK app is not built yet; running teken-cli on $sample instead"
  "$cli" --help
  if "$cli" sign --help >/dev/null 2>&1 && [ -f "$pki/.complete" ]; then
    # A throw-away test identity (generated at build time, never for real documents).
    rm -f "$out"
    "$cli" sign --p12 "$pki/individu-rsa2048.p12" --passphrase-file "$pki/passphrase.txt" \
      --reason "Contoh tanda tangan" -o "$out" "$sample"
    echo "start: signed $sample -> $out"
    pdfsig -nssdir "sql:$pki/nssdb" "$out" 2>/dev/null || true
  fi
}

start_app
