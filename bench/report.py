#!/usr/bin/env python3
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""report.py sign|verify RUN_DIR INPUT...

Turns the files written by bench-sign.sh / bench-verify.sh (hyperfine JSON, *.tally, *.extra) into a
Markdown table of medians, ratios (teken / peer, measured in the same run) and peak RSS, and checks
issue 2's targets. Standard library only.
"""
import json
import os
import statistics
import sys

MIB = 1024 * 1024


def read_extra(path):
    rss, size, input_bytes = {}, {}, None
    if not os.path.exists(path):
        return rss, size, input_bytes
    for line in open(path):
        kind, _, rest = line.strip().partition(" ")
        name, _, value = rest.rpartition(" ")
        if kind == "input_bytes":
            input_bytes = int(rest)
        elif kind == "rss" and value.isdigit():
            rss[name] = int(value) / 1024.0
        elif kind == "size" and value.isdigit():
            size[name] = int(value)
    return rss, size, input_bytes


def tally(run_dir, name, label):
    path = os.path.join(run_dir, "%s-%s.tally" % (name, label))
    if not label:
        return None
    if not os.path.exists(path):
        return 0, 0
    lines = [l.strip() for l in open(path) if l.strip()]
    return lines.count("good"), len(lines)


# Signers whose outputs check-output.sh tallied (bench-sign.sh); verifiers produce no output.
TALLY_LABEL = {"teken-cli sign": "teken", "pdfsig -add-signature": "pdfsig",
               "mutool sign (existing field)": "mutool"}


def main():
    mode, run_dir, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    medians = {}
    rows = []
    growth = {}
    teken_rss = {}
    for name in inputs:
        data = json.load(open(os.path.join(run_dir, name + ".json")))
        rss, size, input_bytes = read_extra(os.path.join(run_dir, name + ".extra"))
        for r in data["results"]:
            cmd = r["command"]
            times = [t * 1000 for t in r["times"]]
            med = statistics.median(times)
            medians[(name, cmd)] = med
            codes = r.get("exit_codes") or []
            failed = sum(1 for c in codes if c != 0)
            t = tally(run_dir, name, TALLY_LABEL.get(cmd, ""))
            valid = "-" if t is None else "%d/%d" % t
            out_size = size.get(cmd)
            rows.append("| %s | %s | %.1f | %.1f ± %.1f | %.1f–%.1f | %s | %s | %d | %s | %d |" % (
                name, cmd, med, statistics.mean(times), statistics.stdev(times) if len(times) > 1 else 0.0,
                min(times), max(times), "%.1f" % rss[cmd] if cmd in rss else "-", valid, failed,
                "{:,}".format(out_size) if out_size else "-", len(times)))
            if cmd == "teken-cli sign" and out_size and input_bytes:
                growth[name] = out_size - input_bytes
            if cmd.startswith("teken-cli") and cmd in rss:
                teken_rss[name] = rss[cmd]

    print("## %s: medians (ms), peak RSS (MiB)\n" % ("Signing" if mode == "sign" else "Verifying"))
    print("| input | command | median ms | mean ± σ ms | min–max ms | peak RSS MiB | outputs valid (pdfsig) "
          "| failed runs | output bytes | runs |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for row in rows:
        print(row)

    teken = "teken-cli sign" if mode == "sign" else "teken-cli verify"
    peers = [c for (n, c) in medians if c != teken]
    peers = list(dict.fromkeys(peers))
    print("\n## Ratios (teken median ÷ peer median, same run)\n")
    print("| input | " + " | ".join("÷ " + p for p in peers) + " |")
    print("|---|" + "---:|" * len(peers))
    for name in inputs:
        t = medians.get((name, teken))
        cells = []
        for p in peers:
            m = medians.get((name, p))
            cells.append("%.2f" % (t / m) if t and m else "-")
        print("| %s | %s |" % (name, " | ".join(cells)))

    if mode == "sign":
        print("\n## Issue 2 targets\n")
        checks = []
        if ("letter", teken) in medians and ("letter", "pdfsig -add-signature") in medians:
            r = medians[("letter", teken)] / medians[("letter", "pdfsig -add-signature")]
            checks.append(("1-page letter: teken ≤ 0.3× pdfsig -add-signature", "%.2f×" % r, r <= 0.3))
        if ("big", teken) in medians and ("big", "openssl dgst -sha256") in medians:
            r = medians[("big", teken)] / medians[("big", "openssl dgst -sha256")]
            checks.append(("~100 MB: teken ≤ 1.5× openssl dgst -sha256", "%.2f×" % r, r <= 1.5))
        if "big" in teken_rss:
            checks.append(("~100 MB: teken peak RSS ≤ 32 MiB", "%.1f MiB" % teken_rss["big"],
                           teken_rss["big"] <= 32))
        for name in inputs:
            if name in growth:
                checks.append(("invisible signature on %s adds ≤ 40 KB" % name, "{:,} bytes".format(growth[name]),
                               growth[name] <= 40000))
        print("| target | measured | met |")
        print("|---|---:|---|")
        for what, value, ok in checks:
            print("| %s | %s | %s |" % (what, value, "yes" if ok else "NO"))


if __name__ == "__main__":
    main()
