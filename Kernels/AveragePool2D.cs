namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 average pooling (TFLite reference_integer_ops::AveragePool): the mean of the raw values of
    /// the taps inside the input (padding is not counted), rounded half away from zero, clamped.
    /// </summary>
    public static class AveragePool2D
    {
        /// <summary>Run needs no scratch (0 longs).</summary>
        public static int ScratchSize(PoolParams p)
        {
            return 0;
        }

        /// <summary>Plain reference: the window loop shared with MaxPool2D (Pooling).</summary>
        public static void Reference(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Pooling.Run(p, input, inputOffset, output, outputOffset, true);
        }

        /// <summary>The executor's entry point; not tuned: it runs the same loop as Reference (pools are a small share of a model). Allocates nothing.</summary>
        public static void Run(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Pooling.Run(p, input, inputOffset, output, outputOffset, true);
        }
    }
}
