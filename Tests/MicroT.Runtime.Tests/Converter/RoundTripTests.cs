using MicroT.Converter;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// ONNX -> .mtm -> MicroT runtime (int8) against ONNX Runtime (float) on random frames that
/// were not used for calibration: cosine similarity of the part and full features above 0.99
/// for every single-op model and the MobileNet-style extractor.
/// </summary>
public class RoundTripTests
{
    readonly ITestOutputHelper output;
    public RoundTripTests(ITestOutputHelper output) => this.output = output;

    public static IEnumerable<object[]> Cases() => ImportTests.Cases();

    static List<byte[]> RandomFrames(FloatGraph g, int count, int seed) =>
        CalibrationInputs.LoadFrames("random", g.InputShape[1], g.InputShape[2], g.InputShape[3], count, seed);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Int8RuntimeAgreesWithOnnxRuntime(TestModels.Case c)
    {
        var g = OnnxImporter.Import(c.Build(), c.Name);
        // Small models: split at the first boundary (auto placement has its own test).
        var split = c.Name == "mobilenet_style" ? "auto" : g.Layers[SplitPlacer.Boundaries(g)[0]].Name;
        var o = new ConvertOptions { Calibration = "random", CalibrationCount = 24, Split = split, MinCosine = 0.99, Seed = 1 };
        var r = ModelConverter.Prepare(g, o);
        ModelConverter.WriteAndVerify(r, o, RandomFrames(g, 12, seed: 99));
        foreach (var s in r.Verification.Stages)
        {
            output.WriteLine($"{c.Name} {s.Stage}: mean cosine {s.MeanCosine:F5}, min {s.MinCosine:F5}, max error {s.MaxErrorLsb:F1} LSB, RMS/RMS {s.RelativeError:P2}");
            Assert.True(s.MinCosine > 0.99, $"{c.Name} {s.Stage}: min cosine {s.MinCosine}");
        }
        var m = Model.Load(r.File);
        Assert.Equal(m.OperatorCount, r.Verification.Layers.Count);
        Assert.All(r.Verification.Layers, l => Assert.True(l.MeanCosine > 0.99, $"{c.Name} layer {l.Stage}: mean cosine {l.MeanCosine}"));
        Assert.Equal(r.Verification.Stages[1].MeanCosine, r.Verification.Layers[^1].MeanCosine, 12); // the last operator writes the full feature
        Assert.Equal(r.Model.PartMacs, m.PartMacs);
        Assert.Equal(r.Model.FullMacs, m.FullMacs);
    }

    [Fact]
    public void MobileNetPercentileCalibrationAlsoAgrees()
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(seed: 11), "m");
        var o = new ConvertOptions { Calibration = "random", CalibrationCount = 24, Range = RangeMethod.Percentile, Percentile = 99.9, MinCosine = 0.99 };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(g, o), o, RandomFrames(g, 12, seed: 5));
        Assert.All(r.Verification.Stages, s => Assert.True(s.MinCosine > 0.99, $"{s.Stage}: {s.MinCosine}"));
    }

    [Fact]
    public void AutoSplitIsTheLatestBoundaryWithinTheShare()
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        long full = g.TotalMacs;
        var boundaries = SplitPlacer.Boundaries(g);
        Assert.Contains(boundaries, b => g.Layers[b].Name == "block1_project");
        // Inside a residual block the block input is still live (the Add reads it): no boundary.
        Assert.DoesNotContain(boundaries, b => g.Layers[b].Name is "block2_expand" or "block2_dw" or "block2_project");
        Assert.Contains(boundaries, b => g.Layers[b].Name == "block2_add");
        foreach (double share in new[] { 0.2, 0.35, 0.5, 0.8 })
        {
            int split = SplitPlacer.Place(g, "auto", share);
            Assert.True(SplitPlacer.PartMacs(g, split) <= share * full);
            var later = boundaries.Where(b => b > split);
            Assert.All(later, b => Assert.True(SplitPlacer.PartMacs(g, b) > share * full));
        }
        Assert.Throws<ConversionException>(() => SplitPlacer.Place(g, "auto", 0.01));
    }

    [Fact]
    public void ConvertRefusesWhenAgreementIsBelowTheThreshold()
    {
        // No int8 model reaches cosine 1.0000001: the refusal path, whatever the quantization quality.
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        var r = ModelConverter.Prepare(g, new ConvertOptions { Calibration = "random", CalibrationCount = 4 });
        var strict = new ConvertOptions { MinCosine = 1.0000001 };
        var e = Assert.Throws<ConversionException>(() => ModelConverter.WriteAndVerify(r, strict, RandomFrames(g, 4, 3)));
        Assert.Contains("verification failed", e.Message);
        Assert.Contains("Nothing was written", e.Message);
        Assert.Null(r.File);
        Assert.NotNull(r.Verification);
    }

    [Fact]
    public void PartThenRestEqualsTheFullRunOfTheConvertedModel()
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        var o = new ConvertOptions { Calibration = "random", CalibrationCount = 8 };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(g, o), o);
        var m = Model.Load(r.File);
        var a = new Interpreter(m);
        var b = new Interpreter(m);
        var frame = RandomFrames(g, 1, 42)[0];
        a.SetInput(frame, FrameFormat.Gray8, 32, 32); a.RunPart(); a.RunRest();
        b.SetInput(frame, FrameFormat.Gray8, 32, 32); b.RunFull();
        var fa = new sbyte[m.FullFeatureLength]; var fb = new sbyte[m.FullFeatureLength];
        a.CopyFullFeatures(fa, 0); b.CopyFullFeatures(fb, 0);
        Assert.Equal(fb, fa);
    }
}
