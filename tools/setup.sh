#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs every Debian 12 package Teken needs to build, run, test and benchmark.
# Idempotent: does nothing when all of them are installed. Uses sudo only when not root.
set -euo pipefail

packages=(
  # build
  gcc libc6-dev meson ninja-build pkg-config gettext
  libgtk-4-dev libadwaita-1-dev libpoppler-glib-dev libsecret-1-dev libssl-dev libp11-kit-dev libp11-dev
  libsoup-3.0-dev glib-networking libqrencode-dev libjson-glib-dev zlib1g-dev libcairo2-dev libpng-dev
  # keyring, tokens
  libsecret-tools gnome-keyring softhsm2 p11-kit libengine-pkcs11-openssl opensc gnutls-bin
  # headless GUI tests
  dbus dbus-x11 xvfb xauth x11-apps imagemagick
  # independent checkers, peers and benchmarks
  poppler-utils qpdf mupdf-tools libnss3-tools hyperfine time python3-aiosmtpd
  # data validation
  appstream desktop-file-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages are installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
