using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MicroT.Runtime.Tests.Gate;

/// <summary>Compiles C# source against the nanoFramework mscorlib, as the gate build does.</summary>
public static class NanoCompiler
{
    public sealed record Result(byte[] Image, IReadOnlyList<string> Errors);

    public static Result Compile(string source, bool allowUnsafe = false, params MetadataReference[] extra)
    {
        var refs = new List<MetadataReference> { MetadataReference.CreateFromFile(TestPaths.NanoMscorlib) };
        refs.AddRange(extra);
        var compilation = CSharpCompilation.Create("Probe",
            [CSharpSyntaxTree.ParseText(source, path: "Probe.cs")], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe));
        using var ms = new MemoryStream();
        var emit = compilation.Emit(ms);
        var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString()).ToList();
        return new Result(emit.Success ? ms.ToArray() : [], errors);
    }
}
