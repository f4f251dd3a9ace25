using MicroT.NanoGate;

// usage: NanoGate [--allow AssemblyName]... <assembly.dll> [...]
// --allow names a nanoFramework library an application may reference besides mscorlib.
var allowed = new List<string>();
var paths = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--allow" && i + 1 < args.Length) allowed.Add(args[++i]);
    else paths.Add(args[i]);
}
if (paths.Count == 0)
{
    Console.Error.WriteLine("usage: NanoGate [--allow AssemblyName]... <assembly.dll> [...]");
    return 2;
}

int failures = 0;
foreach (string path in paths)
{
    IReadOnlyList<GateViolation> violations = GateScanner.Scan(path, allowed.ToArray());
    foreach (GateViolation v in violations)
        Console.Error.WriteLine($"{Path.GetFileName(path)}: {v}");
    Console.WriteLine($"nanoFramework gate: {Path.GetFileName(path)}: {violations.Count} violation(s), " +
        $"{GateScanner.InitializerDataBytes(path):N0} of {GateScanner.InitializerDataLimit:N0} bytes of array-initializer data");
    failures += violations.Count;
}
return failures == 0 ? 0 : 1;
