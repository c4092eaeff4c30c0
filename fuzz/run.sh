#!/usr/bin/env bash
# Coverage-guided fuzzing of Mandate's parsers with AFL++ (Debian package `afl++`) and SharpFuzz.
#
#   fuzz/run.sh [--seconds N] [--out DIR] [--no-build] [TARGET...]
#
# Builds fuzz/Mandate.Fuzz, copies it to DIR/bin and instruments Mandate's assemblies there (the build in bin/ stays
# uninstrumented, for the replay tests), then runs afl-fuzz on each target (default: all) for N seconds (default 60)
# from fuzz/corpus/<target>, with fuzz/dictionaries/<target>.dict. Prints one line per target (inputs tried, new
# paths, crashes, hangs) and replays every crash or hang through the uninstrumented build, so the exception is shown.
# Exit 0 when no target found anything, 1 when some did (the inputs are under DIR/findings/<target>), 2 on bad use,
# 3 when AFL++ or SharpFuzz cannot be set up. Docs: docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=60
out="${TMPDIR:-/tmp}/mandate-fuzz"
build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- AFL++ from Debian ---------------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing afl++ (apt)"
  if [ "$(id -u)" -ne 0 ]; then echo "fuzz: afl-fuzz is missing and this is not root; apt-get install afl++" >&2; exit 3; fi
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++; }; } >/dev/null 2>&1
  command -v afl-fuzz >/dev/null 2>&1 || { echo "fuzz: could not install afl++" >&2; exit 3; }
fi

# --- SharpFuzz's instrumenter (a .NET tool, from NuGet) -------------------------------------------------------------
tools="$root/fuzz/.tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null || { echo "fuzz: could not install SharpFuzz.CommandLine" >&2; exit 3; }
fi

# --- Build, copy, instrument ---------------------------------------------------------------------------------------
if [ "$build" -eq 1 ]; then
  dotnet build fuzz/Mandate.Fuzz -c Release -nologo -v q 2>&1 | grep -E "error|Warn|Error" | grep -v "0 Error\|0 Warn" || true
fi
plain="$root/fuzz/Mandate.Fuzz/bin/Release/net10.0"
[ -f "$plain/mandate-fuzz.dll" ] || { echo "fuzz: $plain/mandate-fuzz.dll is missing (build first)" >&2; exit 3; }
rm -rf "$out/bin" && mkdir -p "$out/findings" && cp -r "$plain" "$out/bin"
# Mandate's own assemblies, and YamlDotNet so the config target is guided through YAML's grammar too.
for assembly in Mandate.Cedar Mandate.Core Mandate.Server YamlDotNet; do
  "$tools/sharpfuzz" "$out/bin/$assembly.dll" >/dev/null || { echo "fuzz: could not instrument $assembly" >&2; exit 3; }
done

[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(dotnet "$plain/mandate-fuzz.dll" list | awk '{print $1}')

# --- Fuzz ----------------------------------------------------------------------------------------------------------
# AFL_SKIP_BIN_CHECK: the target is `dotnet`, not a binary compiled with AFL++; SharpFuzz speaks the fork-server
# protocol from inside. The others let it run in a container: no CPU governor, any core_pattern, no terminal.
# AFL_NO_AFFINITY: do not insist on a core of its own (afl-fuzz refuses to start when it finds none free).
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_QUIET=1 AFL_NO_AFFINITY=1
found=0
total_execs=0
for target in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$target"
  [ -d "$corpus" ] || { echo "fuzz: no corpus for target $target" >&2; exit 2; }
  findings="$out/findings/$target"
  rm -rf "$findings"
  dict=()
  [ -f "$root/fuzz/dictionaries/$target.dict" ] && dict=(-x "$root/fuzz/dictionaries/$target.dict")
  # -t: a run is microseconds; 5 s is a hang by any measure, even on a loaded CI machine. -m none: .NET reserves
  # far more address space than it uses.
  timeout $((seconds + 120)) afl-fuzz -i "$corpus" -o "$findings" "${dict[@]}" -V "$seconds" -t 5000 -m none \
    -- dotnet "$out/bin/mandate-fuzz.dll" afl "$target" >"$out/$target.log" 2>&1
  stats="$findings/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz: $target did not start; the end of $out/$target.log:"; tail -n 20 "$out/$target.log"
    found=$((found + 1)); continue
  fi
  stat() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  execs=$(stat execs_done); crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
  total_execs=$((total_execs + execs))
  printf 'fuzz: %-15s %4ss  %9s inputs tried  %5s/s  %4s corpus  %5s edges  %s crashes  %s hangs\n' \
    "$target" "$(stat run_time)" "$execs" "$(stat execs_per_sec | cut -d. -f1)" "$(stat corpus_count)" "$(stat edges_found)" "$crashes" "$hangs"
  if [ "$crashes" != "0" ] || [ "$hangs" != "0" ]; then
    found=$((found + 1))
    # One line per distinct finding (many saved inputs are the same bug), with its stack.
    timeout 300 dotnet "$plain/mandate-fuzz.dll" replay "$target" "$findings/default/crashes" "$findings/default/hangs" | head -n 60
  fi
done

echo "fuzz: ${#targets[@]} targets, $total_execs inputs tried, $found with findings (details: $out)"
[ "$found" -eq 0 ]
