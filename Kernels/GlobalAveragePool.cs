using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 global average pooling: out[c] = clamp(MBQM(sum over pixels (x - inZp), M, S) + outZp),
    /// M/S quantizing inputScale / (outputScale * H * W). One rounding (in MBQM), no division.
    /// </summary>
    public static class GlobalAveragePool
    {
        /// <summary>Run needs one long per channel (the per-channel sums).</summary>
        public static int ScratchSize(GlobalAveragePoolParams p)
        {
            return p == null ? 0 : p.Channels;
        }

        /// <summary>Plain reference.</summary>
        public static void Reference(GlobalAveragePoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.Channels, "output");
            int c = p.Channels, pixels = p.Height * p.Width;
            for (int ch = 0; ch < c; ch++)
            {
                int sum = 0;
                for (int i = 0; i < pixels; i++) sum += input[inputOffset + i * c + ch] - p.InputZeroPoint;
                output[outputOffset + ch] = Quantization.Requantize(sum, p.OutputMultiplier, p.OutputShift, p.OutputZeroPoint,
                    p.ActivationMin, p.ActivationMax);
            }
        }

        /// <summary>Tuned path: one pass over the input in memory order. Same results as Reference.</summary>
        public static void Run(GlobalAveragePoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.Channels, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            int c = p.Channels;
            for (int ch = 0; ch < c; ch++) scratch[ch] = 0;
            int end = inputOffset + p.InputSize;
            for (int i = inputOffset; i < end; i += c)
            {
                for (int ch = 0; ch < c; ch++) scratch[ch] += input[i + ch];
            }
            int bias = p.Height * p.Width * p.InputZeroPoint;
            for (int ch = 0; ch < c; ch++)
            {
                output[outputOffset + ch] = Quantization.Requantize((int)scratch[ch] - bias, p.OutputMultiplier, p.OutputShift,
                    p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
            }
        }
    }
}
