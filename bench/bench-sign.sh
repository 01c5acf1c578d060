#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-sign.sh [BUILDDIR]: times `teken-cli sign` side by side with its peers in one run
# (pdfsig -add-signature, mutool sign, openssl dgst -sha256 of the same file) on the corpus letter,
# the 200-page corpus file and a generated ~100 MB PDF; prints medians, ratios (teken / peer) and
# peak RSS, and checks every output with pdfsig. See bench/README.md.
#
# Environment: RUNS (default 20) and RUNS_BIG (default 5) timed runs per command, WARMUP (default 3), KEY (default
# individu-rsa2048; any signer of the test PKI), INPUTS (default "letter 200p big").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(realpath -m "${1:-$root/_build}")
out=$here/out
runs=${RUNS:-20}
runs_big=${RUNS_BIG:-5}
warmup=${WARMUP:-3}
key=${KEY:-individu-rsa2048}
inputs=${INPUTS:-letter 200p big}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dapp=false
fi
# TEKEN_CLI=PATH benchmarks another teken-cli build.
cli=${TEKEN_CLI:-$build/src/cli/teken-cli}
targets=(tests/common/test-pki.stamp tests/common/make-big-pdf)
[ -z "${TEKEN_CLI:-}" ] && targets+=(src/cli/teken-cli)
ninja -C "$build" "${targets[@]}" >/dev/null
pki=$build/tests/common/pki
pass=$(head -n1 "$pki/passphrase.txt")
if ! "$cli" sign --help >/dev/null 2>&1; then
  echo "bench-sign: $cli has no sign command yet" >&2
  exit 1
fi

mkdir -p "$out"
run_dir=$out/sign-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$run_dir"

# Inputs: the corpus files as they are; the 100 MB file generated reproducibly (same bytes every time).
# mutool needs an existing empty signature field: the corpus has one for the letter; the others get
# a copy with one (add-sig-field.py).
input_path () {
  case $1 in
    letter) echo "$root/tests/corpus/naskah-dinas-libreoffice.pdf" ;;
    200p)   echo "$root/tests/corpus/register-200-halaman.pdf" ;;
    big)    echo "$out/big.pdf" ;;
  esac
}
field_path () {
  case $1 in
    letter) echo "$root/tests/corpus/naskah-dinas-empty-sigfield.pdf" ;;
    *)      echo "$out/$1-field.pdf" ;;
  esac
}
if [[ " $inputs " == *" big "* ]] && [ ! -f "$out/big.pdf" ]; then
  echo "bench-sign: generating $out/big.pdf (10 pages x 10 MiB of random image data)"
  "$build/tests/common/make-big-pdf" "$out/big.pdf" 10 10
fi
for name in $inputs; do
  f=$(field_path "$name")
  if [ ! -f "$f" ]; then
    python3 "$here/add-sig-field.py" "$(input_path "$name")" "$f"
  fi
done

nssdb=sql:$pki/nssdb
peak_rss () { # prints peak RSS in KiB of one run of the command
  local f
  f=$(mktemp)
  /usr/bin/time -f %M -o "$f" "$@" >/dev/null 2>&1 || true
  tail -n1 "$f"
  rm -f "$f"
}

for name in $inputs; do
  in=$(input_path "$name")
  field=$(field_path "$name")
  n=$runs
  [ "$name" = big ] && n=$runs_big
  t_out=$run_dir/$name-teken.pdf
  p_out=$run_dir/$name-pdfsig.pdf
  m_out=$run_dir/$name-mutool.pdf

  teken_cmd=("$cli" sign --p12 "$pki/$key.p12" --passphrase-file "$pki/passphrase.txt" -o "$t_out" "$in")
  pdfsig_cmd=(pdfsig -nssdir "sql:$pki/nss-signer" -add-signature -nick individu-rsa2048 "$in" "$p_out")
  mutool_cmd=(mutool sign -s "$pki/$key.p12" -P "$pass" -o "$m_out" "$field")
  dgst_cmd=(openssl dgst -sha256 "$in")

  echo "bench-sign: $name ($(stat -c %s "$in") bytes), $n runs each"
  hyperfine -N -i --warmup "$warmup" --runs "$n" --export-json "$run_dir/$name.json" --style basic \
    --prepare "$here/check-output.sh $nssdb $run_dir/$name-teken.tally $t_out" \
    -n "teken-cli sign" "$(printf '%q ' "${teken_cmd[@]}")" \
    --prepare "$here/check-output.sh $nssdb $run_dir/$name-pdfsig.tally $p_out" \
    -n "pdfsig -add-signature" "$(printf '%q ' "${pdfsig_cmd[@]}")" \
    --prepare "$here/check-output.sh $nssdb $run_dir/$name-mutool.tally $m_out" \
    -n "mutool sign (existing field)" "$(printf '%q ' "${mutool_cmd[@]}")" \
    --prepare "true" \
    -n "openssl dgst -sha256" "$(printf '%q ' "${dgst_cmd[@]}")" >"$run_dir/$name.hyperfine.txt"

  # The last output of each signer (no prepare hook after the last run), then size and peak RSS.
  "$here/check-output.sh" "$nssdb" "$run_dir/$name-teken.tally" "$t_out"
  "$here/check-output.sh" "$nssdb" "$run_dir/$name-pdfsig.tally" "$p_out"
  "$here/check-output.sh" "$nssdb" "$run_dir/$name-mutool.tally" "$m_out"
  {
    echo "input_bytes $(stat -c %s "$in")"
    echo "rss teken-cli sign $(peak_rss "${teken_cmd[@]}")"
    echo "size teken-cli sign $(stat -c %s "$t_out" 2>/dev/null || echo 0)"
    echo "rss pdfsig -add-signature $(rm -f "$p_out"; peak_rss "${pdfsig_cmd[@]}")"
    echo "size pdfsig -add-signature $(stat -c %s "$p_out" 2>/dev/null || echo 0)"
    echo "rss mutool sign (existing field) $(rm -f "$m_out"; peak_rss "${mutool_cmd[@]}")"
    echo "size mutool sign (existing field) $(stat -c %s "$m_out" 2>/dev/null || echo 0)"
    echo "rss openssl dgst -sha256 $(peak_rss "${dgst_cmd[@]}")"
  } > "$run_dir/$name.extra"
  "$here/check-output.sh" "$nssdb" "$run_dir/$name-teken.tally" "$t_out"
  rm -f "$p_out" "$m_out"
done

python3 "$here/report.py" sign "$run_dir" $inputs | tee "$run_dir/report.md"
echo "bench-sign: raw data in $run_dir"
