#!/usr/bin/env bash
# Decision API benchmark: ONE Mandate process, ONE run, the same Cedar decision (agent support-bot may bench.read
# Api::"bench") asked four ways, each with its decision record made durable in the SQLite audit chain:
#   1. the proxy path (token cache hit, forwarded to a local nginx upstream) — the baseline;
#   2. AuthZEN POST /access/v1/evaluation (one decision per request, API-key client, keep-alive);
#   3. AuthZEN POST /access/v1/evaluations with 100 evaluations per request (decisions/s = requests/s × 100);
#   4. Envoy's ext_authz HTTP check (GET /envoy/check/bench with the agent's token).
# For each it reports req/s, p50/p99 and Mandate's own CPU time per request (from /proc/PID/stat), then the
# ratios the issue sets targets for. Everything listens on 127.0.0.1; everything started here is stopped on exit.
#
#   bench/load/decision-apis.sh                        # 50 connections, 2 wrk threads, 10 s per run, 15 s warm-up
#   DURATION=5s WARMUP=8s bench/load/decision-apis.sh
#   TRACE=/tmp/d.perf ONLY=batch bench/load/decision-apis.sh   # perf-sample Mandate during one run (perf report -i …)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-50}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-8}
THREADS=${THREADS:-2}
PORT_BASE=${PORT_BASE:-18480}
UPSTREAM_PORT=$PORT_BASE; MANDATE_PORT=$((PORT_BASE + 1)); CONTROL_PORT=$((PORT_BASE + 2)); ISSUER_PORT=$((PORT_BASE + 3))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

say "building Mandate (Release)"
dotnet build src/Mandate.Cli -c Release -nologo -v q >/dev/null
MANDATE_DLL="$ROOT/src/Mandate.Cli/bin/Release/net10.0/mandate.dll"

WORK=$(mktemp -d -t mandate-dapi.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_http() { local code; for _ in $(seq 1 200); do code=$(curl -s -o /dev/null -w '%{http_code}' "$1" || true); [ "$code" = "${2:-200}" ] && return 0; sleep 0.1; done; echo "timed out waiting for $1" >&2; return 1; }

mkdir -p "$WORK/upstream"
cat >"$WORK/upstream/nginx.conf" <<NGINX
worker_processes 1; pid $WORK/upstream/nginx.pid; error_log $WORK/upstream/error.log warn; daemon off;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $WORK/upstream/body; proxy_temp_path $WORK/upstream/proxy;
  fastcgi_temp_path $WORK/upstream/fastcgi; uwsgi_temp_path $WORK/upstream/uwsgi; scgi_temp_path $WORK/upstream/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type application/json; return 200 '{"ok":true}'; } } }
NGINX
"$NGINX" -p "$WORK/upstream" -e "$WORK/upstream/error.log" -c "$WORK/upstream/nginx.conf" & PIDS+=($!)

say "starting the token issuer (:$ISSUER_PORT)"
dotnet "$MANDATE_DLL" demo issuer --port "$ISSUER_PORT" --out "$WORK/tokens" --audience mandate-bench --fresh 1 --lifetime-minutes 30 >/dev/null & PIDS+=($!)
for _ in $(seq 1 600); do [ -f "$WORK/tokens/issuer.txt" ] && break; sleep 0.1; done
ISSUER=$(cat "$WORK/tokens/issuer.txt"); TOKEN=$(cat "$WORK/tokens/token-support-bot.txt")

API_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
API_KEY_SHA=$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/admin-token"
cat >"$WORK/mandate.yaml" <<YAML
dataPlane: { listen: "127.0.0.1:$MANDATE_PORT" }
controlPlane: { listen: "127.0.0.1:$CONTROL_PORT", adminTokenFile: "$WORK/admin-token" }
dataDir: "$WORK/data"
identity:
  oidc:
    - { issuer: "$ISSUER", audiences: [ mandate-bench ], algorithms: [ ES256 ] }
policies: { directory: "$ROOT/bench/load/policies", namespace: Mandate }
entities: { file: "$ROOT/demo/entities.json" }
upstreams:
  nginx: { url: "http://127.0.0.1:$UPSTREAM_PORT" }
routes:
  - { method: GET, path: /bench, action: bench.read, resource: { type: Api, id: bench }, upstream: nginx }
decisionApis:
  authzen:
    types: { agent: Agent, api: Api }
    maxEvaluations: 1000
    clients:
      - { name: bench-pep, apiKeySha256: "$API_KEY_SHA", subjects: [ "agent:*" ] }
  envoy: { path: /envoy/check, peers: [ 127.0.0.1 ] }
YAML
ONE='{"subject":{"type":"agent","id":"support-bot"},"action":{"name":"bench.read"},"resource":{"type":"api","id":"bench"}}'
printf %s "$ONE" >"$WORK/one.json"
{ printf '{"subject":{"type":"agent","id":"support-bot"},"action":{"name":"bench.read"},"evaluations":['
  for i in $(seq 1 100); do [ "$i" -gt 1 ] && printf ','; printf '{"resource":{"type":"api","id":"bench"}}'; done
  printf ']}'; } >"$WORK/batch.json"

