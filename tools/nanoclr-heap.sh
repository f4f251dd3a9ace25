#!/usr/bin/env bash
# Measures the smallest managed heap at which each device program passes on nanoclr32 (the
# nanoFramework CLR with the ESP32's 12-byte heap blocks): bisects --heap in KiB steps; "passes"
# is exactly what the test command requires (exit 0, no out-of-memory, no failed test, the same
# lines as the host build). Uses the current build (run `dotnet build MicroT.slnx -c Release`
# first; the package consumer also needs tools/pack.sh). Usage: bash tools/nanoclr-heap.sh [APP...]
# (apps: DeviceTests Sample ZooDeviceTests PackageConsumer)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/nanoclr-lib.sh
nano_require
work="$root/artifacts/nanoclr-heap"
mkdir -p "$work"
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(DeviceTests Sample ZooDeviceTests PackageConsumer)

passes() { # NAME KIB
  nano_rc=0
  nano_run "${2}k" "$work/$1" >"$work/$1.nano.txt" || nano_rc=$?
  nano_check "$1" "$work/$1.nano.txt" "$work/$1.host.txt" >/dev/null
}

for name in "${apps[@]}"; do
  rm -rf "${work:?}/$name"
  host="$(nano_app_field "$name" 3)"
  if [ "$name" = PackageConsumer ]; then
    # Its .pe files as the consumer test makes them: the app, and MicroT.Runtime.pe from the package.
    bash tools/package-consumer.sh >/dev/null
    mkdir -p "$work/$name"
    cp artifacts/package/consumer/pe/*.pe "$work/$name/"
    cp artifacts/package/consumer/packages/microt.runtime/*/lib/MicroT.Runtime.pe "$work/$name/"
  else
    mapfile -t dlls < <(nano_app_dlls "$name")
    nano_pe "$work/$name" "${dlls[@]}"
  fi
  case "$host" in
    file:*) cp "${host#file:}" "$work/$name.host.txt" ;;
    *) dotnet run --project "$host" -c Release --no-build >"$work/$name.host.txt" ;;
  esac
  lo=16 hi=1024   # lo fails (the CLR cannot start below about 16k), hi must pass
  if ! passes "$name" "$hi"; then echo "$name: fails even at ${hi}k"; continue; fi
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if passes "$name" "$mid"; then hi=$mid; else lo=$mid; fi
  done
  echo "$name: passes at --heap ${hi}k, fails at ${lo}k (test command runs it at $(nano_app_field "$name" 4))"
done
