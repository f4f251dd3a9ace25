using MicroT.ModelWriter;
using MicroT.Runtime.Models;
using Xunit;
using static MicroT.Runtime.Tests.Models.FileEdits;

namespace MicroT.Runtime.Tests.Models;

/// <summary>Each kind of bad file gives ModelFormatException naming what is wrong and where.</summary>
public class ValidationTests
{
    static readonly byte[] Tiny = ReferenceModels.TinyAllOps();

    static ModelFormatException Rejects(byte[] f, string fragment, int? offset = null)
    {
        var e = Assert.Throws<ModelFormatException>(() => Model.Load(f));
        Assert.Contains(fragment, e.Message);
        if (offset.HasValue)
        {
            Assert.Equal(offset.Value, e.ByteOffset);
            Assert.Contains($"(at byte {offset.Value})", e.Message);
        }
        return e;
    }

    [Fact]
    public void NullFileIsAnArgumentNullException() => Assert.Throws<ArgumentNullException>(() => Model.Load((byte[])null));

    [Fact]
    public void ShortFile() => Rejects(Tiny[..50], "shorter than the 112-byte header", 0);

    [Fact]
    public void WrongMagic() => Rejects(Edit(Tiny, f => f[0] = (byte)'X'), "magic", 0);

    [Fact]
    public void WrongVersion() => Rejects(Edit(Tiny, f => U16(f, 4, 2)), "format version 2 is not supported", 4);

    [Fact]
    public void Truncated() => Rejects(Tiny[..^1], $"header says the file is {Tiny.Length} bytes but it is {Tiny.Length - 1}", 8);

    [Fact]
    public void CorruptPayloadFailsTheCrc()
    {
        var f = (byte[])Tiny.Clone();
        f[^1] ^= 0x10;
        var e = Rejects(f, "the file is corrupt");
        Assert.Equal(-1, e.ByteOffset);
        Assert.DoesNotContain("at byte", e.Message);
    }

    [Fact]
    public void TensorCountBeyondLimit() => Rejects(Edit(Tiny, f => U16(f, ModelFormat.OffTensorCount, 0xFFFF)), "tensor count 65535 is outside [2, 256]", ModelFormat.OffTensorCount);

    [Fact]
    public void OperatorTableOffsetMustMatchTheLayout() =>
        Rejects(Edit(Tiny, f => U32(f, ModelFormat.OffOperatorTable, 0xFFFFFFF0)), "operator table offset is 4294967280", ModelFormat.OffOperatorTable);

    [Fact]
    public void DataLengthMustReachTheEnd() =>
        Rejects(Edit(Tiny, f => U32(f, ModelFormat.OffDataLength, 0x7FFFFFFF)), "does not end at the end of the file", ModelFormat.OffDataLength);

    [Fact]
    public void NameMustBePrintable() => Rejects(Edit(Tiny, f => f[ModelFormat.OffName + 2] = 7), "not printable ASCII", ModelFormat.OffName + 2);

    [Fact]
    public void TensorZeroPointOutOfRange() =>
        Rejects(Edit(Tiny, f => U32(f, TensorEntry(2) + 12, 200)), "tensor 2 zero point 200 is outside [-128, 127]", TensorEntry(2) + 12);

    [Fact]
    public void TensorScaleNaN() => Rejects(Edit(Tiny, f => F32(f, TensorEntry(1) + 8, float.NaN)), "tensor 1 scale NaN", TensorEntry(1) + 8);

    [Fact]
    public void HugeTensor() => Rejects(Edit(Tiny, f => { U16(f, TensorEntry(3), 0xFFFF); U16(f, TensorEntry(3) + 2, 0xFFFF); }), "tensor 3 of 65535x65535x4 exceeds", TensorEntry(3));

    [Fact]
    public void OperatorReadsMissingTensor()
    {
        int op = OperatorEntry(Tiny, 1);
        Rejects(Edit(Tiny, f => U16(f, op + 4, 300)), "operator 1 (DepthwiseConv2D): input tensor 300 does not exist", op + 4);
    }

    [Fact]
    public void OperatorReadsTensorWrittenLater()
    {
        int op = OperatorEntry(Tiny, 1);
        Rejects(Edit(Tiny, f => U16(f, op + 4, 5)), "operator 1 (DepthwiseConv2D): input tensor 5 is read before any operator writes it", op + 4);
    }

    [Fact]
    public void OutputShapeInconsistentWithOperator()
    {
        // Tensor 1 (Conv2D output, 8x8x4) claimed to be 7x8x4.
        Rejects(Edit(Tiny, f => U16(f, TensorEntry(1), 7)), "operator 0 (Conv2D): output 7x8x4 should be 8x8x4 for input 8x8x1", OperatorEntry(Tiny, 0) + 8);
    }

