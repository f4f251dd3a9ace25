using MicroT.ModelWriter;
using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Models;

public class ExecutorTests
{
    public static IEnumerable<object[]> Models() => new[]
    {
        new object[] { "dscnn" },
        new object[] { "tiny" },
    };

    static Model Load(string name) => FileEdits.Full(name == "dscnn" ? ReferenceModels.DepthwiseCnn() : ReferenceModels.TinyAllOps());

    static byte[] RandomFrame(Random rng, int length)
    {
        var f = new byte[length];
        rng.NextBytes(f);
        return f;
    }

    static sbyte[] RandomInput(Random rng, Model m) =>
        Enumerable.Range(0, m.Input.Length).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();

    [Theory, MemberData(nameof(Models))]
    public void PartThenRestGivesBitIdenticalFeaturesToOneFullRun(string name)
    {
        var m = Load(name);
        var it = new Interpreter(m);
        var rng = new Random(7);
        for (int k = 0; k < 20; k++)
        {
            var input = RandomInput(rng, m);
            it.SetInput(input);
            it.RunFull();
            var fullA = new sbyte[m.FullFeatureLength];
            var partA = new sbyte[m.PartFeatureLength];
            it.CopyFullFeatures(fullA, 0);
            it.CopyPartFeatures(partA, 0);

            it.SetInput(input);
            it.RunPart();
            var partB = new sbyte[m.PartFeatureLength];
            it.CopyPartFeatures(partB, 0);
            it.RunRest();
            var fullB = new sbyte[m.FullFeatureLength];
            it.CopyFullFeatures(fullB, 0);
            Assert.Equal(partA, partB);
            Assert.Equal(fullA, fullB);
        }
    }

    /// <summary>
    /// The planned arena gives exactly what an executor with one buffer per tensor and the
    /// kernels' plain Reference loops gives: the planner never lets a live tensor be overwritten.
    /// </summary>
    [Theory, MemberData(nameof(Models))]
    public void ArenaRunEqualsOneBufferPerTensorReferenceRun(string name)
    {
        var m = Load(name);
        var it = new Interpreter(m);
        var rng = new Random(11);
        for (int k = 0; k < 10; k++)
        {
            var input = RandomInput(rng, m);
            var buffers = ReferenceRun(m, input);
            it.SetInput(input);
            it.RunPart();
            it.RunRest();
            Assert.Equal(buffers[m.PartFeature.Index], it.Arena.Skip(it.PartFeatureOffset).Take(m.PartFeatureLength).ToArray());
            Assert.Equal(buffers[m.FullFeature.Index], it.Arena.Skip(it.FullFeatureOffset).Take(m.FullFeatureLength).ToArray());
        }
    }

