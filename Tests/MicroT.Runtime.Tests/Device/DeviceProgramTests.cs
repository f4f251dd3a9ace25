using System.Text.RegularExpressions;
using MicroT.DeviceGen;
using MicroT.NanoGate;
using MicroT.Runtime.DeviceTests;
using MicroT.Runtime.DeviceTests.Framework;
using Assert = Xunit.Assert;
using DeviceAssert = MicroT.Runtime.DeviceTests.Framework.Assert;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Device;

/// <summary>
/// The device test program (Tests/MicroT.Runtime.DeviceTests) as CI sees it: its host build
/// runs here and must pass every test; its gate build must pass NanoGate with only mscorlib and
/// MicroT.Runtime referenced; its generated files must equal a fresh generation.
/// </summary>
public class DeviceProgramTests(ITestOutputHelper output)
{
    static readonly Regex PassedLine = new(@"^Test passed,[A-Za-z0-9]+\.[A-Za-z0-9]+,\d+$");

    [Fact]
    public void HostRunOfTheDeviceSuitePassesEveryTest()
    {
        var lines = new List<string>();
        TestRunner runner = DeviceTestSuite.Create(lines.Add);
        runner.RunAll();
        foreach (string line in lines) output.WriteLine(line);

        Assert.True(runner.Count >= 16, $"only {runner.Count} device tests registered");
        Assert.Equal(runner.Count + 1, lines.Count);
        Assert.All(lines.Take(runner.Count), l => Assert.Matches(PassedLine, l));
        Assert.Equal($"{runner.Count} passed, 0 failed", lines[^1]);
    }

    [Fact]
    public void RunnerPrintsFailuresInTheLauncherFormatAndCountsThem()
    {
        var lines = new List<string>();
        var runner = new TestRunner(lines.Add);
        runner.Add("Demo", "Passes", () => { });
        runner.Add("Demo", "FailsAnAssert", () => DeviceAssert.AreEqual(1, 2, "x, y\nz"));
        runner.Add("Demo", "Throws", () => throw new InvalidOperationException("boom"));
        runner.RunAll();

        Assert.Equal(4, lines.Count);
        Assert.Matches(@"^Test passed,Demo\.Passes,\d+$", lines[0]);
        Assert.Equal("Test failed,Demo.FailsAnAssert,x; y z: expected 1; got 2", lines[1]);
        Assert.Equal("Test failed,Demo.Throws,System.InvalidOperationException: boom", lines[2]);
        Assert.Equal("1 passed, 2 failed", lines[3]);
        Assert.Equal(1, runner.Passed);
        Assert.Equal(2, runner.Failed);
    }

    [Fact]
    public void ThrowsExceptionFailsWhenNothingOrTheWrongTypeIsThrown()
    {
        var none = Assert.Throws<AssertFailedException>(() =>
            DeviceAssert.ThrowsException(typeof(ArgumentException), () => { }, "w"));
        Assert.Contains("nothing was thrown", none.Message);
        var wrong = Assert.Throws<AssertFailedException>(() =>
            DeviceAssert.ThrowsException(typeof(ArgumentException), () => throw new IndexOutOfRangeException(), "w"));
        Assert.Contains("IndexOutOfRange", wrong.Message);
        var derived = DeviceAssert.ThrowsException(typeof(ArgumentException),
            () => throw new ArgumentOutOfRangeException("p"), "w");
        Assert.IsType<ArgumentOutOfRangeException>(derived);
    }

    [Fact]
    public void GeneratedFilesEqualAFreshGeneration()
    {
        var stale = Generator.Stale(TestPaths.RepoRoot);
        Assert.True(stale.Count == 0,
            "stale generated files (run: dotnet run --project tools/MicroT.DeviceGen -c Release): " + string.Join(", ", stale));
    }

    [Fact]
    public void DeviceTestProgramBuiltAgainstNanoMscorlibPassesTheGate()
    {
        string dll = Path.Combine(TestPaths.RepoRoot, "artifacts", "nano-apps", "DeviceTests", "MicroT.Runtime.DeviceTests.dll");
        Assert.True(File.Exists(dll), "the gate build (Tests/MicroT.Runtime.DeviceTests/Gate) did not produce " + dll);
        var violations = GateScanner.Scan(dll, "MicroT.Runtime");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        // And without the allowance the reference to the runtime is what the gate reports.
        Assert.Contains(GateScanner.Scan(dll), v => v.Rule == GateRule.ForeignAssemblyReference && v.Detail.Contains("MicroT.Runtime"));
    }
}
