#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-output.sh NSSDB TALLY OUT: hyperfine --prepare hook. When OUT exists (left by the previous
# run), appends "good" or "bad" to TALLY depending on whether pdfsig finds its newest signature
# valid, then removes OUT so the next run starts clean (mutool is 10x slower when OUT exists).
set -u
nssdb=$1 tally=$2 out=$3
if [ -f "$out" ]; then
  if pdfsig -nssdir "$nssdb" "$out" 2>/dev/null | grep 'Signature Validation:' | tail -1 | grep -q 'Signature is Valid'; then
    echo good >> "$tally"
  else
    echo bad >> "$tally"
    cp "$out" "$tally.bad-$(date +%s%N).pdf"
  fi
  rm -f "$out"
fi
exit 0
