#!/usr/bin/env bash
# Chaos runs (java-shim/.../chaos/ChaosTest): seeded, randomized jobs on a standalone Flink
# cluster against the emulator (exactly-once and at-least-once, SinkFunction and Sink V2, CSV and
# JSON, parallelism 1-4) with task failures, SIGKILLed TaskManagers, stop-with-savepoint and
# restore with another parallelism, and StarRocks faults (5xx, resets mid-body, lost responses,
# publish timeouts, BE restarts, an FE that stops answering, labels already used) at random
# times. Each run is checked against the emulator (exactly-once: every row exactly once and no
# transaction left open; at-least-once: no row missing) and must end within a bound computed from
# the configured timeouts. One line per run, then a summary line; a failed run's diagnostics are
# in build/chaos/seed-<S>/diagnostics.txt. Each run takes 30-90 s.
#   bash tools/chaos.sh [runs] [first-seed]    consecutive seeds (default: 100 runs from seed 1)
#   bash tools/chaos.sh --seed S[,S...]         replays these seeds (same plan; timing varies)
# CI plays a fixed subset (ChaosTest.CI_SEEDS) as part of the normal test run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--seed" ]; then
  if [ -z "${2:-}" ]; then
    echo "usage: tools/chaos.sh --seed S[,S...]" >&2
    exit 2
  fi
  props=(-PchaosSeeds="$2")
else
  props=(-PchaosRuns="${1:-100}" -PchaosFirstSeed="${2:-1}")
fi
tools/setup.sh
mkdir -p build/chaos
results=build/chaos/results.txt
rm -f "$results"
gradle --console=plain cleanTest test --tests '*.chaos.ChaosTest' "${props[@]}" > build/chaos/gradle.log 2>&1 &
gradle_pid=$!
trap 'kill "$gradle_pid" 2>/dev/null || true' INT TERM
# The lines as the runs end (ChaosTest appends them to the results file).
tail -n +1 -F "$results" 2>/dev/null &
tail_pid=$!
status=0
wait "$gradle_pid" || status=$?
sleep 1
kill "$tail_pid" 2>/dev/null || true
if [ "$status" != 0 ]; then
  echo "chaos: gradle exited with $status (build/chaos/gradle.log, build/reports/tests/test/index.html)" >&2
fi
exit "$status"
