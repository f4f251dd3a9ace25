using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 fully connected layer: out[o] = clamp(MBQM(bias[o] + sum (x[i] - inZp) * w[o,i]) + outZp).
    /// </summary>
    public static class FullyConnected
    {
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(FullyConnectedParams p)
        {
            return 0;
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(FullyConnectedParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            p.PreparedBias = Quantization.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputSize, p.InputSize, 1, p.InputZeroPoint);
        }

        /// <summary>Plain reference, no preparation needed.</summary>
        public static void Reference(FullyConnectedParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            for (int o = 0; o < p.OutputSize; o++)
            {
                int acc = p.Bias == null ? 0 : p.Bias[o];
                for (int i = 0; i < p.InputSize; i++)
                    acc += (input[inputOffset + i] - p.InputZeroPoint) * p.Weights[p.WeightsOffset + o * p.InputSize + i];
                output[outputOffset + o] = Quantization.Requantize(acc, p.OutputMultiplier[o], p.OutputShift[o], p.OutputZeroPoint,
                    p.ActivationMin, p.ActivationMax);
            }
        }

        /// <summary>
        /// Tuned path (needs Prepare): four outputs per pass share each input load, two inputs per
        /// step, int accumulators, the one-multiply requantization. Bit-exact with Reference.
        /// Allocates nothing.
        /// </summary>
        public static void Run(FullyConnectedParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.PreparedBias == null || p.PreparedBias.Length != p.OutputSize
                || p.OutputMultiplier == null || p.OutputMultiplier.Length < p.OutputSize || p.OutputShift == null || p.OutputShift.Length < p.OutputSize)
                throw new InvalidOperationException("FullyConnected.Prepare must be called before Run (and again after changing the parameters)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            int n = p.InputSize, m = p.OutputSize;
            sbyte[] w = p.Weights;
            int[] bias = p.PreparedBias;
            int pairEnd = inputOffset + (n & ~1);
            for (int o0 = 0; o0 < m; o0 += 4)
            {
                // Outputs past the end repeat the last one (computed, never stored).
                int o1 = o0 + 1 < m ? o0 + 1 : m - 1, o2 = o0 + 2 < m ? o0 + 2 : m - 1, o3 = o0 + 3 < m ? o0 + 3 : m - 1;
                int d1 = (o1 - o0) * n, d2 = (o2 - o0) * n, d3 = (o3 - o0) * n;
                int d1p = d1 + 1, d2p = d2 + 1, d3p = d3 + 1;
                int a0 = bias[o0], a1 = bias[o1], a2 = bias[o2], a3 = bias[o3];
                int wi = p.WeightsOffset + o0 * n;
                int xi = inputOffset;
                while (xi < pairEnd)
                {
                    int x = input[xi], y = input[xi + 1];
                    a0 += x * w[wi] + y * w[wi + 1];
                    a1 += x * w[wi + d1] + y * w[wi + d1p];
                    a2 += x * w[wi + d2] + y * w[wi + d2p];
                    a3 += x * w[wi + d3] + y * w[wi + d3p];
                    xi += 2;
                    wi += 2;
                }
                if ((n & 1) != 0)
                {
                    int x = input[xi];
                    a0 += x * w[wi];
                    a1 += x * w[wi + d1];
                    a2 += x * w[wi + d2];
                    a3 += x * w[wi + d3];
                }
                Store(p, output, outputOffset, o0, a0);
                if (o0 + 1 < m) Store(p, output, outputOffset, o1, a1);
                if (o0 + 2 < m) Store(p, output, outputOffset, o2, a2);
                if (o0 + 3 < m) Store(p, output, outputOffset, o3, a3);
            }
        }

        static void Store(FullyConnectedParams p, sbyte[] output, int outputOffset, int o, int acc)
        {
            int v = Requantizer.Apply(acc, p.OutputMultiplier[o], p.OutputShift[o]) + p.OutputZeroPoint;
            if (v < p.ActivationMin) v = p.ActivationMin;
            else if (v > p.ActivationMax) v = p.ActivationMax;
            output[outputOffset + o] = (sbyte)v;
        }
    }
}
