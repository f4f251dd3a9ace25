namespace MicroT.Runtime.Kernels
{
    /// <summary>int8 max pooling over the taps inside the input (padding ignored), then clamped.</summary>
    public static class MaxPool2D
    {
        /// <summary>Run needs no scratch (0 longs).</summary>
        public static int ScratchSize(PoolParams p)
        {
            return 0;
        }

        /// <summary>Plain reference: the window loop shared with AveragePool2D (Pooling).</summary>
        public static void Reference(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Pooling.Run(p, input, inputOffset, output, outputOffset, false);
        }

        /// <summary>The executor's entry point; not tuned: it runs the same loop as Reference (pools are a small share of a model). Allocates nothing.</summary>
        public static void Run(PoolParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Pooling.Run(p, input, inputOffset, output, outputOffset, false);
        }
    }
}
