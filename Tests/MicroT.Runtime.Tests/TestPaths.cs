using System.Reflection;

namespace MicroT.Runtime.Tests;

/// <summary>Paths fixed at build time: the repository root and the nanoFramework mscorlib.</summary>
public static class TestPaths
{
    static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == key).Value;

    public static string RepoRoot => Metadata("RepoRoot");
    public static string NanoMscorlib => Metadata("NanoMscorlib");
    public static string NanoRuntimeAssembly => Path.Combine(RepoRoot, "artifacts", "nano", "MicroT.Runtime.dll");
}
