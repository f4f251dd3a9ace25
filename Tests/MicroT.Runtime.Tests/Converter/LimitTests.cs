using MicroT.Converter;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// Models the MicroT runtime cannot hold, and ONNX files whose fields contradict each other, are
/// refused with a <see cref="ConversionException"/> before any calibration runs (never an ONNX
/// Runtime, argument or overflow exception after it).
/// </summary>
public class LimitTests
{
    static ConversionException FailsImport(byte[] onnx) => Assert.Throws<ConversionException>(() => OnnxImporter.Import(onnx, "bad"));

    static byte[] WithInput(long channels, long height, long width)
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var bytes = b.Build(b.GlobalAveragePool(b.Relu(b.Conv(b.Relu(b.Conv(b.Input, 4)), 4))));
        var m = Onnx.ModelProto.Parser.ParseFrom(bytes);
        var dims = m.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[1].DimValue = channels; dims[2].DimValue = height; dims[3].DimValue = width;
        return Google.Protobuf.MessageExtensions.ToByteArray(m);
    }

    [Fact]
    public void InputDimensionsBeyondTheRuntimeAreRefusedAtImport()
    {
        var e = FailsImport(WithInput(1, 3_000_000_000L, 8));
        Assert.Contains("height 3000000000", e.Message);
        Assert.Contains("at most 65535", e.Message);
        e = FailsImport(WithInput(1, 100000, 100000));
        Assert.Contains("at most 65535", e.Message);
        e = FailsImport(WithInput(1, 2000, 2000));
        Assert.Contains("4,000,000 values", e.Message);
    }

    [Fact]
    public void KernelShapeThatContradictsTheWeightIsRefused()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var w = b.Initializer(b.Random(4 * 9, 0.3), 4, 1, 3, 3);
        var t = b.Node("Conv", new[] { b.Input, w }, new[] { 1, 4, 8, 8 }, "conv_k5", OnnxModelBuilder.Ints("kernel_shape", 5, 5), OnnxModelBuilder.Ints("pads", 1, 1, 1, 1)).Output[0];
        var e = FailsImport(b.Build(b.GlobalAveragePool(b.Conv(t, 4))));
        Assert.Contains("node 'conv_k5' (op Conv)", e.Message);
        Assert.Contains("kernel_shape [5,5] does not match the 3x3 kernel", e.Message);
    }

    [Fact]
    public void InitializerWhoseDimensionsContradictItsDataIsRefused()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Conv(b.Input, 4, name: "conv");
        var bytes = b.Build(b.GlobalAveragePool(b.Conv(t, 4)));
        var m = Onnx.ModelProto.Parser.ParseFrom(bytes);
        var bias = m.Graph.Initializer.First(i => i.Name == m.Graph.Node[0].Input[2]);
        bias.Dims[0] = 5; // 4 values stored
        var e = FailsImport(Google.Protobuf.MessageExtensions.ToByteArray(m));
        Assert.Contains("node 'conv' (op Conv)", e.Message);
        Assert.Contains("has dimensions [5] but holds 4 values", e.Message);
        bias.Dims[0] = 4; bias.Dims.Add(1);
        e = FailsImport(Google.Protobuf.MessageExtensions.ToByteArray(m));
        Assert.Contains("has dimensions [4,1], not [4]", e.Message);
    }

    [Fact]
    public void WindowLargerThanTheInputIsRefused()
    {
        // (4 - 5) / 2 + 1 truncates to 1 in C#: the window must fit first.
        var b = new OnnxModelBuilder(1, 4, 4);
        var t = b.Conv(b.Input, 4, k: 5, stride: 2, pad: 0, name: "too_big");
        var e = FailsImport(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'too_big' (op Conv)", e.Message);
        Assert.Contains("kernel is larger than the padded input", e.Message);
    }

    [Fact]
    public void LayerBeyondTheRuntimesTensorLimitIsRefusedAtImport()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Flatten(b.GlobalAveragePool(b.Relu(b.Conv(b.Relu(b.Conv(b.Input, 4)), 4))));
        var e = FailsImport(b.Build(b.Gemm(t, 70000, name: "wide")));
        Assert.Contains("node 'wide' (op Gemm)", e.Message);
        Assert.Contains("at most 65535 per dimension", e.Message);
    }

    [Fact]
    public void ArenaBeyondTheRuntimesLimitIsRefusedBeforeCalibration()
    {
        // Every tensor fits (160,000 and 960,000 bytes) but input + output do not fit one arena.
        var b = new OnnxModelBuilder(1, 400, 400);
        var t = b.Relu(b.Conv(b.Input, 6, k: 1, pad: 0));
        t = b.Relu(b.Conv(t, 2, k: 2, stride: 2, pad: 0));
        var g = OnnxImporter.Import(b.Build(b.GlobalAveragePool(b.Conv(t, 4, stride: 2))), "big");
        int calibrated = 0;
        // (The last conv is a 3x3 with explicit padding, so the part share is high: allow it.)
        var e = Assert.Throws<ConversionException>(() => ModelConverter.Prepare(g, new ConvertOptions { CalibrationCount = 2, MaxPartShare = 0.95 }, (_, _, _) => calibrated++));
        Assert.Contains("exceeds the MicroT runtime's limits", e.Message);
        Assert.Contains("arena", e.Message);
        Assert.Equal(0, calibrated);
    }

    [Theory]
    [InlineData("ÄÖ")]
    [InlineData("a-name-of-forty-six-characters-is-too-long-xyz")]
    [InlineData("")]
    public void NameTheFormatCannotStoreIsRefused(string name)
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        var e = Assert.Throws<ConversionException>(() => ModelConverter.Prepare(g, new ConvertOptions { CalibrationCount = 2, Name = name }));
        Assert.Contains($"--name '{name}' is not 1 to 32 printable ASCII characters", e.Message);
    }
}
