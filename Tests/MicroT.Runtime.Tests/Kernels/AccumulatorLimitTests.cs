using MicroT.Runtime.Kernels;
using Xunit;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>
/// Layers at the format's limits: very large patches, biases near the int32 limits, accumulators
/// that leave int32 (Reference wraps like TFLite's int32 arithmetic; Run must wrap the same way),
/// and Softmax rows whose sum of exponentials passes 512 or whose input scale is >= 16.
/// </summary>
public class AccumulatorLimitTests
{
    static sbyte[] Run(ConvParams p, int kind, sbyte[] x)
    {
        var y = new sbyte[p.OutputSize];
        if (kind == 0) { Conv2D.Prepare(p); Conv2D.Run(p, x, 0, y, 0, new long[Conv2D.ScratchSize(p)]); }
        else if (kind == 1) { DepthwiseConv2D.Prepare(p); DepthwiseConv2D.Run(p, x, 0, y, 0, new long[DepthwiseConv2D.ScratchSize(p)]); }
        else { Conv2D.Prepare(p); Conv2D.Run(p, x, 0, y, 0, new long[Conv2D.ScratchSize(p)]); }
        return y;
    }

    static sbyte[] Ref(ConvParams p, int kind, sbyte[] x)
    {
        var y = new sbyte[p.OutputSize];
        if (kind == 0) Conv2D.Reference(p, x, 0, y, 0);
        else if (kind == 1) DepthwiseConv2D.Reference(p, x, 0, y, 0);
        else Conv2D.Reference(p, x, 0, y, 0);
        return y;
    }

    /// <summary>The exact accumulator in 64 bits (no wrap), for one output of a conv.</summary>
    static long ExactAccumulator(ConvParams p, sbyte[] x, int oy, int ox, int oc)
    {
        long acc = p.Bias == null ? 0 : p.Bias[oc];
        for (int ky = 0; ky < p.KernelHeight; ky++)
        for (int kx = 0; kx < p.KernelWidth; kx++)
        {
            int iy = oy * p.StrideHeight - p.PadTop + ky, ix = ox * p.StrideWidth - p.PadLeft + kx;
            if (iy < 0 || iy >= p.InputHeight || ix < 0 || ix >= p.InputWidth) continue;
            for (int ic = 0; ic < p.InputChannels; ic++)
                acc += (long)(x[(iy * p.InputWidth + ix) * p.InputChannels + ic] - p.InputZeroPoint)
                     * p.Weights[p.WeightsOffset + ((oc * p.KernelHeight + ky) * p.KernelWidth + kx) * p.InputChannels + ic];
        }
        return acc;
    }

