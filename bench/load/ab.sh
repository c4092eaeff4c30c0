#!/usr/bin/env bash
# A/B comparison of two Mandate builds (or one build under two environments) side by side: both gateways
# and plain YARP run at once against the same upstream and token issuer, and the measured runs alternate
# A, B, YARP round after round, so that the machine's drift hits all three alike. Everything listens on
# 127.0.0.1 and everything started here is stopped on exit. See bench/load/README.md.
#
#   bench/load/ab.sh DLL_A DLL_B [ROUNDS]          # e.g. two copies of src/Mandate.Cli/bin/Release/net10.0/mandate.dll
#   ENV_B="NAME=value" bench/load/ab.sh X X 3      # the same build, B with extra environment
#   PERF_A=/tmp/a.perf bench/load/ab.sh …          # perf-sample A during one extra run before the rounds
#   YAML_B="$(cat bench/load/observability.yaml)" bench/load/ab.sh X X 3   # B with extra configuration (appended;
#                                                   # OTLP can go to the upstream nginx, which answers /v1/* with 200)
#   YAML_B="audit: { durability: power_loss }" bench/load/ab.sh X X 3   # B with extra configuration
#   RATES="1000 2000 5000" bench/load/ab.sh A B 3   # then open loop: h2load at fixed arrival rates, direct,
#                                                   # nginx, YARP, A and B in the same run; p50/p99/p99.9 added
#                                                   # over direct (installs nghttp2-client when missing)
#
# Prints, per run: req/s, p99 and the gateway process's own CPU time per request (/proc/PID/stat), then
# per round the ratios A/YARP and B/YARP of req/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

[ $# -ge 2 ] || { sed -n 2,13p "$0" >&2; exit 2; }
DLL_A=$(realpath "$1"); DLL_B=$(realpath "$2"); ROUNDS=${3:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-12s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PORT_BASE=${PORT_BASE:-18380}
UPSTREAM_PORT=$PORT_BASE
YARP_PORT=$((PORT_BASE + 2))
ISSUER_PORT=$((PORT_BASE + 5))
A_PORT=$((PORT_BASE + 11)); B_PORT=$((PORT_BASE + 12))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ -n "${RATES:-}" ] && ! command -v h2load >/dev/null; then
  # Debian's nghttp2-client has h2load; the tests do not need it, so it is installed here, not by test.sh.
  if [ "$(id -u)" = 0 ]; then apt-get install -y nghttp2-client >/dev/null; else sudo apt-get install -y nghttp2-client >/dev/null; fi
fi
for tool in wrk curl; do command -v $tool >/dev/null || { echo "$tool is missing (bench/load/run.sh installs it)" >&2; exit 1; }; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is missing (bench/load/run.sh installs it)" >&2; exit 1; }
for port in $UPSTREAM_PORT $YARP_PORT $ISSUER_PORT $A_PORT $B_PORT $((A_PORT + 10)) $((B_PORT + 10)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set PORT_BASE to a free range" >&2; exit 1
  fi
done

dotnet build bench/Mandate.Bench.PlainYarp -c Release -nologo -v q >/dev/null
YARP_DLL="$ROOT/bench/Mandate.Bench.PlainYarp/bin/Release/net10.0/Mandate.Bench.PlainYarp.dll"

WORK=$(mktemp -d -t mandate-ab.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

mkdir -p "$WORK/up"
cat >"$WORK/up/nginx.conf" <<NGINX
worker_processes auto; pid $WORK/up/nginx.pid; error_log $WORK/up/error.log warn; daemon off;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000;
  client_body_temp_path $WORK/up/b; proxy_temp_path $WORK/up/p; fastcgi_temp_path $WORK/up/f; uwsgi_temp_path $WORK/up/u; scgi_temp_path $WORK/up/s;
  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type application/json; return 200 '{"ok":true,"from":"upstream"}'; }
           location /v1/ { default_type application/x-protobuf; return 200 ''; } }
}
NGINX
"$NGINX" -p "$WORK/up" -e "$WORK/up/error.log" -c "$WORK/up/nginx.conf" & PIDS+=($!)
dotnet "$YARP_DLL" --listen "127.0.0.1:$YARP_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT" >"$WORK/yarp.log" 2>&1 & PIDS+=($!); YARP_PID=$!
dotnet "$DLL_A" demo issuer --port "$ISSUER_PORT" --out "$WORK/tokens" --audience mandate-bench --fresh 10 --lifetime-minutes 60 >"$WORK/issuer.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do [ -f "$WORK/tokens/issuer.txt" ] && break; sleep 0.1; done
ISSUER=$(cat "$WORK/tokens/issuer.txt"); TOKEN=$(cat "$WORK/tokens/token-support-bot.txt")
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/admin-token"

