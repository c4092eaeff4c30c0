#!/usr/bin/env bash
# MCP latency benchmark: the same tools/call sent directly to an MCP server (official SDK, stateless Streamable
# HTTP) and through Mandate (JWT verification, strict JSON-RPC parse, Cedar decision, durable SQLite audit record,
# forward, SSE relay), in ONE process and ONE run, alternating rounds; prints p50/p90/p99, the added latency and
# the ratio, and calls per second with concurrent callers.
#
#   bench/mcp/run.sh
#   ROUNDS=10 CALLS=500 CONCURRENCY=32 SECONDS=10 bench/mcp/run.sh
#
# Client, Mandate and the MCP server share the machine's cores, so absolute figures understate a deployment;
# the direct-vs-Mandate comparison within one run is the point.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Mandate.Bench.Mcp -c Release -nologo -v q >/dev/null
exec dotnet bench/Mandate.Bench.Mcp/bin/Release/net10.0/Mandate.Bench.Mcp.dll
