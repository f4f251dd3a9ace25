using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// What Conv2D and DepthwiseConv2D share: the window rule, the constants, and the kernels'
    /// <see cref="ConvParams"/> built from the entry, the tensors and the scales.
    /// </summary>
    internal abstract class ConvolutionOperator : WeightedOperator
    {
        /// <summary>The kernel's parameters, made by Prepare.</summary>
        internal ConvParams parameters;

        internal ConvolutionOperator(int index) : base(index) { }

        /// <summary>Output channels the window rule expects (Conv2D: the output's own; depthwise: the input's).</summary>
        internal abstract int OutputChannelsRule { get; }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeWindow(entry, OutputChannelsRule);
            DecodeConstants(reader, entry);
        }

        /// <summary>Shapes, window, padding, zero points, clamp, weights, bias and per-channel multipliers of the kernels.</summary>
        internal ConvParams NewParams(Model model)
        {
            Tensor x = input, y = output;
            ConvParams p = new ConvParams();
            p.InputHeight = x.Height; p.InputWidth = x.Width; p.InputChannels = x.Channels;
            p.OutputChannels = y.Channels;
            p.KernelHeight = KernelHeight; p.KernelWidth = KernelWidth;
            p.StrideHeight = StrideHeight; p.StrideWidth = StrideWidth;
            if (Explicit)
            {
                p.OutputHeight = y.Height; p.OutputWidth = y.Width;
                p.PadTop = PadTop; p.PadLeft = PadLeft;
            }
            else p.SetPadding(Padding);
            p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
            p.ActivationMin = ActivationMin; p.ActivationMax = ActivationMax;
            p.Weights = model.Weights; p.WeightsOffset = WeightsOffset;
            p.Bias = Bias;
            p.SetScales(x.Scale, ScalesAsDoubles(), y.Scale);
            return p;
        }

        internal override void DropReferenceData()
        {
            base.DropReferenceData();
            if (parameters != null) parameters.Bias = null;
        }
    }
}
