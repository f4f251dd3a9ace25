using System.Buffers.Binary;
using MicroT.ModelWriter;
using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;
using Xunit;
using static MicroT.Runtime.Tests.Models.FileEdits;

namespace MicroT.Runtime.Tests.Models;

/// <summary>The self-test section (docs/FORMAT.md "Self-test"), chunked sources and explicit padding.</summary>
public class SelfTestTests
{
    static byte[][] Frames(int count, int w, int h, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => { var f = new byte[w * h]; rng.NextBytes(f); return f; }).ToArray();
    }

    static byte[] WithSelfTest(out byte[] plain)
    {
        plain = ReferenceModels.DepthwiseCnn();
        return SelfTestWriter.Embed(plain, FrameFormat.Gray8, 28, 28, Frames(3, 28, 28, 1));
    }

    [Fact]
    public void EmbeddedSelfTestPassesAndLeavesTheModelBytesAsTheyWere()
    {
        var file = WithSelfTest(out var plain);
        var m = Model.Load(file);
        Assert.Equal(3, m.SelfTestFrames);
        // Everything but the header's file length, data length, CRC and self-test fields is unchanged.
        int dataStart = DataStart(plain);
        Assert.Equal(plain[ModelFormat.OffName..ModelFormat.OffDataLength], file[ModelFormat.OffName..ModelFormat.OffDataLength]);
        Assert.Equal(plain[(ModelFormat.OffDataLength + 4)..ModelFormat.OffSelfTestOffset], file[(ModelFormat.OffDataLength + 4)..ModelFormat.OffSelfTestOffset]);
        Assert.Equal(plain[dataStart..], file[dataStart..plain.Length]);
        var r = new Interpreter(m).SelfTest(file);
        Assert.True(r.Passed, r.Message);
        Assert.Equal(3, r.FramesRun);
        Assert.Contains("passed: 3 frame(s)", r.Message);
        // Re-embedding replaces the section rather than stacking a second one.
        var again = SelfTestWriter.Embed(file, FrameFormat.Gray8, 28, 28, Frames(2, 28, 28, 9));
        Assert.Equal(2, Model.Load(again).SelfTestFrames);
        Assert.Equal(0, Model.Load(SelfTestWriter.WithoutSelfTest(file)).SelfTestLength);
    }

    [Fact]
    public void AChangedWeightIsReportedAtItsOperatorAndFeature()
    {
        var file = WithSelfTest(out _);
        var m0 = Model.Load(file);
        // Change one weight of operator 3 (a file edit with the CRC recomputed, as a device with a
        // different weight would compute): the self-test names operator 3 and a feature value.
        var op = m0.Operators[3];
        int entry = OperatorEntry(file, 3);
        int wOff = DataStart(file) + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(entry + 16));
        var edited = Edit(file, f => f[wOff] = (byte)(sbyte)(((sbyte)f[wOff]) > 0 ? -100 : 100));
        var m = Model.Load(edited);
        var r = new Interpreter(m).SelfTest(edited);
        Assert.False(r.Passed);
        Assert.Equal(0, r.Frame);
        Assert.Equal(3, r.Operator);
        Assert.Contains("operator 3 (" + ModelReader_KindName(op.Kind) + ")", r.Message);
        Assert.NotNull(r.Stage);
        Assert.NotEqual(r.Expected, r.Got);
        Assert.Contains($"expected {r.Expected}, got {r.Got}", r.Message);
        Assert.False(r.WeightsChanged); // loaded so: a different model, not one changed since load
        Assert.True(m.WeightsUnchanged());
    }

    /// <summary>
    /// A weight byte changed in RAM after load (bit 0 set, as the CLR defect of docs/DEVICE.md does):
    /// the self-test says "weights changed since load" before running a frame, not an output
    /// mismatch; with the byte restored it passes again (the CRC is the one taken at load).
    /// </summary>
    [Fact]
    public void AWeightChangedAfterLoadIsNamedAsSuch()
    {
        var file = WithSelfTest(out _);
        var m = Model.Load(file);
        var it = new Interpreter(m);
        Assert.True(m.WeightsUnchanged());
        Assert.Equal(Crc32.Compute(m.Weights, 0, m.Weights.Length), m.WeightsCrc);
        int i = Array.FindIndex(m.Weights, w => (w & 1) == 0);
        sbyte before = m.Weights[i];
        m.Weights[i] = (sbyte)(before | 1);
        Assert.False(m.WeightsUnchanged());
        var r = it.SelfTest(file);
        Assert.False(r.Passed);
        Assert.True(r.WeightsChanged);
        Assert.Equal(0, r.FramesRun);
        Assert.Contains("self-test of model 'microt-ref-dscnn' failed: weights changed since load", r.Message);
        Assert.Contains($"at load {m.WeightsCrc}", r.Message);
        m.Weights[i] = before;
        var again = it.SelfTest(file);
        Assert.True(again.Passed, again.Message);
        Assert.False(again.WeightsChanged);
        Assert.EndsWith("weights unchanged since load", again.Message);
    }

    /// <summary>A source that changes one weight of the model while the self-test reads its frames.</summary>
    sealed class Corrupting(byte[] file, Model m, int weight, sbyte value) : IModelSource
    {
        public int Length => file.Length;
        public void Read(int position, byte[] buffer, int offset, int count)
        {
            if (position > m.SelfTestOffset) m.Weights[weight] = value;
            Array.Copy(file, position, buffer, offset, count);
        }
    }

    /// <summary>
    /// Weights changed while the frames run: a change that moves the outputs is named as a change
    /// since load (the mismatch it caused follows in the message), and so is one made after every
    /// output was computed (at the self-test's last read), which only the final check sees.
    /// </summary>
    [Fact]
    public void WeightsChangedDuringTheSelfTestAreNamedAsSuch()
    {
        var file = WithSelfTest(out _);
        var m = Model.Load(file);
        var op = m.Operators[3];
        var r = new Interpreter(m).SelfTest(new Corrupting(file, m, op.WeightsOffset, (sbyte)(m.Weights[op.WeightsOffset] > 0 ? -100 : 100)));
        Assert.False(r.Passed);
        Assert.True(r.WeightsChanged);
        Assert.Contains("failed: weights changed since load", r.Message);
        Assert.Contains("(self-test of model 'microt-ref-dscnn' failed on frame 0: operator 3", r.Message);

        var m2 = Model.Load(file);
        var r2 = new Interpreter(m2).SelfTest(new LateCorrupting(file, m2, m2.Weights.Length - 1, 28 * 28));
        Assert.False(r2.Passed);
        Assert.True(r2.WeightsChanged);
        Assert.Equal(3, r2.FramesRun);
        Assert.Contains("(the frames still gave the writer's outputs)", r2.Message);
    }

    /// <summary>Changes weight i of m by one when the last frame's full features are read, the self-test's last read.</summary>
    sealed class LateCorrupting(byte[] file, Model m, int i, int frameBytes) : IModelSource
    {
        public int Length => file.Length;
        public void Read(int position, byte[] buffer, int offset, int count)
        {
            int record = (m.SelfTestLength - 8) / m.SelfTestFrames;
            int lastFull = m.SelfTestOffset + 8 + (m.SelfTestFrames - 1) * record + frameBytes + m.PartFeatureLength;
            if (position == lastFull) m.Weights[i] = (sbyte)(m.Weights[i] == 127 ? 126 : m.Weights[i] + 1);
            Array.Copy(file, position, buffer, offset, count);
        }
    }

    static string ModelReader_KindName(OperatorKind k) => k.ToString();

    [Fact]
    public void SelfTestNeedsASectionAndTheSameFile()
    {
        var plain = ReferenceModels.DepthwiseCnn();
        var it = new Interpreter(Model.Load(plain));
        Assert.Throws<InvalidOperationException>(() => it.SelfTest(plain));
        var file = WithSelfTest(out _);
        var it2 = new Interpreter(Model.Load(file));
        Assert.Throws<ArgumentException>(() => it2.SelfTest(plain));
    }

    [Fact]
    public void BadSelfTestSectionsAreRejectedAtLoad()
    {
        var file = WithSelfTest(out _);
        int at = DataStart(file) + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(ModelFormat.OffSelfTestOffset));
        Assert.Contains("frame count 0", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => U16(f, at, 0)))).Message);
        Assert.Contains("frame format 7", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => f[at + 2] = 7))).Message);
        Assert.Contains("need", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => U16(f, at + 4, 29)))).Message);
        Assert.Contains("inside the data section", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => U32(f, ModelFormat.OffSelfTestOffset, 0xFFFFFFF0)))).Message);
        Assert.Contains("4-byte aligned", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => U32(f, ModelFormat.OffSelfTestOffset, 2)))).Message);
    }

    sealed class Chunks(byte[] file, int size) : ChunkedSource(file.Length, size)
    {
        public int Fetches;
        protected override byte[] GetChunk(int index)
        {
            Fetches++;
            int start = index * ChunkSize;
            return file[start..Math.Min(file.Length, start + ChunkSize)];
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void ChunkedSourceLoadsTheSameModel(int chunk)
    {
        var file = WithSelfTest(out _);
        var a = Model.Load(file);
        var src = new Chunks(file, chunk);
        var b = Model.Load(src);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.ArenaSize, b.ArenaSize);
        Assert.Equal(a.FullMacs, b.FullMacs);
        var ia = new Interpreter(a);
        var ib = new Interpreter(b);
        var frame = Frames(1, 40, 30, 4)[0];
        ia.SetInput(frame, FrameFormat.Gray8, 40, 30); ia.RunFull();
        ib.SetInput(frame, FrameFormat.Gray8, 40, 30); ib.RunFull();
        var fa = new sbyte[a.FullFeatureLength]; var fb = new sbyte[b.FullFeatureLength];
        ia.CopyFullFeatures(fa, 0); ib.CopyFullFeatures(fb, 0);
        Assert.Equal(fa, fb);
        Assert.True(ib.SelfTest(src).Passed);
        // Sequential reads: each chunk is fetched about twice per pass (CRC pass, then the data).
        if (chunk >= 100) Assert.True(src.Fetches <= 6 * ((file.Length + chunk - 1) / chunk) + 6, $"{src.Fetches} fetches");
    }

    [Fact]
    public void AChunkOfTheWrongLengthIsAnArgumentException()
    {
        var file = ReferenceModels.TinyAllOps();
        Assert.Throws<ArgumentException>(() => Model.Load(new Wrong(file)));
    }

    sealed class Wrong(byte[] file) : ChunkedSource(file.Length, 64)
    {
        protected override byte[] GetChunk(int index) => new byte[10];
    }

    [Fact]
    public void ExplicitPaddingRunsA3x3Stride2ConvLikeThe4x4ZeroTapKernelItReplaces()
    {
        // PyTorch's downsampling conv: 3x3, stride 2, padding 1 on an even input. Before explicit
        // padding the converter ran it as a 4x4 SAME kernel (one padded row/column on each side)
        // whose last row and column are zero. Both must give the same outputs.
        var rng = new Random(2);
        int c = 5, o = 6;
        var w3 = new sbyte[o * 3 * 3 * c];
        for (int i = 0; i < w3.Length; i++) w3[i] = (sbyte)rng.Next(-127, 128);
        var w4 = new sbyte[o * 4 * 4 * c];
        for (int oc = 0; oc < o; oc++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 3; x++)
                    for (int ic = 0; ic < c; ic++)
                        w4[((oc * 4 + y) * 4 + x) * c + ic] = w3[((oc * 3 + y) * 3 + x) * c + ic];
        var scales = Enumerable.Repeat(0.004f, o).ToArray();
        var bias = Enumerable.Range(0, o).Select(i => i * 37 - 100).ToArray();
        byte[] Make(Window win, sbyte[] w)
        {
            var b = new ModelBuilder("pad", 10, 10, 1, new Quant(1f / 255, -128));
            var pre = new sbyte[c]; for (int i = 0; i < c; i++) pre[i] = (sbyte)(20 * i - 40);
            int x = b.Conv2D(b.Input, Window.Square(1), pre, Enumerable.Repeat(0.02f, c).ToArray(), null, new Quant(0.03f, -5), Clamp.None);
            int part = b.GlobalAveragePool(x, new Quant(0.03f, -5));
            int split = b.OperatorCount;
            int y = b.Conv2D(x, win, w, scales, bias, new Quant(0.05f, 2), Clamp.None);
            b.SetSplit(split, part, y);
            return b.Build();
        }
        var explicitFile = Make(Window.Padded(3, 2, 1), w3);
        var zeroTapFile = Make(new Window(4, 4, 2, 2, Padding.Same), w4);
        var me = Full(explicitFile);
        var mz = Model.Load(zeroTapFile);
        Assert.True(me.Operators[2].Explicit);
        Assert.Equal((5, 5), (me.Operators[2].Output.Height, me.Operators[2].Output.Width));
        Assert.Equal(mz.Operators[2].Output.Length, me.Operators[2].Output.Length);
        Assert.True(me.Operators[2].Macs * 16 == mz.Operators[2].Macs * 9);
        var ie = new Interpreter(me); var iz = new Interpreter(mz);
        for (int k = 0; k < 5; k++)
        {
            var frame = Frames(1, 10, 10, 10 + k)[0];
            ie.SetInput(frame, FrameFormat.Gray8, 10, 10); ie.RunFull();
            iz.SetInput(frame, FrameFormat.Gray8, 10, 10); iz.RunFull();
            var fe = new sbyte[me.FullFeatureLength]; var fz = new sbyte[mz.FullFeatureLength];
            ie.CopyFullFeatures(fe, 0); iz.CopyFullFeatures(fz, 0);
            Assert.Equal(fz, fe);
        }
        FuzzTests.RunModel(me);
    }

    [Fact]
    public void ExplicitPaddingRulesAreChecked()
    {
        var b = new ModelBuilder("pad", 8, 8, 1, new Quant(1f / 255, -128));
        int y = b.DepthwiseConv2D(b.Input, Window.Padded(3, 2, 1), new sbyte[9], new[] { 0.01f }, null, new Quant(0.05f, 0), Clamp.None);
        int p = b.GlobalAveragePool(y, new Quant(0.05f, 0));
        int split = b.OperatorCount;
        int full = b.GlobalAveragePool(y, new Quant(0.05f, 0));
        b.SetSplit(split, p, full);
        var file = b.Build();
        int entry = OperatorEntry(file, 0);
        Assert.Equal(ModelFormat.PaddingExplicit, file[entry + 1]);
        Assert.Contains("must be smaller than the kernel", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => f[entry + 42] = 3))).Message);
        Assert.Contains("reserved byte", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => f[entry + 44] = 1))).Message);
        Assert.Contains("padding 3 is unknown", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => f[entry + 1] = 3))).Message);
        // Padding bytes of a same/valid operator must stay zero.
        Assert.Contains("reserved byte", Assert.Throws<ModelFormatException>(() => Model.Load(Edit(file, f => { f[entry + 1] = 1; }))).Message);
    }
}
