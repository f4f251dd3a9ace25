#!/usr/bin/env bash
# The package consumer test: samples/MicroT.PackageConsumer, a tiny nanoFramework app that
# references the *package* MicroT.Runtime (restored from the local folder feed artifacts/package
# that tools/pack.sh fills, into a fresh packages folder), is compiled against the package's
# MicroT.Runtime.dll and CoreLibrary's mscorlib.dll, goes through mdp, and runs on nanoclr32 with
# the .pe files taken from the restored packages. It loads the default model, classifies a
# frame and prints the answer, which must equal samples/MicroT.PackageConsumer/expected-output.txt
# (written by tools/MicroT.DeviceGen with the host build). Needs nanoclr32 and mdp: without
# them, says so and exits 0.
# Usage: bash tools/package-consumer.sh [HEAP]   (default: the heap the test command uses)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/nanoclr-lib.sh
heap=${1:-$(nano_app_field PackageConsumer 4)}

if ! nano_find; then
  echo "package consumer: skipped (no nanoclr32/mdp in \$MICROT_NANOCLR or ../shared/nanoclr)"
  exit 0
fi
nano_corelib
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' version.json)"
nupkg="artifacts/package/MicroT.Runtime.$version.nupkg"
[ -f "$nupkg" ] || { echo "package consumer: no $nupkg (run tools/pack.sh)" >&2; exit 1; }

work="$root/artifacts/package/consumer"
rm -rf "$work"
mkdir -p "$work"
global="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')"
# MicroT.Runtime only from the local feed; CoreLibrary from the global packages folder the gate
# builds restored it into (a folder feed too), so this works offline.
dotnet restore samples/MicroT.PackageConsumer -nologo -v q -p:MicroTRuntimeVersion="$version" \
  --source "$root/artifacts/package" --source "$global" --packages "$work/packages" >/dev/null
dotnet build samples/MicroT.PackageConsumer -c Release --no-restore -nologo -v q \
  -p:MicroTRuntimeVersion="$version" -o "$work/bin" >/dev/null

pkg_lib="$work/packages/microt.runtime/$version/lib"
core_lib="$work/packages/nanoframework.corelibrary/1.17.11/lib"
for f in "$pkg_lib/MicroT.Runtime.pe" "$pkg_lib/MicroT.Runtime.dll" "$core_lib/mscorlib.pe" "$core_lib/mscorlib.dll"; do
  [ -f "$f" ] || { echo "package consumer: the restored packages lack $f" >&2; exit 1; }
done
# The app compiled against the package's assembly, not the gate build's file.
dotnet run --project tools/NanoGate -c Release --no-build -- --allow MicroT.Runtime "$work/bin/MicroT.PackageConsumer.dll"

mkdir -p "$work/pe"
cp "$work/bin/MicroT.PackageConsumer.dll" "$work/pe/"
"$NANOCLR/mdp" "$work/pe/MicroT.PackageConsumer.dll" "$pkg_lib/MicroT.Runtime.dll" "$core_lib/mscorlib.dll" >/dev/null
echo "nanoclr32 --heap $heap mscorlib.pe MicroT.Runtime.pe MicroT.PackageConsumer.pe (mscorlib.pe and MicroT.Runtime.pe from the restored packages)"
rc=0
"$NANOCLR/nanoclr32" --heap "$heap" --timeout 600 "$core_lib/mscorlib.pe" "$pkg_lib/MicroT.Runtime.pe" \
  "$work/pe/MicroT.PackageConsumer.pe" >"$work/output.txt" 2>&1 || rc=$?
cat "$work/output.txt"
if [ "$rc" -ne 0 ]; then echo "FAIL: package consumer: nanoclr32 exit code $rc"; exit 1; fi
if ! diff -u samples/MicroT.PackageConsumer/expected-output.txt "$work/output.txt"; then
  echo "FAIL: package consumer: output differs from samples/MicroT.PackageConsumer/expected-output.txt"
  exit 1
fi
echo "package consumer: MicroT.Runtime $version from the package runs on nanoCLR and prints the expected answer"