    [Fact]
    public void UnknownOperatorKind()
    {
        int op = OperatorEntry(Tiny, 3);
        Rejects(Edit(Tiny, f => f[op] = 99), "operator 3: kind 99 is unknown", op);
    }

    [Fact]
    public void WeightLengthMustMatchShapes()
    {
        int op = OperatorEntry(Tiny, 0);
        Rejects(Edit(Tiny, f => U32(f, op + 20, 35)), "operator 0 (Conv2D): weights are 35 bytes, the shapes need 36", op + 20);
        // A huge length is refused before anything is allocated.
        Rejects(Edit(Tiny, f => U32(f, op + 20, 0xFFFFFFFF)), "operators claim 4294967", op);
    }

    [Fact]
    public void WeightsOffsetPastTheData()
    {
        int op = OperatorEntry(Tiny, 0);
        Rejects(Edit(Tiny, f => U32(f, op + 16, 0x7FFFFFF0)), "operator 0 (Conv2D): weights [2147483632, +36) run past the data section", op + 16);
    }

    [Fact]
    public void WeightMinus128IsRejected()
    {
        int op = OperatorEntry(Tiny, 0);
        int pos = DataStart(Tiny) + BitConverter.ToInt32(Tiny, op + 16) + 5;
        Rejects(Edit(Tiny, f => f[pos] = 0x80), "operator 0 (Conv2D): weight 5 is -128", pos);
    }

    [Fact]
    public void WeightScaleZero()
    {
        int op = OperatorEntry(Tiny, 1);
        int pos = DataStart(Tiny) + BitConverter.ToInt32(Tiny, op + 32) + 4;
        Rejects(Edit(Tiny, f => F32(f, pos, 0f)), "operator 1 (DepthwiseConv2D) weight scale of channel 1 0", pos);
    }

    [Fact]
    public void RescaleFactorOutOfRange()
    {
        // Tensor 1 (Conv2D output, depthwise input) at scale 1e-12: the depthwise rescale input*weight/output
        // falls below 2^-31 (a zero multiplier).
        Rejects(Edit(Tiny, f => F32(f, TensorEntry(1) + 8, 1e-12f)), "operator 1 (DepthwiseConv2D): rescale factor of channel 0", OperatorEntry(Tiny, 1) + 32);
    }

    [Fact]
    public void SplitOutOfRange() => Rejects(Edit(Tiny, f => U16(f, ModelFormat.OffSplitIndex, 8)), "split index 8 must be in [1, 7]", ModelFormat.OffSplitIndex);

    [Fact]
    public void PartFeatureAfterTheSplit() =>
        Rejects(Edit(Tiny, f => U16(f, ModelFormat.OffPartFeature, 7)), "part-feature tensor 7 is written by operator 6, after the split at 5", ModelFormat.OffPartFeature);

    [Fact]
    public void MacsMustAgree() => Rejects(Edit(Tiny, f => I64(f, ModelFormat.OffFullMacs, -1)), "full MACs -1 disagree with the operators", ModelFormat.OffFullMacs);

    [Fact]
    public void MacsAboveTheLimitAreRefused()
    {
        // 64x64x255 -> 64x64x255 3x3 convolution: 64*64*255*9*255 = 2.4 G MACs (weights 585 KB).
        var b = new ModelBuilder("slow", 64, 64, 1, ReferenceModels.InputQuant);
        var scales = Enumerable.Repeat(0.01f, 255).ToArray();
        int x = b.Conv2D(b.Input, Window.Square(1), Enumerable.Repeat((sbyte)1, 255).ToArray(), scales, null, ReferenceModels.ReluQuant, Clamp.None);
        int part = b.GlobalAveragePool(x, ReferenceModels.ReluQuant);
        int y = b.Conv2D(x, Window.Square(3), new sbyte[255 * 9 * 255], scales, null, ReferenceModels.ReluQuant, Clamp.None);
        int full = b.GlobalAveragePool(y, ReferenceModels.ReluQuant);
        b.SetSplit(2, part, full);
        var e = Assert.Throws<ModelFormatException>(() => Model.Load(b.Write()));
        Assert.Contains("above the limit of 1073741824", e.Message);
    }

    [Fact]
    public void ReservedBytesMustBeZero() => Rejects(Edit(Tiny, f => f[87] = 1), "reserved byte must be zero", 87);

    [Fact]
    public void BuilderRejectsInconsistentModelsWithTheReadersMessage()
    {
        var b = new ModelBuilder("bad", 8, 8, 1, ReferenceModels.InputQuant);
        int g = b.GlobalAveragePool(b.Input, ReferenceModels.InputQuant);
        int s = b.Softmax(g);
        b.SetSplit(2, g, s); // split must leave the rest at least one operator
        var e = Assert.Throws<ModelFormatException>(() => b.Build());
        Assert.Contains("split index 2 must be in [1, 1]", e.Message);
    }
}
