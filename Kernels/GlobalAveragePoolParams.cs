using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of GlobalAveragePool: NHWC [Height, Width, Channels] to [Channels]. Output scale and
    /// zero point may differ from the input's; the 1/(Height*Width) is folded into the multiplier
    /// (<see cref="SetScales"/>), so the kernel needs no division.
    /// </summary>
    public sealed class GlobalAveragePoolParams
    {
        /// <summary>Input tensor shape [H, W, C]; the output has Channels values.</summary>
        public int Height, Width, Channels;
        /// <summary>Zero points of the input and output activations, -128..127.</summary>
        public int InputZeroPoint, OutputZeroPoint;
        /// <summary>Q31 multiplier/shift of inputScale / (outputScale * Height * Width).</summary>
        public int OutputMultiplier, OutputShift;
        /// <summary>Fused activation as int8 clamp bounds on the output (see Quantization.ActivationRange).</summary>
        public int ActivationMin = -128, ActivationMax = 127;

        /// <summary>Fills OutputMultiplier/OutputShift; Height and Width must be set first.</summary>
        public void SetScales(double inputScale, double outputScale)
        {
            KernelCheck.Positive(Height, "Height");
            KernelCheck.Positive(Width, "Width");
            if (!(inputScale > 0) || !(outputScale > 0))
                throw new ArgumentOutOfRangeException("inputScale", "scales must be > 0");
            Quantization.QuantizeMultiplier(inputScale / (outputScale * Height * Width), out OutputMultiplier, out OutputShift);
        }

        /// <summary>Input elements H*W*C.</summary>
        public int InputSize { get { return Height * Width * Channels; } }

        internal void Check()
        {
            KernelCheck.Positive(Height, "Height");
            KernelCheck.Positive(Width, "Width");
            KernelCheck.Positive(Channels, "Channels");
            if (Height * Width > (1 << 23))
                throw new ArgumentOutOfRangeException("Height", "Height * Width must be <= 2^23 (int32 sums)");
            Quantization.CheckZeroPoint(InputZeroPoint, "InputZeroPoint");
            Quantization.CheckZeroPoint(OutputZeroPoint, "OutputZeroPoint");
            KernelCheck.Shift(OutputShift, "OutputShift");
            if (OutputMultiplier < 0) throw new ArgumentOutOfRangeException("OutputMultiplier", "must be >= 0");
            KernelCheck.ClampRange(ActivationMin, ActivationMax);
        }
    }
}
