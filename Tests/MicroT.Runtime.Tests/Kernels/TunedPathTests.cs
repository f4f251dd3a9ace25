using MicroT.Runtime.Kernels;
using Xunit;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>
/// The tuned paths' own branches, each against Reference: Add through its two tables (every
/// shift, sizes around the table threshold, in place, sums near the int32 fallback), and the
/// in-place 3x3 depthwise on every small geometry (widths and heights 1..7, strides 1..3, SAME,
/// VALID and explicit padding 0..2 per side, left-shift channels mixed in) and on larger maps, with
/// clamps of every kind and channels its packed path leaves to the plain loop.
/// </summary>
public class TunedPathTests
{
    static AddParams RandomAdd(Random r, int size, int shift)
    {
        var p = RandomAddUnclamped(r, size, shift);
        // A ReLU-like minimum (at or above the output zero point) in a third of the cases: the table
        // loop without the sign term.
        if (r.Next(3) == 0) { p.ActivationMin = Math.Min(127, p.OutputZeroPoint + r.Next(0, 3)); p.ActivationMax = Math.Max(p.ActivationMax, p.ActivationMin); }
        return p;
    }

    static AddParams RandomAddUnclamped(Random r, int size, int shift)
    {
        return new AddParams
        {
            Size = size, Input1ZeroPoint = r.Next(-128, 128), Input2ZeroPoint = r.Next(-128, 128), OutputZeroPoint = r.Next(-128, 128),
            LeftShift = r.Next(0, 23),
            Input1Multiplier = r.Next(1 << 30, int.MaxValue), Input1Shift = r.Next(2) == 0 ? shift : r.Next(-31, 1),
            Input2Multiplier = r.Next(1 << 30, int.MaxValue), Input2Shift = r.Next(2) == 0 ? shift : r.Next(-31, 1),
            OutputMultiplier = r.Next(1 << 30, int.MaxValue), OutputShift = shift,
            ActivationMin = r.Next(3) == 0 ? r.Next(-128, 0) : -128, ActivationMax = r.Next(3) == 0 ? r.Next(0, 128) : 127,
        };
    }

    [Fact]
    public void AddTablesEqualReferenceForEveryShiftAndSize()
    {
        var r = new Random(170);
        for (int shift = -31; shift <= 30; shift++)
        foreach (int size in new[] { Add.TableThreshold - 1, Add.TableThreshold, 700, 701 })
        {
            var p = RandomAdd(r, size, shift);
            Assert.Equal(size >= Add.TableThreshold ? 512 : 0, Add.ScratchSize(p));
            var a = ConvCase.RandomBytes(r, size);
            var b = ConvCase.RandomBytes(r, size);
            var expected = new sbyte[size];
            Add.Reference(p, a, 0, b, 0, expected, 0);
            var actual = new sbyte[size + 5];
            Add.Run(p, a, 0, b, 0, actual, 3, new long[Add.ScratchSize(p) + 1]);
            Assert.Equal(expected, actual.Skip(3).Take(size).ToArray());
            Assert.Equal(0, (int)actual[0]);
        }
    }

    [Fact]
    public void AddTablesFromRealScalesAndInPlace()
    {
        var r = new Random(171);
        for (int t = 0; t < 300; t++)
        {
            int size = r.Next(256, 1200);
            var p = new AddParams { Size = size, Input1ZeroPoint = r.Next(-128, 128), Input2ZeroPoint = r.Next(-128, 128), OutputZeroPoint = r.Next(-128, 128) };
            p.SetScales(0.001 + r.NextDouble() * 0.2, 0.001 + r.NextDouble() * 0.2, 0.001 + r.NextDouble() * 0.3);
            var a = ConvCase.RandomBytes(r, size + 4);
            var b = ConvCase.RandomBytes(r, size + 4);
            var expected = new sbyte[size];
            Add.Reference(p, a, 4, b, 1, expected, 0);
            Add.Run(p, a, 4, b, 1, a, 4, new long[512]); // in place over input1
            Assert.Equal(expected, a.Skip(4).ToArray());
        }
    }

