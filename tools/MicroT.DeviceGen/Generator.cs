namespace MicroT.DeviceGen;

/// <summary>Every generated file, in a fixed order.</summary>
public static class Generator
{
    public static IReadOnlyList<GeneratedFile> All(string repoRoot) =>
    [
        KernelVectors.Generate(),
        ModelVectors.Generate(),
        .. SampleData.Generate(),
        .. ZooVectors.Generate(repoRoot),
        ProbeData.Generate(),
    ];

    /// <summary>Generated files whose committed text differs from a fresh generation (or is missing).</summary>
    public static IReadOnlyList<string> Stale(string repoRoot) =>
        All(repoRoot).Where(f =>
        {
            string path = Path.Combine(repoRoot, f.RelativePath);
            return !File.Exists(path) || File.ReadAllText(path) != f.Content;
        }).Select(f => f.RelativePath).ToList();
}
