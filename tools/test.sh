#!/usr/bin/env bash
# The test command (README): sets up what a fresh Debian 12 + .NET 10 machine lacks, builds
# the host runtime and the nanoFramework gate build, runs every test, runs the device programs
# on the real nanoFramework CLR (nanoclr32, when ../shared/nanoclr is there), and always ends
# with one summary line "Total: N passed, N failed" counting every test that ran. Exits
# non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
source tools/nanoclr-lib.sh

out="$root/artifacts/test"
rm -rf "$out"
mkdir -p "$out"
log="$out/dotnet.log"
: >"$log"
status=0
extra_passed=0   # tests counted outside dotnet test (device programs)
extra_failed=0

# The summary, printed however the script ends (an early failure of the setup included).
summary() {
  local rc=$?
  [ "$rc" -eq 0 ] || [ "$status" -ne 0 ] || status=$rc
  local passed failed
  passed=$(grep -oE 'Passed: +[0-9]+' "$log" 2>/dev/null | awk '{s+=$2} END {print s+0}')
  failed=$(grep -oE 'Failed: +[0-9]+' "$log" 2>/dev/null | awk '{s+=$2} END {print s+0}')
  passed=$((passed + extra_passed))
  failed=$((failed + extra_failed))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build, setup or gate failure
  echo "Total: $passed passed, $failed failed"
  exit "$status"
}
trap summary EXIT

bash tools/fetch-data.sh
bash tools/training/setup.sh   # python3-torch for the training smoke test (quiet when present)

set +e
# Build everything first: `dotnet test` alone skips projects that are not tests, and the
# steps below run tools from their build output.
dotnet build MicroT.slnx -c Release 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  dotnet test MicroT.slnx -c Release --no-build 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
set -e

# Runs one step when everything so far passed (errexit off inside); its exit code fails the command.
# Usage: step TITLE COMMAND...
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

# Counts a device program's "N passed, N failed" line (last one in FILE) into the total.
count_suite() {
  local line
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1 || true)"
  if [ -z "$line" ]; then extra_failed=$((extra_failed + 1)); return 1; fi
  extra_passed=$((extra_passed + ${line%% passed*}))
  local f=${line#*, }; f=${f%% failed}
  extra_failed=$((extra_failed + f))
  [ "$f" -eq 0 ]
}

# Counts a whole program run (the sample) as one test.
count_one() {
  if [ "$1" -eq 0 ]; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); fi
  return "$1"
}

# The on-device test program, host build: prints the lines the ESP32 prints over serial
# (README "Running the device tests"). The xunit suite also runs it in-process
# (Tests/MicroT.Runtime.Tests/Device).
host_device_tests() {
  dotnet run --project Tests/MicroT.Runtime.DeviceTests/Host -c Release --no-build | tee "$out/DeviceTests.host.txt"
  local rc=${PIPESTATUS[0]}
  count_suite "$out/DeviceTests.host.txt" && [ "$rc" -eq 0 ]
}
step "Device tests, host build (Tests/MicroT.Runtime.DeviceTests)" host_device_tests

# The ESP32 sample, host build: its report (accuracy, part share; timings are host timings).
host_sample() {
  dotnet run --project samples/MicroT.Sample/Host -c Release --no-build | tee "$out/Sample.host.txt"
  count_one "${PIPESTATUS[0]}"
}
step "ESP32 sample, host build (samples/MicroT.Sample)" host_sample

# The zoo device tests, host build: the default zoo model on real frames (a program of its own:
# the zoo model and its training take nearly all of a plain ESP32's heap by themselves).
host_zoo_tests() {
  dotnet run --project Tests/MicroT.Runtime.DeviceTests/Zoo/Host -c Release --no-build | tee "$out/ZooDeviceTests.host.txt"
  local rc=${PIPESTATUS[0]}
  count_suite "$out/ZooDeviceTests.host.txt" && [ "$rc" -eq 0 ]
}
step "Zoo device tests, host build (Tests/MicroT.Runtime.DeviceTests/Zoo)" host_zoo_tests

# The device programs on the real nanoFramework CLR: each gate build (real mscorlib, gate build
# of MicroT.Runtime) passes NanoGate, goes through mdp, runs on nanoclr32 (a plain ESP32's heap,
# 100k, unless tools/nanoclr-lib.sh says otherwise) and must print what its host build printed
# (ticks and microseconds masked). A failed test, a difference, a non-zero exit (uncaught
# exception: 3) or an out-of-memory fails the command.
nano_device() {
  local name=$1 heap dlls=() allow=() d ok=0
  heap="$(nano_app_field "$name" 4)"
  mapfile -t dlls < <(nano_app_dlls "$name")
  for d in "${dlls[@]}"; do allow+=(--allow "$(basename "$d" .dll)"); done
  dotnet run --project tools/NanoGate -c Release --no-build -- "${allow[@]}" "${dlls[@]}" || return 1
  rm -rf "$out/nano/$name"
  nano_pe "$out/nano/$name" "${dlls[@]}" || { echo "FAIL: mdp failed for $name"; return 1; }
  echo "nanoclr32 --heap $heap mscorlib.pe $(cd "$out/nano/$name" && echo *.pe)"
  nano_run "$heap" "$out/nano/$name" | tee "$out/$name.nano.txt"
  nano_rc=${PIPESTATUS[0]}
  nano_check "$name" "$out/$name.nano.txt" "$out/$name.host.txt" || ok=1
  if [ "$name" = Sample ]; then count_one "$ok" || true; else count_suite "$out/$name.nano.txt" || ok=1; fi
  [ "$ok" -ne 0 ] || echo "$name on nanoCLR: same output as the host build"
  return "$ok"
}
if nano_find; then
  step "nanoCLR setup ($NANOCLR)" nano_corelib
  step "Device tests on nanoCLR (nanoclr32 --heap $(nano_app_field DeviceTests 4))" nano_device DeviceTests
  step "ESP32 sample on nanoCLR (nanoclr32 --heap $(nano_app_field Sample 4))" nano_device Sample
  step "Zoo device tests on nanoCLR (nanoclr32 --heap $(nano_app_field ZooDeviceTests 4): the zoo model, a ridge and a logistic task trained on the device)" nano_device ZooDeviceTests
  # The NuGet package, built and checked (its .pe must be the one the device tests ran with),
  # then used by a tiny app exactly as a user's app uses it, on nanoCLR.
  package() {
    bash tools/pack.sh --no-build --same-pe "$out/nano/DeviceTests/MicroT.Runtime.pe"
    count_one $?
  }
  step "Package (tools/pack.sh)" package
  consumer() {
    bash tools/package-consumer.sh
    count_one $?
  }
  step "Package consumer on nanoCLR (tools/package-consumer.sh, nanoclr32 --heap $(nano_app_field PackageConsumer 4))" consumer
else
  echo "== nanoCLR and package: skipped (no nanoclr32/mdp in \$MICROT_NANOCLR or ../shared/nanoclr)"
fi

# Benchmark, not a pass/fail timing: prints the interpreter cost tables (docs/PERFORMANCE.md).
# Only a crash of the profiler counts as a failure.
step "Interpreter cost (tools/MicroT.Profiler)" \
  dotnet run --project tools/MicroT.Profiler -c Release --no-build -- all
