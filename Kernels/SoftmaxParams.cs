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
        public int Rows = 1, Depth;
        /// <summary>Q31 multiplier and left shift of beta * inputScale * 2^26.</summary>
        public int InputMultiplier, InputLeftShift;
        /// <summary>Differences from the row max below this give an output of -128 (probability 0).</summary>
        public int DiffMin;

        public const int ScaledDiffIntegerBits = 5;

        /// <summary>From beta (1.0 for a plain softmax) and the input scale.</summary>
        public void SetScale(double beta, double inputScale)
        {
            if (!(beta > 0) || !(inputScale > 0))
                throw new ArgumentOutOfRangeException("inputScale", "beta and inputScale must be > 0");
            double real = beta * inputScale * (1 << (31 - ScaledDiffIntegerBits));
            if (real > 2147483647.0) real = 2147483647.0;
            int m, s;
            Quantization.QuantizeMultiplier(real, out m, out s);
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
            if (InputLeftShift < 0 || InputLeftShift > 30)
                throw new ArgumentOutOfRangeException("InputLeftShift", "must be in 0..30 (call SetScale)");
            if (InputMultiplier <= 0) throw new ArgumentOutOfRangeException("InputMultiplier", "must be > 0 (call SetScale)");
            if (DiffMin > 0) throw new ArgumentOutOfRangeException("DiffMin", "must be <= 0");
        }
    }
}
