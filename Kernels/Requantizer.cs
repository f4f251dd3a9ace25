using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The one-multiply requantization of the tuned kernels, bit-exact with
    /// <see cref="Quantization.MultiplyByQuantizedMultiplier"/> (double rounding) for multipliers &gt;= 0.
    /// Per channel, from the Q31 multiplier m and the shift s (-31..30) the layer already stores:
    ///   Left = max(s, 0), Shift = 31 + max(-s, 0),
    ///   Round = 2^30 (+ 2^(Shift - 1) when s &lt; 0), Negative = -2^31 when s &lt; 0, else 0;
    ///   a = acc &lt;&lt; Left (int32, wrapping like TFLite);
    ///   out = (int)((a * m + Round + ((a &gt;&gt; 31) &amp; Negative)) &gt;&gt; Shift) + zero point.
    /// Why it is exact: SRDHM(a, m) = floor((a m + 2^30) / 2^31) for m &gt;= 0 (gemmlowp's nudge
    /// 1 - 2^30 for negative products truncated toward zero is the same floor), and
    /// RoundingDivideByPOT(h, e) = floor((h + 2^(e-1) - [h &lt; 0]) / 2^e); two floors by powers of
    /// two with an integer added in between fold into one: floor((Y + H 2^31) / 2^(31+e)).
    /// [h &lt; 0] may be replaced by [a &lt; 0]: when a &lt; 0 but h = 0 both give 0.
    /// Nothing is kept per channel beyond the layer's multiplier and shift: the kernels derive
    /// these constants once per channel (per row or tile) in their loops.
    /// </summary>
    internal static class Requantizer
    {
        /// <summary>Left of the formula: max(shift, 0).</summary>
        public static int LeftShift(int shift)
        {
            return shift > 0 ? shift : 0;
        }

        /// <summary>Shift of the formula: 31 + max(-shift, 0).</summary>
        public static int RightShift(int shift)
        {
            return shift > 0 ? 31 : 31 - shift;
        }

        /// <summary>Round of the formula.</summary>
        public static long Round(int shift)
        {
            return shift >= 0 ? (1L << 30) : (1L << 30) + (1L << (30 - shift));
        }

        /// <summary>Negative of the formula.</summary>
        public static long Negative(int shift)
        {
            return shift >= 0 ? 0 : -(1L << 31);
        }

        /// <summary>The formula above (used by the non-hot paths; tuned loops inline it).</summary>
        public static int Apply(int acc, int multiplier, int shift)
        {
            int a = acc << (shift > 0 ? shift : 0);
            return (int)((a * (long)multiplier + Round(shift) + ((a >> 31) & Negative(shift))) >> RightShift(shift));
        }
    }
}
