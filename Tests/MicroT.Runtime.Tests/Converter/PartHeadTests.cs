using MicroT.Converter;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// A model that computes its own part feature (a second ONNX output branching off the split
/// activation, e.g. a learned spatial weighting): the converter writes that branch as the part
/// model's last operators instead of its global pool, and the int8 part features agree with
/// ONNX Runtime's float part output.
/// </summary>
public class PartHeadTests
{
    /// <summary>stem, block0 (residual), block1 (stride 2, ends at 8x8x12: the split), the part head, block2, block3, GAP
    /// (the part output of "crossed" taps a residual block added after block1).</summary>
    static byte[] Model(string head, int seed = 5)
    {
        var b = new OnnxModelBuilder(1, 32, 32, seed);
        var stem = b.Clip(b.BatchNorm(b.Conv(b.Pad(b.Input, 0, 0, 1, 1), 8, stride: 2, pad: 0, bias: false, name: "stem")), 0, 6);
        var t = b.InvertedResidual(stem, 1, 8, 1, "block0");
        t = b.InvertedResidual(t, 3, 12, 2, "block1");
        string part = head switch
        {
            // One learned weighting of the 8x8 positions per channel (depthwise 8x8 VALID): 12 features.
            "grid" => b.Flatten(b.Conv(t, 0, k: 8, pad: 0, depthwise: true, name: "part_grid")),
            // Two layers: a depthwise 3x3 with ReLU, then a global pool.
            "conv_gap" => b.Flatten(b.GlobalAveragePool(b.Relu(b.Conv(t, 0, k: 3, depthwise: true, name: "part_dw")), name: "part_pool")),
            // Not from the split: a conv of the input.
            "from_input" => b.Flatten(b.GlobalAveragePool(b.Conv(b.Input, 4, name: "part_conv"), name: "part_pool")),
            "crossed" => null,
            _ => throw new ArgumentException(head),
        };
        if (head == "crossed")
        {
            // From inside a residual block (its connection crosses the tapped activation).
            var inner = b.Relu(b.Conv(t, 12, k: 1, pad: 0, name: "inner"));
            part = b.Flatten(b.GlobalAveragePool(inner, name: "part_pool"));
            t = b.Add(t, b.Relu(b.Conv(inner, 12, k: 1, pad: 0, name: "inner2")), name: "inner_add");
        }
        t = b.InvertedResidual(t, 3, 12, 1, "block2");
        t = b.InvertedResidual(t, 3, 16, 2, "block3");
        return b.Build(b.Flatten(b.GlobalAveragePool(t, name: "pool")), partOutput: part);
    }

    [Theory]
    [InlineData("grid", 1, 8 * 8 * 12)]
    [InlineData("conv_gap", 2, 8 * 8 * 12 * 9 + 8 * 8 * 12)]
    public void PartHeadIsThePartModelsEnd(string head, int headLayers, long headMacs)
    {
        var g = OnnxImporter.Import(Model(head), head);
        var o = new ConvertOptions { Calibration = "random", CalibrationCount = 24, MinCosine = 0.99, Seed = 1 };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(g, o), o,
            CalibrationInputs.LoadFrames("random", 32, 32, 1, 12, seed: 42));

        int split = g.Layers.FindIndex(l => l.Name == "block1_project");
        Assert.Equal(split, r.Model.SplitLayer);
        Assert.Equal(headLayers, g.PartHeadLayers);
        var m = Runtime.Models.Model.Load(r.File);
        // No pool inserted: one operator per layer; the part model ends with the head, whose last operator writes the part feature.
        Assert.Equal(g.Layers.Count, m.OperatorCount);
        Assert.Equal(split + 1 + headLayers, m.SplitIndex);
        Assert.Equal(m.Operators[m.SplitIndex - 1].Output.Index, m.PartFeature.Index);
        Assert.Equal(12, m.PartFeatureLength);
        Assert.Equal(16, m.FullFeatureLength);
        // The rest resumes from the split activation, not from the head.
        Assert.Equal(m.Operators[split].Output.Index, m.Operators[m.SplitIndex].Input.Index);
        Assert.Equal(g.Layers.Take(split + 1).Sum(l => l.Macs) + headMacs, m.PartMacs);
        Assert.Equal(g.TotalMacs, m.FullMacs);
        foreach (var s in r.Verification.Stages)
            Assert.True(s.MinCosine > 0.99, $"{head} {s.Stage}: min cosine {s.MinCosine}");
        Assert.Equal(m.OperatorCount, r.Verification.Layers.Count);
        Assert.Equal(r.Verification.Stages[0].MeanCosine, r.Verification.Layers[m.SplitIndex - 1].MeanCosine, 12);
    }

    [Fact]
    public void SplitMustBeWhereThePartOutputBranchesOff()
    {
        var g = OnnxImporter.Import(Model("grid"), "grid");
        var e = Assert.Throws<ConversionException>(() => SplitPlacer.Place(g, "block2_project", 0.5));
        Assert.Contains("is not where the model's part output", e.Message);
        Assert.Contains("block1_project", e.Message);
        Assert.Equal(g.Layers.FindIndex(l => l.Name == "block1_project"), SplitPlacer.Place(g, "block1_project", 0.5));
    }

    [Theory]
    [InlineData("from_input", "read the input")]
    [InlineData("crossed", "not a block boundary")]
    public void PartOutputNotFromASplitIsRefused(string head, string message)
    {
        var g = OnnxImporter.Import(Model(head), head);
        var e = Assert.Throws<ConversionException>(() => SplitPlacer.Place(g, "auto", 0.5));
        Assert.Contains("part output", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void PartOutputThatIsTheFullFeatureIsRefused()
    {
        var b = new OnnxModelBuilder(1, 16, 16);
        var t = b.Flatten(b.GlobalAveragePool(b.Relu(b.Conv(b.Relu(b.Conv(b.Input, 4)), 8))));
        var e = Assert.Throws<ConversionException>(() => OnnxImporter.Import(b.Build(t, partOutput: t), "same"));
        Assert.Contains("same tensor", e.Message);
    }
}
