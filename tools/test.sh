#!/usr/bin/env bash
# The test command (README): sets up what a fresh Debian 12 + .NET 10 machine lacks, builds
# the host runtime and the nanoFramework gate build, runs every test, and ends with one
# summary line "Total: N passed, N failed". Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tools/fetch-data.sh
bash tools/training/setup.sh   # python3-torch for the training smoke test (quiet when present)

log="$(mktemp)"
set +e
# Build everything first: `dotnet test` alone skips projects that are not tests, and the
# steps below run tools from their build output.
dotnet build MicroT.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  dotnet test MicroT.slnx -c Release --no-build 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
set -e

# Runs one host program after the tests when everything so far passed; its exit code fails
# the command. Usage: step TITLE COMMAND...
step() {
  local title=$1; shift
  echo "== $title"
  if [ "$status" -eq 0 ]; then
    set +e
    "$@"
    local rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then status=$rc; fi
  fi
}

# The on-device test program, host build: prints the lines the ESP32 prints over serial
# (README "Running the device tests"). The xunit suite also runs it in-process
# (Tests/MicroT.Runtime.Tests/Device).
step "Device tests, host build (Tests/MicroT.Runtime.DeviceTests)" \
  dotnet run --project Tests/MicroT.Runtime.DeviceTests/Host -c Release --no-build

# The ESP32 sample, host build: its report (accuracy, part share; timings are host timings).
step "ESP32 sample, host build (samples/MicroT.Sample)" \
  dotnet run --project samples/MicroT.Sample/Host -c Release --no-build

# Benchmark, not a pass/fail timing: prints the interpreter cost tables (docs/PERFORMANCE.md).
# Only a crash of the profiler counts as a failure.
step "Interpreter cost (tools/MicroT.Profiler)" \
  dotnet run --project tools/MicroT.Profiler -c Release --no-build -- all

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build or gate failure
echo "Total: $passed passed, $failed failed"
exit "$status"
