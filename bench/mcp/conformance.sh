#!/usr/bin/env bash
# MCP conformance: every server scenario of @modelcontextprotocol/conformance@0.1.13 (node 20), run against an
# MCP server built with the official C# SDK directly and through Mandate (/mcp/sdk), printed as a markdown table.
#   bench/mcp/conformance.sh                      # all server scenarios
#   SCENARIOS=ping,tools-list bench/mcp/conformance.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SUITE_DIR="${CONFORMANCE_DIR:-${TMPDIR:-/tmp}/mandate-mcp-conformance-0.1.13}"
SUITE="$SUITE_DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js"
if [ ! -f "$SUITE" ]; then
  mkdir -p "$SUITE_DIR"
  (cd "$SUITE_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund @modelcontextprotocol/conformance@0.1.13 >/dev/null)
fi
dotnet build bench/Mandate.Conformance.Mcp -c Release -nologo -v q >/dev/null
exec dotnet bench/Mandate.Conformance.Mcp/bin/Release/net10.0/Mandate.Conformance.Mcp.dll "$SUITE" "$PWD/bench/mcp/conformance-auth.cjs"
