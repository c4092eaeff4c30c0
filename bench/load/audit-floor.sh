#!/usr/bin/env bash
# What the durable audit append costs the gateway: HEAD's Mandate against the same code with parts of the
# append left out (bench/load/audit-floor.patch, measurement only), each pair side by side with plain YARP
# through bench/load/ab.sh. See bench/load/README.md and docs/benchmarks.md ("What the durable audit costs").
#
#   bench/load/audit-floor.sh [ROUNDS]                   # default 3 rounds per variant, about 8 minutes
#   VARIANTS="nowrite" bench/load/audit-floor.sh 2
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ROUNDS=${1:-3}
VARIANTS=${VARIANTS:-"nosync nowrite instant"}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK=$(mktemp -d -t mandate-floor.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# Both builds come from HEAD (uncommitted changes are left out of both), built to folders of their own.
git archive HEAD | tar -x -C "$WORK" --one-top-level=src-base
git archive HEAD | tar -x -C "$WORK" --one-top-level=src-floor
(cd "$WORK/src-floor" && git apply "$ROOT/bench/load/audit-floor.patch")
echo "building HEAD ($(git rev-parse --short HEAD)) and the measurement-only variant (Release)" >&2
dotnet build "$WORK/src-base/src/Mandate.Cli" -c Release -nologo -v q -o "$WORK/base" >/dev/null
dotnet build "$WORK/src-floor/src/Mandate.Cli" -c Release -nologo -v q -o "$WORK/floor" >/dev/null

for variant in $VARIANTS; do
  echo "== A: HEAD, durable audit; B: MANDATE_AUDIT_FLOOR=$variant"
  ENV_B="MANDATE_AUDIT_FLOOR=$variant" bench/load/ab.sh "$WORK/base/mandate.dll" "$WORK/floor/mandate.dll" "$ROUNDS"
done
