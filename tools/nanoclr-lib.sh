# Shared by tools/test.sh, nanoclr-heap.sh, nanoclr-calibrate.sh, package-consumer.sh, pack.sh and MicroT.MemoryProbe/probe.sh (source it with $root set to
# the repository root): finds the nanoFramework tools (nanoclr32, mdp; their README is in ../shared/nanoclr beside the repository
# in this setup), turns the gate builds of the device apps into .pe files and runs them.

# The device apps: NAME|gate output folders (space-separated)|host project (or file:EXPECTED-OUTPUT)|heap the test
# command runs it with. Each app's .pe set is the runtime's gate build
# (artifacts/nano/MicroT.Runtime.dll) plus every .dll in its gate output folders; the package
# consumer's is made by tools/package-consumer.sh from the restored package instead. 100k is a
# plain ESP32's managed heap: every app runs at it (README, memory section: tools/nanoclr-heap.sh
# measures each app's minimum).
nano_apps=(
  "DeviceTests|artifacts/nano-apps/DeviceTests|Tests/MicroT.Runtime.DeviceTests/Host|100k"
  "Sample|artifacts/nano-apps/Sample artifacts/nano-apps/ZooModel|samples/MicroT.Sample/Host|100k"
  "ZooDeviceTests|artifacts/nano-apps/ZooDeviceTests artifacts/nano-apps/ZooModel|Tests/MicroT.Runtime.DeviceTests/Zoo/Host|100k"
  "PackageConsumer|artifacts/package/consumer/pe|file:samples/MicroT.PackageConsumer/expected-output.txt|100k"
)

# nano_app_field NAME N: field N (1-based) of the app's entry in nano_apps.
nano_app_field() {
  local spec
  for spec in "${nano_apps[@]}"; do
    if [ "${spec%%|*}" = "$1" ]; then echo "$spec" | cut -d'|' -f"$2"; return 0; fi
  done
  return 1
}

# Sets NANOCLR to the folder holding nanoclr32 and mdp: $MICROT_NANOCLR, else ../shared/nanoclr
# beside the repository (for a git worktree: beside its main checkout). Returns 1 when absent.
nano_find() {
  local common c
  common="$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  for c in "${MICROT_NANOCLR:-}" "$root/../shared/nanoclr" ${common:+"$common/../../shared/nanoclr"}; do
    if [ -n "$c" ] && [ -x "$c/nanoclr32" ] && [ -x "$c/mdp" ]; then
      NANOCLR="$(cd "$c" && pwd)"
      return 0
    fi
  done
  return 1
}

# Sets CORELIB to lib/ of NuGet nanoFramework.CoreLibrary 1.17.11 (restored by the gate builds):
# mscorlib.dll to compile against and for mdp, mscorlib.pe to run.
nano_corelib() {
  local g
  g="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')"
  CORELIB="${g%/}/nanoframework.corelibrary/1.17.11/lib"
  [ -f "$CORELIB/mscorlib.pe" ] || { echo "nanoFramework.CoreLibrary 1.17.11 not restored ($CORELIB)" >&2; return 1; }
}

# For the measuring scripts (nanoclr-heap.sh, nanoclr-calibrate.sh, MemoryProbe/probe.sh): NANOCLR
# and CORELIB set, or the script ends with a message (status 1).
nano_require() {
  nano_find || { echo "no nanoclr32/mdp in \$MICROT_NANOCLR or ../shared/nanoclr (set MICROT_NANOCLR)" >&2; exit 1; }
  nano_corelib || exit 1
}

# nano_pe OUTDIR DLL...: copies the assemblies into OUTDIR and writes X.pe + X.pdbx beside each
# X.dll with mdp (each one given every other assembly and mscorlib.dll as references).
nano_pe() {
  local out=$1; shift
  mkdir -p "$out"
  local d
  for d in "$@"; do cp "$d" "$out/"; [ -f "${d%.dll}.pdb" ] && cp "${d%.dll}.pdb" "$out/"; done
  local names=() n
  for d in "$@"; do names+=("$out/$(basename "$d")"); done
  for d in "${names[@]}"; do
    local refs=()
    for n in "${names[@]}"; do [ "$n" = "$d" ] || refs+=("$n"); done
    "$NANOCLR/mdp" "$d" "${refs[@]}" "$CORELIB/mscorlib.dll" >/dev/null || return 1
  done
}

# nano_app_dlls NAME: the .dll files of a device app (runtime first).
nano_app_dlls() {
  local dirs dir
  dirs="$(nano_app_field "$1" 2)" || return 1
  echo "$root/artifacts/nano/MicroT.Runtime.dll"
  for dir in $dirs; do ls "$root/$dir"/*.dll; done
}

# nano_run HEAP PEDIR: runs every .pe in PEDIR on nanoclr32 with mscorlib.pe; stdout+stderr on
# stdout, the CLR's exit code as status.
nano_run() {
  local heap=$1 dir=$2
  "$NANOCLR/nanoclr32" --heap "$heap" --timeout 600 "$CORELIB/mscorlib.pe" "$dir"/*.pe 2>&1
}

# nano_check NAME NANO_OUT HOST_OUT: the checks of a nanoCLR run (its output in NANO_OUT) given
# its exit code in $nano_rc: exit 0, no out-of-memory or unhandled exception, no failed test,
# and the same lines as the host build (HOST_OUT), masked. Prints what failed; status 0 or 1.
nano_check() {
  local name=$1 nano=$2 host=$3 ok=0
  if [ "$nano_rc" -ne 0 ]; then echo "FAIL: $name: nanoclr32 exit code $nano_rc"; ok=1; fi
  if grep -qiE 'OutOfMemory|unhandled exception' "$nano"; then echo "FAIL: $name: out of memory or unhandled exception on nanoCLR"; ok=1; fi
  if grep -q '^Test failed,' "$nano"; then echo "FAIL: $name: a test failed on nanoCLR"; ok=1; fi
  # The device test programs print "Ready." and "Done." around the report, their host builds not.
  grep -vE '^(Ready\.|Done\.)$' "$nano" | nano_mask >"$nano.masked"
  grep -vE '^(Ready\.|Done\.)$' "$host" | nano_mask >"$host.masked"
  if ! diff -u "$host.masked" "$nano.masked" >"$nano.diff"; then
    echo "FAIL: $name: nanoCLR output differs from the host build:"; cat "$nano.diff"; ok=1
  fi
  return "$ok"
}

# Masks what differs between two correct runs (ticks and microseconds), for comparing a
# nanoCLR run with its host build line by line.
nano_mask() {
  sed -E \
    -e 's/^(Test passed,[^,]*),[0-9]+$/\1,<ticks>/' \
    -e 's/[0-9]+ us\b/<t> us/g' \
    -e 's/(us per frame: input) [0-9]+/\1 <t>/' \
    -e 's/(\(part model \+ head\)) [0-9]+/\1 <t>/' \
    -e 's/(\+ heads\)) [0-9]+/\1 <t>/'
}
