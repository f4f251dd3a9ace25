using MicroT.Runtime.Classifier;
using Xunit;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>Degenerate inputs (empty or one-class data, constant or NaN features, bad frames): each gets a defined result or a clear exception.</summary>
public class RobustnessTests
{
    static readonly HeadOptions Logistic = new() { Kind = HeadKind.Logistic };
    static readonly HeadOptions Ridge = new() { Kind = HeadKind.Ridge, Lambda = 1f };
    public static TheoryData<string> Kinds => new() { "logistic", "ridge" };
    static HeadOptions Options(string kind) => kind == "ridge" ? Ridge : Logistic;

    static int Predict(LinearHead head, sbyte[] f)
    {
        var scores = new float[head.ClassCount];
        head.Score(f, 0, scores);
        return LinearHead.ArgMax(scores, head.ClassCount);
    }

    /// <summary>Copies a store's features through a column map (to add duplicate or constant columns).</summary>
    static SampleStore Remap(SampleStore s, Func<sbyte[], sbyte[]> map)
    {
        var first = map(new sbyte[s.FeatureLength]);
        var result = new SampleStore(first.Length, s.Scale, s.ZeroPoint, s.ClassCount, s.Count);
        for (int i = 0; i < s.Count; i++)
            result.Add(map(s.Features.Skip(i * s.FeatureLength).Take(s.FeatureLength).ToArray()), 0, s.GetLabel(i));
        return result;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DuplicateAndConstantFeaturesChangeNoPrediction(string kind)
    {
        var train = RealFeatures.Train("fashion-mnist", 4, 20);
        var (test, _) = RealFeatures.Test("fashion-mnist", 4, 50);
        // Every feature twice plus three constant columns (one at the zero point, two elsewhere).
        sbyte[] Widen(sbyte[] f) => f.Concat(f).Concat(new sbyte[] { -128, 5, 127 }).ToArray();
        var wide = Remap(train, Widen);
        var options = Options(kind);
        options.QuantizeWeights = false;    // the solvers' invariance, on their float weights
        var plain = HeadTrainer.Fit(train, options);
        var widened = HeadTrainer.Fit(wide, options);
        int agree = test.Count(f => Predict(plain, f) == Predict(widened, Widen(f)));
        // Duplicating a column halves its effective L2 penalty, so the heads are close, not equal.
        Assert.True(agree >= 0.95 * test.Length, $"{agree}/{test.Length}");
        for (int j = 2 * train.FeatureLength; j < wide.FeatureLength; j++)
            for (int c = 0; c < widened.ClassCount; c++)
                Assert.Equal(0f, widened.Weights[c * wide.FeatureLength + j]);   // constant columns ignored
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneSamplePerClassPredictsItsOwnSamples(string kind)
    {
        var train = RealFeatures.Train("mnist", 4, 1);
        var head = HeadTrainer.Fit(train, Options(kind));
        for (int i = 0; i < train.Count; i++)
            Assert.Equal(train.GetLabel(i), Predict(head, train.Features.Skip(i * 49).Take(49).ToArray()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MoreFeaturesThanSamplesStillFits(string kind)
    {
        var train = RealFeatures.Train("mnist", 1, 3);      // 784 features, 30 samples
        var (test, labels) = RealFeatures.Test("mnist", 1, 30);
        var head = HeadTrainer.Fit(train, Options(kind));
        int right = test.Where((f, i) => Predict(head, f) == labels[i]).Count();
        Assert.True(right > 0.4 * test.Length, $"{right}/{test.Length}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ClassWithoutSamplesIsNeverPredicted(string kind)
    {
        var full = RealFeatures.Train("mnist", 4, 10);
        var store = new SampleStore(49, full.Scale, full.ZeroPoint, 10, full.Count);
        for (int i = 0; i < full.Count; i++)
            if (full.GetLabel(i) != 3) store.Add(full.Features, i * 49, full.GetLabel(i));
        var head = HeadTrainer.Fit(store, Options(kind));
        var (test, _) = RealFeatures.Test("mnist", 4, 30);
        Assert.DoesNotContain(3, test.Select(f => Predict(head, f)));
        Assert.Equal(LinearHead.AbsentClassBias, head.Bias[3]);
        var scores = new float[10];
        head.Score(test[0], 0, scores);
        float confidence = LinearHead.Confidence(scores, 10);
        Assert.InRange(confidence, 0.1f, 1f);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SingleClassGivesAlwaysThatClass(string kind)
    {
        var store = new SampleStore(4, 0.1f, 0, 3, 5);
        store.Add(new sbyte[] { 1, 2, 3, 4 }, 0, 2);
        store.Add(new sbyte[] { 4, 3, 2, 1 }, 0, 2);
        var head = HeadTrainer.Fit(store, Options(kind));
        Assert.Equal(2, Predict(head, new sbyte[] { 9, -9, 0, 100 }));
    }

    [Fact]
    public void RidgeWithoutRegularizationOnConstantFeatureSaysSingular()
    {
        var store = new SampleStore(2, 0.1f, 0, 2, 4);
        store.Add(new sbyte[] { 1, 7 }, 0, 0);
        store.Add(new sbyte[] { 2, 7 }, 0, 1);
        store.Add(new sbyte[] { 3, 7 }, 0, 0);
        var e = Assert.Throws<InvalidOperationException>(() => HeadTrainer.Fit(store, new HeadOptions { Kind = HeadKind.Ridge, Lambda = 0f }));
        Assert.Contains("singular", e.Message);
        Assert.Contains("Lambda", e.Message);
    }

    [Fact]
    public void EmptyStoreIsAClearError()
    {
        var store = new SampleStore(3, 0.1f, 0, 2, 4);
        Assert.Contains("without samples", Assert.Throws<InvalidOperationException>(() => HeadTrainer.Fit(store, Logistic)).Message);
        Assert.Contains("without samples", Assert.Throws<InvalidOperationException>(() => HeadTrainer.Fit(store, Ridge)).Message);
    }

    [Fact]
    public void NaNAndInfiniteParametersAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleStore(3, float.NaN, 0, 2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleStore(3, float.PositiveInfinity, 0, 2, 4));
        var store = new SampleStore(1, 0.1f, 0, 2, 4);
        store.Add(new sbyte[] { 1 }, 0, 0);
        store.Add(new sbyte[] { 2 }, 0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadTrainer.Fit(store, new HeadOptions { Kind = HeadKind.Logistic, C = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadTrainer.Fit(store, new HeadOptions { Kind = HeadKind.Logistic, C = float.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadTrainer.Fit(store, new HeadOptions { Kind = HeadKind.Ridge, Lambda = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadTrainer.Fit(store, new HeadOptions { Kind = HeadKind.Ridge, Lambda = -1f }));
        var e = Assert.Throws<ArgumentException>(() => new LinearHead(HeadKind.Logistic, 1, 2, 0.1f, 0, new[] { 1f, float.NaN }, new[] { 0f, 0f }));
        Assert.Contains("weight 1", e.Message);
        Assert.Throws<ArgumentException>(() => new LinearHead(HeadKind.Logistic, 1, 2, 0.1f, 0, new[] { 1f, 1f }, new[] { 0f, float.NegativeInfinity }));
        var head = HeadTrainer.Fit(store, Logistic);
        var task = new ClassifierTask("t", new[] { "a", "b" }, head, head, 0.5f);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Threshold = float.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Threshold = -0.1f);
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        var store = new SampleStore(4, 0.1f, 0, 3, 2);
        Assert.Contains("length 3", Assert.Throws<ArgumentException>(() => store.Add(new sbyte[3], 0, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Add(new sbyte[4], 0, 3));
        Assert.Throws<ArgumentNullException>(() => store.Add(null, 0, 0));
        store.Add(new sbyte[4], 0, 0);
        store.Add(new sbyte[4], 0, 1);
        Assert.Contains("full", Assert.Throws<InvalidOperationException>(() => store.Add(new sbyte[4], 0, 2)).Message);
        var head = new LinearHead(HeadKind.Ridge, 4, 3, 0.1f, 0, new float[12], new float[3]);
        Assert.Contains("4 values", Assert.Throws<ArgumentException>(() => head.Score(new sbyte[5], 2, new float[3])).Message);
        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => head.Score(new sbyte[4], 0, new float[2])).Message);
        Assert.Throws<ArgumentException>(() => new ClassifierTask("bad name", new[] { "a", "b", "c" }, head, head, 0f));
        Assert.Throws<ArgumentException>(() => new ClassifierTask("ok", new[] { "a", "b" }, head, head, 0f));
    }
}
