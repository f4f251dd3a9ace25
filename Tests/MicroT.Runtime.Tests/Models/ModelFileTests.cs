using MicroT.Runtime.Kernels;
using MicroT.ModelWriter;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Models;

/// <summary>Round trip writer -> reader of the reference models; metadata checked against numbers worked out by hand.</summary>
public class ModelFileTests
{
    [Fact]
    public void ReferenceModelRoundTripsWithItsShapesAndMetadata()
    {
        var m = Model.Load(ReferenceModels.DepthwiseCnn());
        Assert.Equal("microt-ref-dscnn", m.Name);
        Assert.Equal((32, 32, 1), (m.InputHeight, m.InputWidth, m.InputChannels));
        Assert.Equal(1f / 255f, m.InputScale);
        Assert.Equal(-128, m.InputZeroPoint);
        Assert.Equal(ResizeMode.Bilinear, m.ResizeMode);
        Assert.Equal(14, m.OperatorCount);
        Assert.Equal(15, m.Tensors.Length);
        Assert.Equal(9, m.SplitIndex);
        Assert.Equal(32, m.PartFeatureLength);
        Assert.Equal(64, m.FullFeatureLength);
        Assert.Equal(0.0025f, m.PartFeatureScale);
        Assert.Equal(-128, m.FullFeatureZeroPoint);
        // By hand (MACs = output elements x window x input channels for Conv2D, x window for DW):
        // part: 18432 + 18432 + 32768 + 9216 + 32768 + 18432 + 65536 + 2048 (Add) + 2048 (GAP)
        Assert.Equal(199_680, m.PartMacs);
        // rest: 4608 + 32768 + 9216 + 65536 + 1024 (GAP)
        Assert.Equal(199_680 + 113_152, m.FullMacs);
        Assert.Equal(113_152, m.RestMacs);
        var kinds = m.Operators.Select(o => o.Kind).ToArray();
        Assert.Equal(OperatorKind.Conv2D, kinds[0]);
        Assert.Equal(OperatorKind.Add, kinds[7]);
        Assert.Equal(OperatorKind.GlobalAveragePool, kinds[13]);
        Assert.Equal((16, 16, 8), Shape(m.Operators[0].Output));
        Assert.Equal((4, 4, 64), Shape(m.Operators[12].Output));
        Assert.Equal(3 * 3 * 8, m.Operators[1].WeightsLength);
        Assert.Equal(32 * 16, m.Operators[4].WeightsLength);
        // 72 + 72 + 128 + 144 + 512 + 288 + 1024 (part) + 288 + 2048 + 576 + 4096 (rest)
        Assert.Equal(9248, m.Weights.Length);
    }

    [Fact]
    public void WeightsBiasAndScalesSurviveTheRoundTrip()
    {
        var rng = new Random(5);
        var b = new ModelBuilder("rt", 4, 4, 3, new Quant(0.02f, 3));
        var w = Enumerable.Range(0, 5 * 3 * 3 * 3).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
        var scales = new[] { 0.01f, 0.02f, 0.005f, 0.04f, 0.011f };
        var bias = new[] { -5, 0, 123456, int.MinValue / 4, 7 };
        int c = b.Conv2D(b.Input, new Window(3, 3, 1, 2, Padding.Valid), w, scales, bias, new Quant(0.1f, -7), new Clamp(-7, 100));
        int g = b.GlobalAveragePool(c, new Quant(0.1f, -7));
        int fc = b.FullyConnected(g, new sbyte[] { 1, -2, 3, -4, 5, 127, -127, 0, 0, 1 }, new[] { 0.5f, 0.25f }, null, new Quant(0.2f, 1), Clamp.None);
        b.SetSplit(2, g, fc);
        b.PixelScale = 2f / 255f;
        b.PixelOffset = -1f;
        var file = b.Build();
        var m = FileEdits.Full(file);

        var conv = m.Operators[0];
        Assert.Equal(w, m.Weights.Skip(conv.WeightsOffset).Take(conv.WeightsLength).ToArray());
        Assert.Equal(scales, conv.WeightScales);
        Assert.Equal(bias, conv.Bias);
        Assert.Equal((-7, 100), (conv.ActivationMin, conv.ActivationMax));
        Assert.Equal((3, 3, 1, 2, Padding.Valid), (conv.KernelHeight, conv.KernelWidth, conv.StrideHeight, conv.StrideWidth, conv.Padding));
        Assert.Equal((2, 1, 5), Shape(conv.Output)); // valid: (4-3)/1+1 = 2, (4-3)/2+1 = 1
        Assert.Null(m.Operators[2].Bias);
        Assert.Equal(new sbyte[] { 1, -2, 3, -4, 5, 127, -127, 0, 0, 1 }, m.Weights.Skip(m.Operators[2].WeightsOffset).Take(10).ToArray());
        // The default (device) load drops the bias and scales after preparation.
        var lean = Model.Load(file);
        Assert.Null(lean.Operators[0].Bias);
        Assert.Null(lean.Operators[0].WeightScales);
        Assert.False(lean.KeepsReferenceData);
        Assert.Equal(2f / 255f, m.PixelScale);
        Assert.Equal(-1f, m.PixelOffset);
        Assert.Equal((0.02f, 3), (m.InputScale, m.InputZeroPoint));
    }

