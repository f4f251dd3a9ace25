using System.Numerics;
using MicroT.Runtime.Kernels;
using Xunit;

namespace MicroT.Runtime.Tests.Kernels;

public class QuantizationTests
{
    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.25, 1 << 30, -1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(3.0, 1610612736, 2)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1e-12, 0, 0)]             // shift would be < -31: TFLite flushes to zero
    [InlineData(0.99999999999, 1 << 30, 1)] // rounds up to 2^31: halved, shift incremented
    public void QuantizeMultiplierKnownValues(double real, int expectedMultiplier, int expectedShift)
    {
        Quantization.QuantizeMultiplier(real, out int m, out int s);
        Assert.Equal(expectedMultiplier, m);
        Assert.Equal(expectedShift, s);
    }

    [Fact]
    public void QuantizeMultiplierIsWithinHalfAnUlpOfQ31()
    {
        var r = new Random(1);
        for (int i = 0; i < 20000; i++)
        {
            double real = Math.Exp(r.NextDouble() * 40 - 30); // 1e-13 .. 2e4
            Quantization.QuantizeMultiplier(real, out int m, out int s);
            if (m == 0)
            {
                Assert.True(real < Math.Pow(2, -32), $"{real} flushed to zero");
                continue;
            }
            Assert.InRange(m, 1 << 30, int.MaxValue);
            double back = m * Math.Pow(2, s - 31);
            Assert.True(Math.Abs(back - real) <= real * Math.Pow(2, -31) * 1.0000001, $"{real}: {m} {s}");
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(4e9)]
    public void QuantizeMultiplierRejectsBadValues(double real)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantization.QuantizeMultiplier(real, out _, out _));
    }

    /// <summary>TFLite double rounding computed independently with BigInteger.</summary>
    static int ExpectedMbqm(int x, int m, int shift)
    {
        int left = Math.Max(shift, 0), right = Math.Max(-shift, 0);
        int xs = unchecked(x * (1 << left));
        int high;
        if (xs == int.MinValue && m == int.MinValue) high = int.MaxValue;
        else
        {
            BigInteger ab = (BigInteger)xs * m;
            BigInteger nudge = ab >= 0 ? (BigInteger.One << 30) : 1 - (BigInteger.One << 30);
            high = (int)BigInteger.Divide(ab + nudge, BigInteger.One << 31); // truncates toward zero
        }
        if (right == 0) return high;
        // round half away from zero
        BigInteger num = high;
        BigInteger den = BigInteger.One << right;
        BigInteger q = BigInteger.Divide(BigInteger.Abs(num) * 2 + den, den * 2);
        return (int)(num < 0 ? -q : q);
    }

    [Fact]
    public void MultiplyByQuantizedMultiplierMatchesExactArithmetic()
    {
        var r = new Random(2);
        for (int i = 0; i < 200000; i++)
        {
            int shift = r.Next(-31, 31);
            int m = r.Next(4) == 0 ? r.Next() : r.Next(1 << 30, int.MaxValue);
            // keep x << left inside int32 most of the time, as real layers do
            int x = r.Next(3) == 0 ? r.Next(int.MinValue, int.MaxValue) : r.Next(-(1 << (30 - Math.Max(shift, 0))), 1 << (30 - Math.Max(shift, 0)));
            if (shift > 0 && (long)x * (1L << shift) != unchecked(x * (1 << shift))) continue;
            Assert.Equal(ExpectedMbqm(x, m, shift), Quantization.MultiplyByQuantizedMultiplier(x, m, shift));
        }
    }

    [Fact]
    public void SaturatingHighMulEdgeCases()
    {
        Assert.Equal(int.MaxValue, Quantization.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
        Assert.Equal(-int.MaxValue, Quantization.SaturatingRoundingDoublingHighMul(int.MinValue, int.MaxValue));
        Assert.Equal(1, Quantization.SaturatingRoundingDoublingHighMul(1, 1 << 30));   // 0.5 rounds away
        // gemmlowp's nudge for negative products is 1 - 2^30, so an exact -0.5 rounds toward zero
        // (TFLite behaviour; the final RoundingDivideByPOT is the one that rounds half away).
        Assert.Equal(0, Quantization.SaturatingRoundingDoublingHighMul(-1, 1 << 30));
        Assert.Equal(-1, Quantization.SaturatingRoundingDoublingHighMul(-1, (1 << 30) + 1));
        Assert.Equal(0, Quantization.SaturatingRoundingDoublingHighMul(1, (1 << 30) - 1));
    }

    [Theory]
    [InlineData(5, 1, 3)]    // 2.5 -> 3
    [InlineData(-5, 1, -3)]  // -2.5 -> -3
    [InlineData(7, 2, 2)]    // 1.75 -> 2
    [InlineData(-6, 2, -2)]  // -1.5 -> -2
    [InlineData(int.MaxValue, 31, 1)]
    [InlineData(int.MinValue, 31, -1)]
    [InlineData(-1073741824, 31, -1)] // -0.5 -> -1
    [InlineData(1073741824, 31, 1)]   // 0.5 -> 1
    public void RoundingDivideByPotRoundsHalfAwayFromZero(int x, int e, int expected)
    {
        Assert.Equal(expected, Quantization.RoundingDivideByPOT(x, e));
    }

    [Fact]
    public void PaddingMatchesTfLite()
    {
        // SAME, in 5, k 3, s 2: out 3, total pad (3-1)*2+3-5 = 2, before 1.
        Assert.Equal(3, Geometry.OutputSize(5, 3, 2, Padding.Same));
        Assert.Equal(1, Geometry.PaddingBefore(5, 3, 2, Padding.Same));
        // SAME, in 4, k 3, s 2: out 2, total 1, before 0 (extra goes after).
        Assert.Equal(2, Geometry.OutputSize(4, 3, 2, Padding.Same));
        Assert.Equal(0, Geometry.PaddingBefore(4, 3, 2, Padding.Same));
        Assert.Equal(2, Geometry.OutputSize(5, 3, 2, Padding.Valid));
        Assert.Equal(0, Geometry.PaddingBefore(5, 3, 2, Padding.Valid));
        Assert.Equal(0, Geometry.OutputSize(2, 3, 1, Padding.Valid)); // the filter does not fit
        Assert.Equal(0, Geometry.PaddingBefore(2, 3, 1, Padding.Valid));
        Assert.Throws<ArgumentOutOfRangeException>(() => Geometry.OutputSize(0, 3, 1, Padding.Same));
        var p = new ConvParams { InputHeight = 2, InputWidth = 2, InputChannels = 1, OutputChannels = 1, KernelHeight = 3, KernelWidth = 3 };
        Assert.Throws<ArgumentOutOfRangeException>(() => p.SetPadding(Padding.Valid));
    }

    [Fact]
    public void ActivationRanges()
    {
        Quantization.ActivationRange(FusedActivation.Relu6, 6.0 / 255, -128, out int min, out int max);
        Assert.Equal(-128, min);
        Assert.Equal(127, max);
        Quantization.ActivationRange(FusedActivation.Relu6, 0.1, -10, out min, out max);
        Assert.Equal(-10, min);
        Assert.Equal(50, max);
        Quantization.ActivationRange(FusedActivation.Relu, 0.1, 5, out min, out max);
        Assert.Equal(5, min);
        Assert.Equal(127, max);
    }
}
