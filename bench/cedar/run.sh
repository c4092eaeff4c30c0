#!/usr/bin/env bash
# Cedar engine: this engine (bench/Mandate.Bench latency mode) against the official Cedar
# implementation (cedar-wasm 4.13.0 under node, shared/bench/cedar-reference.mjs) on the same
# workload files, in one run, with a table of ratios at the end.
#
#   bench/cedar/run.sh                      # all four workloads
#   ITERATIONS=20000 REF_ITERATIONS=20 bench/cedar/run.sh
#
# REF_ITERATIONS is small by default: the reference copies all 10,000 entities across the wasm
# boundary on every call (~0.3 s per decision here), and its check pass over the 200 requests
# already costs about a minute per workload.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${SHARED:-$(cd "$REPO/.." && pwd)/shared}"
[ -f "$SHARED/bench/cedar-reference.mjs" ] || SHARED="$(cd "$REPO/../.." && pwd)/shared"
[ -f "$SHARED/bench/cedar-reference.mjs" ] || SHARED=/work/shared
REFERENCE="$SHARED/bench/cedar-reference.mjs"
WORKLOADS="$HERE/workloads"
ITERATIONS="${ITERATIONS:-20000}"
REF_ITERATIONS="${REF_ITERATIONS:-20}"
NPM_DIR="${CEDAR_WASM_DIR:-${TMPDIR:-/tmp}/mandate-cedar-wasm}"
OUT="$(mktemp -d)"

if [ ! -d "$NPM_DIR/node_modules/@cedar-policy/cedar-wasm" ]; then
  mkdir -p "$NPM_DIR"
  npm install --silent --prefix "$NPM_DIR" @cedar-policy/cedar-wasm@4.13.0 >/dev/null
fi
dotnet build -c Release "$REPO/bench/Mandate.Bench" -v q -nologo >/dev/null
BIN="$REPO/bench/Mandate.Bench/bin/Release/net10.0/Mandate.Bench"

echo "uptime before: $(uptime)"
for w in agent spread-100 spread-1000 spread-10000; do
  "$BIN" latency "$WORKLOADS/$w.json" "$WORKLOADS" "$ITERATIONS" | tee "$OUT/$w.mandate.json"
  NODE_PATH="$NPM_DIR/node_modules" node "$REFERENCE" "$WORKLOADS/$w.json" "$WORKLOADS" "$REF_ITERATIONS" | tee "$OUT/$w.reference.json"
done
echo "uptime after: $(uptime)"

python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
ws = ["agent", "spread-100", "spread-1000", "spread-10000"]
load = lambda w, k: json.load(open(os.path.join(out, f"{w}.{k}.json")))
print()
print("| workload | mandate p50 µs | p99 µs | decisions/s | bytes/decision | mismatches | reference p50 µs | p99 µs | decisions/s | mismatches | speed-up |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for w in ws:
    m, r = load(w, "mandate"), load(w, "reference")
    print(f"| {w} | {m['p50_us']} | {m['p99_us']} | {m['decisions_per_s']:,} | {m['bytes_per_decision']} | {m['mismatches']} "
          f"| {r['p50_us']:,} | {r['p99_us']:,} | {r['decisions_per_s']:,} | {r['mismatches']} | {m['decisions_per_s'] / max(r['decisions_per_s'], 1):,.0f}x |")
m100, m10k = load("spread-100", "mandate"), load("spread-10000", "mandate")
print()
print(f"p50 at 10,000 policies / p50 at 100 policies: {m10k['p50_us'] / m100['p50_us']:.2f}")
PY
rm -rf "$OUT"
