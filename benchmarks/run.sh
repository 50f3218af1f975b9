#!/usr/bin/env bash
# The sink benchmark, from a clean clone: builds this connector's Flink 1.18 jar, the benchmark job
# and the emulator; fetches Flink 1.18.1 (PyPI) and the newest released Java connector for Flink 1.18
# (Maven Central); then runs benchmarks/run.py (interleaved rounds, see BENCHMARKS.md) and writes
# benchmarks/results/<time>/{runs.jsonl,meta.json,results.md,plot.svg}.
#
#   bash benchmarks/run.sh                       the throughput table: CSV/JSON x ALO/EO x p1/p2, 3 rounds
#   bash benchmarks/run.sh --memory --checkpoint also the max-bytes 64/512 MB and 100 MB-checkpoint runs
#   bash benchmarks/run.sh --rounds 1 --rows 200000 --formats csv --parallelisms 1   a quick look
# Any run.py option passes through (python3 benchmarks/run.py --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh
flink_home=$(tools/fetch-flink.sh 1.18.1)
gradle --console=plain -q jarFlink1_18 benchmarkJar cargoBuildEmulator

# The newest released connector for Flink 1.18, from Maven Central's metadata.
repo=https://repo1.maven.org/maven2/com/starrocks/flink-connector-starrocks
released_version=$(curl -fsS "$repo/maven-metadata.xml" | grep -o '<version>[^<]*_flink-1\.18</version>' \
  | sed 's/<[^>]*>//g' | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
if [ -z "$released_version" ]; then
  echo "no released flink-connector-starrocks for Flink 1.18 on Maven Central" >&2
  exit 1
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/starrocks-flink/released"
released_jar="$cache/flink-connector-starrocks-$released_version.jar"
if [ ! -f "$released_jar" ]; then
  mkdir -p "$cache"
  curl -fsS -o "$released_jar.part" "$repo/$released_version/flink-connector-starrocks-$released_version.jar"
  mv "$released_jar.part" "$released_jar"
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

out=${BENCHMARK_OUT:-benchmarks/results/$(date +%Y%m%d-%H%M%S)}
python3 benchmarks/run.py \
  --flink-home "$flink_home" \
  --emulator target/release/starrocks-emulator \
  --benchmark-jar build/libs/starrocks-benchmark-job.jar \
  --ours "build/libs/flink-connector-starrocks-${version}_flink-1.18.jar" \
  --released "$released_jar" \
  --out "$out" "$@"
echo "results: $out/results.md, $out/plot.svg"
