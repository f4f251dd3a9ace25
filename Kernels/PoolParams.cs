namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of AveragePool2D and MaxPool2D (NHWC, batch 1). Input and output share scale and
    /// zero point, as TFLite requires, so pooling works on the raw int8 values.
    /// </summary>
    public sealed class PoolParams
    {
        /// <summary>Input tensor shape [H, W, C]; the output has the same Channels.</summary>
        public int InputHeight, InputWidth, Channels;
        /// <summary>Output height and width; can be filled by <see cref="SetPadding"/>.</summary>
        public int OutputHeight, OutputWidth;
        /// <summary>Pooling window size in input rows and columns.</summary>
        public int FilterHeight, FilterWidth;
        /// <summary>Step between pooling windows in input rows and columns.</summary>
        public int StrideHeight = 1, StrideWidth = 1;
        /// <summary>Padding before row 0 / column 0 (padded taps are not counted); see <see cref="SetPadding"/>.</summary>
        public int PadTop, PadLeft;
        /// <summary>Fused activation as int8 clamp bounds on the output (see Quantization.ActivationRange).</summary>
        public int ActivationMin = -128, ActivationMax = 127;

        /// <summary>Computes output size and PadTop/PadLeft for a TFLite padding mode.</summary>
        public void SetPadding(Padding padding)
        {
            OutputHeight = Geometry.FittingOutputSize(InputHeight, FilterHeight, StrideHeight, padding);
            OutputWidth = Geometry.FittingOutputSize(InputWidth, FilterWidth, StrideWidth, padding);
            PadTop = Geometry.PaddingBefore(InputHeight, FilterHeight, StrideHeight, padding);
            PadLeft = Geometry.PaddingBefore(InputWidth, FilterWidth, StrideWidth, padding);
        }

        /// <summary>Input elements H*W*C.</summary>
        public int InputSize { get { return InputHeight * InputWidth * Channels; } }

        /// <summary>Output elements H*W*C.</summary>
        public int OutputSize { get { return OutputHeight * OutputWidth * Channels; } }

        internal void Check()
        {
            KernelCheck.Positive(InputHeight, "InputHeight");
            KernelCheck.Positive(InputWidth, "InputWidth");
            KernelCheck.Positive(Channels, "Channels");
            KernelCheck.Positive(OutputHeight, "OutputHeight");
            KernelCheck.Positive(OutputWidth, "OutputWidth");
            KernelCheck.Positive(FilterHeight, "FilterHeight");
            KernelCheck.Positive(FilterWidth, "FilterWidth");
            KernelCheck.Positive(StrideHeight, "StrideHeight");
            KernelCheck.Positive(StrideWidth, "StrideWidth");
            KernelCheck.NonNegative(PadTop, "PadTop");
            KernelCheck.NonNegative(PadLeft, "PadLeft");
            if (PadTop >= FilterHeight || PadLeft >= FilterWidth)
                throw new System.ArgumentOutOfRangeException("PadTop", "padding must be smaller than the filter");
            if ((OutputHeight - 1) * StrideHeight - PadTop >= InputHeight || (OutputWidth - 1) * StrideWidth - PadLeft >= InputWidth)
                throw new System.ArgumentOutOfRangeException("OutputHeight", "output size does not fit the input, filter, stride and padding");
            KernelCheck.ClampRange(ActivationMin, ActivationMax);
        }
    }
}
