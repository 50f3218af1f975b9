#!/usr/bin/env bash
# Runs every check and test of the project (what CI runs):
#   formatting and lints, Rust unit and integration tests (engine against the emulator, the
#   emulator's conformance suite), Java tests (JNI boundary, row frames, options, real Flink jobs
#   on a MiniCluster against the emulator), and the Flink version matrix on the oldest and newest
#   1.x, the 1.x LTS and the newest 2.x (tools/test-matrix.sh runs every version), and a smoke run
#   of the benchmark harness.
# Installs what it needs first (tools/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() {
  echo
  echo "==> $*"
  SECONDS=0
}
done_step() {
  echo "    ($SECONDS s)"
}

step "setup"
tools/setup.sh
done_step

step "cargo fmt --check"
cargo fmt --all -- --check
done_step

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
done_step

step "Rust tests"
STARROCKS_REQUIRE_CLIENTS=1 cargo test --workspace
done_step

step "Java and Flink tests (builds every jar and the emulator)"
gradle --console=plain connectorJars test
done_step

# The oldest Flink, the one the Java tests use, the 1.x LTS and the newest (gradle.properties).
flink_minors=$(sed -n 's/^flinkVersions=//p' gradle.properties | tr ',' '\n' | cut -d. -f1,2)
ci_minors=$(printf '%s\n' "$(echo "$flink_minors" | head -n 1)" 1.18 1.20 "$(echo "$flink_minors" | tail -n 1)" | uniq | tr '\n' ' ')
step "Flink version matrix: $ci_minors"
tools/test-matrix.sh $ci_minors
done_step

step "benchmark harness, smoke run (the full benchmark: bash benchmarks/run.sh, see BENCHMARKS.md)"
smoke=$(mktemp -d)
BENCHMARK_OUT="$smoke" bash benchmarks/run.sh --rounds 1 --rows 20000 --formats csv --semantics exactly-once \
  --parallelisms 1 >"$smoke/log" 2>&1 || { tail -n 60 "$smoke/log"; exit 1; }
rm -rf "$smoke"
done_step

echo
echo "All checks passed."
