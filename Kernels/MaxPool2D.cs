using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>int8 max pooling over the taps inside the input (padding ignored), then clamped.</summary>
    public static class MaxPool2D
    {
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(PoolParams p)
        {
            return 0;
        }

        /// <summary>Plain reference.</summary>
        public static void Reference(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            int c = p.Channels;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        int max = -128;
                        for (int fy = 0; fy < p.FilterHeight; fy++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + fy;
                            if (iy < 0 || iy >= p.InputHeight) continue;
                            for (int fx = 0; fx < p.FilterWidth; fx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + fx;
                                if (ix < 0 || ix >= p.InputWidth) continue;
                                int x = input[inputOffset + (iy * p.InputWidth + ix) * c + ch];
                                if (x > max) max = x;
                            }
                        }
                        if (max < p.ActivationMin) max = p.ActivationMin;
                        if (max > p.ActivationMax) max = p.ActivationMax;
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = (sbyte)max;
                    }
                }
            }
        }

        /// <summary>The executor's entry point; not tuned: it runs Reference (a small share of a model). Allocates nothing.</summary>
        public static void Run(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Reference(p, input, inputOffset, output, outputOffset);
        }
    }
}
