using MicroT.DeviceGen;

// Usage: dotnet run --project tools/MicroT.DeviceGen -c Release [-- --check] [--root <repo>]
bool check = args.Contains("--check");
int rootAt = Array.IndexOf(args, "--root");
string root = rootAt >= 0 && rootAt + 1 < args.Length ? args[rootAt + 1] : FindRoot();

if (check)
{
    var stale = Generator.Stale(root);
    foreach (string s in stale) Console.Error.WriteLine("stale: " + s + " (run tools/MicroT.DeviceGen)");
    Console.WriteLine($"DeviceGen: {stale.Count} stale file(s)");
    return stale.Count == 0 ? 0 : 1;
}

foreach (GeneratedFile f in Generator.All(root))
{
    string path = Path.Combine(root, f.RelativePath);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, f.Content);
    Console.WriteLine($"wrote {f.RelativePath} ({f.Content.Length} chars)");
}
return 0;

static string FindRoot()
{
    for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "MicroT.slnx"))) return d.FullName;
    throw new InvalidOperationException("run inside the repository (no MicroT.slnx found above the current folder), or pass --root");
}
