using MicroT.Runtime.Models;
using MicroT.Converter;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>The ONNX import (layouts, fusions, shapes) against ONNX Runtime, before any quantization.</summary>
public class ImportTests
{
    public static IEnumerable<object[]> Cases() => TestModels.Single.Select(c => new object[] { c })
        .Append(new object[] { new TestModels.Case("mobilenet_style", () => TestModels.MobileNetStyle()) })
        .Append(new object[] { new TestModels.Case("mobilenet_pytorch_padding", () => TestModels.MobileNetStyle(pytorchPadding: true)) });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImportedGraphComputesWhatOnnxRuntimeComputes(TestModels.Case c)
    {
        var g = OnnxImporter.Import(c.Build(), c.Name);
        var rng = new Random(3);
        using var ort = new OnnxFloatRunner(g);
        for (int s = 0; s < 3; s++)
        {
            var x = Enumerable.Range(0, g.InputShape.Skip(1).Aggregate(1, (a, b) => a * b)).Select(_ => (float)rng.NextDouble()).ToArray();
            var expected = ort.Run(x)[g.OutputName];
            var actual = FloatGraphReference.Run(g, x)[g.OutputName];
            Assert.Equal(expected.Length, actual.Length);
            double scale = 1 + expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale, $"{c.Name}: value {i}: ONNX Runtime {expected[i]}, imported graph {actual[i]}");
        }
    }

    [Fact]
    public void ConvBatchNormReluBecomeOneLayer()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Relu(b.BatchNorm(b.Conv(b.Input, 8, name: "conv"), name: "bn"), name: "relu");
        var g = OnnxImporter.Import(b.Build(b.GlobalAveragePool(t)), "m");
        Assert.Equal(new[] { LayerKind.Conv2D, LayerKind.GlobalAveragePool }, g.Layers.Select(l => l.Kind));
        Assert.Equal(new[] { "bn (BatchNormalization)", "relu (Relu)" }, g.Layers[0].FusedNodes);
        Assert.Equal(0f, g.Layers[0].ActivationMin);
        Assert.True(g.Layers[0].SamePadding);
        Assert.Equal(8L * 8 * 8 * 9, g.Layers[0].Macs);
    }

    [Fact]
    public void MobileNetShapesAndMacs()
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        Assert.Equal(new[] { 1, 32, 32, 1 }, g.InputShape);
        var stem = g.Layers[0];
        Assert.Equal(new[] { 1, 16, 16, 8 }, stem.OutputShape);
        Assert.Equal(16L * 16 * 8 * 9 * 1, stem.Macs);
        Assert.Equal(new[] { 1, 24 }, g.Layers[^1].OutputShape);
        Assert.Equal(LayerKind.FullyConnected, g.Layers[^1].Kind);
        Assert.Equal(3, g.Layers.Count(l => l.Kind == LayerKind.Add)); // block0, block2, block4
        Assert.Contains(g.Layers, l => l.Name == "block1_dw" && l.Kind == LayerKind.DepthwiseConv2D && l.StrideH == 2 && l.OutputShape[1] == 8);
    }

    [Fact]
    public void PyTorchStride2PaddingIsStoredExplicitlyAndRunsAs3x3()
    {
        // Conv2d(k=3, stride=2, padding=1) on 16x16: the window starts one row above, which TFLite
        // SAME cannot say; the file stores the pads (1, 1, 1, 1) and the 3x3 kernel runs as it is
        // (before explicit padding: a 4x4 SAME kernel with zero taps, 16/9 the MACs).
        var b = new OnnxModelBuilder(1, 16, 16);
        var t = b.Conv(b.Input, 4, stride: 2, name: "stem");
        t = b.Conv(t, 4, k: 1, pad: 0, name: "pw");
        var g = OnnxImporter.Import(b.Build(b.GlobalAveragePool(t)), "m");
        var l = g.Layers[0];
        Assert.Equal((3, 3, 1, 1, 1, 1), (l.KernelH, l.KernelW, l.PadTop, l.PadLeft, l.PadBottom, l.PadRight));
        Assert.Equal(new[] { 1, 8, 8, 4 }, l.OutputShape);
        var o = new ConvertOptions { Calibration = "random", CalibrationCount = 4, Split = g.Layers[0].Name, MinCosine = 0.9 };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(g, o), o);
        var op = Model.Load(r.File).Operators[0];
        Assert.True(op.Explicit);
        Assert.Equal((3, 3, 1, 1, 1, 1), (op.KernelHeight, op.KernelWidth, op.PadTop, op.PadLeft, op.PadBottom, op.PadRight));
        Assert.Equal(8L * 8 * 4 * 9, op.Macs);
    }

    [Fact]
    public void SymbolicBatchIsAcceptedAsOne()
    {
        var b = new OnnxModelBuilder(1, 8, 8, batchParam: "N");
        var g = OnnxImporter.Import(b.Build(b.GlobalAveragePool(b.Relu(b.Conv(b.Input, 4)))), "m");
        Assert.Equal(new[] { 1, 8, 8, 1 }, g.InputShape);
    }

    [Fact]
    public void LayersTheOutputDoesNotNeedArePruned()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Relu(b.Conv(b.Input, 4));
        var feature = b.GlobalAveragePool(t);
        b.Gemm(b.Flatten(feature), 3); // a training-only head nothing reads
        var g = OnnxImporter.Import(b.Build(feature), "m");
        Assert.Equal(2, g.Layers.Count);
    }
}
