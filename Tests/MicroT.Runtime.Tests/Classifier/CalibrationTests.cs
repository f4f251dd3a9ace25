using MicroT.Runtime.Classifier;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

public class CalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void ThresholdIsTheQuantileOfTheConfidences()
    {
        float[] conf = { 0.9f, 0.2f, 0.6f, 0.4f, 0.8f, 0.3f, 0.7f, 0.5f, 0.95f, 0.1f };   // 10 distinct
        var cal = Calibration.FromScores(conf, new bool[10], new bool[10]);
        Assert.Equal(0.55f, cal.ThresholdForRatio(0.5f), 6);     // between 5th (0.6) and 6th (0.5) largest
        Assert.Equal(0.5f, cal.RatioAt(cal.ThresholdForRatio(0.5f)));
        Assert.Equal(0.3f, cal.RatioAt(cal.ThresholdForRatio(0.3f)));
        Assert.Equal(0.75f, cal.ThresholdForRatio(0.25f), 6);    // k = round(2.5) = 3: between 0.8 and 0.7
        Assert.Equal(Calibration.NeverPart, cal.ThresholdForRatio(0f));
        Assert.Equal(0f, cal.RatioAt(cal.ThresholdForRatio(0f)));
        Assert.Equal(0f, cal.ThresholdForRatio(1f));
        Assert.Equal(1f, cal.RatioAt(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => cal.ThresholdForRatio(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => cal.ThresholdForRatio(1.5f));
    }

    [Fact]
    public void AccuracyFollowsTheTwoStageRule()
    {
        float[] conf = { 0.9f, 0.8f, 0.7f, 0.6f };
        bool[] part = { true, false, true, false };
        bool[] full = { false, true, false, true };
        var cal = Calibration.FromScores(conf, part, full);
        Assert.Equal(0.5f, cal.AccuracyAt(0f));          // part answers all: 2 of 4
        Assert.Equal(0.5f, cal.AccuracyAt(Calibration.NeverPart));   // full answers all: 2 of 4
        Assert.Equal(0.75f, cal.AccuracyAt(0.85f));   // sample 0 by part (right), 1..3 by full (right, wrong, right)
        Assert.Equal(0.75f, cal.AccuracyAt(0.65f));   // 0..2 by part (right, wrong, right), 3 by full (right)
    }

    [Fact]
    public void OutOfFoldConfidencesComeFromHeadsThatNeverSawTheSample()
    {
        var part = RealFeatures.Train("fashion-mnist", 4, 8);
        var full = RealFeatures.Train("fashion-mnist", 2, 8);
        var options = new HeadOptions();
        var cal = Calibration.Run(part, full, options, options, 4);
        // Recompute sample 0's confidence independently: the fold dealing puts samples of class 0
        // (rows 0, 10, 20, ... in store order) into folds 0, 1, 2, 3, 0, ...: row 0 is in fold 0
        // with rows 40 (class 0) and every 4th sample of the class-sorted order.
        var order = Enumerable.Range(0, part.Count).OrderBy(i => part.GetLabel(i)).ThenBy(i => i).ToArray();
        var fold = new int[part.Count];
        for (int r = 0; r < order.Length; r++) fold[order[r]] = r % 4;
        var without = new SampleStore(part.FeatureLength, part.Scale, part.ZeroPoint, 10, part.Count);
        for (int i = 0; i < part.Count; i++)
            if (fold[i] != fold[0]) without.Add(part.Features, i * part.FeatureLength, part.GetLabel(i));
        var head = HeadTrainer.Fit(without, options);
        var scores = new float[10];
        head.Score(part.Features, 0, scores);
        Assert.Equal(LinearHead.Confidence(scores, 10), cal.PartConfidences[0], 5);

        // In-sample confidence is optimistic: the out-of-fold mean must be lower.
        var inSample = HeadTrainer.Fit(part, options);
        double inMean = Enumerable.Range(0, part.Count).Average(i =>
        {
            inSample.Score(part.Features, i * part.FeatureLength, scores);
            return LinearHead.Confidence(scores, 10);
        });
        output.WriteLine($"mean part confidence in-sample {inMean:F3}, out-of-fold {cal.PartConfidences.Average():F3}");
        Assert.True(cal.PartConfidences.Average() < inMean);
    }

    [Fact]
    public void ReportGivesAccuracyAndCostPerRatio()
    {
        var part = RealFeatures.Train("fashion-mnist", 4, 20);
        var full = RealFeatures.Train("fashion-mnist", 2, 20);
        var options = new HeadOptions();
        var cal = Calibration.Run(part, full, options, options, 5);
        var report = cal.Report(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, 710, 1000);
        for (int i = 0; i < report.Ratios.Length; i++)
            output.WriteLine($"r {report.Ratios[i]:F2}: threshold {report.Thresholds[i]:F3}, answered by part {report.ActualRatios[i]:F3}, " +
                             $"accuracy {report.Accuracies[i]:P1}, cost {report.ExpectedCosts[i]:F0}, saving {report.Savings[i]:P1}");
        Assert.Equal(report.FullOnlyAccuracy, report.Accuracies[0]);
        Assert.Equal(report.PartOnlyAccuracy, report.Accuracies[4]);
        Assert.Equal(1000f, report.ExpectedCosts[0]);
        Assert.Equal(710f, report.ExpectedCosts[4]);
        Assert.Equal(0.29f, report.Savings[4], 5);
        Assert.InRange(report.ActualRatios[2], 0.45f, 0.55f);
        Assert.Equal(cal.AccuracyAt(report.Thresholds[2]), report.Accuracies[2]);
        for (int i = 1; i < report.Ratios.Length; i++) Assert.True(report.ExpectedCosts[i] <= report.ExpectedCosts[i - 1]);
    }

    [Fact]
    public void TrainerCalibratesTheTaskThreshold()
    {
        var part = RealFeatures.Train("mnist", 4, 10);
        var full = RealFeatures.Train("mnist", 2, 10);
        var names = Enumerable.Range(0, 10).Select(i => "digit" + i).ToArray();
        var task = TaskTrainer.Train("digits", names, part, full, new TaskTrainingOptions { Ratio = 0.5f }, out var cal);
        Assert.Equal(cal.ThresholdForRatio(0.5f), task.Threshold);
        Assert.Equal(0.5f, cal.RatioAt(task.Threshold), 2);
        Assert.Equal(49, task.PartHead.FeatureLength);
        Assert.Equal(196, task.FullHead.FeatureLength);
    }

    [Fact]
    public void MismatchedStoresAreRejected()
    {
        var part = RealFeatures.Train("mnist", 4, 3);
        var full = RealFeatures.Train("mnist", 2, 2);
        Assert.Contains("same samples", Assert.Throws<ArgumentException>(() =>
            Calibration.Run(part, full, new HeadOptions(), new HeadOptions(), 3)).Message);
        var tiny = new SampleStore(2, 1f, 0, 2, 2);
        tiny.Add(new sbyte[2], 0, 0);
        Assert.Throws<InvalidOperationException>(() => Calibration.Run(tiny, tiny, new HeadOptions(), new HeadOptions(), 2));
    }
}
