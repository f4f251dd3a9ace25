using MicroT.NanoGate;
using Microsoft.CodeAnalysis;
using Xunit;

namespace MicroT.Runtime.Tests.Gate;

public class NanoGateTests
{
    [Fact]
    public void RuntimeAssemblyBuiltAgainstNanoMscorlibPassesTheGate()
    {
        Assert.True(File.Exists(TestPaths.NanoRuntimeAssembly),
            "the nano gate build (tools/MicroT.Runtime.Nano) did not produce " + TestPaths.NanoRuntimeAssembly);
        var violations = GateScanner.Scan(TestPaths.NanoRuntimeAssembly);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void CleanProbePasses()
    {
        var r = NanoCompiler.Compile("public static class Ok { public static int F(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) s += a[i]; return s; } public static int[][] J; }");
        Assert.Empty(r.Errors);
        Assert.Empty(GateScanner.Scan(r.Image));
    }

    static GateViolation Single(string source, GateRule rule, bool allowUnsafe = false, params MetadataReference[] extra)
    {
        var r = NanoCompiler.Compile(source, allowUnsafe, extra);
        Assert.Empty(r.Errors);
        var violations = GateScanner.Scan(r.Image);
        var hit = violations.FirstOrDefault(v => v.Rule == rule);
        Assert.True(hit != null, $"expected {rule}, got: " + string.Join("; ", violations));
        return hit;
    }

    [Fact]
    public void GenericTypeIsReportedWithItsName()
    {
        var v = Single("public class Box<T> { public T Value; }", GateRule.GenericType);
        Assert.Contains("Box", v.Location);
    }

    [Fact]
    public void GenericMethodIsReportedWithItsName()
    {
        var v = Single("public static class G { public static T Id<T>(T x) { return x; } }", GateRule.GenericMethod);
        Assert.Equal("G::Id", v.Location);
    }

    [Fact]
    public void GenericInstantiationInAMethodBodyIsReported()
    {
        // nanoFramework's mscorlib declares Action<T>; instantiating it is still rejected by nanoCLR 1.x.
        var v = Single("public static class U { public static void Run() { System.Action<int> a = null; if (a != null) a(1); } }",
            GateRule.GenericInstantiation);
        Assert.Equal("U::Run", v.Location);
    }

    [Fact]
    public void MultiDimensionalArrayIsReported()
    {
        var v = Single("public static class M { public static int F() { var a = new int[2,3]; return a[1,2]; } }",
            GateRule.MultiDimensionalArray);
        Assert.Equal("M::F", v.Location);
    }

    [Fact]
    public void MultiDimensionalArrayFieldIsReported()
    {
        var v = Single("public class M { public int[,] Grid; }", GateRule.MultiDimensionalArray);
        Assert.Equal("M.Grid", v.Location);
    }

    [Fact]
    public void PointerIsReported()
    {
        var v = Single("public static unsafe class P { public static int F(int* p) { return *p; } }",
            GateRule.Pointer, allowUnsafe: true);
        Assert.Equal("P::F", v.Location);
    }

    [Fact]
    public void StackallocIsReportedAsLocalloc()
    {
        var v = Single("public static unsafe class S { public static int F() { int* p = stackalloc int[4]; p[0] = 1; return p[0]; } }",
            GateRule.Localloc, allowUnsafe: true);
        Assert.Equal("S::F", v.Location);
    }

    [Fact]
    public void ReferenceToAnotherAssemblyIsReported()
    {
        var other = NanoCompiler.Compile("public static class Lib { public static int One() { return 1; } }");
        Assert.Empty(other.Errors);
        var v = Single("public static class User { public static int F() { return Lib.One(); } }",
            GateRule.ForeignAssemblyReference, false, MetadataReference.CreateFromImage(other.Image));
        Assert.Contains("Probe", v.Detail);
    }

    /// <summary>C# with one static method per chunk, each returning an initialized byte array.</summary>
    static string ArrayData(string assemblyName, params int[] chunkSizes)
    {
        var sb = new System.Text.StringBuilder("public static class " + assemblyName + " {");
        for (int c = 0; c < chunkSizes.Length; c++)
        {
            sb.Append(" public static byte[] D").Append(c).Append("() { return new byte[] {");
            for (int i = 0; i < chunkSizes[c]; i++) sb.Append((i * 7 + c) % 251 + 1).Append(',');
            sb.Append("}; }");
        }
        return sb.Append(" }").ToString();
    }

    [Fact]
    public void InitializerDataOverTheLimitIsReportedWithTheAssemblyAndItsTotal()
    {
        // Two 25,000-byte tables: each alone is fine, together they pass the 48 KiB limit.
        var v = Single(ArrayData("Big", 25_000, 25_000), GateRule.InitializerData);
        Assert.Equal("assembly", v.Location);
        Assert.Contains("Probe holds 50,000 bytes", v.Detail);
        Assert.Contains("49,152", v.Detail);
    }

    [Fact]
    public void InitializerDataUnderTheLimitPasses()
    {
        var r = NanoCompiler.Compile(ArrayData("Small", 20_000, 20_000));
        Assert.Empty(r.Errors);
        Assert.Empty(GateScanner.Scan(r.Image));
    }

    [Theory]
    [InlineData("public static class C { public static double F() { return System.Math.Exp(1); } }", "Math")]
    [InlineData("public static class C { public static System.Collections.Generic.List<int> L; }", "Generic")]
    [InlineData("public static class C { public static int F(System.Span<int> s) { return s.Length; } }", "Span")]
    public void ApisMissingFromNanoMscorlibDoNotCompile(string source, string name)
    {
        var r = NanoCompiler.Compile(source);
        Assert.Contains(r.Errors, e => e.Contains(name) && e.Contains("Probe.cs"));
    }
}
