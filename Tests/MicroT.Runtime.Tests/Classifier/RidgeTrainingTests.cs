using MathNet.Numerics.LinearAlgebra;
using MicroT.Runtime.Classifier;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// The default training path: ridge heads with the strength chosen by GCV, closed-form
/// leave-one-out calibration, the softmax temperature, the store's Gram updated per sample,
/// and the memory the training holds (nanoCLR layout).
/// </summary>
public class RidgeTrainingTests(ITestOutputHelper output)
{
    static readonly float[] Alphas = { 0.01f, 0.031622777f, 0.1f, 0.31622777f, 1f, 3.1622777f, 10f, 31.622777f, 100f };
    static readonly double[] Temperatures = { 1, 1.5, 2, 3, 4, 6, 8 };

    /// <summary>Standardized features in double (population std, constant -> 0), from the store's int8 values.</summary>
    static Matrix<double> Standardized(SampleStore s)
    {
        int n = s.Count, d = s.FeatureLength;
        var z = Matrix<double>.Build.Dense(n, d);
        for (int j = 0; j < d; j++)
        {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += s.Features[i * d + j];
            mean /= n;
            for (int i = 0; i < n; i++) sq += Math.Pow(s.Features[i * d + j] - mean, 2);
            double std = Math.Sqrt(sq / n);
            for (int i = 0; i < n; i++) z[i, j] = std < 1e-9 ? 0 : (s.Features[i * d + j] - mean) / std;
        }
        return z;
    }

    static Matrix<double> Targets(SampleStore s) =>
        Matrix<double>.Build.Dense(s.Count, s.ClassCount, (i, c) => s.GetLabel(i) == c ? 1 : -1);

