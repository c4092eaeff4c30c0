#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed".
# It installs what the tests need itself, so it works on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The conformance data lives beside the repo (../shared/conformance); tests find it through this.
if [ -z "${MANDATE_CONFORMANCE_DIR:-}" ]; then
  for c in ../shared/conformance ../../shared/conformance /work/shared/conformance; do
    if [ -d "$c" ]; then export MANDATE_CONFORMANCE_DIR="$(cd "$c" && pwd)"; break; fi
  done
fi

# The nginx auth_request test runs a real nginx (Debian's nginx-light, as bench/load/run.sh does).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx-light for the nginx auth_request test"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) >/dev/null 2>&1 ||
    echo "could not install nginx-light: the nginx auth_request test will fail"
fi

log=$(mktemp -t mandate-test.XXXXXX)
dotnet build Mandate.slnx -c Release -nologo -v q 2>&1 | tail -n 30
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Mandate.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# Sum the per-project rows ("Passed!  - Failed: 0, Passed: 9, Skipped: 0, Total: 9").
read -r passed failed < <(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\2 \1/' |
  awk '{p+=$1; f+=$2} END {print p+0, f+0}')
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# Coverage-guided fuzzing for a short fixed time per target (AFL++ + SharpFuzz; fuzz/run.sh installs what it needs).
# The corpus and every stored crash were already replayed above (tests/Mandate.Fuzz.Tests); this searches for new
# ones. Each target counts as one test: passed when AFL++ found no crash and no hang. MANDATE_FUZZ_SECONDS=0 skips it.
fuzz_seconds="${MANDATE_FUZZ_SECONDS:-20}"
if [ "$fuzz_seconds" -gt 0 ]; then
  fuzz_log=$(mktemp -t mandate-fuzz.XXXXXX)
  fuzz_out=$(mktemp -d -t mandate-fuzz-out.XXXXXX)
  fuzz/run.sh --no-build --seconds "$fuzz_seconds" --out "$fuzz_out" 2>&1 | tee "$fuzz_log"
  fuzz_rc=${PIPESTATUS[0]}
  fuzz_passed=$(grep -cE '^fuzz: [a-z-]+ .* 0 crashes +0 hangs$' "$fuzz_log")
  fuzz_failed=$(grep -E '^fuzz: [a-z-]+ +[0-9]+s ' "$fuzz_log" | grep -cvE ' 0 crashes +0 hangs$')
  if [ "$fuzz_rc" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then fuzz_failed=1; fi
  passed=$((passed + fuzz_passed)); failed=$((failed + fuzz_failed))
  if [ "$fuzz_rc" -ne 0 ] && [ "$rc" -eq 0 ]; then rc=1; fi
  rm -f "$fuzz_log"
  # A finding's inputs stay (and are printed in base64 above) so it can be reproduced; a clean run leaves nothing.
  if [ "$fuzz_rc" -eq 0 ]; then rm -rf "$fuzz_out"; else echo "fuzz: findings kept in $fuzz_out"; fi
fi
echo "$passed passed, $failed failed"
exit "$rc"
