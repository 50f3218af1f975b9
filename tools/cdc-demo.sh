#!/usr/bin/env bash
# The Flink CDC demo: builds the connector, starts the StarRocks emulator (a test stand-in, NOT
# StarRocks), runs examples/cdc/values-to-starrocks.yaml with Flink CDC 3.1's own command-line
# client on a local MiniCluster (Flink 1.18), and prints the table it created, changed and
# loaded. PIPELINE=<yaml> runs another pipeline file (${MYSQL} and ${FE_HTTP} are filled in).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pipeline=${PIPELINE:-examples/cdc/values-to-starrocks.yaml}

tools/setup.sh
echo "==> building the connector jar, the emulator, and fetching Flink CDC 3.1"
gradle -q --console=plain jarFlink1_18 cargoBuildEmulator flinkCdcLib 2>&1 | grep -v -e '^openjdk' -e '^OpenJDK' -e 'Finished' -e 'Compiling' || true
flink=$(tools/fetch-flink.sh 1.18.1)
jar=$(ls build/libs/flink-connector-starrocks-*_flink-1.18.jar)

echo "==> starting the StarRocks emulator"
coproc EMU { exec target/release/starrocks-emulator --stop-on-stdin-eof; }
trap 'kill "$EMU_PID" 2>/dev/null || true' EXIT
read -r -t 60 addresses <&"${EMU[0]}"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$addresses" "$1"; }
export FE_HTTP=$(field fe_http) MYSQL=$(field mysql)
control=$(field control)
echo "    FE HTTP $FE_HTTP, MySQL $MYSQL, control API $control"

work=$(mktemp -d)
trap 'kill "$EMU_PID" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/flink/conf" "$work/flink-cdc/conf"
printf 'parallelism.default: 1\nrest.bind-port: 0\n' > "$work/flink/conf/flink-conf.yaml"
touch "$work/flink-cdc/conf/flink-cdc.yaml"
python3 -c 'import os,sys; print(os.path.expandvars(open(sys.argv[1]).read()), end="")' "$pipeline" > "$work/pipeline.yaml"

echo "==> running $pipeline with Flink CDC's command-line client"
FLINK_HOME="$work/flink" FLINK_CDC_HOME="$work/flink-cdc" java \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  -Dlog4j.configurationFile="$root/examples/sql/log4j2.properties" \
  -cp "$flink/lib/*:build/flink-cdc/lib/*:$jar" \
  org.apache.flink.cdc.cli.CliFrontend "$work/pipeline.yaml" --use-mini-cluster

echo "==> what the pipeline left in StarRocks (read back from the emulator)"
python3 - "$control" <<'PY'
import json, sys, urllib.request
control = sys.argv[1]
def sql(statement):
    req = urllib.request.Request(f"http://{control}/control/sql", data=statement.encode(), method="POST")
    return json.load(urllib.request.urlopen(req))
for db, table in sql("select TABLE_SCHEMA, TABLE_NAME from information_schema.TABLES "
                     "where TABLE_SCHEMA not in ('information_schema', '_statistics_')")["rows"]:
    print(sql(f"SHOW CREATE TABLE `{db}`.`{table}`")["rows"][0][1])
    doc = json.load(urllib.request.urlopen(f"http://{control}/control/tables/{db}/{table}/rows"))
    print(f"rows of {db}.{table} {doc['columns']}:")
    for row in sorted(doc["rows"], key=lambda r: str(r[0])):
        print(f"  {row}")
PY
