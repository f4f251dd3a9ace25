using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of Conv2D and DepthwiseConv2D, filled once by the model loader (Models:
    /// Conv2DOperator, DepthwiseConv2DOperator) or by a caller of the kernels. The layer: shapes,
    /// window, zero points, clamp, weights, bias and the per-channel requantization
    /// (<see cref="SetPadding"/> and <see cref="SetScales"/> derive pads and multipliers); what the
    /// kernel's Prepare computes from it is kept apart in <see cref="PreparedBias"/>.
    /// Activations are NHWC, batch 1. Weights: Conv2D OHWI [OutC,KH,KW,InC];
    /// DepthwiseConv2D [KH,KW,C] (TFLite 1HWC, depth multiplier 1).
    /// Padded taps read the input zero point (i.e. contribute nothing), as in TFLite.
    /// </summary>
    public sealed class ConvParams
    {
        /// <summary>Input tensor shape [H, W, C] (NHWC, batch 1).</summary>
        public int InputHeight, InputWidth, InputChannels;
        /// <summary>Output tensor shape [H, W, C]; height and width can be filled by <see cref="SetPadding"/>.</summary>
        public int OutputHeight, OutputWidth, OutputChannels;
        /// <summary>Filter size in input rows and columns.</summary>
        public int KernelHeight = 1, KernelWidth = 1;
        /// <summary>Step between output windows in input rows and columns.</summary>
        public int StrideHeight = 1, StrideWidth = 1;
        /// <summary>Padding before row 0 / column 0; see <see cref="SetPadding"/>.</summary>
        public int PadTop, PadLeft;
        /// <summary>Zero points of the input and output activations, -128..127.</summary>
        public int InputZeroPoint, OutputZeroPoint;
        /// <summary>Fused activation as clamp bounds (see Quantization.ActivationRange).</summary>
        public int ActivationMin = -128, ActivationMax = 127;
        /// <summary>int8 weights, OHWI [OutC, KH, KW, InC] (depthwise: [KH, KW, C]), starting at <see cref="WeightsOffset"/>.</summary>
        public sbyte[] Weights;
        /// <summary>Index of the first weight in <see cref="Weights"/>.</summary>
        public int WeightsOffset;
        /// <summary>int32 bias per output channel; null means zeros.</summary>
        public int[] Bias;
        /// <summary>Per output channel Q31 multiplier (Quantization.QuantizeMultiplier).</summary>
        public int[] OutputMultiplier;
        /// <summary>Per output channel shift, -31..30 (one byte each: the loaded model keeps one per channel).</summary>
        public sbyte[] OutputShift;

        /// <summary>
        /// Computed by the kernel's Prepare (Conv2D.Prepare, DepthwiseConv2D.Prepare), not by the
        /// caller: Bias - InputZeroPoint * sum(weights of the channel), which the tuned Run reads.
        /// </summary>
        public int[] PreparedBias;

        /// <summary>
        /// Computes OutputHeight/OutputWidth and PadTop/PadLeft from the input size, kernel size,
        /// strides and the TFLite padding mode.
        /// </summary>
        public void SetPadding(Padding padding)
        {
            OutputHeight = Geometry.FittingOutputSize(InputHeight, KernelHeight, StrideHeight, padding);
            OutputWidth = Geometry.FittingOutputSize(InputWidth, KernelWidth, StrideWidth, padding);
            PadTop = Geometry.PaddingBefore(InputHeight, KernelHeight, StrideHeight, padding);
            PadLeft = Geometry.PaddingBefore(InputWidth, KernelWidth, StrideWidth, padding);
        }

        /// <summary>
        /// Per-channel multipliers from scales: (inputScale * weightScales[c]) / outputScale. A
        /// weightScales of length 1 is per-tensor quantization and is used for every channel.
        /// </summary>
        public void SetScales(double inputScale, double[] weightScales, double outputScale)
        {
            int n = OutputChannels;
            KernelCheck.Positive(n, "OutputChannels");
            if (weightScales == null) throw new ArgumentNullException("weightScales");
            if (weightScales.Length != n && weightScales.Length != 1)
                throw new ArgumentException("weightScales needs 1 or OutputChannels (" + n + ") entries", "weightScales");
            if (!(outputScale > 0)) throw new ArgumentOutOfRangeException("outputScale", "must be > 0");
            OutputMultiplier = new int[n];
            OutputShift = new sbyte[n];
            for (int c = 0; c < n; c++)
            {
                int m, s;
                Quantization.QuantizeMultiplier(inputScale * weightScales[weightScales.Length == 1 ? 0 : c] / outputScale, out m, out s);
                OutputMultiplier[c] = m;
                OutputShift[c] = (sbyte)s;
            }
        }

        /// <summary>Input elements H*W*C.</summary>
        public int InputSize { get { return InputHeight * InputWidth * InputChannels; } }

        /// <summary>Output elements H*W*C.</summary>
        public int OutputSize { get { return OutputHeight * OutputWidth * OutputChannels; } }

        /// <summary>InvalidOperationException unless the kernel's Prepare has run on these parameters (Run's first check).</summary>
        internal void CheckPrepared(string kernel)
        {
            if (PreparedBias == null || PreparedBias.Length != OutputChannels
                || OutputMultiplier == null || OutputMultiplier.Length < OutputChannels || OutputShift == null || OutputShift.Length < OutputChannels)
                throw new InvalidOperationException(kernel + ".Prepare must be called before Run (and again after changing the parameters)");
        }

        /// <summary>Checks shapes, zero points, clamp, requantization arrays and weights (count given by the kernel).</summary>
        internal void Check(int weightCount)
        {
            KernelCheck.Positive(InputHeight, "InputHeight");
            KernelCheck.Positive(InputWidth, "InputWidth");
            KernelCheck.Positive(InputChannels, "InputChannels");
            KernelCheck.Positive(OutputHeight, "OutputHeight");
            KernelCheck.Positive(OutputWidth, "OutputWidth");
            KernelCheck.Positive(OutputChannels, "OutputChannels");
            KernelCheck.Positive(KernelHeight, "KernelHeight");
            KernelCheck.Positive(KernelWidth, "KernelWidth");
            KernelCheck.Positive(StrideHeight, "StrideHeight");
            KernelCheck.Positive(StrideWidth, "StrideWidth");
            KernelCheck.NonNegative(PadTop, "PadTop");
            KernelCheck.NonNegative(PadLeft, "PadLeft");
            if (PadTop >= KernelHeight || PadLeft >= KernelWidth)
                throw new ArgumentOutOfRangeException("PadTop", "padding must be smaller than the kernel");
            // Every output window must touch the input (bounds the loops; TFLite shapes always do).
            if ((OutputHeight - 1) * StrideHeight - PadTop >= InputHeight || (OutputWidth - 1) * StrideWidth - PadLeft >= InputWidth)
                throw new ArgumentOutOfRangeException("OutputHeight", "output size does not fit the input, kernel, stride and padding");
            Quantization.CheckZeroPoint(InputZeroPoint, "InputZeroPoint");
            Quantization.CheckZeroPoint(OutputZeroPoint, "OutputZeroPoint");
            KernelCheck.ClampRange(ActivationMin, ActivationMax);
            KernelCheck.Requant(OutputMultiplier, OutputShift, OutputChannels);
            KernelCheck.Bias(Bias, OutputChannels);
            KernelCheck.Weights(Weights, WeightsOffset, weightCount);
        }
    }
}
