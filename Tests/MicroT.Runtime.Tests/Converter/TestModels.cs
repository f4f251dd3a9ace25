namespace MicroT.Runtime.Tests.Converter;

/// <summary>The test models: every supported op alone (with what it needs around it) and a MobileNet-style extractor.</summary>
public static class TestModels
{
    public sealed record Case(string Name, Func<byte[]> Build)
    {
        public override string ToString() => Name;
    }

    public static readonly Case[] Single =
    {
        new("conv3x3_same", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Conv(b.Input, 6); t = b.Conv(t, 8, name: "c2"); return b.Build(b.GlobalAveragePool(t)); }),
        new("conv_valid_5x5", () => { var b = new OnnxModelBuilder(3, 13, 11); var t = b.Conv(b.Input, 6, k: 5, pad: 0); t = b.Conv(t, 4, k: 1, pad: 0); return b.Build(b.GlobalAveragePool(t)); }),
        new("conv_stride2_pad", () => { var b = new OnnxModelBuilder(1, 16, 16); var t = b.Conv(b.Pad(b.Input, 0, 0, 1, 1), 8, stride: 2, pad: 0); t = b.Conv(t, 8, k: 1, pad: 0); return b.Build(b.GlobalAveragePool(t)); }),
        new("conv_stride2_odd", () => { var b = new OnnxModelBuilder(1, 15, 15); var t = b.Conv(b.Input, 8, stride: 2); t = b.Conv(t, 8, k: 1, pad: 0); return b.Build(b.GlobalAveragePool(t)); }),
        new("pytorch_stride2_even", () => { var b = new OnnxModelBuilder(1, 16, 16); var t = b.Relu(b.Conv(b.Input, 8, stride: 2)); t = b.Relu(b.Conv(t, 0, stride: 2, depthwise: true)); t = b.Conv(t, 8, k: 1, pad: 0); return b.Build(b.GlobalAveragePool(t)); }),
        new("depthwise3x3", () => { var b = new OnnxModelBuilder(1, 10, 10); var t = b.Conv(b.Input, 8, k: 1, pad: 0); t = b.Conv(t, 0, depthwise: true); return b.Build(b.GlobalAveragePool(t)); }),
        new("depthwise5x5_stride2", () => { var b = new OnnxModelBuilder(1, 11, 11); var t = b.Conv(b.Input, 6, k: 1, pad: 0); t = b.Conv(t, 0, k: 5, stride: 2, depthwise: true); return b.Build(b.GlobalAveragePool(t)); }),
        new("batchnorm_relu", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.BatchNorm(b.Conv(b.Input, 8, bias: false))); t = b.Relu(b.BatchNorm(b.Conv(t, 8))); return b.Build(b.GlobalAveragePool(t)); }),
        new("clip_relu6", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Clip(b.Conv(b.Input, 8), 0, 6); t = b.Clip(b.Conv(t, 8), 0, 6); return b.Build(b.GlobalAveragePool(t)); }),
        new("add_residual", () => { var b = new OnnxModelBuilder(1, 8, 8); var a = b.Relu(b.Conv(b.Input, 8)); var c = b.Conv(a, 8); var s = b.Relu(b.Add(a, c)); s = b.Conv(s, 8, k: 1, pad: 0); return b.Build(b.GlobalAveragePool(s)); }),
        new("averagepool", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("AveragePool", t, 2, 2); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        // PyTorch's AvgPool2d (count_include_pad=True) exports as a zero Pad before an AveragePool; with padding=0 the Pad is all zeros.
        new("pad_averagepool", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("AveragePool", b.Pad(t, 1, 1, 1, 1), 3, 1); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        new("pad_averagepool_stride2", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("AveragePool", b.Pad(t, 1, 1, 1, 1), 3, 2); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        new("zero_pad_averagepool", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("AveragePool", b.Pad(t, 0, 0, 0, 0), 2, 2); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        // PyTorch writes Identity on an initializer (e.g. a weight shared by two layers).
        new("identity_weight", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 4)); var w = b.Node("Identity", new[] { b.Initializer(b.Random(8 * 4 * 9, 0.3), 8, 4, 3, 3) }, null).Output[0];
            t = b.Node("Conv", new[] { t, w }, new[] { 1, 8, 8, 8 }, "shared_conv", OnnxModelBuilder.Ints("kernel_shape", 3, 3), OnnxModelBuilder.Ints("pads", 1, 1, 1, 1)).Output[0]; return b.Build(b.GlobalAveragePool(b.Relu(t))); }),
        new("maxpool", () => { var b = new OnnxModelBuilder(1, 12, 12); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("MaxPool", t, 2, 2); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        new("maxpool3x3_pytorch_even", () => { var b = new OnnxModelBuilder(1, 16, 16); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("MaxPool", t, 3, 2, pad: 1); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        new("maxpool3x3_same", () => { var b = new OnnxModelBuilder(1, 11, 11); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Pool("MaxPool", t, 3, 2, pad: 1); t = b.Conv(t, 8); return b.Build(b.GlobalAveragePool(t)); }),
        new("gap_flatten_gemm", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Relu(b.Conv(t, 16)); t = b.Flatten(b.GlobalAveragePool(t)); return b.Build(b.Gemm(t, 10)); }),
        new("flatten_map_gemm", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 4, stride: 2, pad: 0, pads: new long[] { 0, 0, 1, 1 })); t = b.Relu(b.Conv(t, 6)); return b.Build(b.Relu(b.Gemm(b.Flatten(t), 12))); }),
        new("reshape_matmul_bias", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Relu(b.Conv(t, 8)); t = b.Reshape(b.GlobalAveragePool(t), new long[] { 1, -1 }); var m = b.MatMul(t, 6); return b.Build(b.Add(m, b.Initializer(b.Random(6, 0.1), 6))); }),
        new("reducemean_matmul", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Relu(b.Conv(t, 8)); t = b.Node("ReduceMean", new[] { t }, new[] { 1, 8 }, null, OnnxModelBuilder.Ints("axes", 2, 3), OnnxModelBuilder.Int("keepdims", 0)).Output[0]; return b.Build(b.MatMul(t, 6)); }),
        new("gap_squeeze_gemm", () => { var b = new OnnxModelBuilder(1, 8, 8); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Relu(b.Conv(t, 8)); t = b.Node("Squeeze", new[] { b.GlobalAveragePool(t), b.Int64Initializer(2, 3) }, new[] { 1, 8 }).Output[0]; return b.Build(b.Gemm(t, 6)); }),
        new("gemm_not_transposed", () => { var b = new OnnxModelBuilder(1, 6, 6); var t = b.Relu(b.Conv(b.Input, 8)); t = b.Relu(b.Conv(t, 8)); return b.Build(b.Gemm(b.Flatten(b.GlobalAveragePool(t)), 5, transB: false)); }),
    };

    /// <summary>A small MobileNetV2-style extractor: stem, inverted residual blocks (stride 1 and 2, with and without residual), GAP, Flatten, Gemm.</summary>
    public static byte[] MobileNetStyle(int seed = 7, int size = 32, bool pytorchPadding = false)
    {
        var b = new OnnxModelBuilder(1, size, size, seed) { PyTorchPadding = pytorchPadding };
        var t = pytorchPadding
            ? b.Clip(b.BatchNorm(b.Conv(b.Input, 8, stride: 2, bias: false, name: "stem")), 0, 6)
            : b.Clip(b.BatchNorm(b.Conv(b.Pad(b.Input, 0, 0, 1, 1), 8, stride: 2, pad: 0, bias: false, name: "stem")), 0, 6);
        t = b.InvertedResidual(t, 1, 8, 1, "block0");
        t = b.InvertedResidual(t, 3, 12, 2, "block1");
        t = b.InvertedResidual(t, 3, 12, 1, "block2");
        t = b.InvertedResidual(t, 3, 16, 2, "block3");
        t = b.InvertedResidual(t, 3, 16, 1, "block4");
        t = b.Relu(b.BatchNorm(b.Conv(t, 32, k: 1, pad: 0, bias: false, name: "head")));
        t = b.Flatten(b.GlobalAveragePool(t, name: "pool"));
        return b.Build(b.Gemm(t, 24, name: "embedding"));
    }
}
