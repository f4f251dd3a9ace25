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
            p.PreparedBias = Conv2D.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputSize, p.InputSize, 1, p.InputZeroPoint);
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
                output[outputOffset + o] = Conv2D.Requantize(acc, p.OutputMultiplier[o], p.OutputShift[o], p.OutputZeroPoint,
                    p.ActivationMin, p.ActivationMax);
            }
        }

        /// <summary>Tuned path (needs Prepare). Same results as Reference, bit for bit. Allocates nothing.</summary>
        public static void Run(FullyConnectedParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.PreparedBias == null || p.PreparedBias.Length != p.OutputSize)
                throw new InvalidOperationException("FullyConnected.Prepare must be called before Run");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            int n = p.InputSize;
            sbyte[] weights = p.Weights;
            int wi = p.WeightsOffset;
            for (int o = 0; o < p.OutputSize; o++)
            {
                int acc = p.PreparedBias[o];
                for (int i = 0; i < n; i++) acc += input[inputOffset + i] * weights[wi + i];
                wi += n;
                output[outputOffset + o] = Conv2D.Requantize(acc, p.OutputMultiplier[o], p.OutputShift[o], p.OutputZeroPoint,
                    p.ActivationMin, p.ActivationMax);
            }
        }
    }
}