    [Fact]
    public void AddFallsBackWhenTermSumsCouldLeaveInt32()
    {
        // Multipliers near 2^31 with a left shift: each term is near 2^30, their sum leaves int32 and wraps
        // in Reference; Run must wrap the same way (it takes the direct formula).
        var r = new Random(172);
        for (int t = 0; t < 50; t++)
        {
            var p = new AddParams
            {
                Size = 300, Input1ZeroPoint = -128, Input2ZeroPoint = -128, OutputZeroPoint = 0, LeftShift = 20,
                Input1Multiplier = int.MaxValue - r.Next(1000), Input1Shift = 3, Input2Multiplier = int.MaxValue - r.Next(1000), Input2Shift = 3,
                OutputMultiplier = r.Next(1 << 30, int.MaxValue), OutputShift = -r.Next(20, 31),
            };
            var a = ConvCase.RandomBytes(r, 300);
            var b = ConvCase.RandomBytes(r, 300);
            var expected = new sbyte[300];
            Add.Reference(p, a, 0, b, 0, expected, 0);
            var actual = new sbyte[300];
            Add.Run(p, a, 0, b, 0, actual, 0, new long[512]);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Add_TablePathNeedsScratch()
    {
        var p = RandomAdd(new Random(1), 300, -20);
        var x = new sbyte[300];
        Assert.Throws<ArgumentException>(() => Add.Run(p, x, 0, x, 0, x, 0, new long[100]));
    }

    /// <summary>
    /// Clamps of every kind (the full range, ReLU-like minimum at or above the output zero point, narrow
    /// ranges), and now and then a channel Run3x3 leaves to the generic loop: a bias beyond 2^30 or a
    /// shift below -23.
    /// </summary>
    static void ClampAndExtremes(Random r, ConvParams p)
    {
        switch (r.Next(4))
        {
            case 0: break;
            case 1: p.ActivationMin = p.OutputZeroPoint; break;
            case 2: p.ActivationMin = Math.Min(127, p.OutputZeroPoint + r.Next(0, 20)); p.ActivationMax = Math.Max(p.ActivationMin, r.Next(p.ActivationMin, 128)); break;
            default: p.ActivationMin = r.Next(-128, 0); p.ActivationMax = r.Next(0, 128); break;
        }
        if (r.Next(5) == 0)
        {
            int ch = r.Next(p.OutputChannels);
            if (r.Next(2) == 0) p.Bias[ch] = (r.Next(2) == 0 ? 1 : -1) * ((1 << 30) + r.Next(-200000, 200000));
            else { p.OutputShift[ch] = (sbyte)r.Next(-31, -22); }
        }
    }

    [Fact]
    public void StemConv3x3OneChannelEqualsReference()
    {
        var r = new Random(2024);
        for (int rep = 0; rep < 600; rep++)
        {
            int h = r.Next(1, 12), w = r.Next(1, 12), outC = r.Next(1, 15);
            var p = new ConvParams
            {
                InputHeight = h, InputWidth = w, InputChannels = 1, OutputChannels = outC, KernelHeight = 3, KernelWidth = 3,
                StrideHeight = r.Next(1, 4), StrideWidth = r.Next(1, 4),
                InputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128), OutputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128),
            };
            if (h < 3 || w < 3 || r.Next(2) == 0) p.SetPadding(Padding.Same); else p.SetPadding(Padding.Valid);
            if (r.Next(4) == 0)
            {
                int pt = r.Next(3), pl = r.Next(3), pb = r.Next(3), pr = r.Next(3);
                if (h + pt + pb < 3 || w + pl + pr < 3) continue;
                p.PadTop = pt; p.PadLeft = pl;
                p.OutputHeight = (h + pt + pb - 3) / p.StrideHeight + 1;
                p.OutputWidth = (w + pl + pr - 3) / p.StrideWidth + 1;
                if ((p.OutputHeight - 1) * p.StrideHeight - pt >= h || (p.OutputWidth - 1) * p.StrideWidth - pl >= w) continue;
            }
            p.WeightsOffset = r.Next(3);
            p.Weights = ConvCase.RandomBytes(r, 9 * outC + p.WeightsOffset, r.Next(2) == 0 ? -128 : -127, 127);
            p.Bias = new int[outC];
            for (int i = 0; i < outC; i++) p.Bias[i] = r.Next(-300000, 300000);
            var scales = new double[outC];
            for (int i = 0; i < outC; i++) scales[i] = r.Next(8) == 0 ? 2.0 + r.NextDouble() * 8 : 0.0005 + r.NextDouble() * 0.02;
            p.SetScales(0.05, scales, 0.05 + r.NextDouble());
            if (r.Next(6) == 0) p.OutputShift[r.Next(outC)] = 0;
            ClampAndExtremes(r, p);
            var x = r.Next(4) == 0 ? ConvCase.RandomBytes(r, p.InputSize + 2, 126, 127) : ConvCase.RandomBytes(r, p.InputSize + 2);
            var expected = new sbyte[p.OutputSize + 3];
            var actual = new sbyte[p.OutputSize + 3];
            Conv2D.Reference(p, x, 2, expected, 1);
            Conv2D.Prepare(p);
            Conv2D.Run(p, x, 2, actual, 1, new long[Conv2D.ScratchSize(p)]);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>
    /// The stem's lanes at their limits (every weight of a channel -128 or 127, every input -128 or
    /// 127: 9 products of one sign per lane) and channels with shift 0 and small accumulators (there
    /// the rounding has no sign term; with a clamp minimum below the zero point a wrong one moves
    /// every negative result by one).
    /// </summary>
    [Fact]
    public void StemConv3x3LaneLimitsAndShiftZero()
    {
        var r = new Random(77);
        for (int rep = 0; rep < 300; rep++)
        {
            int h = r.Next(3, 9), w = r.Next(3, 9), outC = r.Next(1, 8);
            bool limits = rep % 2 == 0;
            var p = new ConvParams
            {
                InputHeight = h, InputWidth = w, InputChannels = 1, OutputChannels = outC, KernelHeight = 3, KernelWidth = 3,
                StrideHeight = r.Next(1, 3), StrideWidth = r.Next(1, 3),
                InputZeroPoint = r.Next(-128, 128), OutputZeroPoint = r.Next(-100, 100),
            };
            p.SetPadding(r.Next(2) == 0 ? Padding.Same : Padding.Valid);
            p.Weights = new sbyte[9 * outC];
            p.Bias = new int[outC];
            var x = new sbyte[p.InputSize];
            sbyte xv = (sbyte)(r.Next(2) == 0 ? -128 : 127);
            for (int i = 0; i < x.Length; i++)
                x[i] = limits ? xv : (sbyte)Math.Clamp(p.InputZeroPoint + r.Next(-6, 7), -128, 127);
            p.OutputMultiplier = new int[outC];
            p.OutputShift = new sbyte[outC];
            for (int c = 0; c < outC; c++)
            {
                sbyte wv = (sbyte)(r.Next(2) == 0 ? -128 : 127);
                for (int t = 0; t < 9; t++) p.Weights[c * 9 + t] = limits ? wv : (sbyte)r.Next(-1, 2);
                p.Bias[c] = limits ? r.Next(-1000, 1000) : r.Next(-40, 40);
                p.OutputMultiplier[c] = r.Next(1 << 30, int.MaxValue);
                // Lane limits: accumulators near 2^21 (scaled down by about 2^-13 to 2^-11); shift 0: small ones.
                p.OutputShift[c] = (sbyte)(limits ? r.Next(-13, -10) : 0);
            }
            if (r.Next(2) == 0) p.ActivationMin = p.OutputZeroPoint;
            var expected = new sbyte[p.OutputSize];
            var actual = new sbyte[p.OutputSize];
            Conv2D.Reference(p, x, 0, expected, 0);
            Conv2D.Prepare(p);
            Conv2D.Run(p, x, 0, actual, 0, new long[Conv2D.ScratchSize(p)]);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>A random conv of the given shape, SAME padding (real scales, clamps and extremes as ClampAndExtremes makes them).</summary>
    static ConvParams RandomConv(Random r, int h, int w, int inC, int outC, int k, int stride)
    {
        var p = new ConvParams
        {
            InputHeight = h, InputWidth = w, InputChannels = inC, OutputChannels = outC, KernelHeight = k, KernelWidth = k,
            StrideHeight = stride, StrideWidth = stride,
            InputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128), OutputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128),
        };
        p.SetPadding(Padding.Same);
        int taps = k * k * inC;
        p.WeightsOffset = r.Next(3);
        p.Weights = ConvCase.RandomBytes(r, p.WeightsOffset + outC * taps, r.Next(2) == 0 ? -128 : -127, 127);
        p.Bias = Enumerable.Range(0, outC).Select(_ => r.Next(-20000, 20001)).ToArray();
        var scales = Enumerable.Range(0, outC).Select(_ => 0.001 + r.NextDouble() * 0.02).ToArray();
        double typical = Math.Sqrt(taps) * 60 * 60 * 0.05 * 0.01;
        p.SetScales(0.05, scales, typical / (20 + r.NextDouble() * 80));
        ClampAndExtremes(r, p);
        return p;
    }

    /// <summary>
    /// The in-place pointwise conv (output == input, same array and offset, as the arena planner
    /// places a 1x1 stride-1 Conv2D with InputChannels == OutputChannels whose input dies there):
    /// equal to Reference into a separate buffer, guard bytes untouched, on maps whose pixel count
    /// ends in full tiles, a last tile of 7..11 pixels (4 groups) and of 1..6 (2 groups), channel
    /// counts around the 4-channel blocks and the 64-element chunks (patch 63..65, 128, 130).
    /// </summary>
    [Fact]
    public void PointwiseInPlaceEqualsReference()
    {
        var r = new Random(3110);
        int[] channels = { 1, 2, 3, 4, 5, 7, 8, 12, 13, 32, 63, 64, 65, 128, 130 };
        for (int rep = 0; rep < 400; rep++)
        {
            int h = r.Next(1, 10), w = r.Next(1, 10), c = channels[rep % channels.Length];
            var p = RandomConv(r, h, w, c, c, 1, 1);
            Assert.True(Conv2D.WritesOverInput(1, 1, 1, 1, c, c));
            int at = r.Next(0, 5);
            var buffer = ConvCase.RandomBytes(r, at + p.InputSize + 3);
            var expected = (sbyte[])buffer.Clone();
            Conv2D.Reference(p, buffer, at, expected, at); // separate buffer: expected starts as a copy, so guards match too
            Conv2D.Prepare(p);
            Conv2D.Run(p, buffer, at, buffer, at, new long[Conv2D.ScratchSize(p)]);
            Assert.Equal(expected, buffer);
        }
    }

    /// <summary>
    /// What the in-place test would catch: shapes WritesOverInput refuses really break in place (a
    /// 3x3 window reads neighbours of the next tile already overwritten; more output than input
    /// channels stores past its own pixel), and an output placed one pixel after the input (a
    /// misaligned alias) breaks a 1x1 too. (A stride-2 1x1 is refused although its stores never
    /// pass its reads: its output is smaller than its input, and the planner aliases equal sizes only.)
    /// </summary>
    [Fact]
    public void ConvInPlaceBreaksWhereWritesOverInputRefuses()
    {
        var r = new Random(3111);
        Assert.False(Conv2D.WritesOverInput(3, 3, 1, 1, 8, 8));
        Assert.False(Conv2D.WritesOverInput(1, 1, 2, 2, 8, 8));
        Assert.False(Conv2D.WritesOverInput(1, 1, 1, 1, 8, 16));
        Assert.False(Conv2D.WritesOverInput(1, 3, 1, 1, 8, 8));
        // (kernel, stride, inC, outC, output offset in pixels relative to the input)
        foreach (var (k, stride, inC, outC, shift) in new[] { (3, 1, 8, 8, 0), (1, 1, 8, 16, 0), (1, 1, 8, 8, 1) })
        {
            var p = RandomConv(r, 8, 8, inC, outC, k, stride);
            p.ActivationMin = -128; p.ActivationMax = 127; // no clamp that could hide a difference
            Conv2D.Prepare(p);
            int outAt = shift * outC;
            var buffer = ConvCase.RandomBytes(r, Math.Max(p.InputSize, outAt + p.OutputSize));
            var expected = new sbyte[p.OutputSize];
            Conv2D.Reference(p, buffer, 0, expected, 0);
            Conv2D.Run(p, buffer, 0, buffer, outAt, new long[Conv2D.ScratchSize(p)]);
            Assert.NotEqual(expected, buffer.Skip(outAt).Take(p.OutputSize).ToArray());
        }
    }

    [Fact]
    public void GlobalAveragePoolEveryShiftAndClampEqualsReference()
    {
        var r = new Random(919);
        for (int shift = -31; shift <= 30; shift++)
        for (int rep = 0; rep < 6; rep++)
        {
            var p = new GlobalAveragePoolParams
            {
                Height = r.Next(1, 12), Width = r.Next(1, 12), Channels = r.Next(1, 70),
                InputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128), OutputZeroPoint = r.Next(-128, 128),
                OutputMultiplier = r.Next(2) == 0 ? r.Next(1 << 30, int.MaxValue) : r.Next(0, int.MaxValue), OutputShift = shift,
            };
            if (r.Next(2) == 0) { p.ActivationMin = p.OutputZeroPoint; p.ActivationMax = r.Next(p.ActivationMin, 128); }
            var x = r.Next(3) == 0 ? ConvCase.RandomBytes(r, p.InputSize, 126, 127) : ConvCase.RandomBytes(r, p.InputSize);
            var expected = new sbyte[p.Channels + 2];
            var actual = new sbyte[p.Channels + 2];
            GlobalAveragePool.Reference(p, x, 0, expected, 1);
            GlobalAveragePool.Run(p, x, 0, actual, 1, null);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Depthwise3x3LargerMapsEqualReference()
    {
        var r = new Random(4711);
        for (int rep = 0; rep < 120; rep++)
        {
            int h = r.Next(3, 20), w = r.Next(3, 20), c = r.Next(1, 40), stride = r.Next(1, 3);
            var p = new ConvParams
            {
                InputHeight = h, InputWidth = w, InputChannels = c, OutputChannels = c, KernelHeight = 3, KernelWidth = 3,
                StrideHeight = r.Next(1, 3), StrideWidth = stride,
                InputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128), OutputZeroPoint = r.Next(4) == 0 ? -128 : r.Next(-128, 128),
            };
            p.SetPadding(r.Next(3) == 0 ? Padding.Valid : Padding.Same);
            p.Weights = ConvCase.RandomBytes(r, 9 * c, r.Next(2) == 0 ? -128 : -127, 127);
            p.Bias = new int[c];
            for (int i = 0; i < c; i++) p.Bias[i] = r.Next(-300000, 300000);
            var scales = new double[c];
            for (int i = 0; i < c; i++) scales[i] = 0.0005 + r.NextDouble() * 0.02;
            p.SetScales(0.05, scales, 0.05 + r.NextDouble());
            ClampAndExtremes(r, p);
            // Inputs of extreme values now and then (lanes at their limits).
            var x = r.Next(4) == 0 ? ConvCase.RandomBytes(r, p.InputSize, -128, -127) : ConvCase.RandomBytes(r, p.InputSize);
            var expected = new sbyte[p.OutputSize];
            var actual = new sbyte[p.OutputSize];
            DepthwiseConv2D.Reference(p, x, 0, expected, 0);
            DepthwiseConv2D.Prepare(p);
            DepthwiseConv2D.Run(p, x, 0, actual, 0, null);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Depthwise3x3EveryGeometryEqualsReference()
    {
        var r = new Random(173);
        for (int h = 1; h <= 7; h++)
        for (int w = 1; w <= 7; w++)
        for (int stride = 1; stride <= 3; stride++)
        for (int rep = 0; rep < 3; rep++)
        foreach (var padding in new[] { Padding.Same, Padding.Valid })
        {
            if (padding == Padding.Valid && (h < 3 || w < 3)) continue;
            int c = r.Next(1, 6);
            var p = new ConvParams
            {
                InputHeight = h, InputWidth = w, InputChannels = c, OutputChannels = c, KernelHeight = 3, KernelWidth = 3,
                StrideHeight = r.Next(2) == 0 ? stride : r.Next(1, 4), StrideWidth = stride,
                InputZeroPoint = r.Next(-128, 128), OutputZeroPoint = r.Next(-128, 128),
            };
            p.SetPadding(padding);
            if (r.Next(3) == 0)
            {
                // Explicit padding 0..2 per side (the format allows any padding below the kernel size).
                int pt = r.Next(3), pl = r.Next(3), pb = r.Next(3), pr = r.Next(3);
                if (h + pt + pb < 3 || w + pl + pr < 3) continue;
                p.PadTop = pt; p.PadLeft = pl;
                p.OutputHeight = (h + pt + pb - 3) / p.StrideHeight + 1;
                p.OutputWidth = (w + pl + pr - 3) / p.StrideWidth + 1;
                if ((p.OutputHeight - 1) * p.StrideHeight - pt >= h || (p.OutputWidth - 1) * p.StrideWidth - pl >= w) continue;
            }
            p.Weights = ConvCase.RandomBytes(r, 9 * c + 2, -127, 127);
            p.WeightsOffset = 2;
            p.Bias = new int[c];
            for (int i = 0; i < c; i++) p.Bias[i] = r.Next(-30000, 30000);
            var scales = new double[c];
            for (int i = 0; i < c; i++) scales[i] = r.Next(4) == 0 ? 3.0 + r.NextDouble() * 8 : 0.002 + r.NextDouble() * 0.01; // some left shifts
            p.SetScales(0.05, scales, 0.05 + r.NextDouble());
            ClampAndExtremes(r, p);
            var x = ConvCase.RandomBytes(r, p.InputSize + 3);
            var expected = new sbyte[p.OutputSize + 4];
            var actual = new sbyte[p.OutputSize + 4];
            DepthwiseConv2D.Reference(p, x, 3, expected, 2);
            DepthwiseConv2D.Prepare(p);
            DepthwiseConv2D.Run(p, x, 3, actual, 2, null);
            Assert.Equal(expected, actual);
        }
    }
}
