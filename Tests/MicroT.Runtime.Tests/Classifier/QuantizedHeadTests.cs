using MicroT.Runtime.Classifier;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// Heads with int8 weights and one scale per class (what training keeps by default): the
/// integer score is what its definition says, and a quantized head answers as its float head
/// does on held-out samples.
/// </summary>
public class QuantizedHeadTests(ITestOutputHelper output)
{
    [Fact]
    public void ScoreIsBiasPlusScaleTimesTheIntegerDotProduct()
    {
        var rng = new Random(3);
        int d = 37, classes = 4;
        var q = Enumerable.Range(0, d * classes).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
        var scales = new[] { 0.001f, 0.02f, 0f, 3.5f };
        var bias = new[] { 0.5f, -2f, LinearHead.AbsentClassBias, 0f };
        var head = new LinearHead(HeadKind.Ridge, d, classes, 0.1f, -128, q, scales, bias);
        Assert.True(head.IsQuantized);
        Assert.Null(head.Weights);
        var features = Enumerable.Range(0, d + 5).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
        var scores = new float[classes];
        head.Score(features, 5, scores);
        for (int c = 0; c < classes; c++)
        {
            long dot = 0;
            for (int j = 0; j < d; j++) dot += q[c * d + j] * features[5 + j];
            double expected = bias[c] + (double)scales[c] * dot;
            Assert.True(Math.Abs(scores[c] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"class {c}: {scores[c]} vs {expected}");
        }
        // Extreme int8 values over a long row: the integer sum cannot overflow (127 x 128 x 8192 < 2^31).
        int wide = 8192;
        var extreme = new LinearHead(HeadKind.Ridge, wide, 1, 0.1f, 0, Enumerable.Repeat((sbyte)-128, wide).ToArray(), new[] { 1f }, new[] { 0f });
        var one = new float[1];
        extreme.Score(Enumerable.Repeat((sbyte)-128, wide).ToArray(), 0, one);
        Assert.Equal(128f * 128f * wide, one[0]);
    }

    [Fact]
    public void BadQuantizedHeadsAreRefusedNamingTheArgument()
    {
        Assert.Contains("weightScales", Assert.Throws<ArgumentException>(() => new LinearHead(HeadKind.Ridge, 2, 2, 0.1f, 0, new sbyte[4], new float[1], new float[2])).Message);
        Assert.Contains("weight scale 1", Assert.Throws<ArgumentException>(() => new LinearHead(HeadKind.Ridge, 2, 2, 0.1f, 0, new sbyte[4], new[] { 1f, float.NaN }, new float[2])).Message);
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => new LinearHead(HeadKind.Ridge, 2, 2, 0.1f, 0, new sbyte[3], new float[2], new float[2])).Message);
        Assert.Throws<ArgumentNullException>(() => new LinearHead(HeadKind.Ridge, 2, 2, 0.1f, 0, (sbyte[])null!, new float[2], new float[2]));
    }

    public static TheoryData<string, string, int> Cases => new()
    {
        { "ridge", "fashion-mnist", 4 },      // 49 features, 200 samples (primal)
        { "ridge", "fashion-mnist", 2 },      // 196 features, 200 samples (dual)
        { "ridge", "mnist", 2 },
        { "logistic", "mnist", 4 },
    };

    /// <summary>
    /// The same fit with float and with int8 weights, scored on 1,000 held-out samples: the
    /// answers agree on at least 98% and the accuracy moves by at most 1 point (measured: see
    /// the output, which also gives the score error against the spread of the float scores).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void QuantizedHeadAnswersAsItsFloatHead(string kind, string set, int pool)
    {
        var train = RealFeatures.Train(set, pool, 20);
        var (test, labels) = RealFeatures.Test(set, pool, 100);
        var k = kind == "ridge" ? HeadKind.Ridge : HeadKind.Logistic;
        var exact = HeadTrainer.Fit(train, new HeadOptions { Kind = k, QuantizeWeights = false });
        var small = HeadTrainer.Fit(train, new HeadOptions { Kind = k });
        Assert.True(small.IsQuantized);
        var a = new float[10];
        var b = new float[10];
        int agree = 0, rightExact = 0, rightSmall = 0;
        double error = 0, spread = 0;
        for (int i = 0; i < test.Length; i++)
        {
            exact.Score(test[i], 0, a);
            small.Score(test[i], 0, b);
            int pa = LinearHead.ArgMax(a, 10), pb = LinearHead.ArgMax(b, 10);
            if (pa == pb) agree++;
            if (pa == labels[i]) rightExact++;
            if (pb == labels[i]) rightSmall++;
            double mean = a.Average();
            for (int c = 0; c < 10; c++) { error += Math.Pow(a[c] - b[c], 2); spread += Math.Pow(a[c] - mean, 2); }
        }
        double relative = Math.Sqrt(error / spread);
        output.WriteLine($"{kind} {set} {train.FeatureLength} features: agreement {agree}/{test.Length}, accuracy float {100.0 * rightExact / test.Length:F1}% int8 {100.0 * rightSmall / test.Length:F1}%, rms score error {relative:E2} of the scores' spread");
        Assert.True(agree >= 0.98 * test.Length, $"agreement {agree}/{test.Length}");
        Assert.True(Math.Abs(rightExact - rightSmall) <= 0.01 * test.Length, $"accuracy {rightExact} vs {rightSmall}");
    }
}
