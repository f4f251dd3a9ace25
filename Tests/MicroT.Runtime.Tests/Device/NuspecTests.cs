using System.Xml.Linq;
using Xunit;

namespace MicroT.Runtime.Tests.Device;

/// <summary>
/// MicroT.Runtime.nuspec against nanoFramework's package layout (docs: NANOFRAMEWORK.md):
/// X.dll, .pdb, .pdbx, .pe, .xml flat under lib\, an exact CoreLibrary dependency, and the same
/// CoreLibrary version everywhere the repository names it.
/// </summary>
public class NuspecTests
{
    static readonly XNamespace Nu = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
    static string Read(string relative) => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, relative));

    [Fact]
    public void PackageShipsTheFiveNanoFrameworkFilesFlatUnderLib()
    {
        var doc = XDocument.Parse(Read("MicroT.Runtime.nuspec"));
        var targets = doc.Descendants(Nu + "file").Select(f => (string)f.Attribute("target")).ToList();
        foreach (string ext in new[] { "dll", "pdb", "pdbx", "pe", "xml" })
            Assert.Contains($"lib\\MicroT.Runtime.{ext}", targets);
        Assert.All(targets.Where(t => t.StartsWith("lib", StringComparison.Ordinal)),
            t => Assert.Equal(2, t.Split('\\').Length)); // no target-framework folder
        string readme = (string)doc.Descendants(Nu + "readme").Single();
        Assert.Contains(readme, targets);
    }

    [Fact]
    public void CoreLibraryVersionIsExactAndTheSameEverywhere()
    {
        var doc = XDocument.Parse(Read("MicroT.Runtime.nuspec"));
        var dep = doc.Descendants(Nu + "dependency").Single(d => (string)d.Attribute("id") == "nanoFramework.CoreLibrary");
        Assert.Equal("[1.17.11]", (string)dep.Attribute("version"));
        foreach (string config in new[] { "packages.config", "Tests/MicroT.Runtime.DeviceTests/packages.config", "samples/MicroT.Sample/packages.config" })
        {
            var pkg = XDocument.Parse(Read(config)).Descendants("package").Single(p => (string)p.Attribute("id") == "nanoFramework.CoreLibrary");
            Assert.Equal("1.17.11", (string)pkg.Attribute("version"));
            Assert.Equal("netnano1.0", (string)pkg.Attribute("targetFramework"));
        }
        foreach (string nfproj in new[] { "MicroT.Runtime.nfproj", "Tests/MicroT.Runtime.DeviceTests/MicroT.Runtime.DeviceTests.nfproj", "samples/MicroT.Sample/MicroT.Sample.nfproj" })
            Assert.Contains(@"packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll", Read(nfproj));
    }
}