start_mandate() { # name dll port extra-env [extra-yaml]
  cat >"$WORK/$1.yaml" <<YAML
dataPlane: { listen: "127.0.0.1:$3" }
controlPlane: { listen: "127.0.0.1:$(($3 + 10))", adminTokenFile: "$WORK/admin-token" }
dataDir: "$WORK/data-$1"
identity: { oidc: [ { issuer: "$ISSUER", audiences: [ mandate-bench ], algorithms: [ ES256 ] } ] }
policies: { directory: "$ROOT/bench/load/policies", namespace: Mandate }
entities: { file: "$ROOT/demo/entities.json" }
upstreams: { nginx: { url: "http://127.0.0.1:$UPSTREAM_PORT" } }
routes:
  - { method: GET, path: /bench, action: bench.read, resource: { type: Api, id: bench }, upstream: nginx }
YAML
  printf '%s\n' "${5:-}" | sed "s|\$UPSTREAM|http://127.0.0.1:$UPSTREAM_PORT|g" >>"$WORK/$1.yaml"
  # shellcheck disable=SC2086 # the extra environment is a list of NAME=value words
  env Logging__LogLevel__Microsoft.AspNetCore=Warning Logging__LogLevel__Yarp=Warning $4 dotnet "$2" serve --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
start_mandate a "$DLL_A" "$A_PORT" "${ENV_A:-}" "${YAML_A:-}"; A_PID=${PIDS[-1]}
start_mandate b "$DLL_B" "$B_PORT" "${ENV_B:-}" "${YAML_B:-}"; B_PID=${PIDS[-1]}
for u in "$UPSTREAM_PORT/bench" "$YARP_PORT/bench" "$A_PORT/readyz" "$B_PORT/readyz"; do
  for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$u")" = 200 ] && break; sleep 0.1; done
