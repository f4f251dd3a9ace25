using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 depthwise convolution, depth multiplier 1 (InputChannels == OutputChannels), any KxK
    /// (3x3 and 5x5 in practice), any stride, SAME/VALID. Weights [KH,KW,C] (TFLite 1HWC).
    /// acc = bias[c] + sum over taps (x - inZp) * w; requantized per channel like Conv2D.
    /// </summary>
    public static class DepthwiseConv2D
    {
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(ConvParams p)
        {
            return 0;
        }

        static void Check(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.InputChannels != p.OutputChannels)
                throw new ArgumentException("depthwise needs InputChannels == OutputChannels (depth multiplier 1), got "
                    + p.InputChannels + " and " + p.OutputChannels, "p");
            p.Check(p.KernelHeight * p.KernelWidth * p.OutputChannels);
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(ConvParams p)
        {
            Check(p);
            p.PreparedBias = Conv2D.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels,
                p.KernelHeight * p.KernelWidth, p.OutputChannels, p.InputZeroPoint);
        }

        /// <summary>Plain reference: the TFLite reference loop nest, no preparation needed.</summary>
        public static void Reference(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Check(p);
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        int acc = p.Bias == null ? 0 : p.Bias[ch];
                        for (int ky = 0; ky < p.KernelHeight; ky++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + ky;
                            if (iy < 0 || iy >= inH) continue;
                            for (int kx = 0; kx < p.KernelWidth; kx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + kx;
                                if (ix < 0 || ix >= inW) continue;
                                int x = input[inputOffset + (iy * inW + ix) * c + ch];
                                int w = p.Weights[p.WeightsOffset + (ky * p.KernelWidth + kx) * c + ch];
                                acc += (x - p.InputZeroPoint) * w;
                            }
                        }
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = Conv2D.Requantize(acc,
                            p.OutputMultiplier[ch], p.OutputShift[ch], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }

        /// <summary>Tuned path (needs Prepare). Same results as Reference, bit for bit. Allocates nothing.</summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.PreparedBias == null || p.PreparedBias.Length != p.OutputChannels || p.InputChannels != p.OutputChannels)
                throw new InvalidOperationException("DepthwiseConv2D.Prepare must be called before Run");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels;
            int zp = p.InputZeroPoint;
            sbyte[] weights = p.Weights;
            int o = outputOffset;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                int iy0 = oy * p.StrideHeight - p.PadTop;
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    int ix0 = ox * p.StrideWidth - p.PadLeft;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int acc = p.PreparedBias[ch];
                        int wi = p.WeightsOffset + ch;
                        for (int ky = 0; ky < p.KernelHeight; ky++)
                        {
                            int iy = iy0 + ky;
                            for (int kx = 0; kx < p.KernelWidth; kx++)
                            {
                                int ix = ix0 + kx;
                                int x = (iy < 0 || iy >= inH || ix < 0 || ix >= inW) ? zp : input[inputOffset + (iy * inW + ix) * c + ch];
                                acc += x * weights[wi];
                                wi += c;
                            }
                        }
                        output[o++] = Conv2D.Requantize(acc, p.OutputMultiplier[ch], p.OutputShift[ch], p.OutputZeroPoint,
                            p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }
    }
}
