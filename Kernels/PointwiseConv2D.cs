using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The 1x1 convolution fast path: KernelHeight = KernelWidth = 1, no padding, any stride.
    /// Weights [OutC, InC] (OHWI with H = W = 1). Same arithmetic as Conv2D.
    /// </summary>
    public static class PointwiseConv2D
    {
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(ConvParams p)
        {
            return 0;
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

        /// <summary>Tuned path (needs Prepare). Same results as Reference, bit for bit. Allocates nothing.</summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.PreparedBias == null || p.PreparedBias.Length != p.OutputChannels || p.KernelHeight != 1 || p.KernelWidth != 1)
                throw new InvalidOperationException("PointwiseConv2D.Prepare must be called before Run");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            int inW = p.InputWidth, inC = p.InputChannels, outC = p.OutputChannels;
            sbyte[] weights = p.Weights;
            int o = outputOffset;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    int xi = inputOffset + (oy * p.StrideHeight * inW + ox * p.StrideWidth) * inC;
                    int wi = p.WeightsOffset;
                    for (int oc = 0; oc < outC; oc++)
                    {
                        int acc = p.PreparedBias[oc];
                        for (int ic = 0; ic < inC; ic++) acc += input[xi + ic] * weights[wi + ic];
                        wi += inC;
                        output[o++] = Conv2D.Requantize(acc, p.OutputMultiplier[oc], p.OutputShift[oc], p.OutputZeroPoint,
                            p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }
    }
}
