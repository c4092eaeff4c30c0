#!/usr/bin/env bash
# Gateway load benchmark: one local upstream (nginx returning a small JSON body), measured in ONE run
# through plain nginx as a proxy, plain YARP, and Mandate (token cache hit / a fresh ES256 token per
# request / the deny path), Mandate with its durable SQLite audit log. Everything listens on 127.0.0.1
# and everything started here is stopped on exit. See bench/load/README.md.
#
#   bench/load/run.sh                      # defaults: 50 connections, 2 threads, 10 s per run
#   DURATION=5s CONNECTIONS=100 bench/load/run.sh
#   BASELINES_ONLY=1 bench/load/run.sh     # nginx and YARP only (no Mandate)
#   TRACE=/tmp/m.perf bench/load/run.sh    # perf-sample Mandate during the cache-hit run (perf report -i …)
#   MANDATE_ENV="NAME=value …" bench/load/run.sh   # extra environment for the Mandate process only
#
# Besides req/s and latency it reports, per target, the CPU time the proxy process itself spent per request
# (from /proc/PID/stat over the measured run): on a shared machine that is steadier than req/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
FRESH_TOKENS=${FRESH_TOKENS:-150000}
PORT_BASE=${PORT_BASE:-18180}
UPSTREAM_PORT=$PORT_BASE
NGINX_PROXY_PORT=$((PORT_BASE + 1))
YARP_PORT=$((PORT_BASE + 2))
MANDATE_PORT=$((PORT_BASE + 3))
CONTROL_PORT=$((PORT_BASE + 4))
ISSUER_PORT=$((PORT_BASE + 5))
YARP_NOSPIN_PORT=$((PORT_BASE + 6))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
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

for port in $UPSTREAM_PORT $NGINX_PROXY_PORT $YARP_PORT $MANDATE_PORT $CONTROL_PORT $ISSUER_PORT $YARP_NOSPIN_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set PORT_BASE to a free range" >&2; exit 1
  fi
done

# --- build -------------------------------------------------------------------------------------
say "building Mandate and the plain YARP baseline (Release)"
dotnet build src/Mandate.Cli -c Release -nologo -v q >/dev/null
dotnet build bench/Mandate.Bench.PlainYarp -c Release -nologo -v q >/dev/null
MANDATE_DLL="$ROOT/src/Mandate.Cli/bin/Release/net10.0/mandate.dll"
YARP_DLL="$ROOT/bench/Mandate.Bench.PlainYarp/bin/Release/net10.0/Mandate.Bench.PlainYarp.dll"

