using MicroT.Runtime.Kernels;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// Each kernel on representative shapes (those of a small depthwise-separable CNN on a 32x32
/// input, and the 1x1 benchmark shape measured on the device: 64 pixels, 48 -> 48), Reference and Run side
/// by side. Weights and inputs are seeded random int8; results do not depend on the values
/// except through data-dependent branches (clamps, max), which are few.
/// The work unit ("MACs") is multiply-accumulates for conv, depthwise and FC; for the other
/// ops it is the input taps read (pools), elements (add) or logits (softmax).
/// Goals (weighted cost per unit of Run): pointwise (1x1 Conv2D) at most 4 per MAC at 32 or more input
/// channels; 3x3 depthwise at most 10 per MAC (stride 1 and 2); the stem (3x3 stride 2 conv on one
/// input channel) at most 8 per MAC; Add at most 60 per element.
/// </summary>
static class KernelWorkloads
{
    const int Seed = 6;
    const double PointwiseGoal = 4, DepthwiseGoal = 10, StemGoal = 8, AddGoal = 60;

    public static IEnumerable<Workload> Create()
    {
        var random = new Random(Seed);
        // name, input H, W, C, output C, kernel, stride
        foreach (var w in Conv(random, "Conv2D 1x1 8x8x48->48", 8, 8, 48, 48, 1, 1)) yield return w;
        foreach (var w in Conv(random, "Conv2D 1x1 16x16x8->16", 16, 16, 8, 16, 1, 1)) yield return w;
        foreach (var w in Conv(random, "Conv2D 1x1 4x4x64->128", 4, 4, 64, 128, 1, 1)) yield return w;
        foreach (var w in Conv(random, "Conv2D 3x3 s2 32x32x1->8", 32, 32, 1, 8, 3, 2)) yield return w;
        foreach (var w in Conv(random, "Conv2D 3x3 8x8x16->16", 8, 8, 16, 16, 3, 1)) yield return w;
        foreach (var w in Depthwise(random, "DepthwiseConv2D 3x3 16x16x8", 16, 16, 8, 1)) yield return w;
        foreach (var w in Depthwise(random, "DepthwiseConv2D 3x3 s2 16x16x16", 16, 16, 16, 2)) yield return w;
        foreach (var w in Depthwise(random, "DepthwiseConv2D 3x3 8x8x48", 8, 8, 48, 1)) yield return w;
        foreach (var w in FullyConnected(random, "FullyConnected 64->10", 64, 10)) yield return w;
        foreach (var w in FullyConnected(random, "FullyConnected 256->64", 256, 64)) yield return w;
        foreach (var w in AddOp(random, "Add 8x8x32", 8 * 8 * 32)) yield return w;
        foreach (var w in Pools(random, 16, 16, 8)) yield return w;
        foreach (var w in GlobalPool(random, "GlobalAveragePool 4x4x64", 4, 4, 64)) yield return w;
        foreach (var w in SoftmaxOp(random, "Softmax 10", 10)) yield return w;
    }

    static double ConvGoal(int kernel, int stride, int inputChannels) =>
        kernel == 1 ? (inputChannels >= 32 ? PointwiseGoal : double.NaN)
        : kernel == 3 && stride == 2 && inputChannels == 1 ? StemGoal : double.NaN;

