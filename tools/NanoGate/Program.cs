using MicroT.NanoGate;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: NanoGate <assembly.dll> [...]");
    return 2;
}

int failures = 0;
foreach (string path in args)
{
    IReadOnlyList<GateViolation> violations = GateScanner.Scan(path);
    foreach (GateViolation v in violations)
        Console.Error.WriteLine($"{Path.GetFileName(path)}: {v}");
    Console.WriteLine($"nanoFramework gate: {Path.GetFileName(path)}: {violations.Count} violation(s)");
    failures += violations.Count;
}
return failures == 0 ? 0 : 1;
