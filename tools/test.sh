#!/usr/bin/env bash
# Runs every check and test of the project (what CI runs):
#   formatting and lints, Rust unit and integration tests (engine against the emulator, the
#   emulator's conformance suite), Java tests (JNI boundary, row frames, options, real Flink jobs
#   on a MiniCluster against the emulator).
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

step "Java and Flink tests (builds the jar and the emulator)"
gradle --console=plain test
done_step

echo
echo "All checks passed."
