#!/usr/bin/env bash
# Builds the NuGet package MicroT.Runtime.<version>.nupkg from a clean tree and checks it:
#   1. the gate build of the runtime (tools/MicroT.Runtime.Nano: compiled against the real
#      mscorlib.dll of nanoFramework.CoreLibrary 1.17.11) with its XML docs;
#   2. mdp (the nanoFramework metadata processor) -> MicroT.Runtime.pe + .pdbx;
#   3. dotnet pack of tools/pack/MicroT.Runtime.Pack.csproj naming MicroT.Runtime.nuspec,
#      version from version.json;
#   4. the contents: lib/ flat with MicroT.Runtime.dll/.pdb/.pdbx/.pe/.xml and nothing else,
#      the exact CoreLibrary 1.17.11 dependency, the MIT licence, the readme (usage first),
#      the .dll equal to the gate build and, with --same-pe FILE, the .pe equal to FILE (the
#      one the device tests ran with).
# Output: artifacts/package/MicroT.Runtime.<version>.nupkg. Needs mdp (../shared/nanoclr or
# $MICROT_NANOCLR): without it, says so and exits 0 without a package.
# Usage: bash tools/pack.sh [--same-pe FILE] [--no-build]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source tools/nanoclr-lib.sh

same_pe=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --same-pe) same_pe=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: bash tools/pack.sh [--same-pe FILE] [--no-build]" >&2; exit 2 ;;
  esac
done

if ! nano_find; then
  echo "pack: skipped (no mdp in \$MICROT_NANOCLR or ../shared/nanoclr: the package's .pe cannot be made)"
  exit 0
fi

version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' version.json)"
[ -n "$version" ] || { echo "pack: no version in version.json" >&2; exit 1; }

if [ "$build" -eq 1 ]; then
  dotnet build tools/MicroT.Runtime.Nano -c Release -v q -nologo >/dev/null
fi
nano_corelib

out="$root/artifacts/package"
stage="$out/stage"
rm -rf "$stage" "$out/MicroT.Runtime."*.nupkg
mkdir -p "$stage/bin/Release"
for ext in dll pdb xml; do cp "artifacts/nano/MicroT.Runtime.$ext" "$stage/bin/Release/"; done
"$NANOCLR/mdp" "$stage/bin/Release/MicroT.Runtime.dll" "$CORELIB/mscorlib.dll" >/dev/null
cp README.md "$stage/README.md"

dotnet pack tools/pack/MicroT.Runtime.Pack.csproj -c Release -nologo -v q \
  -p:NuspecFile="$root/MicroT.Runtime.nuspec" -p:NuspecBasePath="$stage" \
  -p:NuspecProperties="version=$version" -o "$out" >/dev/null
nupkg="$out/MicroT.Runtime.$version.nupkg"
[ -f "$nupkg" ] || { echo "pack: dotnet pack wrote no $nupkg" >&2; exit 1; }

# The contents, read from the .nupkg itself.
python3 - "$nupkg" "$version" "$root/artifacts/nano/MicroT.Runtime.dll" "$same_pe" <<'EOF'
import re, sys, zipfile, xml.etree.ElementTree as ET
nupkg, version, gate_dll, same_pe = sys.argv[1:5]
z = zipfile.ZipFile(nupkg)
names = z.namelist()
problems = []
lib = sorted(n for n in names if n.startswith("lib/"))
want = sorted("lib/MicroT.Runtime." + e for e in ["dll", "pdb", "pdbx", "pe", "xml"])
if lib != want:
    problems.append("lib/ holds %s, expected exactly %s (flat, no framework folder)" % (lib, want))
nuspec = ET.fromstring(z.read("MicroT.Runtime.nuspec"))
ns = {"n": nuspec.tag.split("}")[0].strip("{")}
md = nuspec.find("n:metadata", ns)
def text(tag):
    e = md.find("n:" + tag, ns)
    return None if e is None else e.text
if text("version") != version:
    problems.append("version %s, version.json says %s" % (text("version"), version))
deps = [(d.get("id"), d.get("version")) for d in md.iter("{%s}dependency" % ns["n"])]
if deps != [("nanoFramework.CoreLibrary", "[1.17.11]")]:
    problems.append("dependencies %s, expected exactly nanoFramework.CoreLibrary [1.17.11]" % deps)
lic = md.find("n:license", ns)
if lic is None or lic.get("type") != "expression" or lic.text != "MIT":
    problems.append("licence is not the MIT expression")
readme = text("readme")
if readme is None or readme.replace("\\", "/") not in names:
    problems.append("readme %s is not in the package" % readme)
else:
    body = z.read(readme.replace("\\", "/")).decode("utf-8")
    heads = re.findall(r"^## (.+)$", body, re.M)
    if not heads or heads[0] != "Usage" or "Model.Load" not in body.split("\n## ")[1]:
        problems.append("readme does not start with its usage (first section: %s)" % (heads[:1]))
def same(entry, path, what):
    if entry in names and open(path, "rb").read() != z.read(entry):
        problems.append("%s differs from %s" % (entry, what))
same("lib/MicroT.Runtime.dll", gate_dll, "the gate build " + gate_dll)
if same_pe:
    same("lib/MicroT.Runtime.pe", same_pe, "the .pe the device tests ran with (" + same_pe + ")")
for p in problems:
    print("pack: " + p, file=sys.stderr)
if problems:
    sys.exit(1)
print("pack: %s: lib/ %s; depends on nanoFramework.CoreLibrary [1.17.11]; MIT; readme %s (usage first)%s"
      % (nupkg.split("/")[-1], ", ".join(n[4:] for n in lib), readme,
         "; .pe identical to the device tests'" if same_pe else ""))
EOF
