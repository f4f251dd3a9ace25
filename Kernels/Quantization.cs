using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The one place of the requantization rules (window geometry: <see cref="Geometry"/>):
    /// TFLite's fixed-point helpers (tensorflow/lite/kernels/internal/common.h and
    /// quantization_util.cc, default "double rounding"), bit-exact with TFLite Micro and CMSIS-NN;
    /// the clamp bounds of fused activations and clips (<see cref="ClampRange"/>, used by the
    /// loader's kernels, the model writer and the converter alike); the Reference loops'
    /// requantize-and-clamp and the Prepare steps' bias folding. The double-typed helpers run once
    /// per layer at load; the int helpers are the per-output math (the tuned kernels inline
    /// <see cref="Requantizer"/>'s one-multiply form, because a call costs ~13 IL instructions on the device).
    /// </summary>
    public static class Quantization
    {
        /// <summary>
        /// Writes a positive real multiplier as multiplier * 2^(shift - 31), multiplier a Q31 value in
        /// [2^30, 2^31). Zero gives (0, 0); values so small that shift &lt; -31 give (0, 0), like TFLite.
        /// frexp is done on the IEEE bits because nanoFramework's mscorlib has no System.Math.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">negative, NaN, infinite, or needing shift &gt; 30.</exception>
        public static void QuantizeMultiplier(double realMultiplier, out int multiplier, out int shift)
        {
            if (double.IsNaN(realMultiplier) || double.IsInfinity(realMultiplier) || realMultiplier < 0)
                throw new ArgumentOutOfRangeException("realMultiplier", "must be a finite value >= 0");
            multiplier = 0;
            shift = 0;
            if (realMultiplier == 0) return;
            long bits = BitConverter.DoubleToInt64Bits(realMultiplier);
            int exponent = (int)((bits >> 52) & 0x7FF);
            if (exponent == 0) return; // subnormal: far below 2^-31
            // q = mantissa scaled into [0.5, 1): biased exponent 1022.
            double q = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | (1022L << 52));
            int s = exponent - 1022;
            long qFixed = (long)(q * 2147483648.0 + 0.5); // q > 0: +0.5 then truncate = round half away
            if (qFixed == (1L << 31))
            {
                qFixed /= 2;
                s++;
            }
            if (s < -31) return;
            if (s > 30)
                throw new ArgumentOutOfRangeException("realMultiplier", "too large: needs a left shift above 30");
            multiplier = (int)qFixed;
            shift = s;
        }

        /// <summary>High 32 bits of 2*a*b, rounded half away from zero; MinValue*MinValue saturates.</summary>
        public static int SaturatingRoundingDoublingHighMul(int a, int b)
        {
            if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
            long ab = (long)a * b;
            long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
            return (int)((ab + nudge) / (1L << 31));
        }

        /// <summary>x / 2^exponent rounded half away from zero (exponent 0..31).</summary>
        public static int RoundingDivideByPOT(int x, int exponent)
        {
            int mask = (int)((1L << exponent) - 1);
            int remainder = x & mask;
            int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (x >> exponent) + (remainder > threshold ? 1 : 0);
        }

        /// <summary>
        /// x * multiplier * 2^(shift - 31) with TFLite's double rounding: left shift first (wrapping like
        /// TFLite's int32 arithmetic), saturating rounding doubling high multiply, rounding right shift.
        /// shift must be in -31..30.
        /// </summary>
        public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
        {
            int left = shift > 0 ? shift : 0;
            int right = shift > 0 ? 0 : -shift;
            return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * (1 << left), multiplier), right);
        }

        /// <summary>
        /// Clamp bounds of a fused activation on an int8 output of the given scale and zero point:
        /// None [-128, 127], ReLU [real 0, +inf), ReLU6 [real 0, real 6] (see <see cref="ClampRange"/>).
        /// </summary>
        public static void ActivationRange(FusedActivation activation, double outputScale, int outputZeroPoint,
            out int min, out int max)
        {
            CheckZeroPoint(outputZeroPoint, "outputZeroPoint");
            min = -128;
            max = 127;
            if (activation == FusedActivation.None) return;
            if (activation == FusedActivation.Relu) ClampRange(0, double.PositiveInfinity, outputScale, outputZeroPoint, out min, out max);
            else if (activation == FusedActivation.Relu6) ClampRange(0, 6.0, outputScale, outputZeroPoint, out min, out max);
            else throw new ArgumentOutOfRangeException("activation");
        }

        /// <summary>
        /// Clamp bounds of a real clip [realMin, realMax] (infinities: no bound) on an int8 output:
        /// min = max(-128, quantize(realMin)), max = min(127, quantize(realMax)), quantize(v) =
        /// zero point + round half away from zero of v / scale (in double). The one rule the runtime,
        /// the model writer and the converter use for fused ReLU, ReLU6 and Clip.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">a scale that is not finite and positive, a zero point outside -128..127, a NaN bound or realMin &gt; realMax.</exception>
        public static void ClampRange(double realMin, double realMax, double outputScale, int outputZeroPoint,
            out int min, out int max)
        {
            CheckZeroPoint(outputZeroPoint, "outputZeroPoint");
            if (!(outputScale > 0) || double.IsInfinity(outputScale))
                throw new ArgumentOutOfRangeException("outputScale", "must be a finite value > 0");
            if (double.IsNaN(realMin) || double.IsNaN(realMax) || realMin > realMax)
                throw new ArgumentOutOfRangeException("realMin", "the clip needs realMin <= realMax");
            min = double.IsNegativeInfinity(realMin) ? -128 : QuantizeClamped(realMin / outputScale, outputZeroPoint);
            max = double.IsPositiveInfinity(realMax) ? 127 : QuantizeClamped(realMax / outputScale, outputZeroPoint);
        }

        /// <summary>zeroPoint + round half away from zero of v, clamped to -128..127.</summary>
        static int QuantizeClamped(double v, int zeroPoint)
        {
            if (v >= 256) return 127;
            if (v <= -256) return -128;
            int r = v >= 0 ? (int)(v + 0.5) : -(int)(-v + 0.5);
            int q = zeroPoint + r;
            return q < -128 ? -128 : q > 127 ? 127 : q;
        }

        /// <summary>
        /// The per-output requantization of the Reference loops: clamp(MBQM(acc, multiplier, shift) +
        /// zeroPoint, min, max) (the tuned loops inline <see cref="Requantizer"/>'s one-multiply form).
        /// </summary>
        internal static sbyte Requantize(int acc, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            int v = MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zeroPoint;
            if (v < min) v = min;
            if (v > max) v = max;
            return (sbyte)v;
        }

        /// <summary>
        /// Folded bias of a weighted kernel's Prepare: bias[c] - zp * (sum of the k weights of channel c),
        /// so the loops multiply raw input values. step 1: OHWI / [Out, In] rows, channel c at
        /// offset + c * k; step C: depthwise [KH, KW, C], channel c at offset + c, every C-th value.
        /// </summary>
        internal static int[] FoldBias(sbyte[] w, int offset, int[] bias, int channels, int k, int step, int zp)
        {
            int[] folded = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                int sum = 0;
                int start = step == 1 ? offset + c * k : offset + c;
                for (int i = 0; i < k; i++) sum += w[start + i * step];
                folded[c] = (bias == null ? 0 : bias[c]) - zp * sum;
            }
            return folded;
        }

        internal static void CheckZeroPoint(int zeroPoint, string name)
        {
            if (zeroPoint < -128 || zeroPoint > 127)
                throw new ArgumentOutOfRangeException(name, "an int8 zero point must be in -128..127, got " + zeroPoint);
        }
    }
}
