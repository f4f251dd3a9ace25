using System.Text.RegularExpressions;
using MicroT.NanoGate;
using MicroT.Sample;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Device;

/// <summary>
/// The ESP32 sample (samples/MicroT.Sample): its host build runs end to end here (load, train
/// two tasks, calibrate r = 0.5, staged classification of held-out frames), and its gate build
/// passes NanoGate with only mscorlib and MicroT.Runtime referenced.
/// </summary>
public class SampleAppTests(ITestOutputHelper output)
{
    static readonly Regex Accuracy = new(@"^task '(\w+)': accuracy (\d+)/(\d+) = .*, part model answered (\d+)/(\d+)");

    [Fact]
    public void SampleTrainsBothTasksAndClassifiesHeldOutFramesAboveChance()
    {
        var lines = new List<string>();
        SampleApp.Run(lines.Add);
        foreach (string line in lines) output.WriteLine(line);

        var tasks = lines.Select(l => Accuracy.Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(new[] { "clothing", "digits" }, tasks.Select(m => m.Groups[1].Value));
        foreach (Match m in tasks)
        {
            int correct = int.Parse(m.Groups[2].Value), n = int.Parse(m.Groups[3].Value);
            Assert.Equal(12, n);
            // Three classes: chance is 4/12. The pipeline (features, training, staged answers) must do better.
            Assert.True(correct > n / 2, $"{m.Groups[1].Value}: {correct}/{n} correct");
            int byPart = int.Parse(m.Groups[4].Value);
            Assert.InRange(byPart, 1, n - 1); // r = 0.5 calibrated: both stages answer some frames
        }
        Assert.Contains(lines, l => l.Contains("us per frame"));
    }

    [Fact]
    public void SampleBuiltAgainstNanoMscorlibPassesTheGate()
    {
        // The app, its frames assembly (the frames alone are close to the initializer-data limit)
        // and the zoo model's (samples/MicroT.ZooModel).
        foreach (string path in new[] { "Sample/MicroT.Sample", "Sample/MicroT.Sample.Frames", "ZooModel/MicroT.ZooModel" })
        {
            string dll = Path.Combine(TestPaths.RepoRoot, "artifacts", "nano-apps", path + ".dll");
            Assert.True(File.Exists(dll), "the gate build did not produce " + dll);
            var violations = GateScanner.Scan(dll, "MicroT.Runtime", "MicroT.Sample.Frames", "MicroT.ZooModel");
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }
    }
}
