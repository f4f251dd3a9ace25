using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of the element-wise Add (residual connections), TFLite int8 semantics: both inputs
    /// are shifted left by LeftShift (20), rescaled to twice the larger input scale, summed and
    /// requantized to the output. Use <see cref="SetScales"/> to fill the multipliers.
    /// </summary>
    public sealed class AddParams
    {
        /// <summary>Number of elements (both inputs and the output have this many).</summary>
        public int Size;
        /// <summary>Zero points of the two inputs and the output, -128..127.</summary>
        public int Input1ZeroPoint, Input2ZeroPoint, OutputZeroPoint;
        /// <summary>Left shift applied to both inputs after subtracting the zero point, 0..22 (TFLite: 20).</summary>
        public int LeftShift = 20;
        /// <summary>Q31 multiplier and shift of input1Scale / (2 * max input scale); set by <see cref="SetScales"/>.</summary>
        public int Input1Multiplier, Input1Shift;
        /// <summary>Q31 multiplier and shift of input2Scale / (2 * max input scale); set by <see cref="SetScales"/>.</summary>
        public int Input2Multiplier, Input2Shift;
        /// <summary>Q31 multiplier and shift of 2 * max input scale / (2^LeftShift * outputScale); set by <see cref="SetScales"/>.</summary>
        public int OutputMultiplier, OutputShift;
        /// <summary>Fused activation as int8 clamp bounds on the output (see Quantization.ActivationRange).</summary>
        public int ActivationMin = -128, ActivationMax = 127;

        /// <summary>TFLite add.cc: twice = 2 * max(s1, s2); in_i = s_i / twice; out = twice / (2^LeftShift * sOut).</summary>
        public void SetScales(double input1Scale, double input2Scale, double outputScale)
        {
            if (!(input1Scale > 0) || !(input2Scale > 0) || !(outputScale > 0))
                throw new ArgumentOutOfRangeException("input1Scale", "scales must be > 0");
            double twiceMax = 2 * (input1Scale > input2Scale ? input1Scale : input2Scale);
            Quantization.QuantizeMultiplier(input1Scale / twiceMax, out Input1Multiplier, out Input1Shift);
            Quantization.QuantizeMultiplier(input2Scale / twiceMax, out Input2Multiplier, out Input2Shift);
            Quantization.QuantizeMultiplier(twiceMax / ((1 << LeftShift) * outputScale), out OutputMultiplier, out OutputShift);
        }

        internal void Check()
        {
            KernelCheck.Positive(Size, "Size");
            Quantization.CheckZeroPoint(Input1ZeroPoint, "Input1ZeroPoint");
            Quantization.CheckZeroPoint(Input2ZeroPoint, "Input2ZeroPoint");
            Quantization.CheckZeroPoint(OutputZeroPoint, "OutputZeroPoint");
            if (LeftShift < 0 || LeftShift > 22)
                throw new ArgumentOutOfRangeException("LeftShift", "LeftShift must be in 0..22 (255 << LeftShift must fit int32)");
            KernelCheck.Shift(Input1Shift, "Input1Shift");
            KernelCheck.Shift(Input2Shift, "Input2Shift");
            KernelCheck.Shift(OutputShift, "OutputShift");
            if (Input1Multiplier < 0 || Input2Multiplier < 0 || OutputMultiplier < 0)
                throw new ArgumentOutOfRangeException("OutputMultiplier", "multipliers must be >= 0");
            KernelCheck.ClampRange(ActivationMin, ActivationMax);
        }
    }
}
