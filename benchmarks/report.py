#!/usr/bin/env python3
"""Turns a benchmark's runs.jsonl and meta.json into results.md (tables, goals) and plot.svg.
Stdlib only. Usage: python3 benchmarks/report.py <results dir>"""

import json
import os
import statistics
import subprocess
import sys

GOAL_RATIO = 4.0
GOAL_CPU_US_PER_ROW = 1.0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def java_version():
    out = subprocess.run(["java", "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return out.stdout.decode().splitlines()[0]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def load(out):
    with open(os.path.join(out, "runs.jsonl")) as f:
        runs = [json.loads(l) for l in f if l.strip()]
    with open(os.path.join(out, "meta.json")) as f:
        meta = json.load(f)
    return runs, meta


def baseline_of(runs, run):
    """The blackhole run of the same round: the scenario's own for memory/checkpoint runs."""
    for r in runs:
        if r["round"] != run["round"] or r["connector"] != "blackhole":
            continue
        if run["kind"] == "throughput" and r["kind"] == "baseline" and r["parallelism"] == run["parallelism"]:
            return r
        if run["kind"] != "throughput" and r["scenario"] == run["scenario"]:
            return r
    raise ValueError("no blackhole run for %s round %d" % (run["scenario"], run["round"]))


def summarize(runs):
    """{scenario: {connector: summary}} in plan order, shares taken against the same round's blackhole."""
    out = {}
    for run in runs:
        if run["connector"] == "blackhole":
            continue
        base = baseline_of(runs, run)
        entry = out.setdefault(run["scenario"], {"kind": run["kind"], "rows": run["rows"]}).setdefault(
            run["connector"], {"runs": []})
        entry["runs"].append({
            "share_wall": run["wall_s"] - base["wall_s"],
            "share_cpu": run["cpu_s"] - base["cpu_s"],
            "wall": run["wall_s"], "cpu": run["cpu_s"], "rss": run["rss_peak_bytes"], "heap": run["heap_peak_bytes"],
            "gc": run["gc_s"], "checkpoints": run["checkpoint_ms"], "emulator_cpu": run.get("emulator_cpu_s"),
            "bytes": run.get("bytes_received"), "base_rss": base["rss_peak_bytes"], "base_heap": base["heap_peak_bytes"],
            "base_wall": base["wall_s"], "base_cpu": base["cpu_s"],
        })
    for scenario in out.values():
        for conn, entry in scenario.items():
            if conn in ("kind", "rows"):
                continue
            rs = entry["runs"]
            for key in ("share_wall", "share_cpu", "wall", "cpu", "rss", "heap", "gc", "emulator_cpu", "bytes",
                        "base_rss", "base_heap", "base_wall", "base_cpu"):
                entry[key] = median([r[key] for r in rs])
            entry["cpu_us_per_row"] = entry["share_cpu"] / scenario["rows"] * 1e6
            entry["checkpoint_ms"] = median([c for r in rs for c in r["checkpoints"]])
            entry["checkpoint_max_ms"] = max([c for r in rs for c in r["checkpoints"]], default=None)
            entry["checkpoints"] = median([len(r["checkpoints"]) for r in rs])
    return out


def ratio(released, ours):
    if ours is None or released is None or ours <= 0:
        return None
    return released / ours


def fmt(v, spec="%.2f"):
    return "n/a" if v is None else spec % v


def mb(v):
    return "n/a" if v is None else "%d" % (v / (1 << 20))


def tables(summary, meta):
    lines = []
    lines.append("Sink's share = the run minus the blackhole run of the same round (median of %d rounds). "
                 "Ratio = released / ours (higher is better for ours)." % meta["args"]["rounds"])
    lines.append("")
    lines.append("| scenario | sink wall s, ours / released | ratio | sink CPU s, ours / released | ratio "
                 "| CPU µs/row, ours / released | job rows/s, ours / released |")
    lines.append("|---|---|---|---|---|---|---|")
    for name, s in summary.items():
        if s["kind"] != "throughput":
            continue
        o, r = s["ours"], s["released"]
        lines.append("| %s | %s / %s | %sx | %s / %s | %sx | %s / %s | %s / %s |" % (
            name, fmt(o["share_wall"]), fmt(r["share_wall"]), fmt(ratio(r["share_wall"], o["share_wall"]), "%.1f"),
            fmt(o["share_cpu"]), fmt(r["share_cpu"]), fmt(ratio(r["share_cpu"], o["share_cpu"]), "%.1f"),
            fmt(o["cpu_us_per_row"]), fmt(r["cpu_us_per_row"]),
            fmt(s["rows"] / o["wall"], "%.0f"), fmt(s["rows"] / r["wall"], "%.0f")))
    lines.append("")
    lines.append("| scenario | peak RSS MB, ours / released / blackhole | peak heap used MB, ours / released / blackhole "
                 "| GC s, ours / released | checkpoint ms (median, max), ours / released "
                 "| emulator (ours run): CPU s / wall s, rows per CPU-second |")
    lines.append("|---|---|---|---|---|---|")
    for name, s in summary.items():
        o, r = s["ours"], s["released"]
        ingest = s["rows"] / o["emulator_cpu"] if o["emulator_cpu"] else None
        lines.append("| %s | %s / %s / %s | %s / %s / %s | %s / %s | %s, %s / %s, %s | %s / %s, %s |" % (
            name, mb(o["rss"]), mb(r["rss"]), mb(o["base_rss"]), mb(o["heap"]), mb(r["heap"]), mb(o["base_heap"]),
            fmt(o["gc"]), fmt(r["gc"]), fmt(o["checkpoint_ms"], "%.0f"), fmt(o["checkpoint_max_ms"], "%.0f"),
            fmt(r["checkpoint_ms"], "%.0f"), fmt(r["checkpoint_max_ms"], "%.0f"),
            fmt(o["emulator_cpu"]), fmt(o["wall"]), fmt(ingest, "%.0f")))
    return lines


def goals(summary, meta):
    lines = []
    for name, s in summary.items():
        if s["kind"] != "throughput":
            continue
        o, r = s["ours"], s["released"]
        wall = ratio(r["share_wall"], o["share_wall"])
        cpu = ratio(r["share_cpu"], o["share_cpu"])
        lines.append("- %s: wall %sx (%s), CPU %sx (%s), %s µs/row (%s)" % (
            name, fmt(wall, "%.1f"), "met" if wall and wall >= GOAL_RATIO else "not met",
            fmt(cpu, "%.1f"), "met" if cpu and cpu >= GOAL_RATIO else "not met",
            fmt(o["cpu_us_per_row"]), "met" if o["cpu_us_per_row"] <= GOAL_CPU_US_PER_ROW else "not met"))
    for name, s in summary.items():
        if s["kind"] != "memory":
            continue
        o, r = s["ours"], s["released"]
        max_bytes = int(name.split("max-bytes ")[1].split("MB")[0]) << 20
        extra = o["rss"] - o["base_rss"]
        lines.append("- %s: ours RSS %s MB = blackhole %s MB + %s MB (bound 2 x max-bytes = %s MB: %s); "
                     "heap %s MB (blackhole %s MB); released RSS %s MB, heap %s MB" % (
                         name, mb(o["rss"]), mb(o["base_rss"]), mb(extra), mb(2 * max_bytes),
                         "met" if extra <= 2 * max_bytes else "not met", mb(o["heap"]), mb(o["base_heap"]),
                         mb(r["rss"]), mb(r["heap"])))
    loop = meta.get("loopback_100mb")
    for name, s in summary.items():
        if s["kind"] != "checkpoint" or not loop:
            continue
        o, r = s["ours"], s["released"]
        per_checkpoint = o["bytes"] / max(1, o["checkpoints"]) / (1 << 20) if o["bytes"] else None
        bound = 1.2 * loop["seconds"] * 1000 * (per_checkpoint or 100) / loop["megabytes"]
        lines.append("- %s: about %s MB per checkpoint; checkpoint median %s ms, max %s ms (ours), %s ms, max %s ms "
                     "(released); sending %.0f MB over loopback takes %.0f ms, bound 1.2x scaled to the "
                     "checkpoint's size = %.0f ms: %s" % (
                         name, fmt(per_checkpoint, "%.0f"), fmt(o["checkpoint_ms"], "%.0f"),
                         fmt(o["checkpoint_max_ms"], "%.0f"), fmt(r["checkpoint_ms"], "%.0f"),
                         fmt(r["checkpoint_max_ms"], "%.0f"), loop["megabytes"], loop["seconds"] * 1000, bound,
                         "met" if o["checkpoint_max_ms"] is not None and o["checkpoint_max_ms"] <= bound
                         else "not met"))
    return lines


def bar_chart(x0, y0, width, height, title, categories, series, unit):
    """An SVG fragment: grouped bars, one group per category, one bar per series."""
    colors = {"ours": "#d9480f", "released": "#1c7ed6"}
    top = max([v for vals in series.values() for v in vals if v is not None] + [1e-9]) * 1.15
    parts = ['<text x="%d" y="%d" font-size="15" font-weight="bold">%s</text>' % (x0, y0 + 16, title)]
    plot_top, plot_bottom = y0 + 30, y0 + height - 60
    scale = (plot_bottom - plot_top) / top
    group = width / max(1, len(categories))
    bar = group / (len(series) + 1)
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (x0, plot_bottom, x0 + width, plot_bottom))
    for i, cat in enumerate(categories):
        gx = x0 + i * group
        for j, (name, vals) in enumerate(series.items()):
            v = vals[i]
            if v is None:
                continue
            h = max(0.0, v) * scale
            bx = gx + bar * (j + 0.5)
            parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (
                bx, plot_bottom - h, bar * 0.9, h, colors.get(name, "#888")))
            parts.append('<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%.2f</text>' % (
                bx + bar * 0.45, plot_bottom - h - 3, v))
        parts.append('<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>' % (
            gx + group / 2, plot_bottom + 16, cat))
    parts.append('<text x="%d" y="%d" font-size="11">%s</text>' % (x0, plot_bottom + 36, unit))
    for j, name in enumerate(series):
        lx = x0 + width - 220 + j * 110
        parts.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (lx, y0 + 6, colors.get(name, "#888")))
        parts.append('<text x="%d" y="%d" font-size="12">%s</text>' % (lx + 16, y0 + 17, name))
    return parts


