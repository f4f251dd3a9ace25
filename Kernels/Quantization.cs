using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// TFLite's fixed-point requantization helpers (tensorflow/lite/kernels/internal/common.h and
    /// quantization_util.cc, default "double rounding"). Bit-exact with TFLite Micro and CMSIS-NN.
    /// The double-typed helpers run once per layer at load; the int helpers are the per-output math
    /// (the tuned kernels inline them because a call costs ~13 IL instructions on the device).
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

        /// <summary>Clamp bounds of a fused activation on an int8 output of the given scale and zero point.</summary>
        public static void ActivationRange(FusedActivation activation, double outputScale, int outputZeroPoint,
            out int min, out int max)
        {
            CheckZeroPoint(outputZeroPoint, "outputZeroPoint");
            min = -128;
            max = 127;
            if (activation == FusedActivation.None) return;
            if (!(outputScale > 0) || double.IsInfinity(outputScale))
                throw new ArgumentOutOfRangeException("outputScale", "must be a finite value > 0");
            if (outputZeroPoint > min) min = outputZeroPoint;
            if (activation == FusedActivation.Relu6)
            {
                double six = 6.0 / outputScale;
                if (six < 255) // quantize(6.0) = zp + round(6 / scale), round half away from zero
                {
                    int q = outputZeroPoint + (int)(six + 0.5);
                    if (q < max) max = q;
                }
            }
            else if (activation != FusedActivation.Relu)
            {
                throw new ArgumentOutOfRangeException("activation");
            }
        }

        /// <summary>Output size of a convolution/pool window along one axis (TFLite SAME/VALID).</summary>
        public static int OutputSize(int inputSize, int filterSize, int stride, Padding padding)
        {
            if (inputSize < 1 || filterSize < 1 || stride < 1)
                throw new ArgumentOutOfRangeException("inputSize", "input, filter and stride must be >= 1");
            if (padding == Padding.Same) return (inputSize + stride - 1) / stride;
            if (padding != Padding.Valid) throw new ArgumentOutOfRangeException("padding");
            if (filterSize > inputSize)
                throw new ArgumentOutOfRangeException("filterSize", "VALID padding needs filter <= input (" + filterSize + " > " + inputSize + ")");
            return (inputSize - filterSize) / stride + 1;
        }

        /// <summary>Padding before the first element along one axis (TFLite: total / 2, the extra one goes after).</summary>
        public static int PaddingBefore(int inputSize, int filterSize, int stride, Padding padding)
        {
            int output = OutputSize(inputSize, filterSize, stride, padding);
            int total = (output - 1) * stride + filterSize - inputSize;
            return total > 0 ? total / 2 : 0;
        }

        internal static void CheckZeroPoint(int zeroPoint, string name)
        {
            if (zeroPoint < -128 || zeroPoint > 127)
                throw new ArgumentOutOfRangeException(name, "an int8 zero point must be in -128..127, got " + zeroPoint);
        }
    }
}
