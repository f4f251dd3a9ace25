using MicroT.Runtime.Classifier;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>The logistic option: k-fold fits warm-started from the all-sample heads with a fixed
/// iteration budget calibrate like fully converged cold fits.</summary>
public class LogisticCalibrationTests(ITestOutputHelper output)
{
    static TaskTrainingOptions Logistic(int foldIterations, int maxIterations) => new()
    {
        Part = new HeadOptions { Kind = HeadKind.Logistic, MaxIterations = maxIterations },
        Full = new HeadOptions { Kind = HeadKind.Logistic, MaxIterations = maxIterations },
        Folds = 5,
        FoldIterations = foldIterations,
    };

    [Fact]
    public void WarmStartedFoldFitsWithABudgetCalibrateLikeConvergedColdFits()
    {
        var part = RealFeatures.Train("fashion-mnist", 4, 12);
        var full = RealFeatures.Train("fashion-mnist", 2, 12);
        var names = Enumerable.Range(0, 10).Select(i => "c" + i).ToArray();
        var budget = TaskTrainer.Train("warm", names, part, full, Logistic(20, 500), out var warm);
        // Reference: the same folds, cold starts (Calibration.Run), each fold run to convergence.
        var options = new HeadOptions { Kind = HeadKind.Logistic, MaxIterations = 500 };
        var cold = Calibration.Run(part, full, options, options, 5);
        double diff = Enumerable.Range(0, part.Count).Average(i => Math.Abs(warm.PartConfidences[i] - cold.PartConfidences[i]));
        int agree = Enumerable.Range(0, part.Count).Count(i => warm.PartCorrect[i] == cold.PartCorrect[i] && warm.FullCorrect[i] == cold.FullCorrect[i]);
        output.WriteLine($"mean |confidence difference| {diff:F4}, agreement {agree}/{part.Count}, thresholds {warm.ThresholdForRatio(0.5f)} vs {cold.ThresholdForRatio(0.5f)}");
        Assert.True(diff < 0.02, $"mean confidence difference {diff}");
        Assert.True(agree >= 0.95 * part.Count, $"{agree} of {part.Count}");
        Assert.InRange(warm.ThresholdForRatio(0.5f) - cold.ThresholdForRatio(0.5f), -0.05f, 0.05f);
        // The heads themselves are the all-sample fits: as HeadTrainer.Fit gives them.
        Assert.Equal(HeadTrainer.Fit(full, options).QuantizedWeights, budget.FullHead.QuantizedWeights);
    }

    [Fact]
    public void FoldIterationsMustBePositive()
    {
        var part = RealFeatures.Train("mnist", 4, 3);
        var full = RealFeatures.Train("mnist", 2, 3);
        var names = Enumerable.Range(0, 10).Select(i => "c" + i).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskTrainer.Train("x", names, part, full, Logistic(0, 50)));
    }
}