WORK=$(mktemp -d -t mandate-load.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url [expected status]
  local url=$1 want=${2:-200} code
  for _ in $(seq 1 200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [ "$code" = "$want" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $url to answer $want (last: $code)" >&2; return 1
}

# --- upstream and nginx proxy ------------------------------------------------------------------
nginx_conf() { # name server-block
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$1/body;
  proxy_temp_path $WORK/$1/proxy;
  fastcgi_temp_path $WORK/$1/fastcgi;
  uwsgi_temp_path $WORK/$1/uwsgi;
  scgi_temp_path $WORK/$1/scgi;
  keepalive_requests 1000000;
  $2
}
NGINX
}
nginx_conf upstream "server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type application/json; return 200 '{\"ok\":true,\"from\":\"upstream\"}'; } }"
nginx_conf proxy "upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
  server { listen 127.0.0.1:$NGINX_PROXY_PORT; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

say "starting upstream (nginx :$UPSTREAM_PORT), nginx proxy (:$NGINX_PROXY_PORT), plain YARP (:$YARP_PORT)"
"$NGINX" -p "$WORK/upstream" -e "$WORK/upstream/error.log" -c "$WORK/upstream/nginx.conf" & PIDS+=($!)
"$NGINX" -p "$WORK/proxy" -e "$WORK/proxy/error.log" -c "$WORK/proxy/nginx.conf" & PIDS+=($!)
NGINX_PROXY_PID=${PIDS[-1]}
dotnet "$YARP_DLL" --listen "127.0.0.1:$YARP_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT" & PIDS+=($!)
YARP_PID=${PIDS[-1]}
# The same YARP with the thread-pool setting Mandate's runtimeconfig carries (workers do not spin before
# sleeping), so the effect of that setting is visible apart from Mandate's own work.
env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$YARP_DLL" --listen "127.0.0.1:$YARP_NOSPIN_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT" & PIDS+=($!)
YARP_NOSPIN_PID=${PIDS[-1]}

# --- token issuer and Mandate ------------------------------------------------------------------
if [ "${BASELINES_ONLY:-0}" != 1 ]; then
say "starting the token issuer (:$ISSUER_PORT) and minting $FRESH_TOKENS distinct ES256 tokens"
dotnet "$MANDATE_DLL" demo issuer --port "$ISSUER_PORT" --out "$WORK/tokens" --audience mandate-bench \
  --fresh "$FRESH_TOKENS" --lifetime-minutes 30 >/dev/null & PIDS+=($!)
for _ in $(seq 1 600); do [ -f "$WORK/tokens/issuer.txt" ] && break; sleep 0.1; done
[ -f "$WORK/tokens/issuer.txt" ] || { echo "the issuer did not start" >&2; exit 1; }
ISSUER=$(cat "$WORK/tokens/issuer.txt")
ALLOW_TOKEN=$(cat "$WORK/tokens/token-support-bot.txt")
DENY_TOKEN=$(cat "$WORK/tokens/token-intern-bot.txt")

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
policies:
  directory: "$ROOT/bench/load/policies"
  namespace: Mandate
entities:
  file: "$ROOT/demo/entities.json"
upstreams:
  nginx:
    url: "http://127.0.0.1:$UPSTREAM_PORT"
routes:
  - { method: GET, path: /bench, action: bench.read, resource: { type: Api, id: bench }, upstream: nginx }
YAML
say "starting Mandate (:$MANDATE_PORT) with its SQLite audit log in $WORK/data"
# `mandate serve` logs at Information, which includes ASP.NET Core's and YARP's lines for every
# request; written to a console or file that is the bottleneck, not the gateway. The benchmark turns
# those categories down to Warning (REQUEST_LOGS=1 keeps them).
LOG_ENV=()
if [ "${REQUEST_LOGS:-0}" != 1 ]; then
  LOG_ENV=("Logging__LogLevel__Microsoft.AspNetCore=Warning" "Logging__LogLevel__Yarp=Warning")
fi
[ -n "${TRACE:-}" ] && LOG_ENV+=("DOTNET_PerfMapEnabled=1" "DOTNET_EnableWriteXorExecute=0")
[ -n "${MANDATE_ENV:-}" ] && LOG_ENV+=($MANDATE_ENV)
env "${LOG_ENV[@]}" dotnet "$MANDATE_DLL" serve --config "$WORK/mandate.yaml" >"$WORK/mandate.log" 2>&1 & PIDS+=($!)

wait_http "http://127.0.0.1:$UPSTREAM_PORT/bench"
wait_http "http://127.0.0.1:$NGINX_PROXY_PORT/bench"
wait_http "http://127.0.0.1:$YARP_PORT/bench"
wait_http "http://127.0.0.1:$YARP_NOSPIN_PORT/bench"
wait_http "http://127.0.0.1:$MANDATE_PORT/readyz" || { cat "$WORK/mandate.log" >&2; exit 1; }

# The three Mandate paths answer as intended before anything is measured.
check() { # expected token-or-empty
  local got
  got=$(curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Authorization: Bearer $2"} "http://127.0.0.1:$MANDATE_PORT/bench")
  [ "$got" = "$1" ] || { echo "Mandate answered $got, expected $1; log:" >&2; cat "$WORK/mandate.log" >&2; exit 1; }
}
check 200 "$ALLOW_TOKEN"; check 403 "$DENY_TOKEN"; check 401 ""
else
  wait_http "http://127.0.0.1:$UPSTREAM_PORT/bench"
  wait_http "http://127.0.0.1:$NGINX_PROXY_PORT/bench"
  wait_http "http://127.0.0.1:$YARP_PORT/bench"
  wait_http "http://127.0.0.1:$YARP_NOSPIN_PORT/bench"
fi

# --- measure -----------------------------------------------------------------------------------
RESULTS="$WORK/results.txt"; : >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # pid: user+system clock ticks of the process so far (nginx: the master's workers are its children)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
run_wrk() { # label url pid measured-env… : one measured wrk run, appended to RESULTS with the process CPU per request
  local label=$1 url=$2 pid=$3; shift 3
  local before after line n
  before=$(cpu_ticks "$pid")
  line=$(env "$@" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/wrk-report.lua "$url" | grep '^RESULT ')
  after=$(cpu_ticks "$pid")
  n=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  line="$line cpu_us_per_req=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')"
  echo "$label|$line" >>"$RESULTS"
  say "$label: ${line#RESULT }"
}
measure() { # label url pid [TOKEN=… | TOKENS_FILE=…]
  local label=$1 url=$2 pid=$3; shift 3
  env "$@" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/load/wrk-report.lua "$url" >/dev/null
  run_wrk "$label" "$url" "$pid" "$@"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "measuring: $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run (after a $WARMUP warm-up)"
measure "upstream direct (reference)" "http://127.0.0.1:$UPSTREAM_PORT/bench" "${PIDS[0]}"
measure "nginx proxy" "http://127.0.0.1:$NGINX_PROXY_PORT/bench" "$NGINX_PROXY_PID"
measure "plain YARP" "http://127.0.0.1:$YARP_PORT/bench" "$YARP_PID"
measure "plain YARP, workers not spinning" "http://127.0.0.1:$YARP_NOSPIN_PORT/bench" "$YARP_NOSPIN_PID"
if [ "${BASELINES_ONLY:-0}" != 1 ]; then
MANDATE_PID=${PIDS[-1]}
if [ -n "${TRACE:-}" ]; then
  # TRACE=out.data: sample Mandate's CPU with perf during the cache-hit run (JIT frames named through the
  # perf map Mandate writes when started with DOTNET_PerfMapEnabled=1, which TRACE also sets).
  (sleep "${WARMUP%s}"; perf record -F 499 -g -p "$MANDATE_PID" -o "$TRACE" -- sleep 8 >"$TRACE.log" 2>&1) &
  TRACE_PID=$!
fi
measure "Mandate, token cache hit" "http://127.0.0.1:$MANDATE_PORT/bench" "$MANDATE_PID" TOKEN="$ALLOW_TOKEN"
if [ -n "${TRACE:-}" ]; then wait "$TRACE_PID" || echo "perf record failed: $(cat "$TRACE.log")" >&2; fi
# The fresh-token run warms up in two steps: the cached token first (as for the other runs), then a few
# seconds of fresh tokens from the head of the minted list, so that the signature-verifying path is
# compiled at its final tier before measuring (without it the JIT was ≈ 9 % of the measured run's
# samples). The measured run then uses the rest of the list, none of them seen before.
FRESH_WARMUP_TOKENS=${FRESH_WARMUP_TOKENS:-30000}
measure_fresh() {
  env TOKEN="$ALLOW_TOKEN" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/load/wrk-report.lua "http://127.0.0.1:$MANDATE_PORT/bench" >/dev/null
  head -n "$FRESH_WARMUP_TOKENS" "$WORK/tokens/tokens-fresh.txt" >"$WORK/tokens/tokens-fresh-warmup.txt"
  tail -n +"$((FRESH_WARMUP_TOKENS + 1))" "$WORK/tokens/tokens-fresh.txt" >"$WORK/tokens/tokens-fresh-measured.txt"
  env TOKENS_FILE="$WORK/tokens/tokens-fresh-warmup.txt" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d4s -s bench/load/wrk-report.lua "http://127.0.0.1:$MANDATE_PORT/bench" >/dev/null
  run_wrk "Mandate, fresh ES256 token per request" "http://127.0.0.1:$MANDATE_PORT/bench" "$MANDATE_PID" TOKENS_FILE="$WORK/tokens/tokens-fresh-measured.txt"
}
measure_fresh
measure "Mandate, deny path (403)" "http://127.0.0.1:$MANDATE_PORT/bench" "$MANDATE_PID" TOKEN="$DENY_TOKEN"
fi

# --- report ------------------------------------------------------------------------------------
AUDIT_RECORDS=$(find "$WORK/data" -name '*.db' -exec du -ch {} + 2>/dev/null | tail -1 | cut -f1 || true)
echo
echo "Gateway load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $CONNECTIONS connections, $THREADS wrk threads, $DURATION per run"
awk -F'|' '
  function field(s, k,   m) { if (match(s, k "=[0-9.]+")) { m = substr(s, RSTART, RLENGTH); sub(k "=", "", m); return m + 0 } return -1 }
  {
    label[NR] = $1; rps[NR] = field($2, "rps"); p50[NR] = field($2, "p50_us"); p99[NR] = field($2, "p99_us")
    non2xx[NR] = field($2, "non2xx"); errs[NR] = field($2, "socket_errors"); wrapped[NR] = field($2, "tokens_wrapped")
    cpu[NR] = field($2, "cpu_us_per_req")
  }
  END {
    printf "| %-40s | %10s | %8s | %8s | %12s | %8s | %6s |\n", "target", "req/s", "p50 ms", "p99 ms", "proxy CPU/req", "non-2xx", "errors"
    printf "|%s|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------", "-----------:", "---------:", "---------:", "-------------:", "---------:", "-------:"
    for (i = 1; i <= NR; i++) {
      printf "| %-40s | %10.0f | %8.2f | %8.2f | %10.1f µs | %8d | %6d |\n", label[i], rps[i], p50[i] / 1000, p99[i] / 1000, cpu[i], non2xx[i], errs[i]
      if (label[i] == "plain YARP") y = i
      if (label[i] ~ /not spinning/) ys = i
      if (label[i] == "Mandate, token cache hit") m = i
      if (label[i] ~ /fresh/) f = i
      if (label[i] ~ /deny/) d = i
    }
    if (y && m) {
      printf "\nMandate/YARP requests/s (token cache hit): %.2f (target >= 0.80)\n", rps[m] / rps[y]
      printf "added p99 vs plain YARP (token cache hit): %.2f ms (target <= 1 ms)\n", (p99[m] - p99[y]) / 1000
      if (cpu[y] > 0) printf "Mandate/YARP proxy CPU per request (token cache hit): %.2f\n", cpu[m] / cpu[y]
    }
    if (ys && m) printf "Mandate/YARP-not-spinning requests/s (token cache hit): %.2f\n", rps[m] / rps[ys]
    if (y && f) printf "Mandate/YARP requests/s (fresh ES256 token): %.2f\n", rps[f] / rps[y]
    if (y && d) printf "Mandate/YARP requests/s (deny path): %.2f\n", rps[d] / rps[y]
    if (f && wrapped[f] == 1) print "note: the fresh-token run used up its tokens and repeated some (raise FRESH_TOKENS)"
  }' "$RESULTS"
echo "audit database size after the run: ${AUDIT_RECORDS:-unknown}"
echo "load average (1/5/15 min) before measuring: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
