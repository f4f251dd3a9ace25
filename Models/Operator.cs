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
        /// <summary>Position in the operator table, which is the execution order.</summary>
        public readonly int Index;
        /// <summary>What the operator computes (file byte 0 of the entry).</summary>
        public readonly OperatorKind Kind;
        /// <summary>Byte offset of this operator's entry in the file (for messages).</summary>
        public int EntryOffset;
        /// <summary>TFLite padding mode (Valid when <see cref="Explicit"/>).</summary>
        public Padding Padding;
        /// <summary>True when the file gives the padding explicitly (<see cref="PadTop"/> .. <see cref="PadRight"/>).</summary>
        public bool Explicit;
        /// <summary>Explicit zero-point padding of the input, in rows/columns (0 unless <see cref="Explicit"/>).</summary>
        public int PadTop, PadLeft, PadBottom, PadRight;
        /// <summary>Window rows of Conv2D, DepthwiseConv2D and the pools; 0 for other kinds.</summary>
        public int KernelHeight;
        /// <summary>Window columns of Conv2D, DepthwiseConv2D and the pools; 0 for other kinds.</summary>
        public int KernelWidth;
        /// <summary>Row step of the window (windowed kinds); 0 for other kinds.</summary>
        public int StrideHeight;
        /// <summary>Column step of the window (windowed kinds); 0 for other kinds.</summary>
        public int StrideWidth;
        /// <summary>Clamp of the int8 output (the fused activation), inclusive.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp of the int8 output, inclusive (at least ActivationMin).</summary>
        public int ActivationMax;
        /// <summary>First (for most kinds the only) input tensor.</summary>
        public Tensor Input;
        /// <summary>Second input of Add; null otherwise.</summary>
        public Tensor Input2;
        /// <summary>Tensor this operator writes (never tensor 0, written by no other operator).</summary>
        public Tensor Output;
        /// <summary>Offset of this operator's int8 weights in <see cref="Model.Weights"/>; -1 without weights.</summary>
        public int WeightsOffset = -1;
        /// <summary>Number of int8 weights (bytes) in <see cref="Model.Weights"/>; 0 without weights.</summary>
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

        /// <summary>Creates the operator at table position index; the loader fills in the other fields.</summary>
        public Operator(int index, OperatorKind kind)
        {
            Index = index;
            Kind = kind;
        }
    }
}
