#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench-verify.sh [BUILDDIR]: times `teken-cli verify` side by side with pdfsig (verify),
# mutool sign -v and openssl dgst -sha256 on the same signed files: the corpus letter, the 200-page
# corpus file and the generated ~100 MB PDF, each signed once by `teken-cli sign`.
# Prints medians, ratios (teken / peer) and peak RSS. See bench/README.md.
#
# Environment: RUNS (default 20), RUNS_BIG (default 5), WARMUP (default 3), INPUTS (default "letter 200p big"),
# VERIFY_ARGS (arguments for teken-cli verify before the file; default: --trust <test root>),
# TEKEN_CLI (another teken-cli).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(realpath -m "${1:-$root/_build}")
out=$here/out
runs=${RUNS:-20}
runs_big=${RUNS_BIG:-5}
warmup=${WARMUP:-3}
inputs=${INPUTS:-letter 200p big}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dapp=false
fi
cli=${TEKEN_CLI:-$build/src/cli/teken-cli}
targets=(tests/common/test-pki.stamp tests/common/make-big-pdf)
[ -z "${TEKEN_CLI:-}" ] && targets+=(src/cli/teken-cli)
ninja -C "$build" "${targets[@]}" >/dev/null

pki=$build/tests/common/pki
# Trust the test root (the files are signed by the test PKI); VERIFY_ARGS replaces this.
if [ -n "${VERIFY_ARGS+set}" ]; then
  read -r -a verify_args <<< "$VERIFY_ARGS"
else
  verify_args=(--trust "$pki/root.crt")
fi
for cmd in sign verify; do
  if ! "$cli" "$cmd" --help >/dev/null 2>&1; then
    echo "bench-verify: $cli has no $cmd command yet" >&2
    exit 1
  fi
done

mkdir -p "$out"
run_dir=$out/verify-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$run_dir"

input_path () {
  case $1 in
    letter) echo "$root/tests/corpus/naskah-dinas-libreoffice.pdf" ;;
    200p)   echo "$root/tests/corpus/register-200-halaman.pdf" ;;
    big)    echo "$out/big.pdf" ;;
  esac
}
if [[ " $inputs " == *" big "* ]] && [ ! -f "$out/big.pdf" ]; then
  "$build/tests/common/make-big-pdf" "$out/big.pdf" 10 10
fi

peak_rss () {
  local f
  f=$(mktemp)
  /usr/bin/time -f %M -o "$f" "$@" >/dev/null 2>&1 || true
  tail -n1 "$f"
  rm -f "$f"
}

for name in $inputs; do
  signed=$run_dir/$name-signed.pdf
  "$cli" sign --p12 "$pki/individu-rsa2048.p12" --passphrase-file "$pki/passphrase.txt" \
    -o "$signed" "$(input_path "$name")"
  if ! pdfsig -nssdir "sql:$pki/nssdb" "$signed" 2>/dev/null | grep -q 'Signature is Valid'; then
    echo "bench-verify: $signed is not valid per pdfsig" >&2
    exit 1
  fi
  n=$runs
  [ "$name" = big ] && n=$runs_big

  teken_cmd=("$cli" verify "${verify_args[@]}" "$signed")
  pdfsig_cmd=(pdfsig -nssdir "sql:$pki/nssdb" "$signed")
  mutool_cmd=(mutool sign -v "$signed")
  dgst_cmd=(openssl dgst -sha256 "$signed")

  echo "bench-verify: $name ($(stat -c %s "$signed") bytes), $n runs each"
  hyperfine -N -i --warmup "$warmup" --runs "$n" --export-json "$run_dir/$name.json" --style basic \
    -n "teken-cli verify" "$(printf '%q ' "${teken_cmd[@]}")" \
    -n "pdfsig (verify)" "$(printf '%q ' "${pdfsig_cmd[@]}")" \
    -n "mutool sign -v" "$(printf '%q ' "${mutool_cmd[@]}")" \
    -n "openssl dgst -sha256" "$(printf '%q ' "${dgst_cmd[@]}")" >"$run_dir/$name.hyperfine.txt"
  {
    echo "input_bytes $(stat -c %s "$signed")"
    echo "rss teken-cli verify $(peak_rss "${teken_cmd[@]}")"
    echo "rss pdfsig (verify) $(peak_rss "${pdfsig_cmd[@]}")"
    echo "rss mutool sign -v $(peak_rss "${mutool_cmd[@]}")"
    echo "rss openssl dgst -sha256 $(peak_rss "${dgst_cmd[@]}")"
  } > "$run_dir/$name.extra"
  # What each verifier concluded, for the record (exit statuses are in the JSON).
  {
    echo "== teken-cli verify"; "${teken_cmd[@]}" 2>&1 || true
    echo "== pdfsig"; "${pdfsig_cmd[@]}" 2>&1 || true
    echo "== mutool sign -v"; "${mutool_cmd[@]}" 2>&1 || true
  } > "$run_dir/$name.verdicts.txt"
done

python3 "$here/report.py" verify "$run_dir" $inputs | tee "$run_dir/report.md"
echo "bench-verify: raw data in $run_dir"
