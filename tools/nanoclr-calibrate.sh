#!/usr/bin/env bash
# Measures what the nanoCLR interpreter costs on this machine's host CPU, with callgrind
# (valgrind) on nanoclr32, for docs/DEVICE.md:
#   1. host instructions per iteration of `k += i` (11 IL instructions) -> per simple IL instruction;
#   2. of `c = Add(c, i)` (11 IL + a 4-IL callee) -> what a call plus its return costs, in
#      simple IL instructions;
#   3. of one zoo-model frame (SetInput + RunFull of the zoo model zoo/microt-s3.mtm on a fixed
#      synthetic 28x28 frame) -> host instructions per unit of the profiler's weighted cost
#      (docs/PERFORMANCE.md: simple instruction = 1, call = 13).
# Each figure is the difference of two runs (N iterations minus none), so start-up and
# loading cancel. Needs valgrind, nanoclr32/mdp, and the solution built (Release).
# Usage: bash tools/nanoclr-calibrate.sh
# MICROT_RUNTIME_DLL=path/MicroT.Runtime.dll (default: artifacts/nano/MicroT.Runtime.dll, the gate
# build) measures another build of the runtime on the same frames, e.g. one built from an older
# commit's sources (docs/PERFORMANCE.md, "The same work on the real nanoCLR"); MICROT_CALIBRATE_DIR
# (default artifacts/calibrate) is the work folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/nanoclr-lib.sh
nano_require
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
zoo_dll="$root/artifacts/nano-apps/ZooModel/MicroT.ZooModel.dll"
runtime_dll="${MICROT_RUNTIME_DLL:-$root/artifacts/nano/MicroT.Runtime.dll}"
[ -f "$zoo_dll" ] && [ -f "$runtime_dll" ] || { echo "build first: dotnet build MicroT.slnx -c Release" >&2; exit 1; }

work="${MICROT_CALIBRATE_DIR:-$root/artifacts/calibrate}"
rm -rf "$work"
mkdir -p "$work/src"
cat >"$work/src/Calibrate.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType><UseAppHost>false</UseAppHost><GenerateRuntimeConfigurationFiles>false</GenerateRuntimeConfigurationFiles>
    <TargetFramework>net10.0</TargetFramework><NoStdLib>true</NoStdLib><NoCompilerStandardLib>true</NoCompilerStandardLib>
    <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences><GenerateAssemblyInfo>false</GenerateAssemblyInfo>
    <GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute><ImplicitUsings>disable</ImplicitUsings>
    <Nullable>disable</Nullable><Optimize>true</Optimize><ProduceReferenceAssembly>false</ProduceReferenceAssembly>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="mscorlib"><HintPath>$CORELIB/mscorlib.dll</HintPath><Private>false</Private></Reference>
    <Reference Include="MicroT.Runtime"><HintPath>$runtime_dll</HintPath><Private>false</Private></Reference>
    <Reference Include="MicroT.ZooModel"><HintPath>$zoo_dll</HintPath><Private>false</Private></Reference>
  </ItemGroup>
</Project>
EOF
cat >"$work/src/Calibrate.cs" <<'EOF'
using MicroT.Runtime.Models;
public static class Calibrate
{
    static int Add(int a, int b) { return a + b; }
    public static void Main()
    {
        int k = 0, c = 0;
        for (int i = 0; i < N.Loop; i++) k += i;
        for (int i = 0; i < N.Calls; i++) c = Add(c, i);
        if (N.Frames > 0)
        {
            var it = new Interpreter(Model.Load(MicroT.ZooModel.ZooModelFile.Bytes()));
            var frame = new byte[28 * 28];
            for (int i = 0; i < frame.Length; i++) frame[i] = (byte)(i * 37 % 251);
            for (int f = 0; f < N.Frames; f++) { it.SetInput(frame, FrameFormat.Gray8, 28, 28); it.RunFull(); }
        }
        System.Console.WriteLine(k.ToString() + " " + c.ToString());
    }
}
EOF

# instr LOOP CALLS FRAMES: host instructions (callgrind, whole run) of one variant.
instr() {
  local tag="$1_$2_$3"
  echo "public static class N { public const int Loop = $1; public const int Calls = $2; public const int Frames = $3; }" >"$work/src/N.cs"
  dotnet build "$work/src" -c Release -nologo -v q -o "$work/$tag" >/dev/null
  cp "$runtime_dll" "$zoo_dll" "$work/$tag/"
  nano_pe "$work/$tag/pe" "$work/$tag/Calibrate.dll" "$work/$tag/MicroT.Runtime.dll" "$work/$tag/MicroT.ZooModel.dll"
  valgrind --tool=callgrind --callgrind-out-file="$work/$tag/callgrind.out" \
    "$NANOCLR/nanoclr32" --heap 300k "$CORELIB/mscorlib.pe" "$work/$tag/pe"/*.pe >/dev/null 2>"$work/$tag/valgrind.txt"
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/$tag/valgrind.txt"
}

n=100000
base=$(instr 0 0 0)
loop=$(instr $n 0 0)
calls=$(instr 0 $n 0)
base_zoo=$(instr 0 0 1)
zoo=$(instr 0 0 3)
python3 - "$base" "$loop" "$calls" "$base_zoo" "$zoo" "$n" docs/PERFORMANCE.md <<'EOF'
import sys
base, loop, calls, base_zoo, zoo, n = map(int, sys.argv[1:7])
per_loop = (loop - base) / n
per_call_iter = (calls - base) / n
per_il = per_loop / 11
# The call loop runs 10 simple IL + the call + 4 callee IL (ret included) per iteration.
call = (per_call_iter - 14 * per_il) / per_il
frame = (zoo - base_zoo) / 2
print("nanoclr32 (i386), callgrind, %d iterations:" % n)
print("  k += i           : %.0f host instructions per iteration (11 IL) -> %.1f per simple IL instruction" % (per_loop, per_il))
print("  c = Add(c, i)    : %.0f per iteration (10 simple IL + call + 4-IL callee) -> the call = %.1f simple IL" % (per_call_iter, call))
print("  zoo model, SetInput + RunFull: %.0f host instructions per frame (mean of 2 frames)" % frame)
weighted = None
for line in open(sys.argv[7]):
    if line.startswith("| microt-") and ": SetInput + RunFull" in line:
        weighted = float(line.split("|")[6].replace(",", ""))
if weighted:
    print("  profiler (docs/PERFORMANCE.md): %.0f weighted per frame -> %.1f host instructions per weighted unit" % (weighted, frame / weighted))
EOF
