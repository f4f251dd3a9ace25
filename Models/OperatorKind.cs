namespace MicroT.Runtime.Models
{
    /// <summary>Operator codes as stored in the file (docs/FORMAT.md, "Operators").</summary>
    public enum OperatorKind : byte
    {
        /// <summary>Convolution, weights OHWI [OutC, KH, KW, InC], per-output-channel scales.</summary>
        Conv2D = 1,
        /// <summary>Depthwise convolution, depth multiplier 1, weights [KH, KW, C], per-channel scales.</summary>
        DepthwiseConv2D = 2,
        /// <summary>Fully connected, weights [OutN, InN]; the input is flattened in NHWC order.</summary>
        FullyConnected = 3,
        /// <summary>Element-wise sum of two tensors of the same shape.</summary>
        Add = 4,
        /// <summary>Average pooling; output quantization equals the input's.</summary>
        AveragePool2D = 5,
        /// <summary>Max pooling; output quantization equals the input's.</summary>
        MaxPool2D = 6,
        /// <summary>Mean over height and width to 1x1xC; output quantization equals the input's.</summary>
        GlobalAveragePool = 7,
        /// <summary>Softmax over the last axis; output scale 1/256, zero point -128.</summary>
        Softmax = 8,
    }
}
