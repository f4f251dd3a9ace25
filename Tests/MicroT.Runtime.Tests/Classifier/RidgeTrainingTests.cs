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

    /// <summary>
    /// The calibration's new-sample scores from their definition: y - (y - f_i) sqrt((1 + h_i) / (1 - h_i)),
    /// with f_i the fit on all samples and h_i = 1 - (y - f_i) / (y - refit_i) read off the explicit
    /// refit without sample i (the leave-one-out identity, per class; the largest residual's class
    /// gives the best-conditioned ratio), so the leverage is not taken from the runtime's own formula.
    /// </summary>
    static double[][] NewSampleScores(Matrix<double> z, Matrix<double> y, double lambda, double[][] refits)
    {
        int n = z.RowCount, classes = y.ColumnCount;
        var (w, b) = Ridge(z, y, lambda);
        var scores = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var f = (w.TransposeThisAndMultiply(z.Row(i)) + b).ToArray();
            int c0 = Enumerable.Range(0, classes).MaxBy(c => Math.Abs(y[i, c] - f[c]));
            double keep = (y[i, c0] - f[c0]) / (y[i, c0] - refits[i][c0]);     // 1 - h_i
            double scale = Math.Sqrt((2 - keep) / keep);
            scores[i] = Enumerable.Range(0, classes).Select(c => y[i, c] - (y[i, c] - f[c]) * scale).ToArray();
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

    static readonly Type FitType = typeof(TaskTrainer).Assembly.GetType("MicroT.Runtime.Classifier.RidgeFit", throwOnError: true)!;
    const System.Reflection.BindingFlags Members = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;

    [Fact]
    public void NewSampleCalibrationEqualsItsDefinitionFromExplicitRefits()
    {
        var part = RealFeatures.Train("mnist", 4, 8);       // 49 features, 80 samples
        var full = RealFeatures.Train("mnist", 2, 8);       // 196 features: more features than samples
        var task = TaskTrainer.Train("digits", Enumerable.Range(0, 10).Select(i => "d" + i).ToArray(), part, full,
            new TaskTrainingOptions(), out var cal);

        var zp = Standardized(part);
        var yp = Targets(part);
        double lambda = ChooseLambda(zp, yp);
        var refits = RefitScores(zp, yp, lambda);
        var scores = NewSampleScores(zp, yp, lambda, refits);
        double t = ChooseTemperature(scores, part);
        double worst = 0;
        for (int i = 0; i < part.Count; i++)
        {
            double max = scores[i].Max();
            double confidence = 1 / scores[i].Sum(v => Math.Exp(t * (v - max)));
            worst = Math.Max(worst, Math.Abs(confidence - cal.PartConfidences[i]));
            Assert.Equal(Array.IndexOf(refits[i], refits[i].Max()) == part.GetLabel(i), cal.PartCorrect[i]);
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
        Assert.Equal(task.FullHead.QuantizedWeights, again.FullHead.QuantizedWeights);
        Assert.Equal(task.FullHead.WeightScales, again.FullHead.WeightScales);
    }


    /// <summary>The runtime's internal fit (RidgeFit) driven as TaskTrainer drives it: strength by GCV, weights,
    /// closed-form leave-one-out scores, the folded head.</summary>
    static (bool dual, float lambda, float[] loo, LinearHead head) RuntimeFit(SampleStore s, RidgeSolver solver)
    {
        var fit = Activator.CreateInstance(FitType, Members, null, new object[] { s, null!, s.Count, solver }, null)!;
        FitType.GetMethod("Select")!.Invoke(fit, new object[] { -1f });
        FitType.GetMethod("Weights")!.Invoke(fit, null);
        var loo = new float[s.Count * s.ClassCount];
        FitType.GetMethod("LeaveOneOut")!.Invoke(fit, new object[] { loo, null! });
        bool dual = (bool)FitType.GetField("Dual")!.GetValue(fit)!;
        float lambda = (float)FitType.GetField("Lambda")!.GetValue(fit)!;
        var head = (LinearHead)FitType.GetMethod("ToHead")!.Invoke(fit, new object[] { 1f, false })!;
        return (dual, lambda, loo, head);
    }

    public static TheoryData<string, int, int, int, bool> Shapes => new()
    {
        { "fashion-mnist", 2, 6, 10, true },    // 196 features, 60 samples of 10 classes: fewer samples than features
        { "mnist", 4, 4, 10, true },            // 49 features, 40 samples of 10 classes
        { "fashion-mnist", 4, 20, 10, true },   // 49 features, 200 samples: more samples than features
        // 196 features, 12 samples of 3 classes: GCV prefers the smallest strength, where the
        // primal's hat trace 1 + d - lambda tr(A^-1) cancels all but 11 of its 197 and its RSS
        // |y|^2 - w.r - lambda |w|^2 most of its digits: the primal picks the next strength. The
        // dual (what Auto runs here) must still match.
        { "mnist", 2, 4, 3, false },
    };

    /// <summary>
    /// The primal (d x d) and dual (n x n) forms on the same samples, each against the double
    /// reference written here (explicit GCV, explicit refits without each sample, the reference
    /// head scored on held-out samples). Tolerance: float32 keeps about 7 digits; solving the
    /// regularized system multiplies a relative input error by up to its condition number
    /// kappa = (mu_max + lambda) / lambda (mu: eigenvalues of the centered, standardized Gram,
    /// computed here in double), so a score may be off by about kappa x 1e-7 of the largest score.
    /// Both forms must stay within 20 x kappa x 1e-7 of the reference (measured: at most 1e-5
    /// of the largest score, kappa 7 to 3,425; the bound is 1.4e-5 to 6.9e-3), and pick the same strength.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void PrimalAndDualAgreeWithTheDoubleReference(string set, int pool, int perClass, int classes, bool primalHolds)
    {
        var store = RealFeatures.Train(set, pool, perClass, classes);
        int n = store.Count, d = store.FeatureLength;
        var z = Standardized(store);
        var y = Targets(store);
        double lambda = ChooseLambda(z, y);
        var reference = RefitScores(z, y, lambda);
        var (w, b) = Ridge(z, y, lambda);
        var mz = z.ColumnSums() / n;
        var zc = z - Matrix<double>.Build.Dense(n, d, (i, j) => mz[j]);
        double muMax = zc.TransposeThisAndMultiply(zc).Evd().EigenValues.Max(e => e.Real);
        double kappa = (muMax + lambda) / lambda;
        double tolerance = 20 * kappa * 1e-7;

        var (test, _) = RealFeatures.Test(set, pool, 20, classes);
        var mean = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, n).Average(i => (double)store.Features[i * d + j])).ToArray();
        var std = Enumerable.Range(0, d).Select(j => Math.Sqrt(Enumerable.Range(0, n).Average(i => Math.Pow(store.Features[i * d + j] - mean[j], 2)))).ToArray();
        var referenceTest = test.Select(f => (w.TransposeThisAndMultiply(Vector<double>.Build.Dense(d, j => std[j] < 1e-9 ? 0 : (f[j] - mean[j]) / std[j])) + b).ToArray()).ToArray();
        double looScale = reference.Max(r => r.Max(Math.Abs)), testScale = referenceTest.Max(r => r.Max(Math.Abs));

        var heads = new List<LinearHead>();
        foreach (var solver in new[] { RidgeSolver.Primal, RidgeSolver.Dual, RidgeSolver.Auto })
        {
            var (dual, chosen, loo, head) = RuntimeFit(store, solver);
            Assert.Equal(solver == RidgeSolver.Dual || (solver == RidgeSolver.Auto && n <= d), dual);
            double looError = 0, testError = 0;
            for (int i = 0; i < n; i++)
                for (int c = 0; c < classes; c++)
                    looError = Math.Max(looError, Math.Abs(loo[i * classes + c] - reference[i][c]));
            var scores = new float[classes];
            for (int t = 0; t < test.Length; t++)
            {
                head.Score(test[t], 0, scores);
                for (int c = 0; c < classes; c++) testError = Math.Max(testError, Math.Abs(scores[c] - referenceTest[t][c]));
            }
            output.WriteLine($"{set} {d} features, {n} samples, {solver} ({(dual ? "dual" : "primal")}): lambda {chosen}, kappa {kappa:F0}, " +
                $"leave-one-out error {looError / looScale:E2}, held-out score error {testError / testScale:E2} (relative to the largest; bound {tolerance:E2})");
            heads.Add(head);
            if (!dual && !primalHolds) continue;
            Assert.Equal(lambda, chosen, lambda * 1e-6);
            Assert.True(looError <= tolerance * looScale, $"{solver}: leave-one-out scores off by {looError / looScale:E2} of the largest (bound {tolerance:E2})");
            Assert.True(testError <= tolerance * testScale, $"{solver}: held-out scores off by {testError / testScale:E2} of the largest (bound {tolerance:E2})");
        }
        // Auto is one of the two, bit for bit.
        Assert.Equal(heads[n <= d ? 1 : 0].Weights, heads[2].Weights);
    }

    [Fact]
    public void StoreKeepsAGramOnlyWhenItCanHoldMoreSamplesThanFeatures()
    {
        Assert.False(new SampleStore(128, 0.02f, -128, 10, 60).KeepsGram);
        Assert.False(new SampleStore(128, 0.02f, -128, 10, 128).KeepsGram);
        Assert.True(new SampleStore(128, 0.02f, -128, 10, 129).KeepsGram);
        Assert.True(new SampleStore(64, 0.02f, -128, 10, 200).KeepsGram);
        Assert.True(new SampleStore(64, 0.02f, -128, 10, 60, keepGram: true).KeepsGram);
        Assert.False(new SampleStore(64, 0.02f, -128, 10, 200, keepGram: false).KeepsGram);
    }

    [Fact]
    public void HeadEqualsDoubleReferenceAtTheChosenStrength()
    {
        var train = RealFeatures.Train("fashion-mnist", 4, 20);
        var head = HeadTrainer.Fit(train, new HeadOptions { QuantizeWeights = false });
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
        var options = new HeadOptions { QuantizeWeights = false };
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

    /// <summary>Random int8 features at the zoo model's lengths (64 part, 128 full), n samples dealt to the classes in turn,
    /// in stores of capacity n (so a store keeps its Gram exactly when it can hold more samples than features).</summary>
    static (SampleStore part, SampleStore full) ZooSizedStores(int n, int classes, int seed)
    {
        var rng = new Random(seed);
        var part = new SampleStore(64, 0.01f, -128, classes, n);
        var full = new SampleStore(128, 0.02f, -128, classes, n);
        var p = new sbyte[64];
        var f = new sbyte[128];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 64; j++) p[j] = (sbyte)rng.Next(-128, 128);
            for (int j = 0; j < 128; j++) f[j] = (sbyte)rng.Next(-128, 128);
            part.Add(p, 0, i % classes);
            full.Add(f, 0, i % classes);
        }
        return (part, full);
    }

    static long FitArrays(object fit)
    {
        long held = 0;
        foreach (var field in FitType.GetFields(Members))
            if (field.GetValue(fit) is Array a && field.Name != "_rows") held += NanoBytes(a);
        return held;
    }

    static object NewFit(SampleStore s) => Activator.CreateInstance(FitType, Members, null, new object[] { s, null!, s.Count, RidgeSolver.Auto }, null)!;

    /// <summary>
    /// The most bytes (nanoCLR layout) TaskTrainer.Train's default ridge path holds beyond the
    /// stores, replayed step by step on the runtime's own fit objects: each phase counts every
    /// array the live fits hold (found by reflection, so nothing is left out), the arrays the
    /// phase's methods allocate (GCV table, kernel centers, leave-one-out scores and flags,
    /// leverages, the sorted confidences) and what earlier phases keep (the finished head).
    /// </summary>
    static long TrainingPeak(SampleStore part, SampleStore full, out string phases)
    {
        int n = part.Count, classes = part.ClassCount;
        var order = FitType.GetMethod("Order")!;
        bool fullFirst = (int)order.Invoke(null, new object[] { n, full.FeatureLength, RidgeSolver.Auto })!
            > (int)order.Invoke(null, new object[] { n, part.FeatureLength, RidgeSolver.Auto })!;
        long peak = 0, gcv = NanoBytes(new float[9]);
        var log = new List<string>();
        void Phase(string what, long bytes) { peak = Math.Max(peak, bytes); log.Add($"{what} {bytes}"); }
        long Centers(object fit, SampleStore s) => (bool)FitType.GetField("Dual")!.GetValue(fit)! ? NanoBytes(new int[s.FeatureLength]) : 0;
        object Fit(SampleStore s, long kept, string what)
        {
            var fit = NewFit(s);
            Phase(what + " strength", kept + FitArrays(fit) + gcv + Centers(fit, s));
            FitType.GetMethod("Select")!.Invoke(fit, new object[] { -1f });
            FitType.GetMethod("Weights")!.Invoke(fit, null);
            return fit;
        }
        // Release frees the factor and, in the dual form, then turns the dual coefficients into the weights.
        void Release(object fit, SampleStore s, long kept, string what)
        {
            bool dual = (bool)FitType.GetField("Dual")!.GetValue(fit)!;
            FitType.GetMethod("Release")!.Invoke(fit, null);
            if (dual) Phase(what + " dual weights", kept + FitArrays(fit) + NanoBytes(new float[classes * n]) + NanoBytes(new float[Math.Max(n, s.FeatureLength)]));
        }
        object fullFit = null!;
        long kept = 0;
        if (fullFirst)
        {
            fullFit = Fit(full, 0, "full");
            Phase("full coefficients", FitArrays(fullFit));
            Release(fullFit, full, 0, "full");
            kept = FitArrays(fullFit);
        }
        var partFit = Fit(part, kept, "part");
        bool partDual = (bool)FitType.GetField("Dual")!.GetValue(partFit)!;
        long scores = NanoBytes(new float[n * classes]);
        long loo = scores + NanoBytes(new bool[n]) + NanoBytes(new float[classes]) + (partDual ? NanoBytes(new float[n]) : 0);
        Phase("part leave-one-out", kept + FitArrays(partFit) + loo);
        Release(partFit, part, kept + scores + NanoBytes(new bool[n]), "part");
        var partHead = (LinearHead)FitType.GetMethod("ToHead")!.Invoke(partFit, new object[] { 1f, true })!;
        long headBytes = NanoBytes(partHead.QuantizedWeights) + NanoBytes(partHead.WeightScales) + NanoBytes(partHead.Bias)
            + NanoBytes(new float[part.FeatureLength]) + NanoBytes(new bool[classes]);     // + Fold's means and class flags
        long calibration = NanoBytes(new float[n]) + NanoBytes(new bool[n]) + NanoBytes(new float[classes]);
        Phase("part head", kept + NanoBytes(new float[classes * part.FeatureLength]) + headBytes + scores + calibration);   // float weights until folded
        kept += NanoBytes(partHead.QuantizedWeights) + NanoBytes(partHead.WeightScales) + NanoBytes(partHead.Bias) + calibration;
        if (!fullFirst)
        {
            fullFit = Fit(full, kept, "full");
            Phase("full coefficients", kept + FitArrays(fullFit));
            Release(fullFit, full, kept, "full");
        }
        Phase("full head", kept + FitArrays(fullFit) + NanoBytes(new sbyte[classes * full.FeatureLength]) + NanoBytes(new float[classes]) + NanoBytes(new float[full.FeatureLength]) + NanoBytes(new bool[classes]));
        Phase("threshold", kept + NanoBytes(new sbyte[classes * full.FeatureLength]) + 2 * NanoBytes(new float[classes]) + NanoBytes(new float[n]));
        phases = string.Join(", ", log);
        return peak + 3 * 64;   // + the fit object, the LinearHeads, the frames: generous
    }

    public static TheoryData<int, int, int> PeakShapes => new()
    {
        // samples, classes, most bytes (nanoCLR layout) beyond the stores
        { 12, 3, 5 * 1024 },        // the zoo device tests' ridge task
        { 20, 3, 6 * 1024 },
        { 20, 10, 11 * 1024 },
        { 40, 3, 11 * 1024 },
        { 40, 10, 13 * 1024 },
        { 60, 3, 19 * 1024 },
        { 60, 10, 21 * 1024 },
        { 200, 10, 40 * 1024 },     // the profiler's default workload
    };

    [Theory]
    [MemberData(nameof(PeakShapes))]
    public void TrainingPeakBeyondTheStoresAtTheZooModelsSizes(int n, int classes, int limit)
    {
        var (part, full) = ZooSizedStores(n, classes, 5);
        long peak = TrainingPeak(part, full, out string phases);
        long stores = NanoBytes(part.Features) + NanoBytes(full.Features) + 2 * NanoBytes(new byte[part.Capacity])
            + (part.KeepsGram ? NanoBytes(new int[64 * 65 / 2]) : 0) + (full.KeepsGram ? NanoBytes(new int[128 * 129 / 2]) : 0);
        output.WriteLine($"{n} samples x {classes} classes (64/128 features): training peak {peak} B beyond the stores ({stores} B, Gram kept: part {part.KeepsGram}, full {full.KeepsGram}); phases: {phases}");
        Assert.True(peak <= limit, $"{peak} bytes, limit {limit}");
        Assert.Equal(n > 64, part.KeepsGram);
        Assert.Equal(n > 128, full.KeepsGram);
        TaskTrainer.Train("zoo", Enumerable.Range(0, classes).Select(i => "c" + i).ToArray(), part, full, new TaskTrainingOptions());   // and it trains
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