def plot(summary, meta):
    names = [n for n, s in summary.items() if s["kind"] == "throughput"]
    width = max(700, 110 * len(names))
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="660" font-family="sans-serif">' % (width + 40),
             '<rect width="100%" height="100%" fill="white"/>']
    parts += bar_chart(20, 10, width, 320, "Sink CPU per row (job minus blackhole), lower is better",
                       names, {c: [summary[n][c]["cpu_us_per_row"] for n in names] for c in ("ours", "released")},
                       "µs of CPU per row; %s, %s" % (meta["cpu"], meta["java"]))
    parts += bar_chart(20, 330, width, 320, "Sink wall time (job minus blackhole), lower is better",
                       names, {c: [summary[n][c]["share_wall"] for n in names] for c in ("ours", "released")},
                       "seconds for %d rows of 20 columns; ours = %s, released = %s" % (
                           meta["args"]["rows"], meta["ours"], meta["released"]))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write(out):
    runs, meta = load(out)
    summary = summarize(runs)
    lines = ["# Benchmark results", "",
             "Started %s on %s (%d cores), %s. Ours: `%s`; released: `%s`. Rows per run: %d (throughput "
             "scenarios), checkpoint interval %d ms." % (
                 meta["started"], meta["cpu"], meta["cores"], meta["java"], meta["ours"], meta["released"],
                 meta["args"]["rows"], meta["args"]["checkpoint_ms"]), ""]
    lines += tables(summary, meta)
    lines += ["", "Goals:", ""] + goals(summary, meta) + [""]
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(out, "plot.svg"), "w") as f:
        f.write(plot(summary, meta))
    print("\n".join(lines))


if __name__ == "__main__":
    write(sys.argv[1])
