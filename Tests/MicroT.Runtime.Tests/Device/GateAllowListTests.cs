using MicroT.NanoGate;
using MicroT.Runtime.Tests.Gate;
using Microsoft.CodeAnalysis;
using Xunit;

namespace MicroT.Runtime.Tests.Device;

/// <summary>NanoGate's allow list for applications: named libraries pass, any other reference still fails.</summary>
public class GateAllowListTests
{
    [Fact]
    public void AllowedLibraryPassesAndAnyOtherStillFails()
    {
        var lib = NanoCompiler.Compile("public static class Lib { public static int One() { return 1; } }");
        Assert.Empty(lib.Errors);
        var app = NanoCompiler.Compile("public static class App { public static int F() { return Lib.One(); } }",
            false, MetadataReference.CreateFromImage(lib.Image));
        Assert.Empty(app.Errors);

        Assert.Empty(GateScanner.Scan(app.Image, "Probe"));
        var other = Assert.Single(GateScanner.Scan(app.Image, "MicroT.Runtime"));
        Assert.Equal(GateRule.ForeignAssemblyReference, other.Rule);
        Assert.Contains("'Probe'", other.Detail);
    }
}
