using MicroT.Runtime.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Kernels;

public class ConvTests
{
    readonly ITestOutputHelper _out;
    public ConvTests(ITestOutputHelper output) { _out = output; }

    static void RunReference(ConvCase c, int kind, sbyte[] output)
    {
        if (kind == 0) Conv2D.Reference(c.P, c.Input, 0, output, 0);
        else if (kind == 1) DepthwiseConv2D.Reference(c.P, c.Input, 0, output, 0);
        else Conv2D.Reference(c.P, c.Input, 0, output, 0);
    }

    static void PrepareAndRun(ConvCase c, int kind, sbyte[] input, int inOff, sbyte[] output, int outOff)
    {
        if (kind == 0) { Conv2D.Prepare(c.P); Conv2D.Run(c.P, input, inOff, output, outOff, new long[Conv2D.ScratchSize(c.P)]); }
        else if (kind == 1) { DepthwiseConv2D.Prepare(c.P); DepthwiseConv2D.Run(c.P, input, inOff, output, outOff, new long[DepthwiseConv2D.ScratchSize(c.P)]); }
        else { Conv2D.Prepare(c.P); Conv2D.Run(c.P, input, inOff, output, outOff, new long[Conv2D.ScratchSize(c.P)]); }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ReferenceIsWithinOneLsbOfFloat64(int kind)
    {
        var r = new Random(10 + kind);
        int total = 0, exact = 0, maxDiff = 0;
        for (int i = 0; i < 300; i++)
        {
            var c = ConvCase.Random(r, kind);
            var q = new sbyte[c.P.OutputSize];
            RunReference(c, kind, q);
            var f = c.FloatReference();
            for (int j = 0; j < q.Length; j++)
            {
                int d = Math.Abs(q[j] - f[j]);
                maxDiff = Math.Max(maxDiff, d);
                if (d == 0) exact++;
                total++;
            }
        }
        _out.WriteLine($"kind {kind}: {total} outputs, exact {100.0 * exact / total:F2}%, max diff {maxDiff}");
        Assert.True(maxDiff <= 1, $"max diff {maxDiff}");
        Assert.True(exact > total * 0.95, $"exact share {(double)exact / total}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RunEqualsReferenceBitForBit(int kind)
    {
        var r = new Random(20 + kind);
        for (int i = 0; i < 1500; i++)
        {
            var c = ConvCase.Random(r, kind, maxSize: 8, maxChannels: 20);
            var expected = new sbyte[c.P.OutputSize];
            RunReference(c, kind, expected);
            // Run at offsets inside a larger arena; bytes around the output must stay untouched.
            int inOff = r.Next(0, 7), outOff = r.Next(0, 7);
            var arenaIn = ConvCase.RandomBytes(r, inOff + c.Input.Length + 3);
            Array.Copy(c.Input, 0, arenaIn, inOff, c.Input.Length);
            var arenaOut = ConvCase.RandomBytes(r, outOff + expected.Length + 3);
            var before = (sbyte[])arenaOut.Clone();
            PrepareAndRun(c, kind, arenaIn, inOff, arenaOut, outOff);
            for (int j = 0; j < expected.Length; j++)
                if (arenaOut[outOff + j] != expected[j])
                    Assert.Fail($"case {i}: output {j} = {arenaOut[outOff + j]}, reference {expected[j]}; "
                        + $"{c.P.InputHeight}x{c.P.InputWidth}x{c.P.InputChannels} k{c.P.KernelHeight}x{c.P.KernelWidth} "
                        + $"s{c.P.StrideHeight}x{c.P.StrideWidth} pad {c.P.PadTop},{c.P.PadLeft} out {c.P.OutputChannels}");
            for (int j = 0; j < outOff; j++) Assert.Equal(before[j], arenaOut[j]);
            for (int j = outOff + expected.Length; j < arenaOut.Length; j++) Assert.Equal(before[j], arenaOut[j]);
        }
    }

    [Fact]
    public void HandWorkedConv()
    {
        // 2x2x1 input, 2x2 kernel VALID -> 1x1x1; zero points 1 and -1; multiplier 0.5.
        var p = new ConvParams
        {
            InputHeight = 2, InputWidth = 2, InputChannels = 1, OutputChannels = 1,
            KernelHeight = 2, KernelWidth = 2, InputZeroPoint = 1, OutputZeroPoint = -1,
            Weights = new sbyte[] { 1, 2, 3, 4 }, Bias = new[] { 3 },
            OutputMultiplier = new[] { 1 << 30 }, OutputShift = new sbyte[] { 0 },
        };
        p.SetPadding(Padding.Valid);
        var input = new sbyte[] { 2, 3, 4, 5 }; // minus zp: 1 2 3 4 -> 1+4+9+16 = 30, + bias 3 = 33
        var output = new sbyte[1];
        Conv2D.Reference(p, input, 0, output, 0);
        Assert.Equal(16, output[0]); // 33 * 0.5 = 16.5 -> 17 (half away), + (-1) = 16
        Conv2D.Prepare(p);
        output[0] = 0;
        Conv2D.Run(p, input, 0, output, 0, new long[Conv2D.ScratchSize(p)]);
        Assert.Equal(16, output[0]);
    }

    [Fact]
    public void BadArgumentsGiveClearExceptions()
    {
        var c = ConvCase.Random(new Random(5), 0);
        var p = c.P;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.Reference(p, new sbyte[p.InputSize - 1], 0, new sbyte[p.OutputSize], 0));
        Assert.Contains("input", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.Reference(p, c.Input, 0, new sbyte[p.OutputSize], 1));
        Assert.Throws<ArgumentNullException>(() => Conv2D.Reference(p, null, 0, new sbyte[p.OutputSize], 0));
        Assert.Throws<InvalidOperationException>(() => Conv2D.Run(p, c.Input, 0, new sbyte[p.OutputSize], 0, null));
        var saved = p.Weights;
        p.Weights = new sbyte[3];
        var w = Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.Prepare(p));
        Assert.Contains("Weights", w.Message);
        p.Weights = saved;
        p.InputZeroPoint = 200;
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.Prepare(p));
        p.InputZeroPoint = 0;
        p.OutputShift[0] = 31;
        Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D.Prepare(p));
        p.OutputShift[0] = 0;
        var d = new ConvParams { InputHeight = 3, InputWidth = 3, InputChannels = 2, OutputChannels = 3, KernelHeight = 3, KernelWidth = 3 };
        d.SetPadding(Padding.Same);
        Assert.Throws<ArgumentException>(() => DepthwiseConv2D.Prepare(d));
    }
}
