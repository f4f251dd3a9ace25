using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Conv2D (kind 1): weights OHWI [OutC, KH, KW, InC], per-output-channel scales; any kernel
    /// size (1x1 pointwise included), runs <see cref="Kernels.Conv2D"/>. Scratch: 4 longs per patch
    /// value + 48 (Conv2D.ScratchSize). MACs: output values x KH x KW x InC.
    /// </summary>
    internal sealed class Conv2DOperator : ConvolutionOperator
    {
        internal Conv2DOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.Conv2D; } }
        internal override string KindName { get { return "Conv2D"; } }
        public override long Macs { get { return (long)output.Length * KernelHeight * KernelWidth * input.Channels; } }
        internal override int OutputChannelsRule { get { return output.Channels; } }
        internal override long ExpectedWeights { get { return (long)output.Channels * KernelHeight * KernelWidth * input.Channels; } }

        /// <summary>
        /// A 1x1 convolution at stride 1 with InputChannels == OutputChannels: output pixel p is
        /// input pixel p's place, and Conv2D.Run packs each tile's input pixels before it stores any
        /// output of them (see Kernels.Conv2D.WritesOverInput), so it may run in place.
        /// </summary>
        internal override bool WritesOverInput { get { return Kernels.Conv2D.WritesOverInput(KernelHeight, KernelWidth, StrideHeight, StrideWidth, input.Channels, output.Channels); } }

        internal override void WeightLayout(out int taps, out int channelStride, out int tapStride)
        {
            taps = KernelHeight * KernelWidth * input.Channels;
            channelStride = taps;
            tapStride = 1;
        }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeWindow(entry, OutputChannelsRule);
            if ((long)KernelHeight * KernelWidth * input.Channels > ModelFormat.MaxPatch)
                throw ModelReader.Fail(Describe() + ": patch of " + KernelHeight.ToString() + "x" + KernelWidth.ToString() + "x" + input.Channels.ToString()
                    + " values exceeds the limit of " + ModelFormat.MaxPatch.ToString(), entry + 10);
            DecodeConstants(reader, entry);
        }

        internal override void Prepare(Model model)
        {
            parameters = NewParams(model);
            Kernels.Conv2D.Prepare(parameters);
        }

        internal override int ScratchSize() { return Kernels.Conv2D.ScratchSize(parameters); }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.Conv2D.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset, scratch);
        }
    }
}
