namespace MicroT.Converter;

/// <summary>An int8 activation tensor: real = (q - ZeroPoint) * Scale. Shape NHWC [1,H,W,C] or [1,N].</summary>
public sealed class QTensor
{
    public string Name;
    public int[] Shape;
    public float Scale;
    public int ZeroPoint;
    public int Elements => Shapes.Elements(Shape);
    public float Dequantize(sbyte q) => (q - ZeroPoint) * Scale;
}

/// <summary>
/// One int8 layer, TFLite semantics (docs/KERNELS.md): per-channel symmetric int8 weights in the
/// runtime layouts, int32 bias at scale input_scale * weight_scale[c], fused activation as an
/// int8 clamp [ActMin, ActMax]. Multipliers and shifts are not stored: the runtime derives them
/// from the scales when it loads the model (docs/FORMAT.md), so they cannot disagree.
/// </summary>
public sealed class QLayer
{
    public FloatLayer Source;
    public LayerKind Kind => Source.Kind;
    public int[] Inputs;          // indices into QuantizedModel.Tensors
    public int Output;
    public sbyte[] Weights;
    public int[] Bias;
    public float[] WeightScales;
    public int ActMin = -128, ActMax = 127;
}

/// <summary>A quantized extractor ready to be written: tensors, layers and the MicroT split.</summary>
public sealed class QuantizedModel
{
    public string Name;
    public readonly List<QTensor> Tensors = new List<QTensor>();
    public readonly List<QLayer> Layers = new List<QLayer>();
    public int InputTensor, OutputTensor;
    /// <summary>Float value of pixel 0 and pixel 255 in the model input (preprocessing).</summary>
    public float InputLow, InputHigh;
    /// <summary>Layers [0, SplitLayer] end in the split activation, from which the rest resumes; the
    /// part model is those plus the part head (<see cref="PartHeadLayers"/>), or plus a global average pool of the split activation.</summary>
    public int SplitLayer;
    public int SplitTensor => Layers[SplitLayer].Output;
    /// <summary>Layers after SplitLayer that compute the part feature (the model's own part output); 0: the converter pools the split activation.</summary>
    public int PartHeadLayers;
    /// <summary>Quantization of the part feature: the last part-head layer's output tensor, or the global average pool of the split activation (calibrated).</summary>
    public QTensor PartFeature;
    public long PartMacs, FullMacs;
}