    [Fact]
    public void FileIsLittleEndianWithMagicVersionAndCrcOfThePayload()
    {
        var f = ReferenceModels.TinyAllOps();
        Assert.Equal("MTMF"u8.ToArray(), f[..4]);
        Assert.Equal(1, BitConverter.ToUInt16(f, 4));
        Assert.Equal(f.Length, (int)BitConverter.ToUInt32(f, 8));
        // CRC-32 (zlib) computed here independently of the runtime's table.
        uint crc = 0xFFFFFFFF;
        foreach (var b in f.Skip(16)) { crc ^= b; for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1; }
        Assert.Equal(~crc, BitConverter.ToUInt32(f, 12));
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8.ToArray(), 0, 9)); // the standard check value
        Assert.True(f.Length < 1024, $"tiny model is {f.Length} bytes");
    }

    [Fact]
    public void ArenaPlanKeepsConcurrentTensorsApartAndSplitActivationAlive()
    {
        foreach (var file in new[] { ReferenceModels.DepthwiseCnn(), ReferenceModels.TinyAllOps(), PointwiseInPlaceModel(), ZooBytes() })
        {
            var m = Model.Load(file);
            int n = m.OperatorCount;
            // Lifetimes recomputed here from the operator list alone.
            var first = new int[m.Tensors.Length];
            var last = new int[m.Tensors.Length];
            Array.Fill(first, -1);
            Array.Fill(last, -1);
            foreach (var op in m.Operators)
            {
                first[op.Output.Index] = op.Index;
                last[op.Output.Index] = Math.Max(last[op.Output.Index], op.Index);
                foreach (var t in new[] { op.Input, op.Input2 }.Where(t => t != null))
                    last[t.Index] = Math.Max(last[t.Index], op.Index);
            }
            last[m.PartFeature.Index] = n;
            last[m.FullFeature.Index] = n;
            for (int a = 0; a < m.Tensors.Length; a++)
            {
                var ta = m.Tensors[a];
                Assert.True(ta.ArenaOffset >= 0 && ta.ArenaOffset + ta.Length <= m.ArenaSize);
                for (int b = a + 1; b < m.Tensors.Length; b++)
                {
                    var tb = m.Tensors[b];
                    bool together = first[a] <= last[b] && first[b] <= last[a];
                    bool overlap = ta.ArenaOffset < tb.ArenaOffset + tb.Length && tb.ArenaOffset < ta.ArenaOffset + ta.Length;
                    // Allowed: an Add, a Softmax or a 1x1 stride-1 Conv2D with as many output as input
                    // channels writing its output exactly over an input it is the last reader of.
                    var writer = m.Operators.First(o => o.Output.Index == b);
                    bool pointwiseSquare = writer.Kind == OperatorKind.Conv2D && writer.KernelHeight == 1 && writer.KernelWidth == 1
                        && writer.StrideHeight == 1 && writer.StrideWidth == 1 && writer.Input.Channels == writer.Output.Channels;
                    bool inPlace = (writer.Kind == OperatorKind.Add || writer.Kind == OperatorKind.Softmax || pointwiseSquare)
                        && (writer.Input.Index == a || writer.Input2?.Index == a) && last[a] == writer.Index
                        && ta.ArenaOffset == tb.ArenaOffset && ta.Length == tb.Length;
                    Assert.False(together && overlap && !inPlace, $"{m.Name}: tensors {a} and {b} are alive together and share arena bytes");
                }
            }
            Assert.True(m.ArenaSize <= m.NaiveArenaSize);
            // Every tensor written before the split and read after it spans the split.
            var crossing = m.Tensors.Where(t => first[t.Index] < m.SplitIndex && last[t.Index] >= m.SplitIndex).ToList();
            Assert.NotEmpty(crossing);
        }
        var r = Model.Load(ReferenceModels.DepthwiseCnn());
        // Naive: sum of all 15 tensors (4-byte aligned): input 1024, 16x16x8 twice, 16x16x16, 8x8x16,
        // 8x8x32 four times, 32, 4x4x32, 4x4x64 three times, 64.
        Assert.Equal(1024 + 2 * 2048 + 4096 + 1024 + 4 * 2048 + 32 + 512 + 3 * 1024 + 64, r.NaiveArenaSize);
        // The lower bound is 6144: during operator 2 its input (16x16x8) and output (16x16x16) are alive,
        // during the Add its two inputs and its output (8x8x32 each).
        Assert.Equal(6144, r.ArenaSize);
        // The residual Add (operator 7) writes over its input a (tensor 5, last read there), so
        // ExecutorTests' arena-vs-reference runs exercise an in-place operator.
        Assert.Equal(r.Tensors[5].ArenaOffset, r.Tensors[8].ArenaOffset);
    }

    [Fact]
    public void AddWritesInPlaceOverAnInputItIsTheLastReaderOf()
    {
        var b = new ModelBuilder("inplace", 16, 16, 1, ReferenceModels.InputQuant);
        var q = ReferenceModels.ReluQuant;
        int a = b.Conv2D(b.Input, Window.Square(1), Enumerable.Repeat((sbyte)50, 8).ToArray(), Enumerable.Repeat(0.01f, 8).ToArray(), null, q, Clamp.None);
        int d = b.DepthwiseConv2D(a, Window.Square(3), Enumerable.Repeat((sbyte)10, 72).ToArray(), Enumerable.Repeat(0.01f, 8).ToArray(), null, q, Clamp.None);
        int sum = b.Add(a, d, q, Clamp.None);
        int part = b.GlobalAveragePool(sum, q);
        int full = b.GlobalAveragePool(d, q); // d outlives the Add, so the Add must take a's buffer
        b.SetSplit(4, part, full);
        var m = Model.Load(b.Build());
        Assert.Equal(m.Tensors[a].ArenaOffset, m.Tensors[sum].ArenaOffset);
        Assert.NotEqual(m.Tensors[d].ArenaOffset, m.Tensors[sum].ArenaOffset);
        // Peak: at the part pool, d and sum (16x16x8 each) and the 8-byte part feature = 4104;
        // without in-place the Add would hold a, d and sum = 6144.
        Assert.Equal(4104, m.ArenaSize);
        Assert.Equal(256 + 3 * 2048 + 8 + 8, m.NaiveArenaSize);
    }

    /// <summary>
    /// input 8x8x1 -> a = conv1x1 (1 -> 8) -> d = depthwise 3x3 -> e = conv1x1 8 -> 8 (d dies: in place)
    /// -> sum = Add(a, e) (over a) -> g = conv1x1 8 -> 8 of sum (sum is read again below: apart)
    /// -> h = conv3x3 8 -> 8 of g (g dies, but a 3x3 window: apart) -> s = Add(h, sum) -> part pool, full pool.
    /// </summary>
    static byte[] PointwiseInPlaceModel()
    {
        var rng = new Random(5150);
        sbyte[] W(int n) => Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
        float[] S(int n) => Enumerable.Range(0, n).Select(_ => (float)(0.004 + rng.NextDouble() * 0.01)).ToArray();
        int[] B(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(-3000, 3000)).ToArray();
        var q = ReferenceModels.ReluQuant;
        var lin = ReferenceModels.LinearQuant;
        var b = new ModelBuilder("pointwise-in-place", 8, 8, 1, ReferenceModels.InputQuant);
        int a = b.Conv2D(b.Input, Window.Square(1), W(8), S(8), B(8), q, Clamp.Relu(q));
        int d = b.DepthwiseConv2D(a, Window.Square(3), W(72), S(8), B(8), q, Clamp.Relu6(q));
        int e = b.Conv2D(d, Window.Square(1), W(64), S(8), B(8), lin, Clamp.None);
        int sum = b.Add(a, e, q, Clamp.Relu(q));
        int g = b.Conv2D(sum, Window.Square(1), W(64), S(8), B(8), q, Clamp.Relu(q));
        int h = b.Conv2D(g, Window.Square(3), W(576), S(8), B(8), lin, Clamp.None);
        int s = b.Add(h, sum, q, Clamp.Relu(q));
        int part = b.GlobalAveragePool(s, ReferenceModels.FeatureQuant);
        int full = b.GlobalAveragePool(s, ReferenceModels.FeatureQuant);
        b.SetSplit(8, part, full);
        return b.Build();
    }

    /// <summary>
    /// The planner lets a 1x1 stride-1 Conv2D with InputChannels == OutputChannels write over its
    /// input when it is that input's last reader, and only then (not when the input is read later,
    /// not for a 3x3 window); the features still equal a one-buffer-per-tensor Reference run (a
    /// wrong alias changes them: TunedPathTests.ConvInPlaceBreaksWhereWritesOverInputRefuses).
    /// </summary>
    [Fact]
    public void PointwiseConvWritesInPlaceOnlyOverAnInputItIsTheLastReaderOf()
    {
        var m = FileEdits.Full(PointwiseInPlaceModel());
        var t = m.Tensors;
        // Tensors: 0 input, 1 a, 2 d, 3 e, 4 sum, 5 g, 6 h, 7 s, 8 part, 9 full.
        Assert.Equal(t[2].ArenaOffset, t[3].ArenaOffset); // e over d
        Assert.Equal(t[1].ArenaOffset, t[4].ArenaOffset); // sum over a
        Assert.NotEqual(t[4].ArenaOffset, t[5].ArenaOffset); // g apart from sum (read again by the last Add)
        Assert.NotEqual(t[5].ArenaOffset, t[6].ArenaOffset); // h (3x3) apart from g
        var rng = new Random(5151);
        var it = new Interpreter(m);
        for (int k = 0; k < 4; k++)
        {
            var input = Enumerable.Range(0, 64).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
            var reference = ExecutorTests.ReferenceRun(m, input);
            Assert.True(reference[3].Distinct().Count() > 8, "e should carry many int8 levels");
            it.SetInput(input);
            it.RunFull();
            Assert.Equal(reference[8], it.Arena.Skip(it.PartFeatureOffset).Take(8).ToArray());
            Assert.Equal(reference[9], it.Arena.Skip(it.FullFeatureOffset).Take(8).ToArray());
        }
        // Peak: sum, g and h (512 B each) alive at the 3x3 conv; without the pointwise alias a, d and e
        // would be alive together at operator 2 as well, so the arena is the same here: 1,536 B.
        Assert.Equal(3 * 512, m.ArenaSize);
    }

    static byte[] ZooBytes() => File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "zoo", "microt-s3.mtm"));

    /// <summary>
    /// The zoo model's residual blocks: each 64 -> 64 pointwise conv (operators 7 and 10) writes
    /// over the depthwise output it reads, so a block holds two 8x8x64 activations, not three:
    /// arena 2 x 4,096 + the 64-byte part feature. Features bit for bit those of the
    /// one-buffer-per-tensor Reference run on frames of every kind.
    /// </summary>
    [Fact]
    public void ZooModelResidualBlocksHoldTwoActivations()
    {
        var m = FileEdits.Full(ZooBytes());
        foreach (int i in new[] { 7, 10 })
        {
            var op = m.Operators[i];
            Assert.Equal((OperatorKind.Conv2D, 1, 64, 64), (op.Kind, op.KernelHeight, op.Input.Channels, op.Output.Channels));
            Assert.Equal(op.Input.ArenaOffset, op.Output.ArenaOffset);
        }
        Assert.Equal(2 * 4096 + 64, m.ArenaSize);
        var rng = new Random(5152);
        var it = new Interpreter(m);
        for (int k = 0; k < 3; k++)
        {
            var input = Enumerable.Range(0, m.Input.Length).Select(_ => (sbyte)(k == 0 ? rng.Next(-128, 128) : rng.Next(-128, -60 + 60 * k))).ToArray();
            var reference = ExecutorTests.ReferenceRun(m, input);
            it.SetInput(input);
            it.RunFull();
            Assert.Equal(reference[m.PartFeature.Index], it.Arena.Skip(it.PartFeatureOffset).Take(m.PartFeatureLength).ToArray());
            Assert.Equal(reference[m.FullFeature.Index], it.Arena.Skip(it.FullFeatureOffset).Take(m.FullFeatureLength).ToArray());
        }
    }

    static (int, int, int) Shape(Tensor t) => (t.Height, t.Width, t.Channels);
}
