using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Window geometry of convolutions and pools (TFLite SAME/VALID), the one place it is
    /// computed: the kernels' parameters (<see cref="ConvParams.SetPadding"/>,
    /// <see cref="PoolParams.SetPadding"/>), the model loader's shape checks and the host model
    /// writer all call these.
    /// </summary>
    public static class Geometry
    {
        /// <summary>
        /// Output size along one axis: SAME ceil(input / stride); VALID (input - filter) / stride + 1,
        /// or 0 when the filter is larger than the input (it does not fit). For explicit padding pass
        /// the padded input size and VALID.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">input, filter or stride below 1, or an unknown padding.</exception>
        public static int OutputSize(int inputSize, int filterSize, int stride, Padding padding)
        {
            if (inputSize < 1 || filterSize < 1 || stride < 1)
                throw new ArgumentOutOfRangeException("inputSize", "input, filter and stride must be >= 1");
            if (padding == Padding.Same) return (inputSize + stride - 1) / stride;
            if (padding != Padding.Valid) throw new ArgumentOutOfRangeException("padding");
            if (filterSize > inputSize) return 0;
            return (inputSize - filterSize) / stride + 1;
        }

        /// <summary>Padding before the first element along one axis (TFLite: total / 2, the extra one goes after); 0 for VALID.</summary>
        public static int PaddingBefore(int inputSize, int filterSize, int stride, Padding padding)
        {
            int output = OutputSize(inputSize, filterSize, stride, padding);
            int total = (output - 1) * stride + filterSize - inputSize;
            return output > 0 && total > 0 ? total / 2 : 0;
        }

        /// <summary>OutputSize that must fit: ArgumentOutOfRangeException naming the sizes when VALID does not.</summary>
        internal static int FittingOutputSize(int inputSize, int filterSize, int stride, Padding padding)
        {
            int output = OutputSize(inputSize, filterSize, stride, padding);
            if (output < 1)
                throw new ArgumentOutOfRangeException("filterSize", "VALID padding needs filter <= input (" + filterSize + " > " + inputSize + ")");
            return output;
        }
    }
}
