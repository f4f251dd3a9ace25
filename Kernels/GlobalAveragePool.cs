using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 global average pooling: out[c] = clamp(MBQM(sum over pixels (x - inZp), M, S) + outZp),
    /// M/S quantizing inputScale / (outputScale * H * W). One rounding (in MBQM), no division.
    /// </summary>
    public static class GlobalAveragePool
    {
        /// <summary>Run needs no scratch (0).</summary>
        public static int ScratchSize(GlobalAveragePoolParams p)
        {
            return 0;
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

        /// <summary>
        /// Tuned path: channel by channel an int sum of the raw inputs, 4 pixels per step; the zero point
        /// comes off once per channel (int32, wrapping like Reference). Requantizer's formula inline,
        /// its constants once per call. Same results as Reference. Needs no scratch (scratch may be null).
        /// </summary>
        public static void Run(GlobalAveragePoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.Channels, "output");
            int c = p.Channels, c2 = c + c, c3 = c2 + c, c4 = c3 + c, pixels = p.Height * p.Width;
            int bias = pixels * p.InputZeroPoint;
            int s = p.OutputShift, left = s > 0 ? s : 0, sh = Requantizer.RightShift(s);
            long mul = p.OutputMultiplier, rnd = Requantizer.Round(s), neg = Requantizer.Negative(s);
            int zp = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int stepEnd = inputOffset + (pixels & ~3) * c, end = inputOffset + pixels * c;
            for (int ch = 0; ch < c; ch++)
            {
                int sum = 0, k = inputOffset + ch;
                for (; k < stepEnd; k += c4) sum += input[k] + input[k + c] + input[k + c2] + input[k + c3];
                for (; k < end; k += c) sum += input[k];
                int a = (sum - bias) << left;
                int v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                output[outputOffset + ch] = (sbyte)v;
            }
        }
    }
}