    /// <summary>
    /// Runs the model with one buffer per tensor through the kernels' plain Reference loops, with
    /// kernel parameters built here from each operator's public description (not the loader's
    /// Prepare): shapes from the tensors, window and clamp from the entry, multipliers from the scales.
    /// </summary>
    public static sbyte[][] ReferenceRun(Model m, sbyte[] input)
    {
        if (!m.KeepsReferenceData) throw new InvalidOperationException("Reference needs the bias: load with keepReferenceData (FileEdits.Full)");
        var buffers = m.Tensors.Select(t => new sbyte[t.Length]).ToArray();
        input.CopyTo(buffers[0], 0);
        foreach (var op in m.Operators)
        {
            var x = buffers[op.Input.Index];
            var y = buffers[op.Output.Index];
            Tensor xt = op.Input, yt = op.Output;
            switch (op.Kind)
            {
                case OperatorKind.Conv2D:
                case OperatorKind.DepthwiseConv2D:
                {
                    var p = new ConvParams
                    {
                        InputHeight = xt.Height, InputWidth = xt.Width, InputChannels = xt.Channels, OutputChannels = yt.Channels,
                        KernelHeight = op.KernelHeight, KernelWidth = op.KernelWidth, StrideHeight = op.StrideHeight, StrideWidth = op.StrideWidth,
                        InputZeroPoint = xt.ZeroPoint, OutputZeroPoint = yt.ZeroPoint, ActivationMin = op.ActivationMin, ActivationMax = op.ActivationMax,
                        Weights = m.Weights, WeightsOffset = op.WeightsOffset, Bias = op.Bias,
                    };
                    if (op.Explicit) { p.OutputHeight = yt.Height; p.OutputWidth = yt.Width; p.PadTop = op.PadTop; p.PadLeft = op.PadLeft; }
                    else p.SetPadding(op.Padding);
                    p.SetScales(xt.Scale, op.WeightScales.Select(s => (double)s).ToArray(), yt.Scale);
                    if (op.Kind == OperatorKind.Conv2D) Conv2D.Reference(p, x, 0, y, 0);
                    else DepthwiseConv2D.Reference(p, x, 0, y, 0);
                    break;
                }
                case OperatorKind.FullyConnected:
                {
                    var p = new FullyConnectedParams
                    {
                        InputSize = xt.Length, OutputSize = yt.Channels, InputZeroPoint = xt.ZeroPoint, OutputZeroPoint = yt.ZeroPoint,
                        ActivationMin = op.ActivationMin, ActivationMax = op.ActivationMax, Weights = m.Weights, WeightsOffset = op.WeightsOffset, Bias = op.Bias,
                    };
                    p.SetScales(xt.Scale, op.WeightScales.Select(s => (double)s).ToArray(), yt.Scale);
                    FullyConnected.Reference(p, x, 0, y, 0);
                    break;
                }
                case OperatorKind.Add:
                {
                    var p = new AddParams
                    {
                        Size = yt.Length, Input1ZeroPoint = xt.ZeroPoint, Input2ZeroPoint = op.Input2.ZeroPoint, OutputZeroPoint = yt.ZeroPoint,
                        ActivationMin = op.ActivationMin, ActivationMax = op.ActivationMax,
                    };
                    p.SetScales(xt.Scale, op.Input2.Scale, yt.Scale);
                    Add.Reference(p, x, 0, buffers[op.Input2.Index], 0, y, 0);
                    break;
                }
                case OperatorKind.AveragePool2D:
                case OperatorKind.MaxPool2D:
                {
                    var p = new PoolParams
                    {
                        InputHeight = xt.Height, InputWidth = xt.Width, Channels = xt.Channels,
                        FilterHeight = op.KernelHeight, FilterWidth = op.KernelWidth, StrideHeight = op.StrideHeight, StrideWidth = op.StrideWidth,
                        ActivationMin = op.ActivationMin, ActivationMax = op.ActivationMax,
                    };
                    if (op.Explicit) { p.OutputHeight = yt.Height; p.OutputWidth = yt.Width; p.PadTop = op.PadTop; p.PadLeft = op.PadLeft; }
                    else p.SetPadding(op.Padding);
                    if (op.Kind == OperatorKind.MaxPool2D) MaxPool2D.Reference(p, x, 0, y, 0);
                    else AveragePool2D.Reference(p, x, 0, y, 0);
                    break;
                }
                case OperatorKind.GlobalAveragePool:
                {
                    var p = new GlobalAveragePoolParams { Height = xt.Height, Width = xt.Width, Channels = xt.Channels, InputZeroPoint = xt.ZeroPoint, OutputZeroPoint = yt.ZeroPoint };
                    p.SetScales(xt.Scale, yt.Scale);
                    GlobalAveragePool.Reference(p, x, 0, y, 0);
                    break;
                }
                case OperatorKind.Softmax:
                {
                    var p = new SoftmaxParams { Rows = xt.Height * xt.Width, Depth = xt.Channels };
                    p.SetScale(1.0, xt.Scale);
                    Softmax.Reference(p, x, 0, y, 0);
                    break;
                }
                default: throw new InvalidOperationException(op.Kind.ToString());
            }
        }
        return buffers;
    }

