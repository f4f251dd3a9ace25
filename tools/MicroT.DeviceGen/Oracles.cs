using System.Numerics;

namespace MicroT.DeviceGen;

/// <summary>
/// Outside oracles for the fixed-point helpers, written from the TFLite definitions
/// (TFLite's quantization_util.cc and gemmlowp's fixedpoint.h) without the runtime's code: BigInteger for the
/// multiply, exact power-of-two scaling of doubles for frexp.
/// </summary>
public static class Oracles
{
    /// <summary>TFLite QuantizeMultiplier: real = q * 2^shift, q in [0.5, 1), multiplier = round(q * 2^31).</summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0) return (0, 0);
        int shift = (int)Math.Floor(Math.Log2(real)) + 1;
        double q = Math.ScaleB(real, -shift);
        while (q >= 1) { q /= 2; shift++; }
        while (q < 0.5) { q *= 2; shift--; }
        long fixedQ = (long)Math.Round(Math.ScaleB(q, 31), MidpointRounding.AwayFromZero);
        if (fixedQ == 1L << 31) { fixedQ /= 2; shift++; }
        if (shift < -31) return (0, 0);
        return ((int)fixedQ, shift);
    }

    /// <summary>TFLite double-rounding MultiplyByQuantizedMultiplier in unbounded integers.</summary>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        int left = Math.Max(shift, 0), right = Math.Max(-shift, 0);
        int xs = unchecked(x * (1 << left)); // TFLite's int32 left shift wraps
        int high;
        if (xs == int.MinValue && multiplier == int.MinValue) high = int.MaxValue;
        else
        {
            BigInteger ab = (BigInteger)xs * multiplier;
            BigInteger nudge = ab >= 0 ? (BigInteger.One << 30) : 1 - (BigInteger.One << 30);
            high = (int)BigInteger.Divide(ab + nudge, BigInteger.One << 31);
        }
        if (right == 0) return high;
        // round half away from zero of high / 2^right
        BigInteger den = BigInteger.One << right;
        BigInteger mag = BigInteger.Divide(BigInteger.Abs(high) * 2 + den, den * 2);
        return (int)(high < 0 ? -mag : mag);
    }
}
