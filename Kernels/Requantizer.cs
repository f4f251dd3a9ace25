using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Per-channel constants that let a tuned kernel requantize with one 64-bit multiply and one
    /// shift, bit-exact with <see cref="Quantization.MultiplyByQuantizedMultiplier"/> (double
    /// rounding), for multipliers &gt;= 0:
    ///   a = acc &lt;&lt; Left (int32, wrapping like TFLite);
    ///   out = (int)((a * Multiplier + Round + ((a &gt;&gt; 31) &amp; Negative)) &gt;&gt; Shift) + zero point.
    /// Why it is exact: SRDHM(a, m) = floor((a m + 2^30) / 2^31) for m &gt;= 0 (gemmlowp's nudge
    /// 1 - 2^30 for negative products truncated toward zero is the same floor), and
    /// RoundingDivideByPOT(h, e) = floor((h + 2^(e-1) - [h &lt; 0]) / 2^e); two floors by powers of
    /// two with an integer added in between fold into one: floor((Y + H 2^31) / 2^(31+e)).
    /// [h &lt; 0] may be replaced by [a &lt; 0]: when a &lt; 0 but h = 0 both give 0.
    /// </summary>
    internal sealed class Requantizer
    {
        public long[] Multiplier;
        public long[] Round;
        public long[] Negative;
        public int[] Left;
        public int[] Shift;

        public static Requantizer Build(int[] multiplier, int[] shift, int channels)
        {
            var r = new Requantizer();
            r.Multiplier = new long[channels];
            r.Round = new long[channels];
            r.Negative = new long[channels];
            r.Left = new int[channels];
            r.Shift = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                int s = shift[c];
                int right = s > 0 ? 0 : -s;
                r.Multiplier[c] = multiplier[c];
                r.Left[c] = s > 0 ? s : 0;
                r.Shift[c] = 31 + right;
                r.Round[c] = right > 0 ? (1L << 30) + (1L << (30 + right)) : (1L << 30);
                r.Negative[c] = right > 0 ? -(1L << 31) : 0;
            }
            return r;
        }

        /// <summary>The formula above (used by the non-hot paths; tuned loops inline it).</summary>
        public int Apply(int acc, int channel)
        {
            int a = acc << Left[channel];
            return (int)((a * Multiplier[channel] + Round[channel] + ((a >> 31) & Negative[channel])) >> Shift[channel]);
        }
    }
}