    /// <summary>Ridge with an unpenalized intercept on rows of z: (weights d x classes, intercepts).</summary>
    static (Matrix<double> w, Vector<double> b) Ridge(Matrix<double> z, Matrix<double> y, double lambda)
    {
        var mz = z.ColumnSums() / z.RowCount;
        var my = y.ColumnSums() / y.RowCount;
        var zc = z - Matrix<double>.Build.Dense(z.RowCount, z.ColumnCount, (i, j) => mz[j]);
        var yc = y - Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount, (i, c) => my[c]);
        var w = (zc.TransposeThisAndMultiply(zc) + lambda * Matrix<double>.Build.DenseIdentity(z.ColumnCount)).Solve(zc.TransposeThisAndMultiply(yc));
        return (w, my - w.TransposeThisAndMultiply(mz));
    }

    /// <summary>GCV from its definition: explicit residuals and the explicit hat matrix trace.</summary>
    static double Gcv(Matrix<double> z, Matrix<double> y, double lambda)
    {
        int n = z.RowCount;
        var (w, b) = Ridge(z, y, lambda);
        var fitted = z * w + Matrix<double>.Build.Dense(n, y.ColumnCount, (i, c) => b[c]);
        double rss = (y - fitted).PointwisePower(2).Enumerate().Sum();
        var mz = z.ColumnSums() / n;
        var zc = z - Matrix<double>.Build.Dense(n, z.ColumnCount, (i, j) => mz[j]);
        var hat = zc * (zc.TransposeThisAndMultiply(zc) + lambda * Matrix<double>.Build.DenseIdentity(z.ColumnCount)).Inverse() * zc.Transpose();
        double trace = 1 + hat.Trace();
        return rss / Math.Pow(1 - trace / n, 2);
    }

    /// <summary>The documented search: downhill from candidates 2 and 3.</summary>
    static double ChooseLambda(Matrix<double> z, Matrix<double> y)
    {
        int n = z.RowCount;
        var gcv = new double[Alphas.Length];
        gcv[2] = Gcv(z, y, Alphas[2] * n);
        gcv[3] = Gcv(z, y, Alphas[3] * n);
        int best = gcv[2] <= gcv[3] ? 2 : 3, step = best == 2 ? -1 : 1;
        for (int k = best + step; k >= 0 && k < Alphas.Length; k += step)
        {
            gcv[k] = Gcv(z, y, Alphas[k] * n);
            if (!(gcv[k] < gcv[best])) break;
            best = k;
        }
        return Alphas[best] * n;
    }

    /// <summary>Leave-one-out scores by explicit refits without each sample (standardization fixed).</summary>
    static double[][] RefitScores(Matrix<double> z, Matrix<double> y, double lambda)
    {
        int n = z.RowCount;
        var scores = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var keep = Enumerable.Range(0, n).Where(r => r != i).ToArray();
            var zi = Matrix<double>.Build.DenseOfRowVectors(keep.Select(z.Row));
            var yi = Matrix<double>.Build.DenseOfRowVectors(keep.Select(y.Row));
            var (w, b) = Ridge(zi, yi, lambda);
            scores[i] = (w.TransposeThisAndMultiply(z.Row(i)) + b).ToArray();
        }
        return scores;
    }

    static double CrossEntropy(double[][] scores, SampleStore s, double t) =>
        Enumerable.Range(0, s.Count).Sum(i =>
        {
            double max = scores[i].Max();
            return Math.Log(scores[i].Sum(v => Math.Exp(t * (v - max)))) - t * (scores[i][s.GetLabel(i)] - max);
        });

    static double ChooseTemperature(double[][] scores, SampleStore s)
    {
        var loss = new double[Temperatures.Length];
        loss[4] = CrossEntropy(scores, s, Temperatures[4]);
        loss[5] = CrossEntropy(scores, s, Temperatures[5]);
        int best = loss[4] <= loss[5] ? 4 : 5, step = best == 4 ? -1 : 1;
        for (int k = best + step; k >= 0 && k < Temperatures.Length; k += step)
        {
            loss[k] = CrossEntropy(scores, s, Temperatures[k]);
            if (!(loss[k] < loss[best])) break;
            best = k;
        }
        return Temperatures[best];
    }

    [Fact]
    public void LeaveOneOutCalibrationEqualsExplicitRefits()
    {
        var part = RealFeatures.Train("mnist", 4, 8);       // 49 features, 80 samples
        var full = RealFeatures.Train("mnist", 2, 8);       // 196 features: more features than samples
        var task = TaskTrainer.Train("digits", Enumerable.Range(0, 10).Select(i => "d" + i).ToArray(), part, full,
            new TaskTrainingOptions(), out var cal);

        var zp = Standardized(part);
        var yp = Targets(part);
        double lambda = ChooseLambda(zp, yp);
        var scores = RefitScores(zp, yp, lambda);
        double t = ChooseTemperature(scores, part);
        double worst = 0;
        for (int i = 0; i < part.Count; i++)
        {
            double max = scores[i].Max();
            double confidence = 1 / scores[i].Sum(v => Math.Exp(t * (v - max)));
            worst = Math.Max(worst, Math.Abs(confidence - cal.PartConfidences[i]));
            Assert.Equal(Array.IndexOf(scores[i], max) == part.GetLabel(i), cal.PartCorrect[i]);
        }
        output.WriteLine($"part: lambda {lambda}, temperature {t}, largest confidence difference {worst:E2}");
        Assert.True(worst < 2e-3, $"largest confidence difference {worst}");

        var zf = Standardized(full);
        var yf = Targets(full);
        var fullScores = RefitScores(zf, yf, ChooseLambda(zf, yf));
        int agree = Enumerable.Range(0, full.Count).Count(i => (Array.IndexOf(fullScores[i], fullScores[i].Max()) == full.GetLabel(i)) == cal.FullCorrect[i]);
        Assert.True(agree >= full.Count - 1, $"full leave-one-out correctness agrees on {agree} of {full.Count}");

        // The task's threshold is the calibration's, and both overloads train the same task.
        Assert.Equal(cal.ThresholdForRatio(0.5f), task.Threshold);
        var again = TaskTrainer.Train("digits", task.ClassNames, part, full, new TaskTrainingOptions());
        Assert.Equal(task.Threshold, again.Threshold);
        Assert.Equal(task.FullHead.Weights, again.FullHead.Weights);
    }

    [Fact]
    public void HeadEqualsDoubleReferenceAtTheChosenStrength()
    {
        var train = RealFeatures.Train("fashion-mnist", 4, 20);
        var head = HeadTrainer.Fit(train, new HeadOptions());
        var z = Standardized(train);
        var (w, b) = Ridge(z, Targets(train), ChooseLambda(z, Targets(train)));
        var (test, labels) = RealFeatures.Test("fashion-mnist", 4, 50);
        int agree = 0;
        var scores = new float[10];
        var mean = Enumerable.Range(0, train.FeatureLength).Select(j => Enumerable.Range(0, train.Count).Average(i => (double)train.Features[i * train.FeatureLength + j])).ToArray();
        var std = Enumerable.Range(0, train.FeatureLength).Select(j => Math.Sqrt(Enumerable.Range(0, train.Count).Average(i => Math.Pow(train.Features[i * train.FeatureLength + j] - mean[j], 2)))).ToArray();
        foreach (var f in test)
        {
            head.Score(f, 0, scores);
            var zr = Vector<double>.Build.Dense(f.Length, j => std[j] < 1e-9 ? 0 : (f[j] - mean[j]) / std[j]);
            var reference = w.TransposeThisAndMultiply(zr) + b;
            if (LinearHead.ArgMax(scores, 10) == reference.MaximumIndex()) agree++;
        }
        Assert.True(agree >= 0.995 * test.Length, $"{agree} of {test.Length}");
    }

    [Fact]
    public void GramUpdatedPerSampleGivesTheHeadOfAStoreRebuiltFromScratch()
    {
        var all = RealFeatures.Train("fashion-mnist", 4, 12);
        int d = all.FeatureLength;
        var growing = new SampleStore(d, all.Scale, all.ZeroPoint, 10, all.Count);
        var options = new HeadOptions();
        for (int i = 0; i < all.Count; i++)
        {
            growing.Add(all.Features, i * d, all.GetLabel(i));
            if (i == all.Count / 2) HeadTrainer.Fit(growing, options);   // retrain midway: the Gram keeps growing
        }
        var withGram = HeadTrainer.Fit(growing, options);
        var fresh = new SampleStore(d, all.Scale, all.ZeroPoint, 10, all.Count, keepGram: false);
        for (int i = 0; i < all.Count; i++) fresh.Add(all.Features, i * d, all.GetLabel(i));
        Assert.True(growing.KeepsGram);
        Assert.False(fresh.KeepsGram);
        var rebuilt = HeadTrainer.Fit(fresh, options);
        double scale = withGram.Weights.Max(Math.Abs);
        for (int k = 0; k < withGram.Weights.Length; k++)
            Assert.True(Math.Abs(withGram.Weights[k] - rebuilt.Weights[k]) <= 1e-4 * scale, $"weight {k}: {withGram.Weights[k]} vs {rebuilt.Weights[k]}");

        // Clear forgets the Gram too: refilled, the store trains the same head bit for bit.
        growing.Clear();
        for (int i = 0; i < all.Count; i++) growing.Add(all.Features, i * d, all.GetLabel(i));
        Assert.Equal(withGram.Weights, HeadTrainer.Fit(growing, options).Weights);
    }

    [Fact]
    public void StoreWithGramRefusesMoreSamplesThanItsSumsHold()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SampleStore(4, 0.1f, 0, 2, SampleStore.MaxGramSamples + 1));
        Assert.Contains("keepGram", e.Message);
        Assert.Equal(SampleStore.MaxGramSamples + 1, new SampleStore(4, 0.1f, 0, 2, SampleStore.MaxGramSamples + 1, false).Capacity);
    }

    /// <summary>nanoCLR: an array is a 20-byte header plus its elements, rounded up to 12-byte blocks.</summary>
    static long NanoBytes(Array a) => a == null ? 0 : (20 + a.Length * ElementBytes(a) + 11) / 12 * 12;

    static long ElementBytes(Array a) => a switch
    {
        float[] or int[] => 4,
        long[] => 8,
        bool[] or byte[] or sbyte[] => 1,
        _ => throw new InvalidOperationException("no nanoCLR size for " + a.GetType()),
    };

    [Fact]
    public void TrainingHoldsAtMost40KBBeyondTheStoresAtTheZooModelsSizes()
    {
        // The zoo model's feature lengths (64 part, 128 full), 200 samples of 10 classes.
        var rng = new Random(5);
        var part = new SampleStore(64, 0.01f, -128, 10, 200);
        var full = new SampleStore(128, 0.02f, -128, 10, 200);
        var p = new sbyte[64];
        var f = new sbyte[128];
        for (int i = 0; i < 200; i++)
        {
            for (int j = 0; j < 64; j++) p[j] = (sbyte)rng.Next(-128, 128);
            for (int j = 0; j < 128; j++) f[j] = (sbyte)rng.Next(-128, 128);
            part.Add(p, 0, i % 10);
            full.Add(f, 0, i % 10);
        }
        // The peak is while the full head is solved: its fit object's arrays (found by reflection,
        // so nothing is left out) plus the small arrays its methods allocate (the GCV table of 9
        // floats, the 10 fitted scores of the leave-one-out loop) and the full leave-one-out flags.
        var fitType = typeof(TaskTrainer).Assembly.GetType("MicroT.Runtime.Classifier.RidgeFit", throwOnError: true)!;
        var fit = Activator.CreateInstance(fitType, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic,
            null, new object[] { full, null!, 200 }, null)!;
        fitType.GetMethod("Select")!.Invoke(fit, new object[] { -1f });
        fitType.GetMethod("Weights")!.Invoke(fit, null);
        long held = 0;
        foreach (var field in fitType.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
            if (field.GetValue(fit) is Array a && field.Name != "_rows") held += NanoBytes(a);
        long methods = NanoBytes(new float[9]) + NanoBytes(new float[10]) + NanoBytes(new bool[200]);
        long objects = 3 * 64;   // the fit object, the LinearHead, the TaskTrainer frames: generous
        long peak = held + methods + objects;
        output.WriteLine($"full head phase: arrays {held} B, method arrays {methods} B, objects {objects} B, total {peak} B");
        Assert.True(peak <= 40 * 1024, $"{peak} bytes");
        // The part phase holds less: its factor, weights and leave-one-out table plus the full head's weights.
        long partPhase = NanoBytes(new float[64 * 65 / 2]) + NanoBytes(new float[640]) + NanoBytes(new float[2000]) + NanoBytes(new float[200])
            + 2 * NanoBytes(new bool[200]) + NanoBytes(new float[1280]) + 8 * NanoBytes(new float[128]);
        Assert.True(partPhase < peak, $"part phase {partPhase} B");
        TaskTrainer.Train("zoo", Enumerable.Range(0, 10).Select(i => "c" + i).ToArray(), part, full, new TaskTrainingOptions());   // and it trains
    }

    [Fact]
    public void ConfidenceStaysInZeroToOneWhenScoresOverflow()
    {
        Assert.Equal(1f, LinearHead.Confidence(new[] { float.PositiveInfinity, 1f, 2f }, 3));
        Assert.Equal(0.5f, LinearHead.Confidence(new[] { float.PositiveInfinity, float.PositiveInfinity, 2f }, 3));
        Assert.Equal(1f, LinearHead.Confidence(new[] { float.NaN, 5f, float.NegativeInfinity }, 3));
        Assert.Equal(1, LinearHead.ArgMax(new[] { float.NaN, 5f, 4f }, 3));
        Assert.Equal(0f, LinearHead.Confidence(new[] { float.NaN, float.NaN }, 2));
        // A head with huge (accepted) weights: scores overflow to +-infinity, the confidence is still a probability.
        var head = new LinearHead(HeadKind.Ridge, 2, 3, 0.1f, 0, new[] { 3e38f, 3e38f, -3e38f, -3e38f, 3e38f, -3e38f }, new float[3]);
        var scores = new float[3];
        head.Score(new sbyte[] { 100, 100 }, 0, scores);
        float c = LinearHead.Confidence(scores, 3);
        Assert.InRange(c, 0f, 1f);
        Assert.Equal(0, LinearHead.ArgMax(scores, 3));
    }

    [Fact]
    public void FromScoresNamesTheBadValue()
    {
        var e = Assert.Throws<ArgumentException>(() => Calibration.FromScores(new[] { 0.5f, 0.2f, float.NaN }, new bool[3], new bool[3]));
        Assert.Contains("partConfidences[2]", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("1.5", Assert.Throws<ArgumentException>(() => Calibration.FromScores(new[] { 1.5f }, new bool[1], new bool[1])).Message);
    }
}
