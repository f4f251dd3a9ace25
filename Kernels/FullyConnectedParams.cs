using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Parameters of FullyConnected, filled once by the model loader. Input: InputSize int8 values
    /// (batch 1; a flattened NHWC tensor). Weights [OutputSize, InputSize] row-major, per output
    /// channel quantized (per-tensor = the same multiplier repeated).
    /// </summary>
    public sealed class FullyConnectedParams
    {
        /// <summary>Number of input values and of outputs (rows of the weight matrix).</summary>
        public int InputSize, OutputSize;
        /// <summary>Zero points of the input and output activations, -128..127.</summary>
        public int InputZeroPoint, OutputZeroPoint;
        /// <summary>Fused activation as int8 clamp bounds on the output (see Quantization.ActivationRange).</summary>
        public int ActivationMin = -128, ActivationMax = 127;
        /// <summary>int8 weights [OutputSize, InputSize] row-major, starting at <see cref="WeightsOffset"/>.</summary>
        public sbyte[] Weights;
        /// <summary>Index of the first weight in <see cref="Weights"/>.</summary>
        public int WeightsOffset;
        /// <summary>int32 bias per output; null means zeros.</summary>
        public int[] Bias;
        /// <summary>Per output Q31 multiplier.</summary>
        public int[] OutputMultiplier;
        /// <summary>Per output shift, -31..30.</summary>
        public sbyte[] OutputShift;

        /// <summary>Set by FullyConnected.Prepare: Bias - InputZeroPoint * sum(weights of the row).</summary>
        public int[] PreparedBias;

        /// <summary>Multipliers from scales: inputScale * weightScales[o] / outputScale (length 1 = per tensor).</summary>
        public void SetScales(double inputScale, double[] weightScales, double outputScale)
        {
            KernelCheck.Positive(OutputSize, "OutputSize");
            if (weightScales == null) throw new ArgumentNullException("weightScales");
            if (weightScales.Length != OutputSize && weightScales.Length != 1)
                throw new ArgumentException("weightScales needs 1 or OutputSize (" + OutputSize + ") entries", "weightScales");
            if (!(outputScale > 0)) throw new ArgumentOutOfRangeException("outputScale", "must be > 0");
            OutputMultiplier = new int[OutputSize];
            OutputShift = new sbyte[OutputSize];
            for (int o = 0; o < OutputSize; o++)
            {
                int m, s;
                Quantization.QuantizeMultiplier(inputScale * weightScales[weightScales.Length == 1 ? 0 : o] / outputScale, out m, out s);
                OutputMultiplier[o] = m;
                OutputShift[o] = (sbyte)s;
            }
        }

        internal void Check()
        {
            KernelCheck.Positive(InputSize, "InputSize");
            KernelCheck.Positive(OutputSize, "OutputSize");
            Quantization.CheckZeroPoint(InputZeroPoint, "InputZeroPoint");
            Quantization.CheckZeroPoint(OutputZeroPoint, "OutputZeroPoint");
            KernelCheck.ClampRange(ActivationMin, ActivationMax);
            KernelCheck.Requant(OutputMultiplier, OutputShift, OutputSize);
            KernelCheck.Bias(Bias, OutputSize);
            KernelCheck.Weights(Weights, WeightsOffset, InputSize * OutputSize);
        }
    }
}
