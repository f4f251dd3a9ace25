using MicroT.Converter;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>Every documented error path (docs/CONVERTER.md "Errors"): the message names the node, its op and what to do.</summary>
public class ErrorPathTests
{
    static ConversionException Fails(byte[] onnx) => Assert.Throws<ConversionException>(() => OnnxImporter.Import(onnx, "bad"));

    [Fact]
    public void UnsupportedOperator()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Conv(b.Input, 4);
        t = b.Node("Sigmoid", new[] { t }, b.Shape(t), "my_sigmoid").Output[0];
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'my_sigmoid' (op Sigmoid)", e.Message);
        Assert.Contains("not supported", e.Message);
        Assert.Contains("Supported ops", e.Message);
    }

    [Fact]
    public void DynamicShape()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var bytes = b.Build(b.GlobalAveragePool(b.Conv(b.Input, 4)));
        var m = Onnx.ModelProto.Parser.ParseFrom(bytes);
        m.Graph.Input[0].Type.TensorType.Shape.Dim[2] = new Onnx.TensorShapeProto.Types.Dimension { DimParam = "height" };
        var e = Fails(Google.Protobuf.MessageExtensions.ToByteArray(m));
        Assert.Contains("dynamic height dimension ('height')", e.Message);
        Assert.Contains("fixed input size", e.Message);
    }

    [Fact]
    public void MissingInitializer()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Node("Conv", new[] { b.Input, "weights_not_in_file" }, new[] { 1, 4, 8, 8 }, "conv_without_weights",
            OnnxModelBuilder.Ints("kernel_shape", 3, 3), OnnxModelBuilder.Ints("pads", 1, 1, 1, 1)).Output[0];
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'conv_without_weights' (op Conv)", e.Message);
        Assert.Contains("missing initializer 'weights_not_in_file'", e.Message);
        Assert.Contains("export_params", e.Message);
    }

    [Fact]
    public void ReluThatCannotBeFused()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Pool("MaxPool", b.Conv(b.Input, 4), 2, 2);
        t = b.Relu(t, name: "relu_after_pool");
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'relu_after_pool' (op Relu)", e.Message);
        Assert.Contains("cannot be fused", e.Message);
    }

    [Fact]
    public void ReluOnATensorTwoNodesRead()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var c = b.Conv(b.Input, 4);
        var r = b.Relu(c, name: "relu_shared");
        var e = Fails(b.Build(b.GlobalAveragePool(b.Add(c, r))));
        Assert.Contains("node 'relu_shared' (op Relu)", e.Message);
    }

    [Fact]
    public void BatchNormNotAfterConv()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var c = b.Relu(b.Conv(b.Input, 4));
        var t = b.BatchNorm(b.Add(c, c), name: "bn_after_add");
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'bn_after_add' (op BatchNormalization)", e.Message);
        Assert.Contains("right after a Conv", e.Message);
    }

    [Fact]
    public void FlattenNotBeforeGemm()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Flatten(b.Conv(b.Input, 4), name: "flat");
        t = b.Node("Relu", new[] { t }, b.Shape(t), "relu_on_flat").Output[0];
        var e = Fails(b.Build(t));
        Assert.Contains("node 'flat' (op Flatten)", e.Message);
        Assert.Contains("only supported right before a Gemm or MatMul", e.Message);
    }

    [Fact]
    public void GroupedConvolution()
    {
        var b = new OnnxModelBuilder(4, 8, 8);
        var w = b.Initializer(b.Random(8 * 2 * 9, 0.3), 8, 2, 3, 3);
        var t = b.Node("Conv", new[] { b.Input, w }, new[] { 1, 8, 8, 8 }, "grouped",
            OnnxModelBuilder.Ints("kernel_shape", 3, 3), OnnxModelBuilder.Ints("pads", 1, 1, 1, 1), OnnxModelBuilder.Int("group", 2)).Output[0];
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'grouped' (op Conv)", e.Message);
        Assert.Contains("group = 2", e.Message);
    }

    [Fact]
    public void ReduceMeanOverChannels()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Node("ReduceMean", new[] { b.Relu(b.Conv(b.Input, 4)) }, new[] { 1, 1, 8, 8 }, "mean_c", OnnxModelBuilder.Ints("axes", 1)).Output[0];
        var e = Fails(b.Build(t));
        Assert.Contains("node 'mean_c' (op ReduceMean)", e.Message);
        Assert.Contains("not a mean over height and width", e.Message);
    }

    [Fact]
    public void OpsetOutOfRange()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var e = Fails(b.Build(b.GlobalAveragePool(b.Conv(b.Input, 4)), opset: 9));
        Assert.Contains("opset 9", e.Message);
        Assert.Contains("opset_version", e.Message);
    }

    [Fact]
    public void NotAnOnnxFile()
    {
        var e = Fails(new byte[] { 0xFF, 0xFF, 0xFF, 0x01, 0x02, 0x03 });
        Assert.Contains("not a valid ONNX", e.Message);
    }

    [Fact]
    public void TwoInputs()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var bytes = b.Build(b.GlobalAveragePool(b.Conv(b.Input, 4)));
        var m = Onnx.ModelProto.Parser.ParseFrom(bytes);
        m.Graph.Input.Add(m.Graph.Input[0].Clone());
        m.Graph.Input[1].Name = "second";
        var e = Fails(Google.Protobuf.MessageExtensions.ToByteArray(m));
        Assert.Contains("2 inputs", e.Message);
    }

    [Fact]
    public void ClipExcludingZero()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Clip(b.Conv(b.Input, 4), 1, 6, name: "clip16");
        var e = Fails(b.Build(b.GlobalAveragePool(t)));
        Assert.Contains("node 'clip16' (op Clip)", e.Message);
        Assert.Contains("excludes zero", e.Message);
    }

    [Fact]
    public void SplitThatIsNotABlockBoundary()
    {
        var g = OnnxImporter.Import(TestModels.MobileNetStyle(), "m");
        var e = Assert.Throws<ConversionException>(() => SplitPlacer.Place(g, "block2_dw", 0.5));
        Assert.Contains("not a block boundary", e.Message);
        Assert.Contains("block1_project", e.Message); // lists the valid boundaries
        var e2 = Assert.Throws<ConversionException>(() => SplitPlacer.Place(g, "no_such_node", 0.5));
        Assert.Contains("names no node", e2.Message);
    }
}
