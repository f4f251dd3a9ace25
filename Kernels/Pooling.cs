using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The one window loop of AveragePool2D and MaxPool2D: per output value the taps inside the
    /// input (padding is neither counted nor read), reduced to their rounded mean or their
    /// maximum, then clamped. The two pools only choose the reduction.
    /// </summary>
    internal static class Pooling
    {
        internal static void Run(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, bool average)
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
                        int sum = 0, count = 0, max = -128;
                        for (int fy = 0; fy < p.FilterHeight; fy++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + fy;
                            if (iy < 0 || iy >= p.InputHeight) continue;
                            for (int fx = 0; fx < p.FilterWidth; fx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + fx;
                                if (ix < 0 || ix >= p.InputWidth) continue;
                                int x = input[inputOffset + (iy * p.InputWidth + ix) * c + ch];
                                sum += x;
                                count++;
                                if (x > max) max = x;
                            }
                        }
                        // Average: rounded half away from zero (TFLite reference_integer_ops::AveragePool).
                        int v = !average ? max : sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                        if (v < p.ActivationMin) v = p.ActivationMin;
                        if (v > p.ActivationMax) v = p.ActivationMax;
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = (sbyte)v;
                    }
                }
            }
        }
    }
}
