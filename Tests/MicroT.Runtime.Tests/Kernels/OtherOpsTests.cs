using MicroT.Runtime.Kernels;
using Xunit;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>FullyConnected, Add, pools, global average pool and softmax against float64 references.</summary>
public class OtherOpsTests
{
    static int Q(double v, int min = -128, int max = 127) => ConvCase.Clamp(v, min, max);

    public static (FullyConnectedParams p, double inS, double[] wS, double outS, sbyte[] x) RandomFc(Random r, int maxN = 40)
    {
        var p = new FullyConnectedParams { InputSize = r.Next(1, maxN + 1), OutputSize = r.Next(1, maxN + 1) };
        p.InputZeroPoint = r.Next(-128, 128);
        p.OutputZeroPoint = r.Next(-128, 128);
        p.WeightsOffset = r.Next(0, 4);
        p.Weights = ConvCase.RandomBytes(r, p.WeightsOffset + p.InputSize * p.OutputSize, -127, 127);
        double inS = 0.01 + r.NextDouble() * 0.1;
        var wS = new double[p.OutputSize];
        for (int i = 0; i < wS.Length; i++) wS[i] = 0.001 + r.NextDouble() * 0.02;
        double outS = Math.Sqrt(p.InputSize) * 3600 * inS * 0.01 / (20 + r.NextDouble() * 80);
        p.SetScales(inS, wS, outS);
        if (r.Next(3) != 0)
        {
            p.Bias = new int[p.OutputSize];
            for (int i = 0; i < p.OutputSize; i++) p.Bias[i] = r.Next(-20000, 20001);
        }
        Quantization.ActivationRange((FusedActivation)r.Next(3), outS, p.OutputZeroPoint, out p.ActivationMin, out p.ActivationMax);
        return (p, inS, wS, outS, ConvCase.RandomBytes(r, p.InputSize));
    }

