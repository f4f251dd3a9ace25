using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// DepthwiseConv2D (kind 2): depth multiplier 1, weights [KH, KW, C], per-channel scales; runs
    /// <see cref="Kernels.DepthwiseConv2D"/> (scratch: DepthwiseConv2D.ScratchSize, 0 longs today).
    /// MACs: output values x KH x KW.
    /// </summary>
    internal sealed class DepthwiseConv2DOperator : ConvolutionOperator
    {
        internal DepthwiseConv2DOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.DepthwiseConv2D; } }
        internal override string KindName { get { return "DepthwiseConv2D"; } }
        public override long Macs { get { return (long)output.Length * KernelHeight * KernelWidth; } }
        internal override int OutputChannelsRule { get { return input.Channels; } }
        internal override long ExpectedWeights { get { return (long)KernelHeight * KernelWidth * output.Channels; } }

        internal override void WeightLayout(out int taps, out int channelStride, out int tapStride)
        {
            taps = KernelHeight * KernelWidth;
            channelStride = 1;
            tapStride = output.Channels;
        }

        internal override void Prepare(Model model)
        {
            parameters = NewParams(model);
            Kernels.DepthwiseConv2D.Prepare(parameters);
        }

        internal override int ScratchSize() { return Kernels.DepthwiseConv2D.ScratchSize(parameters); }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.DepthwiseConv2D.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset, scratch);
        }
    }
}
