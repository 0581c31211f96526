#!/usr/bin/env bash
# Wheel smoke test: what `pip install alsdx` gives a user (the wheel, no extras, a clean virtual environment)
# runs the README's commands: `alsdx serve` answers /openapi.json and /cds-services, `alsdx assess`,
# `alsdx fhir export` and `alsdx cohort run` (100 synthetic rows) succeed, and the two commands that need an
# extra (course plots, the Spark engine) say which one in one line and exit 2.
# Needs only the package registry (or pip's cache) for the wheel's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
case="$root/examples/cases/bulbar-onset.yaml"
python=${PYTHON:-python3}
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "wheel smoke: $*"; }

step "building the wheel"
"$python" -m pip wheel -q --no-deps -w "$work/dist" . 2> "$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
step "installing it without extras into a clean virtual environment"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/alsdx-*.whl > "$work/install.log" 2>&1 \
  || { grep -v "^WARNING: Location" "$work/install.log" >&2; exit 1; }
"$work/venv/bin/python" -c 'import importlib.util as u, sys; sys.exit(any(u.find_spec(m) for m in ("matplotlib", "pyspark")))' \
  || { echo "wheel smoke: an extra's package is installed, the test would not be of the core install" >&2; exit 1; }
alsdx="$work/venv/bin/alsdx"
py="$work/venv/bin/python"
cd "$work"  # away from the source tree: only the installed package is importable

step "alsdx assess"
"$alsdx" assess "$case" -f json > assess.json
"$py" -c 'import json, sys; d = json.load(open("assess.json")); sys.exit(d["criteria"]["gold_coast"]["category"] is None)'
"$alsdx" assess "$case" > /dev/null

step "alsdx fhir export"
"$alsdx" fhir export "$case" > bundle.json
"$py" -c 'import json, sys; d = json.load(open("bundle.json")); sys.exit(d["resourceType"] != "Bundle" or not d["entry"])'

step "alsdx cohort synth 100 + cohort run"
"$alsdx" cohort synth 100 cohort.parquet --seed 1 --no-progress
"$alsdx" cohort run cohort.parquet out.parquet --no-progress > summary.txt
"$py" -c 'import pyarrow.parquet as pq, sys; sys.exit(pq.read_metadata("out.parquet").num_rows != 100)'

step "the extras it lacks are named in one line (exit 2)"
expect_extra() {  # expect_extra LINE COMMAND...
  local line=$1 rc=0
  shift
  "$@" > /dev/null 2> err.txt || rc=$?
  if [ "$rc" != 2 ] || [ "$(cat err.txt)" != "$line" ]; then
    echo "wheel smoke: '$*' gave exit $rc and: $(cat err.txt)" >&2
    exit 1
  fi
}
expect_extra "error: --plot needs the optional extra 'plots': pip install 'alsdx[plots]'" \
  "$alsdx" course "$case" --plot plots
expect_extra "error: --engine spark needs the optional extra 'spark': pip install 'alsdx[spark]'" \
  "$alsdx" cohort run cohort.parquet spark-out.parquet --engine spark --no-progress

step "alsdx serve"
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ALSDX_DATABASE_URL="sqlite:///$work/registry.db" ALSDX_CDS_AUTH=off \
  "$alsdx" serve --port "$port" --no-demo > serve.out 2> serve.err &
server=$!
for _ in $(seq 240); do
  grep -q "serving on" serve.out && break
  kill -0 "$server" 2>/dev/null || { echo "wheel smoke: alsdx serve ended:" >&2; cat serve.out serve.err >&2; exit 1; }
  sleep 0.5
done
grep -q "serving on" serve.out || { echo "wheel smoke: alsdx serve did not start in 120 s" >&2; exit 1; }
[ "$(grep -c 'password:' serve.out)" = 1 ] || { echo "wheel smoke: no one-time admin password printed" >&2; exit 1; }
"$py" - "$port" <<'EOF'
import sys

import httpx

base = f"http://127.0.0.1:{sys.argv[1]}"
api = httpx.get(f"{base}/openapi.json", timeout=30)
assert api.status_code == 200 and "/v1/patients" in api.json()["paths"], api.status_code
cds = httpx.get(f"{base}/cds-services", timeout=30)
assert cds.status_code == 200 and cds.json()["services"], cds.status_code
EOF
step "passed"