say "starting Mandate (:$MANDATE_PORT)"
TRACE_ENV=(); [ -n "${TRACE:-}" ] && TRACE_ENV=("DOTNET_PerfMapEnabled=1" "DOTNET_EnableWriteXorExecute=0")
env "Logging__LogLevel__Microsoft.AspNetCore=Warning" "Logging__LogLevel__Yarp=Warning" "${TRACE_ENV[@]}" \
  dotnet "$MANDATE_DLL" serve --config "$WORK/mandate.yaml" >"$WORK/mandate.log" 2>&1 & PIDS+=($!)
MANDATE_PID=${PIDS[-1]}
wait_http "http://127.0.0.1:$UPSTREAM_PORT/bench"
wait_http "http://127.0.0.1:$MANDATE_PORT/readyz" || { cat "$WORK/mandate.log" >&2; exit 1; }

# Each way answers the same allow before anything is measured.
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MANDATE_PORT/bench")" = 200 ]
curl -s -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' --data-binary @"$WORK/one.json" "http://127.0.0.1:$MANDATE_PORT/access/v1/evaluation" | grep -q '"decision":true'
[ "$(curl -s -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' --data-binary @"$WORK/batch.json" "http://127.0.0.1:$MANDATE_PORT/access/v1/evaluations" | grep -o '"decision":true' | wc -l)" = 100 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$MANDATE_PORT/envoy/check/bench")" = 200 ]

RESULTS="$WORK/results.txt"; : >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { # label url connections env…
  local label=$1 url=$2 c=$3; shift 3
  local before after line n
  if [ -n "${ONLY:-}" ] && [[ "$label" != *"${ONLY}"* ]]; then return 0; fi
  env "$@" wrk -t"$THREADS" -c"$c" -d"$WARMUP" -s bench/load/wrk-post.lua "$url" >/dev/null
  if [ -n "${TRACE:-}" ]; then (perf record -F 499 -g -p "$MANDATE_PID" -o "$TRACE" -- sleep 6 >"$TRACE.log" 2>&1 &); fi
  before=$(cpu_ticks "$MANDATE_PID")
  line=$(env "$@" wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s bench/load/wrk-post.lua "$url" | grep '^RESULT ')
  after=$(cpu_ticks "$MANDATE_PID")
  n=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  line="$line cpu_us_per_req=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')"
  echo "$label|$line" >>"$RESULTS"
  say "$label: ${line#RESULT }"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
measure "proxy, token cache hit" "http://127.0.0.1:$MANDATE_PORT/bench" "$CONNECTIONS" AUTH="$TOKEN"
measure "AuthZEN evaluation" "http://127.0.0.1:$MANDATE_PORT/access/v1/evaluation" "$CONNECTIONS" AUTH="$API_KEY" BODY_FILE="$WORK/one.json"
measure "AuthZEN batch, 100 evaluations per request" "http://127.0.0.1:$MANDATE_PORT/access/v1/evaluations" "$BATCH_CONNECTIONS" AUTH="$API_KEY" BODY_FILE="$WORK/batch.json"
measure "Envoy ext_authz check" "http://127.0.0.1:$MANDATE_PORT/envoy/check/bench" "$CONNECTIONS" AUTH="$TOKEN"

echo
echo "Decision APIs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $CONNECTIONS connections ($BATCH_CONNECTIONS for batches), $THREADS wrk threads, $DURATION per run"
awk -F'|' '
  function field(s, k,   m) { if (match(s, k "=[0-9.]+")) { m = substr(s, RSTART, RLENGTH); sub(k "=", "", m); return m + 0 } return -1 }
  { label[NR] = $1; rps[NR] = field($2, "rps"); p50[NR] = field($2, "p50_us"); p99[NR] = field($2, "p99_us"); cpu[NR] = field($2, "cpu_us_per_req"); bad[NR] = field($2, "non2xx") + field($2, "socket_errors") }
  END {
    printf "| %-38s | %9s | %12s | %7s | %7s | %14s | %6s |\n", "way", "req/s", "decisions/s", "p50 ms", "p99 ms", "Mandate CPU/req", "errors"
    printf "|%s|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------", "----------:", "-------------:", "--------:", "--------:", "----------------:", "-------:"
    for (i = 1; i <= NR; i++) {
      per = (label[i] ~ /100 evaluations/) ? 100 : 1
      printf "| %-38s | %9.0f | %12.0f | %7.2f | %7.2f | %12.1f µs | %6d |\n", label[i], rps[i], rps[i] * per, p50[i] / 1000, p99[i] / 1000, cpu[i], bad[i]
    }
    if (NR < 4) exit
    printf "\nAuthZEN evaluation CPU / proxied cache-hit CPU per request: %.2f (target <= 1.00)\n", cpu[2] / cpu[1]
    printf "batch decisions/s / single-evaluation requests/s: %.1f (target >= 20)\n", rps[3] * 100 / rps[2]
    printf "CPU per decision in a batch of 100: %.1f µs (%.2f of a single evaluation)\n", cpu[3] / 100, cpu[3] / 100 / cpu[2]
    printf "Envoy check CPU / proxied cache-hit CPU per request: %.2f\n", cpu[4] / cpu[1]
  }' "$RESULTS"
echo "load average (1/5/15 min) before measuring: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