    /// <summary>After RunPart, every arena byte not held by a tensor alive across the split is scrambled; RunRest must not care.</summary>
    [Theory, MemberData(nameof(Models))]
    public void RestReadsOnlyWhatIsAliveAtTheSplit(string name)
    {
        var m = Load(name);
        var it = new Interpreter(m);
        var rng = new Random(3);
        var input = RandomInput(rng, m);
        it.SetInput(input);
        it.RunFull();
        var expected = new sbyte[m.FullFeatureLength];
        it.CopyFullFeatures(expected, 0);

        it.SetInput(input);
        it.RunPart();
        var keep = new bool[m.ArenaSize];
        foreach (var t in m.Tensors.Where(t => t.FirstUse < m.SplitIndex && t.LastUse >= m.SplitIndex))
            for (int i = 0; i < t.Length; i++) keep[t.ArenaOffset + i] = true;
        for (int i = 0; i < keep.Length; i++)
            if (!keep[i]) it.Arena[i] = (sbyte)rng.Next(-128, 128);
        it.RunRest();
        var actual = new sbyte[m.FullFeatureLength];
        it.CopyFullFeatures(actual, 0);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void InferenceAllocatesNothing()
    {
        var m = Load("dscnn");
        var it = new Interpreter(m);
        var frame = RandomFrame(new Random(1), 64 * 48 * 2);
        var quantized = RandomInput(new Random(2), m);
        var part = new sbyte[m.PartFeatureLength];
        var full = new sbyte[m.FullFeatureLength];
        void Pass()
        {
            it.SetInput(frame, FrameFormat.Rgb565, 64, 48);
            it.RunPart();
            it.CopyPartFeatures(part, 0);
            it.RunRest();
            it.CopyFullFeatures(full, 0);
            it.SetInput(quantized);
            it.RunFull();
        }
        for (int i = 0; i < 3; i++) Pass(); // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Pass();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ReferenceModelFeaturesDependOnTheInputAndAreNotSaturated()
    {
        var m = Load("dscnn");
        var it = new Interpreter(m);
        var data = MicroT.Runtime.Tests.Models.Frames.Smooth(new Random(4), 40, 32, 32);
        var fulls = new List<sbyte[]>();
        var parts = new List<sbyte[]>();
        foreach (var frame in data)
        {
            it.SetInput(frame, FrameFormat.Gray8, 32, 32);
            it.RunFull();
            var f = new sbyte[m.FullFeatureLength];
            var p = new sbyte[m.PartFeatureLength];
            it.CopyFullFeatures(f, 0);
            it.CopyPartFeatures(p, 0);
            fulls.Add(f);
            parts.Add(p);
        }
        foreach (var set in new[] { parts, fulls })
        {
            var all = set.SelectMany(v => v).ToArray();
            Assert.True(set.Select(v => string.Join(",", v)).Distinct().Count() > 30, "features should differ between inputs");
            double saturated = all.Count(v => v == 127) / (double)all.Length;
            double floor = all.Count(v => v == -128) / (double)all.Length;
            Assert.True(saturated < 0.05 && floor < 0.5, $"saturated {saturated:P0}, at zero {floor:P0}");
            Assert.True(all.Distinct().Count() > 20, "features should use many int8 levels");
        }
    }

    [Fact]
    public void WrongInputIsAnArgumentExceptionNamingTheShape()
    {
        var it = new Interpreter(Load("dscnn"));
        var e = Assert.Throws<ArgumentException>(() => it.SetInput(new sbyte[1000]));
        Assert.Contains("32x32x1 = 1024", e.Message);
        Assert.Contains("1000", e.Message);
        var n = Assert.Throws<ArgumentNullException>(() => it.SetInput((sbyte[])null));
        Assert.Contains("32x32x1", n.Message);
        var f = Assert.Throws<ArgumentException>(() => it.SetInput(new byte[100], FrameFormat.Rgb888, 10, 10));
        Assert.Contains("a 10x10 Rgb888 frame has 300", f.Message);
        Assert.Throws<ArgumentNullException>(() => it.SetInput(null, FrameFormat.Gray8, 32, 32));
        Assert.Throws<ArgumentException>(() => it.SetInput(new byte[0], FrameFormat.Gray8, 0, 0));
        Assert.Throws<ArgumentException>(() => it.SetInput(new byte[4], (FrameFormat)9, 2, 2));
    }

    [Fact]
    public void OutOfOrderCallsAreInvalidOperations()
    {
        var m = Load("tiny");
        var it = new Interpreter(m);
        Assert.Throws<InvalidOperationException>(() => it.RunPart());
        Assert.Throws<InvalidOperationException>(() => it.RunFull());
        it.SetInput(new sbyte[m.Input.Length]);
        Assert.Throws<InvalidOperationException>(() => it.RunRest());
        Assert.Throws<InvalidOperationException>(() => it.CopyPartFeatures(new sbyte[64], 0));
        it.RunPart();
        Assert.True(it.PartDone);
        Assert.False(it.FullDone);
        Assert.Throws<InvalidOperationException>(() => it.RunPart());
        Assert.Throws<InvalidOperationException>(() => it.CopyFullFeatures(new sbyte[64], 0));
        it.RunRest();
        Assert.True(it.FullDone);
        Assert.Throws<InvalidOperationException>(() => it.RunRest());
        Assert.Throws<InvalidOperationException>(() => it.RunFull());
        Assert.Throws<ArgumentException>(() => it.CopyFullFeatures(new sbyte[3], 0));
        it.SetInput(new sbyte[m.Input.Length]);
        it.Run(0, 2);
        it.Run(2, m.OperatorCount);
        Assert.True(it.FullDone);
    }
}
