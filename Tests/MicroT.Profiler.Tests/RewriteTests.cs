using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace MicroT.Profiler.Tests;

/// <summary>
/// The rewrite must not change what code computes, on compiler output with the shapes the
/// runtime uses (nested loops, switch, try/catch/finally, short branches grown long by the
/// inserted counters), and must keep the whole host runtime valid IL.
/// </summary>
public class RewriteTests
{
    const string Source = """
        public static class Shapes
        {
            public static long Nested(int n)
            {
                long acc = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        acc += (i * 31 + j) % 7 == 0 ? i - j : (i ^ j);
                return acc;
            }

            public static int Switch(int x)
            {
                switch (x)
                {
                    case 0: return 10;
                    case 1: return 11;
                    case 2: case 3: return 23;
                    case 7: return x * x;
                    default: return -x;
                }
            }

            public static int Finally(int x)
            {
                int r = 0;
                try
                {
                    try { r = 100 / x; }
                    catch (System.DivideByZeroException) { r = -1; }
                    finally { r += 1000; }
                }
                finally { r *= 2; }
                return r;
            }

            // Enough straight-line code between branch and target that short branches must grow.
            public static int Long(int x)
            {
                int a = x;
                for (int k = 0; k < 3; k++)
                {
                    a = a * 3 + 1; a ^= a >> 3; a = a * 5 + 2; a ^= a >> 5; a = a * 7 + 3; a ^= a >> 2;
                    a = a * 3 + 1; a ^= a >> 3; a = a * 5 + 2; a ^= a >> 5; a = a * 7 + 3; a ^= a >> 2;
                    if (a > 1000) a %= 997; else a += k;
                    a = a * 3 + 1; a ^= a >> 3; a = a * 5 + 2; a ^= a >> 5; a = a * 7 + 3; a ^= a >> 2;
                }
                return a;
            }
        }
        """;

    static byte[] Compile()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Shapes", [CSharpSyntaxTree.ParseText(Source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return stream.ToArray();
    }

    [Fact]
    public void RewrittenCompiledCodeComputesTheSame()
    {
        byte[] original = Compile();
        var plain = Assembly.Load(original).GetType("Shapes")!;
        var instrumented = Instrumenter.Instrument(original);
        var context = new CountingLoadContext(instrumented);
        try
        {
            var counted = context.Counted.GetType("Shapes")!;
            object Call(Type t, string m, int x) => t.GetMethod(m)!.Invoke(null, [x]);
            foreach (string method in new[] { "Nested", "Switch", "Finally", "Long" })
                foreach (int x in new[] { -2, 0, 1, 2, 3, 7, 9, 40 })
                    Assert.Equal(Call(plain, method, x), Call(counted, method, x));

            // Nested(n) enters once and runs its inner body n^2 times, each at least 10 IL instructions.
            var profile = context.Measure(() => Call(counted, "Nested", 20));
            Assert.Equal(1, profile.Of("Shapes::Nested").Invocations);
            Assert.InRange(profile.Of("Shapes::Nested").Instructions, 20 * 20 * 10, 20 * 20 * 40);
        }
        finally { context.Unload(); }
    }

    [Fact]
    public void RewrittenHostRuntimeIsValidIl()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "MicroT.Runtime.dll");
        var instrumented = Instrumenter.Instrument(File.ReadAllBytes(path));
        Assert.NotEmpty(instrumented.Blocks);
        var context = new CountingLoadContext(instrumented);
        try
        {
            int prepared = 0;
            foreach (var type in context.Counted.GetTypes())
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                             .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
                {
                    if (method.IsAbstract || method.GetMethodBody() == null) continue;
                    RuntimeHelpers.PrepareMethod(method.MethodHandle); // JIT: throws InvalidProgramException on bad IL
                    prepared++;
                }
            Assert.True(prepared >= instrumented.Methods.Count, $"{prepared} methods compiled, {instrumented.Methods.Count} instrumented");
        }
        finally { context.Unload(); }
    }
}