done
for side in "a $A_PORT" "b $B_PORT"; do
  set -- $side
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/bench")
  [ "$code" = 200 ] || { echo "gateway $1 answered $code instead of 200:" >&2; cat "$WORK/$1.log" >&2; exit 1; }
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run LABEL PORT PID DURATION [TOKEN] → "LABEL rps=… p99_us=… cpu_us=…"
run() {
  local before after line requests
  before=$(ticks "$3")
  line=$(env TOKEN="${5:-}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s "$ROOT/bench/load/wrk-report.lua" "http://127.0.0.1:$2/bench" | grep '^RESULT')
  after=$(ticks "$3")
  requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
  echo "$1 $(grep -o 'rps=[0-9.]*' <<<"$line") $(grep -o 'p99_us=[0-9]*' <<<"$line") cpu_us=$(awk -v t=$((after - before)) -v n="$requests" 'BEGIN { printf "%.1f", t / 100 * 1e6 / n }')"
}
rps() { sed 's/.*rps=\([0-9.]*\).*/\1/' <<<"$1"; }

echo "load average before warm-up: $(cut -d' ' -f1-3 /proc/loadavg)"
run warm-a "$A_PORT" "$A_PID" "$WARMUP" "$TOKEN" >/dev/null
run warm-b "$B_PORT" "$B_PID" "$WARMUP" "$TOKEN" >/dev/null
run warm-yarp "$YARP_PORT" "$YARP_PID" 5s >/dev/null
if [ -n "${PERF_A:-}" ]; then
  (perf record -F 999 -g -p "$A_PID" -o "$PERF_A" -- sleep 8 >/dev/null 2>&1 &)
  run perf-a "$A_PORT" "$A_PID" 10s "$TOKEN"
fi
for r in $(seq 1 "$ROUNDS"); do
  a=$(run A "$A_PORT" "$A_PID" "$DURATION" "$TOKEN"); echo "$a"
  b=$(run B "$B_PORT" "$B_PID" "$DURATION" "$TOKEN"); echo "$b"
  y=$(run YARP "$YARP_PORT" "$YARP_PID" "$DURATION"); echo "$y"
  awk -v r="$r" -v a="$(rps "$a")" -v b="$(rps "$b")" -v y="$(rps "$y")" 'BEGIN { printf "round %d: A/YARP %.2f  B/YARP %.2f\n", r, a / y, b / y }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for side in a b; do
  du_bytes=$(du -sb "$WORK/data-$side" | cut -f1)
  records=$(ls "$WORK/data-$side/audit" >/dev/null 2>&1 && dotnet "$DLL_B" audit verify --data-dir "$WORK/data-$side" | sed -n 's/^ok: \([0-9]*\) records.*/\1/p' || true)
  echo "disk $side: $du_bytes bytes in $WORK/data-$side${records:+, $records records, $((du_bytes / (records > 0 ? records : 1))) bytes per record}"
done

[ -n "${RATES:-}" ] || exit 0
# Open loop: h2load sends at a fixed rate whatever the answers do (each of CLIENTS connections at RATE/CLIENTS per
# second, so a connection is never still waiting for its previous answer unless one takes longer than
# CLIENTS/RATE seconds); latencies come from its per-request log. nginx as a reverse proxy is the third gateway.
OL_CLIENTS=${OL_CLIENTS:-100}; OL_SECONDS=${OL_SECONDS:-15}; NGINX_PROXY_PORT=$((PORT_BASE + 3))
mkdir -p "$WORK/px"
cat >"$WORK/px/nginx.conf" <<NGINX
worker_processes 1; pid $WORK/px/nginx.pid; error_log $WORK/px/error.log warn; daemon off;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000;
  client_body_temp_path $WORK/px/b; proxy_temp_path $WORK/px/p; fastcgi_temp_path $WORK/px/f; uwsgi_temp_path $WORK/px/u; scgi_temp_path $WORK/px/s;
  upstream up { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PROXY_PORT; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
"$NGINX" -p "$WORK/px" -e "$WORK/px/error.log" -c "$WORK/px/nginx.conf" & PIDS+=($!)
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PROXY_PORT/bench")" = 200 ] && break; sleep 0.1; done
# openloop LABEL PORT RATE [TOKEN] → "LABEL rate=… p50_us=… p99_us=… p999_us=… errors=…"
openloop() {
  local log="$WORK/h2-$1-$3.log" per=$(( $3 / OL_CLIENTS ))
  rm -f "$log"
  h2load --h1 -c "$OL_CLIENTS" --rps "$per" -D "$OL_SECONDS" --warm-up-time 2 --log-file "$log" \
    ${4:+-H "Authorization: Bearer $4"} "http://127.0.0.1:$2/bench" >"$WORK/h2-$1-$3.out" 2>&1 || true
  sort -n -k3,3 "$log" | awk -v l="$1" -v r="$3" '{ v[NR] = $3; if ($2 != 200) e++ } END {
    n = NR; if (n == 0) { print l, "rate=" r, "no requests"; exit }
    printf "%s rate=%d n=%d p50_us=%d p99_us=%d p999_us=%d errors=%d\n", l, r, n, v[int(n*0.5)+1], v[int(n*0.99)+1], v[int(n*0.999)+1], e + 0 }'
}
field() { sed "s/.*$2=\([0-9]*\).*/\1/" <<<"$1"; }
echo "open loop, $OL_CLIENTS connections, ${OL_SECONDS}s per run; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for rate in $RATES; do
  d=$(openloop direct "$UPSTREAM_PORT" "$rate"); echo "$d"
  for g in "nginx $NGINX_PROXY_PORT" "YARP $YARP_PORT" "A $A_PORT $TOKEN" "B $B_PORT $TOKEN"; do
    set -- $g
    o=$(openloop "$1" "$2" "$rate" "${3:-}")
    echo "$o  added: p50 $(( $(field "$o" p50_us) - $(field "$d" p50_us) )) us, p99 $(( $(field "$o" p99_us) - $(field "$d" p99_us) )) us, p99.9 $(( $(field "$o" p999_us) - $(field "$d" p999_us) )) us"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