    [Fact]
    public void PatchAbove132097ElementsRunEqualsReference()
    {
        // 3x3 on 16,384 channels: patch 147,456; 2,304 lane chunks of offset 64 * 16256 exceed int32.
        var r = new Random(180);
        var p = new ConvParams
        {
            InputHeight = 1, InputWidth = 1, InputChannels = 16384, OutputChannels = 2,
            KernelHeight = 3, KernelWidth = 3, InputZeroPoint = 3, OutputZeroPoint = -5,
        };
        p.SetPadding(Padding.Same);
        p.Weights = ConvCase.RandomBytes(r, 2 * 9 * 16384, -127, 127);
        p.SetScales(1.0, new[] { 1.0 / 16384 }, 1.0);
        var x = ConvCase.RandomBytes(r, p.InputSize);
        long exact0 = ExactAccumulator(p, x, 0, 0, 0);
        Assert.InRange(exact0, int.MinValue, int.MaxValue); // a legal layer: the accumulator fits
        var expected = Ref(p, 0, x);
        Assert.Equal(expected, Run(p, 0, x));
        // The exact accumulator divided by 16384, rounded, plus the zero point (clamped): independent of both paths.
        int q0 = (int)Math.Clamp(Math.Round(exact0 / 16384.0, MidpointRounding.AwayFromZero) - 5, -128, 127);
        Assert.Equal(q0, expected[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BiasNearInt32LimitsRunEqualsReference(int kind)
    {
        // Inputs at the zero point except a few: the exact accumulator stays near the bias (fits int32),
        // but bias - zp * sum(w) does not.
        var r = new Random(181 + kind);
        foreach (int sign in new[] { 1, -1 })
        for (int stride = 1; stride <= 2; stride++)
        {
            int c = 6;
            var p = new ConvParams
            {
                InputHeight = 7, InputWidth = 7, InputChannels = c, OutputChannels = c,
                KernelHeight = kind == 2 ? 1 : 3, KernelWidth = kind == 2 ? 1 : 3,
                StrideHeight = stride, StrideWidth = stride, InputZeroPoint = sign > 0 ? -128 : 127, OutputZeroPoint = 0,
            };
            p.SetPadding(Padding.Same);
            int wCount = kind == 1 ? p.KernelHeight * p.KernelWidth * c : c * p.KernelHeight * p.KernelWidth * c;
            p.Weights = new sbyte[wCount];
            // Positive weights: -zp * sum(w) pushes past the bias' limit (> 100,000 even for 9 taps),
            // while inputs within 3 of the zero point move the exact accumulator by < 25,000.
            for (int i = 0; i < wCount; i++) p.Weights[i] = (sbyte)r.Next(60, 128);
            p.Bias = new int[c];
            for (int i = 0; i < c; i++) p.Bias[i] = sign > 0 ? int.MaxValue - r.Next(25000, 30000) : int.MinValue + r.Next(25000, 30000);
            var x = new sbyte[p.InputSize];
            for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(p.InputZeroPoint + sign * (r.Next(4) == 0 ? r.Next(0, 4) : 0));
            p.SetScales(1.0, new[] { 1.0 / (1 << 24) }, 1.0);
            for (int oy = 0; oy < p.OutputHeight; oy++)
            for (int ox = 0; ox < p.OutputWidth; ox++)
            for (int oc = 0; oc < c && kind != 1; oc++)
                Assert.InRange(ExactAccumulator(p, x, oy, ox, oc), int.MinValue, int.MaxValue);
            Assert.Equal(Ref(p, kind, x), Run(p, kind, x));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AccumulatorOutsideInt32WrapsLikeReference(int kind)
    {
        // The loader refuses such layers (|bias| + 255 sum|w| must fit int32); a kernel used directly
        // computes in int32 two's complement like Reference (and TFLite) instead of diverging.
        var r = new Random(190 + kind);
        for (int trial = 0; trial < 20; trial++)
        {
            var cc = ConvCase.Random(r, kind, maxSize: 6, maxChannels: 9);
            var p = cc.P;
            p.Bias = new int[p.OutputChannels];
            for (int i = 0; i < p.Bias.Length; i++) p.Bias[i] = r.Next(2) == 0 ? int.MaxValue - r.Next(0, 40000) : int.MinValue + r.Next(0, 40000);
            for (int i = 0; i < p.OutputChannels; i++) { p.OutputShift[i] = (sbyte)r.Next(-31, 3); p.OutputMultiplier[i] = r.Next(1 << 30, int.MaxValue); }
            Assert.Equal(Ref(p, kind, cc.Input), Run(p, kind, cc.Input));
        }
    }

    [Fact]
    public void FullyConnectedBiasNearLimitsRunEqualsReference()
    {
        var r = new Random(195);
        var p = new FullyConnectedParams { InputSize = 37, OutputSize = 5, InputZeroPoint = -128, OutputZeroPoint = 3 };
        p.Weights = new sbyte[37 * 5];
        for (int i = 0; i < p.Weights.Length; i++) p.Weights[i] = (sbyte)r.Next(60, 128);
        p.Bias = new int[5];
        for (int i = 0; i < 5; i++) p.Bias[i] = int.MaxValue - r.Next(0, 100000);
        p.SetScales(1.0, new[] { 1.0 / (1 << 24) }, 1.0);
        var x = ConvCase.RandomBytes(r, 37);
        var a = new sbyte[5];
        var b = new sbyte[5];
        FullyConnected.Reference(p, x, 0, a, 0);
        FullyConnected.Prepare(p);
        FullyConnected.Run(p, x, 0, b, 0, null);
        Assert.Equal(a, b);
    }

    static sbyte[] SoftmaxRow(double scale, sbyte[] x)
    {
        var p = new SoftmaxParams { Rows = 1, Depth = x.Length };
        p.SetScale(1.0, scale);
        var y = new sbyte[x.Length];
        Softmax.Run(p, x, 0, y, 0);
        var yr = new sbyte[x.Length];
        Softmax.Reference(p, x, 0, yr, 0);
        Assert.Equal(yr, y);
        return y;
    }

    [Fact]
    public void SoftmaxOf512EqualLogitsIsMinus128()
    {
        // Each probability is 1/512 = 0.5 output steps of 1/256, just below the half a step that rounds
        // up in the fixed-point (1/(1+x) is 2^31 - 1, not 2^31): -128. 256 equal logits: 1 step, -127.
        Assert.All(SoftmaxRow(0.05, new sbyte[512]), v => Assert.Equal(-128, (int)v));
        Assert.All(SoftmaxRow(0.05, new sbyte[256]), v => Assert.Equal(-127, (int)v));
        Assert.All(SoftmaxRow(0.05, new sbyte[1024]), v => Assert.Equal(-128, (int)v));
    }

    [Fact]
    public void SoftmaxDeepRowsStayNearFloat()
    {
        var r = new Random(196);
        foreach (int depth in new[] { 300, 600, 2000, 4000 })
        {
            double scale = 0.02 + r.NextDouble() * 0.1;
            var x = ConvCase.RandomBytes(r, depth);
            if (depth == 600) for (int i = 0; i < 40; i++) x[r.Next(depth)] = 127; // a few dominant logits
            var y = SoftmaxRow(scale, x);
            int max = x.Max(v => (int)v);
            double sum = x.Sum(v => Math.Exp((v - max) * scale));
            for (int i = 0; i < depth; i++)
            {
                double q = Math.Exp((x[i] - max) * scale) / sum * 256 - 128;
                Assert.InRange(y[i], Math.Floor(q) - 1, Math.Ceiling(q) + 1);
            }
        }
    }

    [Fact]
    public void SoftmaxAcceptsInputScaleOf16AndAbove()
    {
        // A step of one input LSB is >= 16 in real units: exp(-16) * 256 < 0.0001, so only the row's
        // maxima get probability, shared equally.
        foreach (double scale in new[] { 16.0, 20.0, 31.9, 32.0, 1000.0 })
        {
            Assert.Equal(new sbyte[] { 0, -128, 0, -128 }, SoftmaxRow(scale, new sbyte[] { 5, 4, 5, -2 }));
            Assert.Equal(new sbyte[] { -128, 127, -128 }, SoftmaxRow(scale, new sbyte[] { -1, 0, -100 }));
        }
        // Just below 16 the next value still gets its exp(-15.9) * 256 = 0.00003: -128 as well.
        Assert.Equal(new sbyte[] { 127, -128 }, SoftmaxRow(15.9, new sbyte[] { 9, 8 }));
    }

    [Fact]
    public void SoftmaxRefusesRowsWhoseSumCannotFitQ12_19()
    {
        var p = new SoftmaxParams { Rows = 1, Depth = 4096 };
        p.SetScale(1.0, 0.1);
        var x = new sbyte[4096];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Run(p, x, 0, x, 0));
        Assert.Contains("Depth", e.Message);
        p.Depth = 4095;
        Softmax.Run(p, x, 0, x, 0);
        Assert.All(x.Take(4095), v => Assert.Equal(-128, (int)v));
    }
}
