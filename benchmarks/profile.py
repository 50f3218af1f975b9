#!/usr/bin/env python3
"""Sorts the perf samples of benchmark runs (run.py --perf) into categories and prints, per run,
the CPU microseconds per row each category takes. Stdlib only; needs perf.

Usage: python3 benchmarks/profile.py <results dir>"""

import glob
import json
import os
import re
import subprocess
import sys

FREQUENCY = 499  # run.py records with perf record -F 499

# (category, dso pattern, symbol pattern): the first that matches wins.
ENGINE = r"libstarrocks_flink"
CATEGORIES = [
    ("Rust: row-frame decode", ENGINE, r"encode::frame"),
    ("Rust: CSV / JSON encode", ENGINE, r"starrocks_flink::encode|itoa|ryu|core::fmt"),
    ("Rust: compression", ENGINE, r"lz4|zstd|flate|miniz|crc32"),
    ("Rust: buffers and writer", ENGINE, r"starrocks_flink::(buffer|writer)"),
    ("Rust: HTTP and loads", ENGINE, r"starrocks_flink::load"),
    ("Rust: tokio, locks, threads", ENGINE, r"tokio|parking_lot|std::sync|std::thread"),
    ("JNI boundary", r".", r"(?i)jni_|JNIEnv|Java_com_starrocks|jni::"),
    ("Rust: other engine code", ENGINE, r"."),
    ("Java: the connector", r"\[JIT\]", r"com\.starrocks"),
    ("memcpy / memset", r".", r"mem(move|cpy|set)"),
    ("JVM: GC", r"libjvm", r"G1|GC|Gc|Heap|Mark|Evac|Card|Barrier|Oop|Region"),
    ("JVM: JIT compiler", r"libjvm", r"Compile|C2|C1|Phase|Node|Parse|Matcher|Chaitin|LinearScan|Type|IdealLoop|Block"),
    ("kernel (syscalls, network, page faults)", r"\[kernel", r"."),
    ("JVM: other (class loading, interpreter, libz, libc)", r"^(?!\[JIT\])", r"."),
    ("Flink and the job's SQL (JIT-compiled Java)", r".", r"."),
]
CATEGORIES = [(name, re.compile(dso), re.compile(sym)) for name, dso, sym in CATEGORIES]


def samples(data):
    """[(samples, dso, symbol)] of one perf.data file."""
    out = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "--sort", "dso,sym", "-F", "sample,dso,sym", "--stdio",
         "-g", "none", "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*(\d+)\s+(.*?)\s+\[(?:\.|k)\]\s+(.*)$", line)
        if m:
            rows.append((int(m.group(1)), m.group(2).strip(), m.group(3).strip()))
    return rows


def categorize(rows):
    totals = {name: 0 for name, _, _ in CATEGORIES}
    top = {name: {} for name, _, _ in CATEGORIES}
    for n, dso, sym in rows:
        for name, dso_pattern, sym_pattern in CATEGORIES:
            if dso_pattern.search(dso) and sym_pattern.search(sym):
                totals[name] += n
                top[name][sym] = top[name].get(sym, 0) + n
                break
    return totals, top


def main(out):
    with open(os.path.join(out, "runs.jsonl")) as f:
        runs = [json.loads(l) for l in f if l.strip()]
    rows_of = {}
    for r in runs:
        rows_of[("perf-%s-%s.data" % (r["scenario"].replace(" ", "_"), r["connector"]))] = r["rows"]
    results = {}
    for data in sorted(glob.glob(os.path.join(out, "perf-*.data"))):
        name = os.path.basename(data)
        totals, top = categorize(samples(data))
        results[name] = (totals, top, rows_of.get(name))
    print("# Where the CPU goes (perf, %d Hz; whole JVM: start-up and planning included)" % FREQUENCY)
    print()
    names = list(results)
    print("| category | " + " | ".join(n[len("perf-"):-len(".data")].replace("_", " ") for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for cat, _, _ in CATEGORIES:
        cells = []
        for n in names:
            totals, _, rows = results[n]
            seconds = totals[cat] / FREQUENCY
            cells.append("%.2f s (%.2f µs/row)" % (seconds, seconds / rows * 1e6) if rows else "%.2f s" % seconds)
        print("| %s | %s |" % (cat, " | ".join(cells)))
    print()
    for n in names:
        if "-ours" not in n:
            continue
        _, top, _ = results[n]
        print("Top symbols of %s (samples):" % n)
        print()
        flat = sorted(((c, cat, sym) for cat in top for sym, c in top[cat].items()), reverse=True)[:25]
        for c, cat, sym in flat:
            print("- %d  %s  [%s]" % (c, sym[:110], cat))
        print()


if __name__ == "__main__":
    main(sys.argv[1])
