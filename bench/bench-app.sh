#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-app.sh [BUILDDIR]: how fast the app `teken` shows the first page of a document, and how much
# memory it needs, side by side with `pdftoppm -f 1 -l 1` (render page 1 to PNG and exit) in the same
# run; evince and okular are timed too when they are installed (they are not installed for this).
#
#  - first page: wall time from just before the process starts until the app prints
#    "teken-bench: first-page-drawn <µs>" (TEKEN_BENCH_FIRST_PAGE=quit: the first page texture was on
#    screen, then the app quits). pdftoppm: start to exit.
#  - peak RSS: /usr/bin/time -f %M of one such run.
#  - scrolling: TEKEN_BENCH_SCROLL=1 pages through the whole 1000-page document (one page per 20 ms)
#    and quits; peak RSS and the render cache's peak are reported (the cache is capped by bytes).
#
# Inputs: the corpus letter (2 pages) and bench/out/register-1000.pdf (the 200-page corpus register
# five times, made by qpdf). Runs under its own Xvfb (xvfb-run), GSK_RENDERER=cairo.
# Environment: RUNS (default 10).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(realpath -m "${1:-$root/_build}")
out=$here/out
runs=${RUNS:-10}

if [ -z "${BENCH_APP_IN_XVFB:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$root" -Dapp=true
  fi
  ninja -C "$build" src/app/teken data/gschemas.compiled >/dev/null
  mkdir -p "$out"
  exec env BENCH_APP_IN_XVFB=1 xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$@"
fi

app=$build/src/app/teken
corpus=$root/tests/corpus
big=$out/register-1000.pdf
reg=$corpus/register-200-halaman.pdf
[ -f "$big" ] || qpdf --empty --pages "$reg" "$reg" "$reg" "$reg" "$reg" -- "$big"

export GSETTINGS_SCHEMA_DIR=$build/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GTK_A11Y=none
export TEKEN_LOCALEDIR=$build/po/locale NO_AT_BRIDGE=1
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_CACHE_HOME=$home/cache
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$out/app-$stamp.md

now_us () { echo $(( $(date +%s%N) / 1000 )); }

median () { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Milliseconds from start until teken reports its first page.
teken_first_page () {
  local start line
  start=$(now_us)
  line=$(TEKEN_BENCH_FIRST_PAGE=quit "$app" "$1" 2>/dev/null | grep -m1 'teken-bench: first-page-drawn' || true)
  [ -n "$line" ] || { echo "bench-app: teken did not report a first page for $1" >&2; exit 1; }
  echo "scale=1; (${line##* } - $start) / 1000" | bc
}

cmd_ms () {
  local start end
  start=$(now_us)
  "$@" >/dev/null 2>&1
  end=$(now_us)
  echo "scale=1; ($end - $start) / 1000" | bc
}

rss_kib () { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

{
  echo "# App: time to first page and memory ($stamp)"
  echo
  echo "Runs: $runs per cell (median). Xvfb, GSK_RENDERER=cairo. $(nproc) CPUs."
  echo
  echo "| input | tool | first page, ms (median) | peak RSS, MiB |"
  echo "|---|---|---|---|"
} > "$report"

for input in "$corpus/naskah-dinas-libreoffice.pdf" "$big"; do
  name=$(basename "$input")
  TEKEN_BENCH_FIRST_PAGE=quit "$app" "$input" >/dev/null 2>&1 || true   # warm-up
  t=$(for _ in $(seq "$runs"); do teken_first_page "$input"; done | median)
  r=$(rss_kib env TEKEN_BENCH_FIRST_PAGE=quit "$app" "$input")
  echo "| $name | teken (first page on screen) | $t | $(( r / 1024 )) |" >> "$report"

  tmp=$home/page
  t=$(for _ in $(seq "$runs"); do cmd_ms pdftoppm -png -r 96 -f 1 -l 1 "$input" "$tmp"; done | median)
  r=$(rss_kib pdftoppm -png -r 96 -f 1 -l 1 "$input" "$tmp")
  echo "| $name | pdftoppm -f 1 -l 1 (render + exit) | $t | $(( r / 1024 )) |" >> "$report"

  for peer in evince okular; do
    if command -v "$peer" >/dev/null; then
      echo "| $name | $peer | (installed, not automated: no first-page signal) | |" >> "$report"
    fi
  done
done

scroll_log=$home/scroll.txt
r=$( { /usr/bin/time -f %M env TEKEN_BENCH_SCROLL=1 "$app" "$big" > "$scroll_log"; } 2>&1 | tail -1)
{
  echo
  echo "Scrolling through all 1000 pages of register-1000.pdf (one page per 20 ms): peak RSS $(( r / 1024 )) MiB;"
  echo "$(grep 'teken-bench: scrolled' "$scroll_log" | sed 's/^teken-bench: //')."
  for peer in evince okular; do
    command -v "$peer" >/dev/null || echo "$peer: not installed (not installed for this bench)."
  done
} >> "$report"

cat "$report"
