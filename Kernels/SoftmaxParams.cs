using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of the int8 Softmax (TFLite reference_integer_ops / CMSIS-NN): Rows rows of Depth
    /// values each; output scale 1/256 and zero point -128 (fixed by TFLite). Fill with
    /// <see cref="SetScale"/> (TFLite PreprocessSoftmaxScaling with 5 integer bits).
    /// </summary>
    public sealed class SoftmaxParams
    {
        /// <summary>Number of rows and values per row (softmax over each row of Depth values, Depth &lt;= MaxDepth).</summary>
        public int Rows = 1, Depth;
        /// <summary>Q31 multiplier and left shift of beta * inputScale * 2^26.</summary>
        public int InputMultiplier, InputLeftShift;
        /// <summary>Differences from the row max below this give an output of -128 (probability 0).</summary>
        public int DiffMin;

        /// <summary>Integer bits of the fixed-point input differences (TFLite kScaledDiffIntegerBits).</summary>
        public const int ScaledDiffIntegerBits = 5;

        /// <summary>Largest Depth: 4095 exponentials of at most 2^19 (1.0 in Q12.19) still fit int32.</summary>
        public const int MaxDepth = 4095;

        /// <summary>From beta (1.0 for a plain softmax) and the input scale.</summary>
        public void SetScale(double beta, double inputScale)
        {
            if (!(beta > 0) || !(inputScale > 0))
                throw new ArgumentOutOfRangeException("inputScale", "beta and inputScale must be > 0");
            double real = beta * inputScale * (1 << (31 - ScaledDiffIntegerBits));
            if (real > 2147483647.0) real = 2147483647.0;
            int m, s;
            if (real >= 1073741824.0)
            {
                // beta * inputScale >= 16: TFLite's left shift is 31, beyond QuantizeMultiplier's 30.
                // Halving is exact (same mantissa, exponent - 1).
                Quantization.QuantizeMultiplier(real / 2, out m, out s);
                s++;
            }
            else
            {
                Quantization.QuantizeMultiplier(real, out m, out s);
            }
            if (s < 0)
                throw new ArgumentOutOfRangeException("inputScale", "beta * inputScale too small (< 2^-26) for int8 softmax");
            InputMultiplier = m;
            InputLeftShift = s;
            // CalculateInputRadius(5, shift, 31): floor(31 * 2^26 / 2^shift).
            double radius = 31.0 * (1L << (31 - ScaledDiffIntegerBits)) / (1L << s);
            DiffMin = -(int)radius;
        }

        internal void Check()
        {
            KernelCheck.Positive(Rows, "Rows");
            KernelCheck.Positive(Depth, "Depth");
            if (Depth > MaxDepth)
                throw new ArgumentOutOfRangeException("Depth", "Depth " + Depth + " is above " + MaxDepth
                    + " (the sum of exponentials, Q12.19, must fit int32)");
            if (InputLeftShift < 0 || InputLeftShift > 31)
                throw new ArgumentOutOfRangeException("InputLeftShift", "must be in 0..31 (call SetScale)");
            if (InputLeftShift == 31 && DiffMin != 0)
                throw new ArgumentOutOfRangeException("DiffMin", "must be 0 with InputLeftShift 31 (call SetScale)");
            if (InputMultiplier <= 0) throw new ArgumentOutOfRangeException("InputMultiplier", "must be > 0 (call SetScale)");
            if (DiffMin > 0) throw new ArgumentOutOfRangeException("DiffMin", "must be <= 0");
        }
    }
}
