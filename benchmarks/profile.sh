#!/usr/bin/env bash
# Where a row's CPU time goes: runs the CSV and JSON at-least-once scenarios (parallelism 1) once per
# connector and the blackhole baseline under `perf record`, then sorts the samples of each run into
# categories (Java frame writing, JNI, Rust decode / encode, compression, HTTP and syscalls, memcpy,
# GC and JIT, the rest of the job) with benchmarks/profile.py. Needs perf (Debian: linux-perf) and
# permission to use it (root, or kernel.perf_event_paranoid <= 1).
#
#   bash benchmarks/profile.sh [run.py options, e.g. --rows 2000000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v perf >/dev/null || { echo "profile.sh needs perf (apt-get install linux-perf)" >&2; exit 1; }
out="benchmarks/results/profile-$(date +%Y%m%d-%H%M%S)"
BENCHMARK_OUT="$out" bash benchmarks/run.sh --rounds 1 --formats csv json --semantics at-least-once \
  --parallelisms 1 --perf "$@"
python3 benchmarks/profile.py "$out" | tee "$out/profile.md"
