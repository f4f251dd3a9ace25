using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The 1x1 convolution fast path: KernelHeight = KernelWidth = 1, no padding, any stride.
    /// Weights [OutC, InC] (OHWI with H = W = 1). Same arithmetic as Conv2D.
    /// </summary>
    public static class PointwiseConv2D
    {
        /// <summary>Longs of scratch Run needs: 4 per patch element (KH*KW*InC: the packed 12-pixel tile) + 48 (lane sums, 4 channels x 12 pixels; see PackedConv).</summary>
        public static int ScratchSize(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            return PackedConv.ScratchSize(p.KernelHeight * p.KernelWidth * p.InputChannels);
        }

        static void Check(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.KernelHeight != 1 || p.KernelWidth != 1 || p.PadTop != 0 || p.PadLeft != 0)
                throw new ArgumentException("pointwise needs a 1x1 kernel without padding; use Conv2D", "p");
            p.Check(p.OutputChannels * p.InputChannels);
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(ConvParams p)
        {
            Check(p);
            p.PreparedBias = Conv2D.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels, p.InputChannels, 1, p.InputZeroPoint);
        }

        /// <summary>Plain reference (identical to Conv2D.Reference for 1x1 kernels).</summary>
        public static void Reference(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Check(p);
            Conv2D.Reference(p, input, inputOffset, output, outputOffset);
        }

        /// <summary>
        /// Tuned path (needs Prepare): the packed GEMM of Conv2D.Run (PackedConv) with a 1x1 patch.
        /// Bit-exact with Reference. Allocates nothing.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            Conv2D.CheckPrepared(p, "PointwiseConv2D");
            if (p.KernelHeight != 1 || p.KernelWidth != 1 || p.PadTop != 0 || p.PadLeft != 0)
                throw new InvalidOperationException("PointwiseConv2D.Prepare must be called before Run (1x1 kernel, no padding)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            PackedConv.Run(p, input, inputOffset, output, outputOffset, scratch);
        }
    }
}
