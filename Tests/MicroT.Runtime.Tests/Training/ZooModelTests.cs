using System.Globalization;
using System.Text.RegularExpressions;
using MicroT.Data;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Training;

/// <summary>The shipped extractor (zoo/microt-s3.mtm) against its model card
/// (zoo/README.md): metadata, and the card's fixed accuracy check within 2 points.</summary>
public class ZooModelTests
{
    static string Zoo => Path.Combine(TestPaths.RepoRoot, "zoo");

    static Dictionary<string, string> Card()
    {
        var rows = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(File.ReadAllText(Path.Combine(Zoo, "README.md")), @"^\| ([a-z][^|]*?) \| ([^|]+?) \|$", RegexOptions.Multiline))
            rows[m.Groups[1].Value] = m.Groups[2].Value;
        return rows;
    }

    static long Number(Dictionary<string, string> card, string key)
    {
        Assert.True(card.ContainsKey(key), $"zoo/README.md has no row '{key}'");
        return long.Parse(card[key].Replace(",", ""), CultureInfo.InvariantCulture);
    }

    static Model Load() => Model.Load(File.ReadAllBytes(Path.Combine(Zoo, "microt-s3.mtm")));

    [Fact]
    public void ShippedModelLoadsAndMatchesItsCard()
    {
        var card = Card();
        var model = Load();
        Assert.Equal(card["name"], model.Name);
        Assert.Equal(card["input"].Split(' ')[0], $"{model.InputWidth}x{model.InputHeight}x{model.InputChannels}");
        Assert.Equal(Number(card, "split index"), model.SplitIndex);
        Assert.Equal(Number(card, "part MACs"), model.PartMacs);
        Assert.Equal(Number(card, "full MACs"), model.FullMacs);
        Assert.Equal(Number(card, "part features"), model.PartFeatureLength);
        Assert.Equal(Number(card, "full features"), model.FullFeatureLength);
        Assert.Equal(Number(card, "weight bytes"), model.Weights.Length);
        Assert.Equal(Number(card, "arena bytes"), model.ArenaSize);
        Assert.Equal(Number(card, "file bytes"), new FileInfo(Path.Combine(Zoo, "microt-s3.mtm")).Length);
        // The issue's limits.
        Assert.True(model.Weights.Length <= 48 * 1024 && model.ArenaSize <= 32 * 1024 && model.FullMacs <= 1_500_000);
        Assert.True(model.PartMacs <= 0.35 * model.FullMacs, $"part {model.PartMacs} of full {model.FullMacs}");
    }

    [Fact]
    public void FixedSubsetAccuracyIsAtLeastTheCardsFigureMinusTwoPoints()
    {
        // Nearest class mean on int8 full features: means of the first 100 train images per
        // class, scored on the first 100 test images per class (tools/training/card_check.py).
        string root = Path.Combine(TestPaths.RepoRoot, ".data");
        var train = StandardDataSets.LoadFashionMnist(DataSplit.Train, root);
        var test = StandardDataSets.LoadFashionMnist(DataSplit.Test, root);
        var trainIdx = Enumerable.Range(0, train.Count).Where(i => i % 6000 < 100).ToArray();
        var testIdx = Enumerable.Range(0, test.Count).Where(i => i % 1000 < 100).ToArray();
        var model = Load();
        var interpreter = new Interpreter(model);
        var q = new sbyte[model.FullFeatureLength];
        double[] Features(byte[] image28)
        {
            var padded = new LabeledImageSet(28, 28, new[] { image28 }, new[] { 0 }, new[] { "x" }).Padded(32, 32).Images[0];
            interpreter.SetInput(padded, FrameFormat.Gray8, 32, 32);
            interpreter.RunFull();
            interpreter.CopyFullFeatures(q, 0);
            return q.Select(v => (double)(v - model.FullFeatureZeroPoint) * model.FullFeatureScale).ToArray();
        }
        var means = new double[10][];
        for (int c = 0; c < 10; c++) means[c] = new double[model.FullFeatureLength];
        foreach (int i in trainIdx)
        {
            var f = Features(train.Images[i]);
            for (int j = 0; j < f.Length; j++) means[train.Labels[i]][j] += f[j] / 100;
        }
        int correct = 0;
        foreach (int i in testIdx)
        {
            var f = Features(test.Images[i]);
            int best = Enumerable.Range(0, 10).OrderBy(c => means[c].Zip(f, (m, x) => (m - x) * (m - x)).Sum()).First();
            if (best == test.Labels[i]) correct++;
        }
        double accuracy = 100.0 * correct / testIdx.Length;
        double cardFigure = double.Parse(Card()["check: nearest class mean, int8 full features, %"], CultureInfo.InvariantCulture);
        Assert.True(accuracy >= cardFigure - 2, $"accuracy {accuracy:F1}% < card {cardFigure}% - 2");
    }
}
