#!/usr/bin/env bash
# Token exchange load benchmark: `mandate serve` with a `tokens` section; wrk POSTs RFC 8693 exchanges
# (actor = an ES256 agent token from `mandate demo issuer`, the agent opening a task for itself) and, in the
# same run against the same process, GET /healthz as the baseline. Every exchange goes the full way: form
# parse, actor token (verified-token cache), plan, Cedar decision, audit record made durable, token signed
# (ES256) and its record made durable in tokens.db. Everything listens on 127.0.0.1 and is stopped on exit.
#
#   bench/load/tokens.sh                     # 50 connections, 2 wrk threads, 10 s per run
#   DURATION=5s CONNECTIONS=100 bench/load/tokens.sh
#   TRACE=/tmp/t.perf bench/load/tokens.sh   # perf-sample Mandate during the exchange run (perf report -i …)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PORT_BASE=${PORT_BASE:-18280}
MANDATE_PORT=$PORT_BASE
CONTROL_PORT=$((PORT_BASE + 1))
ISSUER_PORT=$((PORT_BASE + 2))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
for port in $MANDATE_PORT $CONTROL_PORT $ISSUER_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set PORT_BASE to a free range" >&2; exit 1
  fi
done

say "building Mandate (Release)"
dotnet build src/Mandate.Cli -c Release -nologo -v q >/dev/null
MANDATE_DLL="$ROOT/src/Mandate.Cli/bin/Release/net10.0/mandate.dll"

WORK=$(mktemp -d -t mandate-tokens.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting the agent token issuer (:$ISSUER_PORT)"
dotnet "$MANDATE_DLL" demo issuer --port "$ISSUER_PORT" --out "$WORK/tokens" --audience mandate-bench --fresh 1 --lifetime-minutes 30 >/dev/null & PIDS+=($!)
for _ in $(seq 1 600); do [ -f "$WORK/tokens/issuer.txt" ] && break; sleep 0.1; done
[ -f "$WORK/tokens/issuer.txt" ] || { echo "the issuer did not start" >&2; exit 1; }
ISSUER=$(cat "$WORK/tokens/issuer.txt")
ACTOR_TOKEN=$(cat "$WORK/tokens/token-finance-agent.txt")

mkdir -p "$WORK/policies"
cat >"$WORK/policies/tokens.cedar" <<'CEDAR'
@id("agents-may-open-own-tasks")
permit (principal, action == Mandate::Action::"token.exchange", resource is Mandate::Agent)
when { resource == principal && context.exchange.lifetime_seconds <= 900 };
CEDAR
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/admin-token"
cat >"$WORK/mandate.yaml" <<YAML
dataPlane:
  listen: "127.0.0.1:$MANDATE_PORT"
controlPlane:
  listen: "127.0.0.1:$CONTROL_PORT"
  adminTokenFile: "$WORK/admin-token"
dataDir: "$WORK/data"
identity:
  oidc:
    - issuer: "$ISSUER"
      audiences: [ mandate-bench ]
      algorithms: [ ES256 ]
tokens:
  issuer: "http://127.0.0.1:$MANDATE_PORT"
  maxLifetimeSeconds: 900
policies:
  directory: "$WORK/policies"
  namespace: Mandate
entities:
  file: "$ROOT/demo/entities.json"
upstreams:
  none:
    url: "http://127.0.0.1:9"
routes:
  - { method: GET, path: /unused, action: bench.read, resource: { type: Api, id: bench }, upstream: none }
YAML
say "starting Mandate (:$MANDATE_PORT), audit log and tokens.db in $WORK/data"
TRACE_ENV=(); [ -n "${TRACE:-}" ] && TRACE_ENV=("DOTNET_PerfMapEnabled=1" "DOTNET_EnableWriteXorExecute=0")
env "Logging__LogLevel__Microsoft.AspNetCore=Warning" "Logging__LogLevel__Yarp=Warning" "${TRACE_ENV[@]}" \
  dotnet "$MANDATE_DLL" serve --config "$WORK/mandate.yaml" >"$WORK/mandate.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANDATE_PORT/readyz" || true)" = 200 ] && break; sleep 0.1
done

# One exchange by hand before anything is measured: it must issue a token.
FORM="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&actor_token=$ACTOR_TOKEN&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt&scope=bench%3Aread"
ANSWER=$(curl -s -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "$FORM" "http://127.0.0.1:$MANDATE_PORT/oauth2/token")
case "$ANSWER" in *access_token*) ;; *) echo "the exchange failed: $ANSWER" >&2; cat "$WORK/mandate.log" >&2; exit 1 ;; esac

RESULTS="$WORK/results.txt"; : >"$RESULTS"
measure() { # label url script [env…]
  local label=$1 url=$2 script=$3; shift 3
  env "$@" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$script" "$url" >/dev/null
  local line
  line=$(env "$@" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url" | grep '^RESULT ')
  echo "$label|$line" >>"$RESULTS"
  say "$label: ${line#RESULT }"
}
say "measuring: $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run (after a $WARMUP warm-up)"
measure "GET /healthz (baseline, same process)" "http://127.0.0.1:$MANDATE_PORT/healthz" bench/load/wrk-report.lua
MANDATE_PID=${PIDS[-1]}
if [ -n "${TRACE:-}" ]; then
  (sleep "${WARMUP%s}"; perf record -F 499 -g -p "$MANDATE_PID" -o "$TRACE" -- sleep 6 >"$TRACE.log" 2>&1) &
  TRACE_PID=$!
fi
measure "POST /oauth2/token (exchange)" "http://127.0.0.1:$MANDATE_PORT/oauth2/token" bench/load/wrk-exchange.lua ACTOR_TOKEN="$ACTOR_TOKEN"
[ -n "${TRACE:-}" ] && { wait "$TRACE_PID" || echo "perf record failed: $(cat "$TRACE.log")" >&2; }

echo
echo "Token exchange load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run"
awk -F'|' '
  function field(s, k,   m) { if (match(s, k "=[0-9.]+")) { m = substr(s, RSTART, RLENGTH); sub(k "=", "", m); return m + 0 } return -1 }
  { label[NR] = $1; rps[NR] = field($2, "rps"); p50[NR] = field($2, "p50_us"); p99[NR] = field($2, "p99_us"); non2xx[NR] = field($2, "non2xx"); errs[NR] = field($2, "socket_errors") }
  END {
    printf "| %-40s | %10s | %8s | %8s | %8s | %6s |\n", "target", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors"
    printf "|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------", "-----------:", "---------:", "---------:", "---------:", "-------:"
    for (i = 1; i <= NR; i++) printf "| %-40s | %10.0f | %8.2f | %8.2f | %8d | %6d |\n", label[i], rps[i], p50[i] / 1000, p99[i] / 1000, non2xx[i], errs[i]
    if (NR == 2) printf "\nexchanges/s over /healthz req/s: %.3f; exchanges/s: %.0f (target >= 5000)\n", rps[2] / rps[1], rps[2]
  }' "$RESULTS"
echo "tokens.db: $(du -h "$WORK/data/tokens.db" 2>/dev/null | cut -f1); load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
