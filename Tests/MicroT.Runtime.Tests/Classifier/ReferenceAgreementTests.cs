using MicroT.Runtime.Classifier;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// The float32 runtime classifiers against the independent double-precision reference on real
/// images: predictions equal on at least 99% of test samples, accuracy within 0.5 points.
/// </summary>
public class ReferenceAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int> Cases => new()
    {
        { "fashion-mnist", 4, 30 },     // 49 features, 300 local samples
        { "fashion-mnist", 2, 30 },     // 196 features, 300 local samples
        { "mnist", 4, 20 },             // 49 features, 200 local samples
        { "mnist", 2, 10 },             // 196 features, 100 local samples: more features than samples
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogisticMatchesDoubleReference(string set, int pool, int perClass)
    {
        var train = RealFeatures.Train(set, pool, perClass);
        var head = HeadTrainer.Fit(train, new HeadOptions { Kind = HeadKind.Logistic, C = 1f, QuantizeWeights = false });
        var reference = DoubleReference.Logistic(train, 1.0);
        Compare("logistic", set, pool, perClass, head, reference);
    }

    /// <summary>The leanest solver state (one curvature pair: (2 x 1 + 3) x classes x (features + 1)
    /// floats, the zoo device tests' setting) reaches the same optimum, within MaxIterations.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void LogisticWithOneHistoryPairMatchesDoubleReference(string set, int pool, int perClass)
    {
        var train = RealFeatures.Train(set, pool, perClass);
        var options = new HeadOptions { Kind = HeadKind.Logistic, C = 1f, QuantizeWeights = false, History = 1 };
        var head = HeadTrainer.Fit(train, options);
        int iterations = (int)typeof(LogisticRegression).GetField("LastIterations",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
        output.WriteLine($"L-BFGS iterations with History = 1: {iterations} (MaxIterations {options.MaxIterations})");
        Assert.True(iterations < options.MaxIterations, $"converged before MaxIterations ({iterations})");
        Compare("logistic (History 1)", set, pool, perClass, head, DoubleReference.Logistic(train, 1.0));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RidgeMatchesDoubleReference(string set, int pool, int perClass)
    {
        var train = RealFeatures.Train(set, pool, perClass);
        var head = HeadTrainer.Fit(train, new HeadOptions { Kind = HeadKind.Ridge, Lambda = 1f, QuantizeWeights = false });
        var reference = DoubleReference.Ridge(train, 1.0);
        Compare("ridge", set, pool, perClass, head, reference);
    }

    void Compare(string kind, string set, int pool, int perClass, LinearHead head, DoubleReference reference)
    {
        var (features, labels) = RealFeatures.Test(set, pool, 200);
        var scores = new float[head.ClassCount];
        int agree = 0, ours = 0, theirs = 0;
        for (int i = 0; i < features.Length; i++)
        {
            head.Score(features[i], 0, scores);
            int p = LinearHead.ArgMax(scores, head.ClassCount);
            int r = reference.Predict(features[i], RealFeatures.Scale, RealFeatures.ZeroPoint);
            if (p == r) agree++;
            if (p == labels[i]) ours++;
            if (r == labels[i]) theirs++;
        }
        double n = features.Length;
        output.WriteLine($"{kind} {set} pool {pool} ({head.FeatureLength} features, {perClass}/class): agreement {100 * agree / n:F2}%, " +
                         $"accuracy float32 {100 * ours / n:F2}% vs double {100 * theirs / n:F2}% on {n} test samples");
        Assert.True(agree >= 0.99 * n, $"agreement {agree}/{n}");
        Assert.True(Math.Abs(ours - theirs) <= 0.005 * n, $"accuracy {ours} vs {theirs} of {n}");
        Assert.True(ours > 0.5 * n, "a 10-class head on real images should beat 50%: " + ours / n);
    }
}
