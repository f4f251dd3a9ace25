using System.Globalization;
using MicroT.Evaluation;
using MicroT.ModelWriter;
using Spectre.Console;
using Xunit;

namespace MicroT.Runtime.Tests.Evaluation;

/// <summary>`microt demo` end to end, once for the class: outputs exist and parse, and the
/// stage decision behaves as MicroT says at its two ends and in between.</summary>
public sealed class DemoRun : IDisposable
{
    public DemoRun()
    {
        Folder = Directory.CreateTempSubdirectory("microt-demo-").FullName;
        (Code, Output) = Cli.Run("demo", "-o", Folder);
    }

    public string Folder { get; }
    public int Code { get; }
    public string Output { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

static class Cli
{
    public static (int Code, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        int code = MicroT.Cli.Program.Run(args, console);
        return (code, writer.ToString());
    }
}

public sealed class DemoCommandTests : IClassFixture<DemoRun>
{
    readonly DemoRun demo;

    public DemoCommandTests(DemoRun demo) => this.demo = demo;

    EvaluationResult Json() => ResultFiles.FromJson(File.ReadAllText(Path.Combine(demo.Folder, "results.json")));

    [Fact]
    public void DemoSucceedsAndWritesCsvJsonAndPlot()
    {
        Assert.True(demo.Code == 0, demo.Output);
        Assert.Contains("PROJECTION", demo.Output);
        var result = Json();
        // Two tasks x two heads x (five ratios + full-only).
        Assert.Equal(2 * 2 * 6, result.Rows.Count);
        Assert.Equal(new[] { "demo:fashion-mnist", "demo:mnist" }, result.Rows.Select(r => r.Task).Distinct());
        // Beside them, per task and head, the raw-pixel baseline.
        Assert.Equal(2 * 2, result.Baselines.Count);
        var csv = File.ReadAllLines(Path.Combine(demo.Folder, "results.csv"));
        Assert.Equal(ResultFiles.CsvHeader, csv[0]);
        Assert.Equal(result.Rows.Count + result.Baselines.Count, csv.Length - 1);
        for (int i = 0; i < result.Rows.Count; i++)
        {
            var cells = csv[i + 1].Split(',');
            Assert.Equal(result.Model, cells[0]);
            Assert.Equal("20", cells[1]);
            Assert.Equal(result.Rows[i].Setting, cells[5]);
            Assert.Equal(result.Rows[i].HeldOut.ToString(CultureInfo.InvariantCulture), cells[8]);
            Assert.Equal(result.Rows[i].Accuracy, double.Parse(cells[10], CultureInfo.InvariantCulture), 6);
        }
        Assert.All(csv.Skip(1 + result.Rows.Count), l => Assert.Equal(BaselineRow.RawPixels, l.Split(',')[5]));
        var png = File.ReadAllBytes(Path.Combine(demo.Folder, "results.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        // Every row's table line is printed, with the held-out count and the baseline.
        Assert.Contains("full-only", demo.Output);
        Assert.Contains("held-out", demo.Output);
        Assert.Contains("raw pixels (baseline)", demo.Output);
    }

    [Fact]
    public void AtRatioZeroTheAnswersAreTheFullModelsAndAtRatioOneThePartModelsAll()
    {
        foreach (var g in Json().Rows.GroupBy(r => (r.Task, r.Head)))
        {
            var fullOnly = g.Single(r => r.Setting == ResultRow.FullOnly);
            var r0 = g.Single(r => r.TargetRatio == 0);
            var r1 = g.Single(r => r.TargetRatio == 1);
            Assert.Equal(fullOnly.Accuracy, r0.Accuracy);
            Assert.Equal(fullOnly.Correct, r0.Correct);
            Assert.Equal(0, r0.PartShare);
            Assert.Equal(1, r1.PartShare);
            Assert.Equal(1000, r1.HeldOut);
        }
    }

    [Fact]
    public void CostsGrowAsTheRatioFalls()
    {
        var result = Json();
        foreach (var g in result.Rows.GroupBy(r => (r.Task, r.Head)))
        {
            var staged = g.Where(r => r.TargetRatio.HasValue).OrderByDescending(r => r.TargetRatio).ToArray();
            for (int i = 1; i < staged.Length; i++)
            {
                Assert.True(staged[i].PartShare <= staged[i - 1].PartShare, $"{g.Key}: part share rose from {staged[i - 1].Setting} to {staged[i].Setting}");
                Assert.True(staged[i].CostPerAnswer >= staged[i - 1].CostPerAnswer, $"{g.Key}: IL cost fell from {staged[i - 1].Setting} to {staged[i].Setting}");
                Assert.True(staged[i].MacsPerAnswer >= staged[i - 1].MacsPerAnswer, $"{g.Key}: MACs fell from {staged[i - 1].Setting} to {staged[i].Setting}");
                Assert.True(staged[i].ProjectedMillijoules >= staged[i - 1].ProjectedMillijoules);
            }
            Assert.True(staged[^1].CostPerAnswer > staged[0].CostPerAnswer);
            // Answering at the part stage must be cheaper than full-only, or staging saves nothing.
            Assert.True(staged[0].Saving > 0.1, $"{g.Key}: saving at r=1 is only {staged[0].Saving:P1}");
        }
    }

    [Fact]
    public void MacsPerAnswerFollowTheModelsSplit()
    {
        var result = Json();
        foreach (var c in result.Costs)
        {
            // Heads add ClassCount x FeatureLength MACs; the extractor's come from the model header.
            long partHead = 10 * result.PartFeatureLength, fullHead = 10 * result.FullFeatureLength;
            Assert.Equal(result.PartMacs + partHead, c.PartAnswer.Macs);
            Assert.Equal(result.FullMacs + partHead + fullHead, c.FullAnswer.Macs);
            Assert.Equal(result.FullMacs + fullHead, c.FullOnly.Macs);
            Assert.True(c.PartAnswer.Weighted < c.FullOnly.Weighted && c.FullOnly.Weighted < c.FullAnswer.Weighted);
            Assert.Equal(0, c.PartAnswer.Allocations);
            Assert.Equal(0, c.FullAnswer.Allocations);
        }
    }

    [Fact]
    public void TheReferenceModelIsNamedAsSuchWhenThereIsNoZooModel()
    {
        var result = Json();
        if (DefaultModel.FindZooModel() == null)
        {
            Assert.Equal("microt-ref-dscnn", result.Model);
            Assert.Contains("RANDOM weights", result.ModelNote);
            Assert.Contains("RANDOM weights", demo.Output);
        }
        // Random features are weak, but far better than the 10% of guessing.
        Assert.All(result.Rows.Where(r => r.Setting == ResultRow.FullOnly), r => Assert.True(r.Accuracy > 0.2, $"{r.Task} {r.Head}: {r.Accuracy:P1}"));
    }
}

public sealed class EvalCommandTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("microt-evalcmd-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void SameSeedGivesIdenticalTablesAndAnotherSeedDoesNot()
    {
        string[] Args(string seed, string dir) => ["eval", "--task", "demo:mnist", "--held-out", "20", "--head", "ridge", "--seed", seed, "-o", Path.Combine(root, dir)];
        Assert.Equal(0, Cli.Run(Args("3", "a")).Code);
        Assert.Equal(0, Cli.Run(Args("3", "b")).Code);
        Assert.Equal(0, Cli.Run(Args("4", "c")).Code);
        string Read(string dir, string file) => File.ReadAllText(Path.Combine(root, dir, file));
        Assert.Equal(Read("a", "results.csv"), Read("b", "results.csv"));
        Assert.Equal(Read("a", "results.json"), Read("b", "results.json"));
        Assert.NotEqual(Read("a", "results.csv"), Read("c", "results.csv"));
    }

    [Fact]
    public void BadPathEndsWithAClearMessageAndExitCode()
    {
        string missing = Path.Combine(root, "no-such-folder");
        var (code, output) = Cli.Run("eval", "--task", missing, "-o", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.Contains("does not exist", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void MissingModelFileIsNamed()
    {
        var (code, output) = Cli.Run("eval", "--model", Path.Combine(root, "x.mtm"), "--task", "demo:mnist");
        Assert.Equal(1, code);
        Assert.Contains("x.mtm", output);
    }

    [Fact]
    public void OneClassFolderEndsWithAClearMessage()
    {
        Directory.CreateDirectory(Path.Combine(root, "data", "only"));
        var (code, output) = Cli.Run("eval", "--task", Path.Combine(root, "data"), "-o", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.Contains("at least two class subfolders", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void ImagesOfTheWrongSizeEndWithAClearMessage()
    {
        string model = Path.Combine(root, "tiny.mtm");
        File.WriteAllBytes(model, ReferenceModels.TinyAllOps()); // 8x8 input; the data sets are 28x28
        var (code, output) = Cli.Run("eval", "--model", model, "--task", "demo:fashion-mnist", "-o", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.Contains("28x28, larger than the model input 8x8", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void NoTaskIsAUsageMessage()
    {
        var (code, output) = Cli.Run("eval", "-o", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.Contains("--task", output);
    }
}
