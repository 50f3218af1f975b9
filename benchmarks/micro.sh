#!/usr/bin/env bash
# Engine microbenchmarks (rust-core/benches/engine.rs, criterion) and their summary table.
#
#   bash benchmarks/micro.sh                                        # full run (~3 minutes)
#   bash benchmarks/micro.sh --warm-up-time 1 --measurement-time 2  # quick run
#
# Arguments go to criterion unchanged (a filter such as 'engine_rows' works too). Writes
# benchmarks/results/micro.md (CPU model, row shape, one table per criterion group) and prints it.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [[ -n "${CRITERION_HOME:-}" ]]; then
    criterion_dir="$CRITERION_HOME"
else
    target_dir="$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    criterion_dir="$target_dir/criterion"
fi
mkdir -p "$criterion_dir" benchmarks/results
shape="$criterion_dir/engine-shape.json"
rm -f "$shape"
started="$(date +%s)"

ENGINE_BENCH_SHAPE="$shape" cargo bench -p starrocks-flink-core --bench engine -- "$@"

CRITERION_DIR="$criterion_dir" SHAPE="$shape" STARTED="$started" ARGS="$*" \
    RUSTC_VERSION="$(rustc --version)" OUT="benchmarks/results/micro.md" python3 - <<'EOF'
import json
import os
import platform
import sys
import time

criterion = os.environ["CRITERION_DIR"]
started = int(os.environ["STARTED"])
out_path = os.environ["OUT"]
shape = json.load(open(os.environ["SHAPE"]))

BENCHES = [
    ("decode", "frame decode"),
    ("decode_csv", "decode + CSV encode"),
    ("decode_json", "decode + JSON encode"),
    ("write_csv", "decode + encode + buffer append (CSV)"),
    ("write_json", "decode + encode + buffer append (JSON)"),
    ("memcpy_frames", "memcpy of the frame bytes"),
    ("memcpy_csv", "memcpy of the CSV body"),
]


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load(group, bench):
    """(median ns per iteration, CI half-width in %, throughput dict) of this run, or None."""
    base = os.path.join(criterion, group, bench, "new")
    try:
        est_path = os.path.join(base, "estimates.json")
        if os.path.getmtime(est_path) < started:
            return None  # from an earlier run (filtered out of this one)
        est = json.load(open(est_path))
        meta = json.load(open(os.path.join(base, "benchmark.json")))
    except OSError:
        return None
    median = est["median"]
    ci = median["confidence_interval"]
    half = (ci["upper_bound"] - ci["lower_bound"]) / 2
    return median["point_estimate"], 100.0 * half / median["point_estimate"], meta["throughput"]


def fmt(x, digits=0):
    return f"{x:,.{digits}f}"


rows = shape["rows"]
frame_bytes = shape["frame_bytes"]
lines = []
add = lines.append
add("# Engine microbenchmarks")
add("")
add(f"CPU: {cpu_model()} ({os.cpu_count()} logical CPUs; every figure is one thread)  ")
add(f"Toolchain: {os.environ['RUSTC_VERSION']}, `cargo bench` (release profile)  ")
add(f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
    f"criterion arguments: `{os.environ['ARGS'] or '(defaults)'}`")
add("")
add(f"One iteration = one batch of {rows:,} rows of {len(shape['columns'])} columns: "
    f"{frame_bytes:,} frame bytes ({frame_bytes / rows:.0f}/row), "
    f"{shape['csv_bytes']:,} CSV bytes ({shape['csv_bytes'] / rows:.0f}/row), "
    f"{shape['json_bytes']:,} JSON bytes ({shape['json_bytes'] / rows:.0f}/row). Columns: "
    + ", ".join(shape["columns"]) + ".")
add("")
add("Times are criterion's median per iteration (`new/estimates.json`), ± the half-width of its "
    "95% confidence interval. MB = 10^6 bytes. 'frame MB/s': frame bytes consumed per second; "
    "'out MB/s': bytes produced (CSV/JSON body; the copy for memcpy). '× memcpy': time over the "
    "time of copying the frame bytes / the CSV body. Allocations (and reallocations) per row are "
    "counted in one untimed pass.")


def table(group, unit):
    results = {}
    for bench, _ in BENCHES:
        r = load(group, bench)
        if r is not None:
            results[bench] = r
    if not results:
        return False
    base_frames = results.get("memcpy_frames", (None,))[0]
    base_csv = results.get("memcpy_csv", (None,))[0]
    add("")
    if unit == "Elements":
        add(f"## `{group}`: `Throughput::Elements({rows})`")
    else:
        add(f"## `{group}`: `Throughput::Bytes` (frame bytes; CSV bytes for memcpy_csv)")
    add("")
    add("| bench | what | ns/row | ± | rows/s (1 core) | frame MB/s | out MB/s | criterion thrpt "
        "| × memcpy frames | × memcpy CSV | allocs/row | alloc B/row |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for bench, what in BENCHES:
        if bench not in results:
            add(f"| {bench} | {what} | (not run) | | | | | | | | | |")
            continue
        t_ns, ci, thrpt = results[bench]
        secs = t_ns / 1e9
        io = shape["benches"][bench]
        (kind, amount), = thrpt.items()
        if kind == "Elements":
            crit = f"{amount / secs / 1e6:,.2f} M rows/s"
        else:
            crit = f"{amount / secs / 1e6:,.0f} MB/s"
        out = f"{io['out'] / secs / 1e6:,.0f}" if io["out"] else "–"
        vs_frames = f"{t_ns / base_frames:,.1f}" if base_frames else "–"
        vs_csv = f"{t_ns / base_csv:,.1f}" if base_csv else "–"
        alloc = shape["allocations"].get(bench, {})
        add(f"| {bench} | {what} | {t_ns / rows:,.1f} | {ci:.1f}% | {fmt(rows / secs)} "
            f"| {frame_bytes / secs / 1e6:,.0f} | {out} | {crit} | {vs_frames} | {vs_csv} "
            f"| {alloc.get('allocs_per_row', 0):.3f} | {alloc.get('alloc_bytes_per_row', 0):,.0f} |")
    return True


found = table("engine_rows", "Elements")
found = table("engine_bytes", "Bytes") or found
if not found:
    sys.exit(f"no criterion results of this run under {criterion}/engine_*")

# Both groups run the same code one after the other: where they disagree, the machine was noisy.
pairs = [(b, load("engine_rows", b), load("engine_bytes", b)) for b, _ in BENCHES]
pairs = [(b, r[0], y[0]) for b, r, y in pairs if r is not None and y is not None]
if pairs:
    add("")
    add("## Run-to-run noise: the same code in both groups")
    add("")
    add("| bench | ns/row in engine_rows | ns/row in engine_bytes | difference |")
    add("|---|---:|---:|---:|")
    for bench, a, b in pairs:
        add(f"| {bench} | {a / rows:,.1f} | {b / rows:,.1f} | {100.0 * (a - b) / min(a, b):+.1f}% |")
    worst = max(abs(a - b) / min(a, b) for _, a, b in pairs)
    if worst > 0.05:
        add("")
        add(f"The groups disagree by up to {100 * worst:.0f}%: differences below that are noise "
            "on this machine; run again (or compare medians of several runs) before trusting them.")
text = "\n".join(lines) + "\n"
open(out_path, "w").write(text)
print()
print(text, end="")
print(f"(written to {out_path})")
EOF
