#!/usr/bin/env python3
"""Where the resident memory of one benchmark run goes: runs this connector's memory scenario once
(CSV, at-least-once, parallelism 1, max-bytes as given, max-rows 5M, no checkpoints) and samples
the Flink JVM's /proc/<pid>/smaps every 0.3 s; prints the peak RSS and, at that moment, every
anonymous mapping with at least 16 MB resident (the Java heap, the engine's request bodies, malloc
arenas).

    python3 benchmarks/memory_breakdown.py [max-bytes MB, default 512]

Run after benchmarks/run.sh (any run, e.g. its CI smoke run) has built the jars and the emulator
and fetched Flink 1.18.1.
"""
import os
import subprocess
import sys
import tempfile
import threading
import time

import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def anonymous_mappings(pid, min_rss):
    """[(size MB, resident MB, address range)] of anonymous mappings with at least min_rss resident."""
    out, current = [], None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            parts = line.split()
            if not parts[0].endswith(":") and "-" in parts[0]:
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                current = (hi - lo, parts[0]) if len(parts) == 5 else None  # no path: anonymous
            elif parts[0] == "Rss:" and current:
                rss = int(parts[1]) << 10
                if rss >= min_rss:
                    out.append((current[0] >> 20, rss >> 20, current[1]))
    return out


def resident(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) << 10
    return 0


class Sampler(threading.Thread):
    def __init__(self, proc):
        super().__init__(daemon=True)
        self.proc, self.peak, self.mappings = proc, 0, []

    def run(self):
        while self.proc.poll() is None:
            try:
                rss = resident(self.proc.pid)
                if rss > self.peak:
                    self.peak, self.mappings = rss, anonymous_mappings(self.proc.pid, 16 << 20)
            except OSError:
                pass
            time.sleep(0.3)


def main():
    max_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 512
    version = next(l.split('"')[1] for l in open(os.path.join(ROOT, "Cargo.toml")) if l.startswith("version"))
    args = type("Args", (), {})()
    args.emulator = os.path.join(ROOT, "target/release/starrocks-emulator")
    args.benchmark_jar = os.path.join(ROOT, "build/libs/starrocks-benchmark-job.jar")
    args.jars = {"ours": os.path.join(ROOT, "build/libs/flink-connector-starrocks-%s_flink-1.18.jar" % version)}
    args.flink_home = os.path.join(ROOT, "build/flink/1.18.1")
    args.heap, args.perf, args.explain, args.timeout = "3g", False, False, 900
    scenario = {"kind": "memory", "format": "csv", "semantic": "at-least-once", "parallelism": 1,
                "rows": 5_000_000, "checkpoint_ms": 0, "max_bytes": max_mb << 20, "max_rows": 5_000_000,
                "interval_ms": 3600000}
    samplers = []

    def sampled_run(cmd, **kw):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sampler = Sampler(proc)
        sampler.start()
        out, _ = proc.communicate(timeout=kw.get("timeout"))
        sampler.join()
        samplers.append(sampler)
        return subprocess.CompletedProcess(cmd, proc.returncode, out)

    run.subprocess.run = sampled_run  # run_one starts the job JVM with subprocess.run
    with tempfile.TemporaryDirectory() as workdir:
        run.run_one(args, scenario, "ours", workdir)
    s = samplers[-1]
    print("max-bytes %d MB: peak RSS %d MB; anonymous mappings >= 16 MB resident at that moment:"
          % (max_mb, s.peak >> 20))
    for size, rss, addr in sorted(s.mappings, key=lambda m: -m[1]):
        print("  %6d MB mapped  %6d MB resident  %s" % (size, rss, addr))


if __name__ == "__main__":
    main()
