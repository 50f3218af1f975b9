#!/usr/bin/env bash
# The demo: builds the connector, starts the StarRocks emulator (a test stand-in, NOT StarRocks),
# runs a Flink SQL job on a local MiniCluster that loads generated orders through the connector,
# and prints what landed. ROWS=<n> changes the number of rows (default 100000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rows=${ROWS:-100000}

tools/setup.sh
echo "==> building the connector jar, the emulator and the SQL runner"
gradle -q --console=plain jarFlink1_18 examplesClasses cargoBuildEmulator 2>&1 | grep -v -e '^openjdk' -e '^OpenJDK' -e 'Finished' -e 'Compiling' || true
flink=$(tools/fetch-flink.sh)
jar=$(ls build/libs/flink-connector-starrocks-*_flink-1.18.jar)

table='{"database":"demo","table":"orders","model":"DUPLICATE","keys":["id"],"columns":[
 {"name":"id","type":"BIGINT","nullable":false},{"name":"customer","type":"VARCHAR(32)"},
 {"name":"amount","type":"DECIMAL(10,2)"},{"name":"paid","type":"BOOLEAN"},
 {"name":"order_date","type":"DATE"},{"name":"created_at","type":"DATETIME"}]}'

echo "==> starting the StarRocks emulator"
# The emulator exits when this script's end of its stdin pipe closes (also if the script dies).
coproc EMU { exec target/release/starrocks-emulator --stop-on-stdin-eof --table "$table"; }
trap 'kill "$EMU_PID" 2>/dev/null || true' EXIT
read -r -t 60 addresses <&"${EMU[0]}"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$addresses" "$1"; }
fe_http=$(field fe_http)
control=$(field control)
mysql=$(field mysql)
echo "    FE HTTP $fe_http, MySQL $mysql, control API $control"

echo "==> running the Flink SQL job (examples/sql/demo.sql, $rows rows)"
FE_HTTP=$fe_http MYSQL=$mysql ROWS=$rows java \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  -Dlog4j.configurationFile="$root/examples/sql/log4j2.properties" \
  -cp "$flink/lib/*:$jar:build/classes/java/examples" \
  com.starrocks.connector.flink.examples.SqlScriptRunner examples/sql/demo.sql

echo "==> what landed in demo.orders (read back from the emulator)"
python3 - "$control" <<'PY'
import json, sys, urllib.request
control = sys.argv[1]
doc = json.load(urllib.request.urlopen(f"http://{control}/control/tables/demo/orders/rows"))
rows = sorted(doc["rows"], key=lambda r: int(r[0]))
print(f"{len(rows)} rows; first 10:")
widths = [max(len(str(c)), *(len(str(r[i])) for r in rows[:10])) for i, c in enumerate(doc["columns"])]
print("  " + "  ".join(str(c).ljust(w) for c, w in zip(doc["columns"], widths)))
for r in rows[:10]:
    print("  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
labels = json.load(urllib.request.urlopen(f"http://{control}/control/labels/demo"))
print(f"{len(labels)} Stream Load labels, states: {sorted({l['state'] for l in labels})}")
PY
