using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// One operator as read from the file, validated. Constant data is already copied out of
    /// the file: the weights live in <see cref="Model.Weights"/> from
    /// <see cref="WeightsOffset"/>; bias and per-channel weight scales are arrays of their own.
    /// </summary>
    public sealed class Operator
    {
        public readonly int Index;
        public readonly OperatorKind Kind;
        /// <summary>Byte offset of this operator's entry in the file (for messages).</summary>
        public int EntryOffset;
        /// <summary>TFLite padding mode (Valid when <see cref="Explicit"/>).</summary>
        public Padding Padding;
        /// <summary>True when the file gives the padding explicitly (<see cref="PadTop"/> .. <see cref="PadRight"/>).</summary>
        public bool Explicit;
        /// <summary>Explicit zero-point padding of the input, in rows/columns (0 unless <see cref="Explicit"/>).</summary>
        public int PadTop, PadLeft, PadBottom, PadRight;
        public int KernelHeight;
        public int KernelWidth;
        public int StrideHeight;
        public int StrideWidth;
        /// <summary>Clamp of the int8 output (the fused activation), inclusive.</summary>
        public int ActivationMin;
        public int ActivationMax;
        public Tensor Input;
        /// <summary>Second input of Add; null otherwise.</summary>
        public Tensor Input2;
        public Tensor Output;
        /// <summary>Offset of this operator's int8 weights in <see cref="Model.Weights"/>; -1 without weights.</summary>
        public int WeightsOffset = -1;
        public int WeightsLength;
        /// <summary>int32 bias per output channel, or null (zeros).</summary>
        public int[] Bias;
        /// <summary>Weight scale per output channel (Conv2D, DepthwiseConv2D, FullyConnected), else null.</summary>
        public float[] WeightScales;
        /// <summary>Multiply-accumulates of one run (docs/FORMAT.md says how each kind counts).</summary>
        public long Macs;
        /// <summary>
        /// The prepared kernel parameters (made once at load by OperatorPreparation): ConvParams
        /// for Conv2D and DepthwiseConv2D, FullyConnectedParams, AddParams, PoolParams,
        /// GlobalAveragePoolParams or SoftmaxParams.
        /// </summary>
        public object Params;
        /// <summary>True when a Conv2D has a 1x1 kernel and runs on the PointwiseConv2D fast path.</summary>
        public bool Pointwise;

        public Operator(int index, OperatorKind kind)
        {
            Index = index;
            Kind = kind;
        }
    }
}