    [Fact]
    public void FullyConnectedReferenceNearFloatAndRunEqualsReference()
    {
        var r = new Random(30);
        int total = 0, exact = 0;
        for (int t = 0; t < 1000; t++)
        {
            var (p, inS, wS, outS, x) = RandomFc(r);
            var q = new sbyte[p.OutputSize];
            FullyConnected.Reference(p, x, 0, q, 0);
            for (int o = 0; o < p.OutputSize; o++)
            {
                double acc = (p.Bias == null ? 0 : p.Bias[o]) * inS * wS[o];
                for (int i = 0; i < p.InputSize; i++) acc += (x[i] - p.InputZeroPoint) * inS * p.Weights[p.WeightsOffset + o * p.InputSize + i] * wS[o];
                int f = Q(acc / outS + p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                Assert.InRange(q[o] - f, -1, 1);
                total++;
                if (q[o] == f) exact++;
            }
            FullyConnected.Prepare(p);
            var run = new sbyte[p.OutputSize + 2];
            FullyConnected.Run(p, x, 0, run, 1, new long[FullyConnected.ScratchSize(p)]);
            Assert.Equal(q, run.Skip(1).Take(p.OutputSize).ToArray());
        }
        Assert.True(exact > total * 0.95);
    }

    [Fact]
    public void AddReferenceNearFloatAndRunEqualsReference()
    {
        var r = new Random(31);
        for (int t = 0; t < 500; t++)
        {
            var p = new AddParams { Size = r.Next(1, 50) };
            p.Input1ZeroPoint = r.Next(-128, 128);
            p.Input2ZeroPoint = r.Next(-128, 128);
            p.OutputZeroPoint = r.Next(-128, 128);
            double s1 = 0.01 + r.NextDouble() * 0.2, s2 = 0.01 + r.NextDouble() * 0.2, so = 0.02 + r.NextDouble() * 0.3;
            p.SetScales(s1, s2, so);
            Quantization.ActivationRange((FusedActivation)r.Next(3), so, p.OutputZeroPoint, out p.ActivationMin, out p.ActivationMax);
            var a = ConvCase.RandomBytes(r, p.Size);
            var b = ConvCase.RandomBytes(r, p.Size);
            var q = new sbyte[p.Size];
            Add.Reference(p, a, 0, b, 0, q, 0);
            for (int i = 0; i < p.Size; i++)
            {
                int f = Q(((a[i] - p.Input1ZeroPoint) * s1 + (b[i] - p.Input2ZeroPoint) * s2) / so + p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                Assert.InRange(q[i] - f, -1, 1);
            }
            var run = (sbyte[])a.Clone();
            Add.Run(p, run, 0, b, 0, run, 0); // in place
            Assert.Equal(q, run);
        }
    }

    public static PoolParams RandomPool(Random r)
    {
        var p = new PoolParams
        {
            InputHeight = r.Next(1, 9), InputWidth = r.Next(1, 9), Channels = r.Next(1, 10),
            FilterHeight = r.Next(1, 4), FilterWidth = r.Next(1, 4), StrideHeight = r.Next(1, 3), StrideWidth = r.Next(1, 3),
        };
        var padding = r.Next(2) == 0 || p.FilterHeight > p.InputHeight || p.FilterWidth > p.InputWidth ? Padding.Same : Padding.Valid;
        p.SetPadding(padding);
        if (r.Next(3) == 0) { p.ActivationMin = r.Next(-128, 0); p.ActivationMax = r.Next(0, 128); }
        return p;
    }

    [Fact]
    public void PoolsMatchAHandLoop()
    {
        var r = new Random(32);
        for (int t = 0; t < 500; t++)
        {
            var p = RandomPool(r);
            var x = ConvCase.RandomBytes(r, p.InputSize);
            var avg = new sbyte[p.OutputSize];
            var max = new sbyte[p.OutputSize];
            AveragePool2D.Reference(p, x, 0, avg, 0);
            MaxPool2D.Reference(p, x, 0, max, 0);
            for (int oy = 0; oy < p.OutputHeight; oy++)
            for (int ox = 0; ox < p.OutputWidth; ox++)
            for (int c = 0; c < p.Channels; c++)
            {
                var taps = new List<int>();
                for (int fy = 0; fy < p.FilterHeight; fy++)
                for (int fx = 0; fx < p.FilterWidth; fx++)
                {
                    int iy = oy * p.StrideHeight - p.PadTop + fy, ix = ox * p.StrideWidth - p.PadLeft + fx;
                    if (iy >= 0 && iy < p.InputHeight && ix >= 0 && ix < p.InputWidth) taps.Add(x[(iy * p.InputWidth + ix) * p.Channels + c]);
                }
                int o = (oy * p.OutputWidth + ox) * p.Channels + c;
                Assert.Equal(Q(taps.Average(), p.ActivationMin, p.ActivationMax), avg[o]);
                Assert.Equal(Math.Clamp(taps.Max(), p.ActivationMin, p.ActivationMax), max[o]);
            }
            var run = new sbyte[p.OutputSize];
            AveragePool2D.Run(p, x, 0, run, 0);
            Assert.Equal(avg, run);
            MaxPool2D.Run(p, x, 0, run, 0);
            Assert.Equal(max, run);
        }
    }

    [Fact]
    public void GlobalAveragePoolNearFloatAndRunEqualsReference()
    {
        var r = new Random(33);
        for (int t = 0; t < 500; t++)
        {
            var p = new GlobalAveragePoolParams { Height = r.Next(1, 9), Width = r.Next(1, 9), Channels = r.Next(1, 20) };
            p.InputZeroPoint = r.Next(-128, 128);
            p.OutputZeroPoint = r.Next(-128, 128);
            double si = 0.01 + r.NextDouble() * 0.1, so = si * (0.3 + r.NextDouble() * 2);
            p.SetScales(si, so);
            var x = ConvCase.RandomBytes(r, p.InputSize);
            var q = new sbyte[p.Channels];
            GlobalAveragePool.Reference(p, x, 0, q, 0);
            for (int c = 0; c < p.Channels; c++)
            {
                double mean = 0;
                for (int i = 0; i < p.Height * p.Width; i++) mean += (x[i * p.Channels + c] - p.InputZeroPoint) * si;
                mean /= p.Height * p.Width;
                Assert.InRange(q[c] - Q(mean / so + p.OutputZeroPoint), -1, 1);
            }
            var run = new sbyte[p.Channels];
            GlobalAveragePool.Run(p, x, 0, run, 0, new long[GlobalAveragePool.ScratchSize(p)]);
            Assert.Equal(q, run);
        }
    }

    [Fact]
    public void SoftmaxNearFloat()
    {
        var r = new Random(34);
        int total = 0, exact = 0, maxDiff = 0;
        for (int t = 0; t < 500; t++)
        {
            var p = new SoftmaxParams { Rows = r.Next(1, 4), Depth = r.Next(1, 40) };
            double s = 0.01 + r.NextDouble() * 0.3;
            p.SetScale(1.0, s);
            var x = ConvCase.RandomBytes(r, p.Rows * p.Depth);
            var q = new sbyte[x.Length];
            Softmax.Reference(p, x, 0, q, 0);
            for (int row = 0; row < p.Rows; row++)
            {
                var v = x.Skip(row * p.Depth).Take(p.Depth).Select(b => b * s).ToArray();
                double m = v.Max();
                double sum = v.Sum(a => Math.Exp(a - m));
                for (int c = 0; c < p.Depth; c++)
                {
                    int f = Q(Math.Exp(v[c] - m) / sum * 256 - 128);
                    int d = Math.Abs(q[row * p.Depth + c] - f);
                    maxDiff = Math.Max(maxDiff, d);
                    total++;
                    if (d == 0) exact++;
                }
            }
            var inPlace = (sbyte[])x.Clone();
            Softmax.Run(p, inPlace, 0, inPlace, 0);
            Assert.Equal(q, inPlace);
        }
        Assert.True(maxDiff <= 1, $"max diff {maxDiff}");
        Assert.True(exact > total * 0.9, $"exact {exact}/{total}");
    }

    [Fact]
    public void SoftmaxKnownValues()
    {
        var p = new SoftmaxParams { Depth = 4 };
        p.SetScale(1.0, 0.1);
        var x = new sbyte[] { 0, 0, 0, 0 };
        var q = new sbyte[4];
        Softmax.Reference(p, x, 0, q, 0);
        Assert.All(q, v => Assert.Equal(-64, v)); // 0.25 * 256 - 128
        x = new sbyte[] { 127, -128, -128, -128 }; // exp(-25.5) ~ 0: one-hot
        Softmax.Reference(p, x, 0, q, 0);
        Assert.Equal(new sbyte[] { 127, -128, -128, -128 }, q);
    }
}
