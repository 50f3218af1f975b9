#!/usr/bin/env bash
# Runs the failover scenarios (random failures, StarRocks faults, savepoint rescaling, a killed
# TaskManager) again and again with SCALE times more rows, stopping at the first failure.
# Not part of CI: it is for finding rare interleavings.
#   bash tools/soak.sh [runs]        (default 10; SCALE=5 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-10}
scale=${SCALE:-5}
tools/setup.sh
for i in $(seq 1 "$runs"); do
  echo "==> soak run $i of $runs (scale $scale)"
  if ! gradle --console=plain cleanTest test -PtestScale="$scale" \
      --tests '*DeliveryUnderFailuresTest*' --tests '*RescaleFromSavepointTest*' \
      --tests '*TaskManagerKillTest*' > "build/soak-$i.log" 2>&1; then
    echo "run $i failed: see build/soak-$i.log and build/reports/tests/test/index.html"
    exit 1
  fi
done
echo "all $runs soak runs passed"