    static sbyte[] RandomBytes(Random random, int n)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)random.Next(-128, 128);
        return a;
    }

    static double[] WeightScales(Random random, int n)
    {
        var s = new double[n];
        for (int i = 0; i < n; i++) s[i] = 0.002 + 0.01 * random.NextDouble();
        return s;
    }

    static int[] Bias(Random random, int n)
    {
        var b = new int[n];
        for (int i = 0; i < n; i++) b[i] = random.Next(-2000, 2000);
        return b;
    }

    static ConvParams ConvShape(Random random, int h, int w, int inC, int outC, int kernel, int stride, int weightCount)
    {
        var p = new ConvParams
        {
            InputHeight = h, InputWidth = w, InputChannels = inC, OutputChannels = outC,
            KernelHeight = kernel, KernelWidth = kernel, StrideHeight = stride, StrideWidth = stride,
            InputZeroPoint = -7, OutputZeroPoint = 5, ActivationMin = -128, ActivationMax = 127,
            Weights = RandomBytes(random, weightCount), Bias = Bias(random, outC),
        };
        p.SetPadding(kernel == 1 ? Padding.Valid : Padding.Same);
        p.SetScales(0.05, WeightScales(random, outC), 0.08);
        return p;
    }

    static IEnumerable<Workload> Conv(Random random, string name, int h, int w, int inC, int outC, int kernel, int stride)
    {
        var p = ConvShape(random, h, w, inC, outC, kernel, stride, outC * kernel * kernel * inC);
        var input = RandomBytes(random, p.InputSize);
        var output = new sbyte[p.OutputSize];
        long macs = (long)p.OutputHeight * p.OutputWidth * outC * kernel * kernel * inC;
        Conv2D.Prepare(p);
        var scratch = new long[Conv2D.ScratchSize(p)];
        yield return new Workload("kernels", name, "Reference", macs, 1, () => Conv2D.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", name, "Run", macs, 1, () => Conv2D.Run(p, input, 0, output, 0, scratch)) { WeightedPerMacGoal = ConvGoal(kernel, stride, inC) };
    }

    static IEnumerable<Workload> Depthwise(Random random, string name, int h, int w, int c, int stride)
    {
        var p = ConvShape(random, h, w, c, c, 3, stride, 3 * 3 * c);
        DepthwiseConv2D.Prepare(p);
        var input = RandomBytes(random, p.InputSize);
        var output = new sbyte[p.OutputSize];
        var scratch = new long[DepthwiseConv2D.ScratchSize(p)];
        long macs = (long)p.OutputHeight * p.OutputWidth * c * 9;
        yield return new Workload("kernels", name, "Reference", macs, 1, () => DepthwiseConv2D.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", name, "Run", macs, 1, () => DepthwiseConv2D.Run(p, input, 0, output, 0, scratch)) { WeightedPerMacGoal = DepthwiseGoal };
    }

    static IEnumerable<Workload> FullyConnected(Random random, string name, int inN, int outN)
    {
        var p = new FullyConnectedParams
        {
            InputSize = inN, OutputSize = outN, InputZeroPoint = -3, OutputZeroPoint = 2,
            Weights = RandomBytes(random, inN * outN), Bias = Bias(random, outN),
        };
        p.SetScales(0.05, WeightScales(random, outN), 0.1);
        Runtime.Kernels.FullyConnected.Prepare(p);
        var input = RandomBytes(random, inN);
        var output = new sbyte[outN];
        var scratch = new long[Runtime.Kernels.FullyConnected.ScratchSize(p)];
        yield return new Workload("kernels", name, "Reference", (long)inN * outN, 1, () => Runtime.Kernels.FullyConnected.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", name, "Run", (long)inN * outN, 1, () => Runtime.Kernels.FullyConnected.Run(p, input, 0, output, 0, scratch));
    }

    static IEnumerable<Workload> AddOp(Random random, string name, int size)
    {
        var p = new AddParams { Size = size, Input1ZeroPoint = 4, Input2ZeroPoint = -9, OutputZeroPoint = 1 };
        p.SetScales(0.05, 0.07, 0.1);
        var a = RandomBytes(random, size);
        var b = RandomBytes(random, size);
        var output = new sbyte[size];
        yield return new Workload("kernels", name, "Reference", size, 1, () => Add.Reference(p, a, 0, b, 0, output, 0));
        var scratch = new long[Add.ScratchSize(p)];
        yield return new Workload("kernels", name, "Run", size, 1, () => Add.Run(p, a, 0, b, 0, output, 0, scratch)) { WeightedPerMacGoal = AddGoal };
    }

    static IEnumerable<Workload> Pools(Random random, int h, int w, int c)
    {
        var p = new PoolParams { InputHeight = h, InputWidth = w, Channels = c, FilterHeight = 2, FilterWidth = 2, StrideHeight = 2, StrideWidth = 2 };
        p.SetPadding(Padding.Valid);
        var input = RandomBytes(random, p.InputSize);
        var output = new sbyte[p.OutputSize];
        long taps = (long)p.OutputSize * 4;
        string shape = $"2x2 s2 {h}x{w}x{c}";
        yield return new Workload("kernels", "AveragePool2D " + shape, "Reference", taps, 1, () => AveragePool2D.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", "AveragePool2D " + shape, "Run", taps, 1, () => AveragePool2D.Run(p, input, 0, output, 0));
        yield return new Workload("kernels", "MaxPool2D " + shape, "Reference", taps, 1, () => MaxPool2D.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", "MaxPool2D " + shape, "Run", taps, 1, () => MaxPool2D.Run(p, input, 0, output, 0));
    }

    static IEnumerable<Workload> GlobalPool(Random random, string name, int h, int w, int c)
    {
        var p = new GlobalAveragePoolParams { Height = h, Width = w, Channels = c, InputZeroPoint = -2, OutputZeroPoint = 3 };
        p.SetScales(0.05, 0.05);
        var input = RandomBytes(random, p.InputSize);
        var output = new sbyte[c];
        var scratch = new long[GlobalAveragePool.ScratchSize(p)];
        yield return new Workload("kernels", name, "Reference", p.InputSize, 1, () => GlobalAveragePool.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", name, "Run", p.InputSize, 1, () => GlobalAveragePool.Run(p, input, 0, output, 0, scratch));
    }

    static IEnumerable<Workload> SoftmaxOp(Random random, string name, int depth)
    {
        var p = new SoftmaxParams { Rows = 1, Depth = depth };
        p.SetScale(1.0, 0.1);
        var input = RandomBytes(random, depth);
        var output = new sbyte[depth];
        yield return new Workload("kernels", name, "Reference", depth, 1, () => Softmax.Reference(p, input, 0, output, 0));
        yield return new Workload("kernels", name, "Run", depth, 1, () => Softmax.Run(p, input, 0, output, 0));
    }
}
