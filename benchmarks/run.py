#!/usr/bin/env python3
"""Runs the sink benchmark: this connector against the released Java connector (benchmarks/run.sh
builds and fetches what it needs, then calls this). Stdlib only.

Each run is a fresh JVM (benchmarks/job: SinkBenchmark) with Flink's lib/, the benchmark job and
one connector jar on the class path, against a fresh emulator in count-only mode (--count-only).
Runs are interleaved: every round runs every scenario once with each connector and the blackhole
baseline. A sink's share is its run minus the blackhole run of the same round and parallelism.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import report  # noqa: E402  (benchmarks/report.py)

# (name, Flink type, StarRocks type, expression over id): 20 mixed columns computed from the sequence.
COLUMNS = [
    ("id", "BIGINT", "BIGINT", "id"),
    ("c_int", "INT", "INT", "CAST(id % 1000003 AS INT)"),
    ("c_smallint", "SMALLINT", "SMALLINT", "CAST(id % 32000 AS SMALLINT)"),
    ("c_tinyint", "TINYINT", "TINYINT", "CAST(id % 100 AS TINYINT)"),
    ("c_bool", "BOOLEAN", "BOOLEAN", "id % 2 = 0"),
    ("c_double", "DOUBLE", "DOUBLE", "CAST(id AS DOUBLE) / 7"),
    ("c_float", "FLOAT", "FLOAT", "CAST(id % 10000 AS FLOAT) / 4"),
    ("c_dec_small", "DECIMAL(10, 2)", "DECIMAL(10, 2)", "CAST(CAST(id % 1000000 AS DOUBLE) / 100 AS DECIMAL(10, 2))"),
    ("c_dec_large", "DECIMAL(27, 9)", "DECIMAL(27, 9)", "CAST(CAST(id AS DOUBLE) / 3 AS DECIMAL(27, 9))"),
    ("c_date", "DATE", "DATE", "CAST(CAST(TO_TIMESTAMP_LTZ(1420070400000 + (id % 3650) * 86400000, 3) AS TIMESTAMP(3)) AS DATE)"),
    ("c_ts", "TIMESTAMP(3)", "DATETIME", "CAST(TO_TIMESTAMP_LTZ(1600000000000 + id * 1000, 3) AS TIMESTAMP(3))"),
    ("c_str_short", "STRING", "VARCHAR(32)", "CAST(id AS STRING)"),
    ("c_str_mid", "STRING", "VARCHAR(64)", "CONCAT('user-', CAST(id % 100000 AS STRING), '@example.com')"),
    ("c_str_long", "STRING", "VARCHAR(256)",
     "CONCAT('payload ', CAST(id AS STRING), ' lorem ipsum dolor sit amet, consectetur adipiscing elit')"),
    ("c_str_null", "STRING", "VARCHAR(32)", "CASE WHEN id % 5 = 0 THEN CAST(NULL AS STRING) ELSE CAST(id * 7 AS STRING) END"),
    ("c_int_null", "INT", "INT", "CASE WHEN id % 3 = 0 THEN CAST(NULL AS INT) ELSE CAST(id % 1000 AS INT) END"),
    ("c_region", "STRING", "VARCHAR(8)",
     "CASE id % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east' ELSE 'west' END"),
    ("c_bigint2", "BIGINT", "BIGINT", "id * 31"),
    ("c_double2", "DOUBLE", "DOUBLE", "CAST(id % 1000 AS DOUBLE) * 0.25"),
    ("c_quoted", "STRING", "VARCHAR(64)", "CONCAT('a \"quoted\" value ', CAST(id % 97 AS STRING))"),
]

OPENS = [
    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
] + ["--add-opens=java.base/%s=ALL-UNNAMED" % p for p in (
    "java.lang", "java.util", "java.nio", "sun.nio.ch", "java.lang.reflect", "java.io", "java.net",
    "java.text", "java.time", "java.util.concurrent", "java.util.concurrent.atomic")]

CONNECTORS = ("ours", "released")


def scenario_name(s):
    name = "%s %s p%d" % (s["format"].upper(), "EO" if s["semantic"] == "exactly-once" else "ALO", s["parallelism"])
    if s.get("max_bytes"):
        name += " max-bytes %dMB" % (s["max_bytes"] >> 20)
    if s.get("rows_per_second"):
        name += " %dk rows/s" % (s["rows_per_second"] // 1000)
    return name


def label(s):
    return "blackhole p%d" % s["parallelism"] if s["kind"] == "baseline" else scenario_name(s)


def scenarios(args):
    out = []
    for fmt in [] if args.skip_throughput else args.formats:
        for sem in args.semantics:
            for p in args.parallelisms:
                out.append({"kind": "throughput", "format": fmt, "semantic": sem, "parallelism": p,
                            "rows": args.rows, "checkpoint_ms": args.checkpoint_ms})
    if args.memory:
        # Buffers fill up to max-bytes: no checkpoints, the longest flush interval, and the most rows both
        # connectors accept per flush (5M rows of ~350 bytes of CSV), so that max-bytes is what seals a buffer.
        for mb in (64, 512):
            out.append({"kind": "memory", "format": "csv", "semantic": "at-least-once", "parallelism": 1,
                        "rows": args.rows, "checkpoint_ms": 0, "max_bytes": mb << 20,
                        "max_rows": 5_000_000, "interval_ms": 3600000})
    if args.checkpoint:
        # A throttled source and an interval that buffer about 100 MB per checkpoint (300k rows of ~330 bytes of CSV).
        out.append({"kind": "checkpoint", "format": "csv", "semantic": "exactly-once", "parallelism": 1,
                    "rows": args.checkpoint_rows, "checkpoint_ms": 4000, "rows_per_second": 75000,
                    "max_bytes": 1 << 30, "interval_ms": 3600000})
    return out


def with_clause(s, connector, emulator, table):
    if connector == "blackhole":
        return "'connector' = 'blackhole'"
    opts = [("connector", "starrocks"), ("jdbc-url", "jdbc:mysql://" + emulator.addresses["mysql"]),
            ("load-url", emulator.addresses["fe_http"]), ("database-name", "bench"), ("table-name", table),
            ("username", "root"), ("password", ""), ("sink.semantic", s["semantic"])]
    if s["semantic"] == "exactly-once":
        opts.append(("sink.label-prefix", "bench-%d" % int(time.time() * 1000)))
    if s["format"] == "json":
        opts += [("sink.properties.format", "json"), ("sink.properties.strip_outer_array", "true")]
    if s.get("max_bytes"):
        opts.append(("sink.buffer-flush.max-bytes", str(s["max_bytes"])))
    if s.get("max_rows"):
        opts.append(("sink.buffer-flush.max-rows", str(s["max_rows"])))
    if s.get("interval_ms"):
        opts.append(("sink.buffer-flush.interval-ms", str(s["interval_ms"])))
    return ", ".join("'%s' = '%s'" % kv for kv in opts)


class Emulator:
    """The emulator in count-only mode (--count-only: rows counted, values not converted), one per run
    (fresh counters), with the bench table."""

    def __init__(self, binary, table):
        spec = {"database": "bench", "table": table, "model": "DUPLICATE", "keys": ["id"],
                "columns": [{"name": c[0], "type": c[2], "nullable": c[0] != "id"} for c in COLUMNS]}
        self.proc = subprocess.Popen(
            [binary, "--count-only", "--stop-on-stdin-eof", "--database", "bench", "--table", json.dumps(spec)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.addresses = json.loads(self.proc.stdout.readline())

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stats(self):
        with urllib.request.urlopen("http://%s/control/stats" % self.addresses["control"], timeout=10) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def run_one(args, s, connector, workdir):
    table = "t_%s" % connector
    emulator = Emulator(args.emulator, table) if connector != "blackhole" else None
    try:
        cols = ", ".join("`%s` %s" % (c[0], c[1]) for c in COLUMNS)
        ddl = write(os.path.join(workdir, "sink.sql"), "CREATE TABLE sink (%s) WITH (%s)" % (
            cols, with_clause(s, connector, emulator, table)))
        select = write(os.path.join(workdir, "select.sql"),
                       "SELECT " + ", ".join(c[3] for c in COLUMNS) + " FROM seq")
        jars = [args.benchmark_jar] + ([] if connector == "blackhole" else [args.jars[connector]])
        classpath = jars + sorted(os.path.join(args.flink_home, "lib", j)
                                  for j in os.listdir(os.path.join(args.flink_home, "lib")) if j.endswith(".jar"))
        cmd = ["java", "-Xmx%s" % args.heap]
        if args.perf:
            # perf sees JIT-compiled Java through the map file the JVM writes at exit.
            cmd = ["perf", "record", "-q", "-F", "499", "-g", "-o", os.path.join(
                args.out, "perf-%s-%s.data" % (label(s).replace(" ", "_"), connector))] + cmd + [
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+DumpPerfMapAtExit", "-XX:+PreserveFramePointer"]
            if connector == "ours":
                # The engine from target/ (the jar's copy is deleted before perf could read its symbols).
                cmd.append("-Dstarrocks.flink.native.library=" + os.path.join(ROOT, "target/release/libstarrocks_flink.so"))
        cmd += OPENS + [
            "-Dlog4j.configurationFile=" + os.path.join(HERE, "log4j2.properties"),
            "-cp", ":".join(classpath), "com.starrocks.connector.flink.benchmark.SinkBenchmark",
            "rows=%d" % s["rows"], "parallelism=%d" % s["parallelism"], "checkpoint-ms=%d" % s["checkpoint_ms"],
            "rows-per-second=%d" % s.get("rows_per_second", 0), "explain=%s" % str(args.explain).lower(), "sink-ddl=" + ddl, "select=" + select]
        emu_cpu = emulator.cpu_seconds() if emulator else 0.0
        started = time.time()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=args.timeout)
        output = proc.stdout.decode("utf-8", "replace")
        if args.explain:
            print(output, flush=True)
        lines = [l for l in output.splitlines() if l.startswith("BENCHMARK ")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError("%s / %s failed (exit %d):\n%s" % (
                scenario_name(s), connector, proc.returncode, "\n".join(output.splitlines()[-40:])))
        result = json.loads(lines[-1][len("BENCHMARK "):])
        result["jvm_s"] = time.time() - started
        if emulator:
            stats = emulator.stats()
            result["emulator_cpu_s"] = emulator.cpu_seconds() - emu_cpu
            result["rows_loaded"] = stats["rows_loaded"]
            result["bytes_received"] = stats["bytes_received"]
            result["loads"] = stats["loads"]
            if stats["rows_loaded"] != s["rows"]:
                raise RuntimeError("%s / %s: the emulator counted %d rows, expected %d" % (
                    scenario_name(s), connector, stats["rows_loaded"], s["rows"]))
        checkpoints = result.pop("checkpoints") or {}
        result["checkpoint_ms"] = [c["end_to_end_duration"] for c in checkpoints.get("history", [])
                                   if c.get("status") == "COMPLETED"]
        return result
    finally:
        if emulator:
            emulator.close()


def loopback_send_seconds(args, megabytes):
    """Time to send `megabytes` of CSV in one Stream Load over loopback to the emulator (count-only)."""
    emulator = Emulator(args.emulator, "loopback")
    try:
        line = ("\t".join(["1234567", "123", "1234", "12", "true", "176365.28571428571", "2499.75", "1234.56",
                           "411522.333333333", "2020-01-01", "2020-09-13 12:26:40.000", "1234567",
                           "user-34567@example.com",
                           "payload 1234567 lorem ipsum dolor sit amet, consectetur adipiscing elit",
                           "8641969", "567", "north", "38271577", "149.25", "a \"quoted\" value 42"]) + "\n").encode()
        body = line * ((megabytes << 20) // len(line))
        be = emulator.addresses["be_http"][0]
        host, port = be.rsplit(":", 1)
        head = ("PUT /api/bench/loopback/_stream_load HTTP/1.1\r\nHost: %s\r\nAuthorization: Basic cm9vdDo=\r\n"
                "label: loopback-%d\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (be, time.time_ns(), len(body))).encode()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(head.replace(b"loopback-", b"loopback-%d-" % len(times)))
                sock.sendall(body)
                answer = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            times.append(time.perf_counter() - start)
            if b'"Status": "Success"' not in answer and b'"Status":"Success"' not in answer:
                raise RuntimeError("the loopback load failed: %s" % answer[-500:])
        return {"megabytes": len(body) / (1 << 20), "seconds": statistics.median(times)}
    finally:
        emulator.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--formats", nargs="+", default=["csv", "json"])
    ap.add_argument("--semantics", nargs="+", default=["at-least-once", "exactly-once"])
    ap.add_argument("--parallelisms", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--checkpoint-ms", type=int, default=5000)
    ap.add_argument("--memory", action="store_true", help="also the max-bytes 64 MB / 512 MB runs")
    ap.add_argument("--checkpoint", action="store_true", help="also the 100 MB-per-checkpoint run")
    ap.add_argument("--skip-throughput", action="store_true",
                    help="only the --memory / --checkpoint runs (and their blackhole runs)")
    ap.add_argument("--checkpoint-rows", type=int, default=800_000,
                    help="rows of the checkpoint run (its legacy datagen source keeps the rows still to"
                         " come in its state, which Flink keeps in memory up to 5 MB)")
    ap.add_argument("--heap", default="3g")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--explain", action="store_true", help="print each job's plan (in the run's output)")
    ap.add_argument("--perf", action="store_true",
                    help="record each run with perf into the results directory (see benchmarks/profile.sh)")
    ap.add_argument("--flink-home", required=True)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--benchmark-jar", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--released", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    args.jars = {"ours": args.ours, "released": args.released}
    os.makedirs(args.out, exist_ok=True)
    runs_path = os.path.join(args.out, "runs.jsonl")
    meta = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "args": {k: v for k, v in vars(args).items()
                                                                       if k != "jars"},
            "cpu": report.cpu_model(), "cores": os.cpu_count(), "java": report.java_version(),
            "ours": os.path.basename(args.ours), "released": os.path.basename(args.released)}
    rng = random.Random(args.seed)
    plan = scenarios(args)
    if args.checkpoint:
        meta["loopback_100mb"] = loopback_send_seconds(args, 100)
        print("loopback: %.1f MB in %.2f s" % (meta["loopback_100mb"]["megabytes"], meta["loopback_100mb"]["seconds"]),
              flush=True)
    # Written first, so that the runs of an interrupted benchmark can still be reported.
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    with open(runs_path, "w") as runs, tempfile.TemporaryDirectory() as workdir:
        for rnd in range(1, args.rounds + 1):
            baselines = [{"kind": "baseline", "format": "-", "semantic": "-", "parallelism": p, "rows": args.rows,
                          "checkpoint_ms": args.checkpoint_ms}
                         for p in sorted({s["parallelism"] for s in plan if s["kind"] == "throughput"})]
            jobs = [(b, "blackhole") for b in baselines]
            for s in plan:
                order = list(CONNECTORS)
                rng.shuffle(order)
                jobs += [(s, c) for c in order]
                if s["kind"] != "throughput":
                    jobs.append((s, "blackhole"))
            for s, connector in jobs:
                r = run_one(args, s, connector, workdir)
                record = dict(s, round=rnd, connector=connector, scenario=label(s), **r)
                runs.write(json.dumps(record) + "\n")
                runs.flush()
                print("round %d  %-34s %-9s wall %6.2f s  cpu %6.2f s  rss %5d MB  heap %5d MB%s" % (
                    rnd, record["scenario"], connector, r["wall_s"], r["cpu_s"], r["rss_peak_bytes"] >> 20,
                    r["heap_peak_bytes"] >> 20,
                    "  emulator cpu %.2f s" % r["emulator_cpu_s"] if "emulator_cpu_s" in r else ""), flush=True)
    report.write(args.out)


if __name__ == "__main__":
    main()
