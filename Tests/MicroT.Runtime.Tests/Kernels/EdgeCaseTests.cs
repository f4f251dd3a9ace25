using MicroT.Runtime.Kernels;
using Xunit;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>Saturation, zero-point extremes, every shift, 1x1 inputs, 1 and odd channel counts.</summary>
public class EdgeCaseTests
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

    [Fact]
    public void EveryShiftFromMinus31To30RunEqualsReference()
    {
        var r = new Random(60);
        for (int shift = -31; shift <= 30; shift++)
        for (int kind = 0; kind < 3; kind++)
        {
            var c = ConvCase.Random(r, kind, maxSize: 5, maxChannels: 9);
            for (int i = 0; i < c.P.OutputChannels; i++)
            {
                c.P.OutputShift[i] = (sbyte)shift;
                c.P.OutputMultiplier[i] = r.Next(1 << 30, int.MaxValue);
            }
            Assert.Equal(Ref(c.P, kind, c.Input), Run(c.P, kind, c.Input));
        }
    }

    [Fact]
    public void SaturatesAtBothEnds()
    {
        foreach (int sign in new[] { 1, -1 })
        foreach (int kind in new[] { 0, 1, 2 })
        {
            var p = new ConvParams
            {
                InputHeight = 3, InputWidth = 3, InputChannels = 5, OutputChannels = kind == 1 ? 5 : 3,
                KernelHeight = kind == 2 ? 1 : 3, KernelWidth = kind == 2 ? 1 : 3, InputZeroPoint = -128, OutputZeroPoint = 127 * -sign,
            };
            p.SetPadding(Padding.Same);
            int wCount = kind == 1 ? 9 * 5 : p.OutputChannels * p.KernelHeight * p.KernelWidth * 5;
            p.Weights = Enumerable.Repeat((sbyte)(127 * sign), wCount).ToArray();
            p.SetScales(1.0, new[] { 1.0 }, 1.0); // multiplier 1: any non-zero sum saturates
            var x = Enumerable.Repeat((sbyte)127, p.InputSize).ToArray();
            var expected = Enumerable.Repeat((sbyte)(sign > 0 ? 127 : -128), p.OutputSize).ToArray();
            Assert.Equal(expected, Ref(p, kind, x));
            Assert.Equal(expected, Run(p, kind, x));
        }
    }

    [Fact]
    public void OneByOneInputWithPaddedKernel()
    {
        // 1x1x3 input, 3x3 SAME: only the centre tap is inside; the rest is padding (zero point).
        var p = new ConvParams { InputHeight = 1, InputWidth = 1, InputChannels = 3, OutputChannels = 1, KernelHeight = 3, KernelWidth = 3, InputZeroPoint = 100 };
        p.SetPadding(Padding.Same);
        Assert.Equal(1, p.OutputHeight);
        Assert.Equal(1, p.PadTop);
        var w = new sbyte[27];
        for (int i = 0; i < 27; i++) w[i] = 50; // large weights on padded taps must not matter
        w[(1 * 3 + 1) * 3 + 0] = 1; w[(1 * 3 + 1) * 3 + 1] = 2; w[(1 * 3 + 1) * 3 + 2] = 3;
        p.Weights = w;
        p.OutputMultiplier = new[] { 1 << 30 };
        p.OutputShift = new sbyte[] { 1 }; // x1
        var x = new sbyte[] { 101, 102, 103 }; // minus zp: 1 2 3 -> 1 + 4 + 9 = 14
        Assert.Equal(new sbyte[] { 14 }, Ref(p, 0, x));
        Assert.Equal(new sbyte[] { 14 }, Run(p, 0, x));
    }

    [Fact]
    public void ZeroPointExtremesAndOneChannel()
    {
        var r = new Random(61);
        foreach (int zin in new[] { -128, 127 })
        foreach (int zout in new[] { -128, 127 })
        foreach (int kind in new[] { 0, 1, 2 })
        for (int t = 0; t < 20; t++)
        {
            var c = ConvCase.Random(r, kind, maxSize: 6, maxChannels: t % 2 == 0 ? 1 : 7);
            c.P.InputZeroPoint = zin;
            c.P.OutputZeroPoint = zout;
            c.P.ActivationMin = -128; c.P.ActivationMax = 127;
            var f = c.FloatReference();
            var q = Ref(c.P, kind, c.Input);
            for (int i = 0; i < q.Length; i++) Assert.InRange(q[i] - f[i], -1, 1);
            Assert.Equal(q, Run(c.P, kind, c.Input));
        }
    }
}

public class AddEdgeCaseTests
{
    [Fact]
    public void AddRunEqualsReferenceForEveryShift()
    {
        var r = new Random(62);
        for (int shift = -31; shift <= 30; shift++)
        for (int t = 0; t < 10; t++)
        {
            var p = new AddParams
            {
                Size = r.Next(1, 40), Input1ZeroPoint = r.Next(-128, 128), Input2ZeroPoint = r.Next(-128, 128), OutputZeroPoint = r.Next(-128, 128),
                LeftShift = r.Next(0, 23),
                Input1Multiplier = r.Next(1 << 30, int.MaxValue), Input1Shift = r.Next(2) == 0 ? shift : r.Next(-31, 1),
                Input2Multiplier = r.Next(1 << 30, int.MaxValue), Input2Shift = r.Next(2) == 0 ? shift : r.Next(-31, 1),
                OutputMultiplier = r.Next(1 << 30, int.MaxValue), OutputShift = shift,
            };
            var a = ConvCase.RandomBytes(r, p.Size);
            var b = ConvCase.RandomBytes(r, p.Size);
            var expected = new sbyte[p.Size];
            Add.Reference(p, a, 0, b, 0, expected, 0);
            var actual = new sbyte[p.Size + 3];
            Add.Run(p, a, 0, b, 0, actual, 2);
            Assert.Equal(expected, actual.Skip(2).Take(p.Size).ToArray());
        }
    }
}

public class LaneLimitTests
{
    [Theory]
    [InlineData(-128, -128)] // largest product 16384: 64 of them must not carry into the next lane
    [InlineData(127, -128)]  // most negative product -16256
    [InlineData(-128, 127)]
    public void ExtremeProductsOverFullChunksStayExact(int x, int w)
    {
        foreach (int inC in new[] { 63, 64, 65, 128, 200 })
        {
            var p = new ConvParams { InputHeight = 4, InputWidth = 5, InputChannels = inC, OutputChannels = 5 };
            p.SetPadding(Padding.Valid);
            p.Weights = Enumerable.Repeat((sbyte)w, 5 * inC).ToArray();
            p.InputZeroPoint = 0;
            p.OutputMultiplier = Enumerable.Repeat(1 << 30, 5).ToArray();
            p.OutputShift = Enumerable.Repeat((sbyte)-14, 5).ToArray(); // sums of +-2^20 land inside int8
            var input = Enumerable.Repeat((sbyte)x, p.InputSize).ToArray();
            var expected = new sbyte[p.OutputSize];
            Conv2D.Reference(p, input, 0, expected, 0);
            Assert.Contains(expected, v => v != 127 && v != -128); // the test really exercises the sums
            Conv2D.Prepare(p);
            var actual = new sbyte[p.OutputSize];
            Conv2D.Run(p, input, 0, actual, 0, new long[Conv2D.ScratchSize(p)]);
            Assert.Equal(expected, actual);
        }
    }
}
