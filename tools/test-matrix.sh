#!/usr/bin/env bash
# The Flink version matrix: for each selected Flink minor, builds its connector jar, fetches that
# Flink's distribution (PyPI apache-flink-libraries) and runs FlinkVersionMatrixTest on it: the
# jar's build facts, a SQL INSERT of mixed types (CSV and JSON), an exactly-once SQL job with an
# injected task failure (Sink V2, and the SinkFunction on 1.x), the StarRocks catalog, the
# DataStream examples, a bad option refused, a jar of another minor refused at job start, and
# (oldest and newest minor) the jar in lib/ of a standalone cluster with its metrics read over
# REST. Prints one line per version and test, then a summary.
#
#   tools/test-matrix.sh              every minor of flinkVersions (gradle.properties)
#   tools/test-matrix.sh 1.15 2.3     only these minors
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools/setup.sh
versions=$(sed -n 's/^flinkVersions=//p' gradle.properties | tr ',' ' ')
minors=()
for v in $versions; do
  minor=$(echo "$v" | cut -d. -f1,2)
  if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "$minor"; then
    minors+=("$minor")
    tools/fetch-flink.sh "$v" >/dev/null
  fi
done
if [ $# -gt 0 ] && [ ${#minors[@]} -ne $# ]; then
  echo "test-matrix: unknown Flink minor in '$*'; flinkVersions has: $versions" >&2
  exit 2
fi
selection=$(IFS=,; echo "${minors[*]}")

status=0
gradle --console=plain flinkMatrixTest -PmatrixVersions="$selection" || status=$?

python3 - "$root/build/test-results/flinkMatrixTest" <<'PY'
import glob, re, sys, xml.etree.ElementTree as ET
rows, passed, failed, skipped = {}, 0, 0, 0
for f in glob.glob(sys.argv[1] + "/*.xml"):
    for case in ET.parse(f).getroot().iter("testcase"):
        m = re.match(r"(\w+)\[Flink ([^\]]+)\]", case.get("name"))
        test, version = m.group(1), m.group(2)
        if case.find("failure") is not None or case.find("error") is not None:
            result, failed = "FAILED", failed + 1
        elif case.find("skipped") is not None:
            result, skipped = "skipped", skipped + 1
        else:
            result, passed = "passed", passed + 1
        rows.setdefault(version, []).append(f"    {test:45s} {result:8s} {float(case.get('time')):6.1f} s")
key = lambda v: [int(p) for p in v.split(".")]
for version in sorted(rows, key=key):
    print(f"Flink {version}")
    print("\n".join(sorted(rows[version])))
print(f"matrix: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
