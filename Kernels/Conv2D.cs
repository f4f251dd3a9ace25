using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 2-D convolution, any KxK (1x1 pointwise included), any stride, TFLite SAME/VALID or
    /// explicit padding, per-channel weights OHWI [OutC, KH, KW, InC].
    /// acc = bias[oc] + sum (x - inZp) * w; out = clamp(MBQM(acc, M[oc], S[oc]) + outZp).
    /// A 1x1 kernel needs no separate path: the packing copies each pixel's InC values as one
    /// window row (PackedConv.PackGroup), which for 1x1 is the whole patch.
    /// </summary>
    public static class Conv2D
    {
        /// <summary>Longs of scratch Run needs: 4 per patch element (KH*KW*InC: the packed 12-pixel tile) + 48 (lane sums, 4 channels x 12 pixels; see PackedConv).</summary>
        public static int ScratchSize(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            return PackedConv.ScratchSize(p.KernelHeight * p.KernelWidth * p.InputChannels);
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            int k = p.KernelHeight * p.KernelWidth * p.InputChannels;
            p.Check(p.OutputChannels * k);
            p.PreparedBias = Quantization.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels, k, 1, p.InputZeroPoint);
        }

        /// <summary>Plain reference: the TFLite reference loop nest, no preparation needed.</summary>
        public static void Reference(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check(p.OutputChannels * p.KernelHeight * p.KernelWidth * p.InputChannels);
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            int inH = p.InputHeight, inW = p.InputWidth, inC = p.InputChannels;
            int outC = p.OutputChannels, kH = p.KernelHeight, kW = p.KernelWidth;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    for (int oc = 0; oc < outC; oc++)
                    {
                        int acc = p.Bias == null ? 0 : p.Bias[oc];
                        for (int ky = 0; ky < kH; ky++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + ky;
                            if (iy < 0 || iy >= inH) continue;
                            for (int kx = 0; kx < kW; kx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + kx;
                                if (ix < 0 || ix >= inW) continue;
                                for (int ic = 0; ic < inC; ic++)
                                {
                                    int x = input[inputOffset + (iy * inW + ix) * inC + ic];
                                    int w = p.Weights[p.WeightsOffset + ((oc * kH + ky) * kW + kx) * inC + ic];
                                    acc += (x - p.InputZeroPoint) * w;
                                }
                            }
                        }
                        output[outputOffset + (oy * p.OutputWidth + ox) * outC + oc] =
                            Quantization.Requantize(acc, p.OutputMultiplier[oc], p.OutputShift[oc], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }

        /// <summary>
        /// Tuned path (needs Prepare): im2col packing of 12 output pixels into scratch, three per long,
        /// then a register-blocked GEMM (PackedConv). Bit-exact with Reference. Allocates nothing.
        /// scratch: at least ScratchSize(p) longs.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            p.CheckPrepared("Conv2D");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            PackedConv.Run(p, input, inputOffset, output, outputOffset, scratch);
        }
    }
}
