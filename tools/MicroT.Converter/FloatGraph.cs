namespace MicroT.Converter;

/// <summary>Layer kinds after import and fusion; each maps to one int8 kernel.</summary>
public enum LayerKind { Conv2D, DepthwiseConv2D, FullyConnected, Add, AveragePool, MaxPool, GlobalAveragePool }

/// <summary>
/// One fused float layer in NHWC order (batch 1): a Conv/Gemm/MatMul with its folded
/// BatchNormalization, bias Add and fused Relu/Clip, or an Add or a pool. Weights are already
/// in the runtime layouts: Conv2D OHWI [OutC,KH,KW,InC], depthwise [KH,KW,C], fully connected
/// [OutN,InN] with columns in NHWC order.
/// </summary>
public sealed class FloatLayer
{
    public string Name;            // ONNX name of the main node
    public string OnnxOp;          // ONNX op type of the main node
    public LayerKind Kind;
    public string[] Inputs;        // canonical activation tensor names
    public string Output;          // canonical name of the (fused) output tensor
    public int[] OutputShape;      // NHWC [1,H,W,C] or [1,N]
    public readonly List<string> FusedNodes = new List<string>();

    public float[] Weights;
    public float[] Bias;
    public int KernelH = 1, KernelW = 1, StrideH = 1, StrideW = 1;
    public int PadTop, PadLeft, PadBottom, PadRight;
    /// <summary>TFLite SAME padding (checked at import); otherwise VALID (no padding).</summary>
    public bool SamePadding;

    /// <summary>Fused activation clamp in float (Relu: [0, inf), Clip(0,6): [0, 6]).</summary>
    public float ActivationMin = float.NegativeInfinity, ActivationMax = float.PositiveInfinity;

    /// <summary>Multiply-accumulates as docs/FORMAT.md counts them (conv/FC: MACs; pools: output x window; Add, GAP: elements).</summary>
    public long Macs;

    /// <summary>What the import changed beyond fusion (e.g. a kernel enlarged to express the padding), shown by `convert`.</summary>
    public string Note;

    public int OutputElements => Shapes.Elements(OutputShape);
    public override string ToString() => $"{Kind} {Name} -> {Output} [{string.Join(",", OutputShape)}]";
}

/// <summary>A float model after import: one input, layers in execution order, the feature output
/// (and optionally the part feature output).</summary>
public sealed class FloatGraph
{
    public string Name;
    public string InputName;
    public int[] InputShape;       // NHWC [1,H,W,C]
    public int[] OnnxInputShape;   // NCHW as the ONNX model takes it
    public string OutputName;      // canonical name of the feature tensor
    public string OnnxOutputName;  // name of the ONNX graph output (may be an alias, e.g. Flatten)
    /// <summary>Canonical name of the part feature when the model computes it itself (the ONNX
    /// graph's second output, computed from the split activation alone by the part head's layers);
    /// null: the converter pools the split activation globally.</summary>
    public string PartOutputName;
    public string OnnxPartOutputName;
    /// <summary>The part head: the layers right after the split layer that compute
    /// <see cref="PartOutputName"/> (set by <see cref="SplitPlacer.Place"/>; 0 without a part output).</summary>
    public int PartHeadLayers;
    public readonly List<FloatLayer> Layers = new List<FloatLayer>();
    public Onnx.ModelProto Onnx;   // the original model (calibration runs it)

    public long TotalMacs => Layers.Sum(l => l.Macs);
    public FloatLayer Producer(string tensor) => Layers.FirstOrDefault(l => l.Output == tensor);
    public int[] ShapeOf(string tensor) => tensor == InputName ? InputShape : Producer(tensor).OutputShape;
}

internal static class Shapes
{
    public static int Elements(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }
    public static string Text(int[] shape) => string.Join("x", shape);
}
