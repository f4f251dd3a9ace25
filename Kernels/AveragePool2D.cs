using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 average pooling (TFLite reference_integer_ops::AveragePool): the mean of the raw values of
    /// the taps inside the input (padding is not counted), rounded half away from zero, clamped.
    /// </summary>
    public static class AveragePool2D
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
                        int sum = 0, count = 0;
                        for (int fy = 0; fy < p.FilterHeight; fy++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + fy;
                            if (iy < 0 || iy >= p.InputHeight) continue;
                            for (int fx = 0; fx < p.FilterWidth; fx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + fx;
                                if (ix < 0 || ix >= p.InputWidth) continue;
                                sum += input[inputOffset + (iy * p.InputWidth + ix) * c + ch];
                                count++;
                            }
                        }
                        int avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                        if (avg < p.ActivationMin) avg = p.ActivationMin;
                        if (avg > p.ActivationMax) avg = p.ActivationMax;
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = (sbyte)avg;
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
