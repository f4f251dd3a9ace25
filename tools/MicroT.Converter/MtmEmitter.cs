using MicroT.ModelWriter;
using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;

namespace MicroT.Converter;

/// <summary>
/// Writes a <see cref="QuantizedModel"/> as a .mtm file through the project's model writer
/// (tools/MicroT.ModelWriter), which loads the bytes back with the runtime's validating reader.
/// The part feature is a GlobalAveragePool of the split activation, inserted right after the
/// split layer, so the part model is operators [0, split layer + 1] and the rest resumes from the
/// split activation; or, when the model has a part head (its own part output), the part model is
/// operators [0, split layer + head layers] and the last head layer writes the part feature.
/// </summary>
public static class MtmEmitter
{
    public static byte[] Write(QuantizedModel q, bool bilinearResize) => Write(q, bilinearResize, limitsOnly: false);

    /// <summary>
    /// Checks, before calibration, that the runtime accepts the model's structure: writes it with
    /// placeholder quantization (unit scales, zero weights) and loads it with the runtime's
    /// reader. Throws <see cref="ConversionException"/> naming the limit.
    /// </summary>
    public static void CheckLimits(FloatGraph g, int split, bool bilinearResize)
    {
        var q = new QuantizedModel { Name = g.Name, InputLow = 0, InputHigh = 1, SplitLayer = split, PartHeadLayers = g.PartOutputName != null ? g.PartHeadLayers : 0 };
        var index = new Dictionary<string, int>();
        int Tensor(string name, int[] shape)
        {
            q.Tensors.Add(new QTensor { Name = name, Shape = shape, Scale = 1f / 255, ZeroPoint = -128 });
            return index[name] = q.Tensors.Count - 1;
        }
        q.InputTensor = Tensor(g.InputName, g.InputShape);
        foreach (var l in g.Layers)
        {
            var ql = new QLayer { Source = l, Inputs = l.Inputs.Select(n => index[n]).ToArray() };
            if (l.Weights != null)
            {
                ql.Weights = new sbyte[l.Weights.Length];
                ql.Bias = new int[l.Bias.Length];
                ql.WeightScales = Enumerable.Repeat(1f, l.Bias.Length).ToArray();
            }
            ql.Output = Tensor(l.Output, l.OutputShape);
            q.Layers.Add(ql);
        }
        q.Tensors[q.InputTensor].Scale = 1f / 255;
        q.OutputTensor = index[g.OutputName];
        q.PartFeature = g.PartOutputName != null ? q.Tensors[index[g.PartOutputName]]
            : new QTensor { Name = SplitPlacer.PooledName(g.Layers[split].Output), Shape = new[] { 1, 1, 1, g.Layers[split].OutputShape[3] }, Scale = 1f / 255, ZeroPoint = -128 };
        Write(q, bilinearResize, limitsOnly: true);
    }

    static byte[] Write(QuantizedModel q, bool bilinearResize, bool limitsOnly)
    {
        var input = q.Tensors[q.InputTensor];
        ModelBuilder b;
        try
        {
            b = new ModelBuilder(FileName(q.Name), input.Shape[1], input.Shape[2], input.Shape[3], new Quant(input.Scale, input.ZeroPoint))
            {
                ResizeMode = bilinearResize ? ResizeMode.Bilinear : ResizeMode.Nearest,
                PixelScale = (q.InputHigh - q.InputLow) / 255f,
                PixelOffset = q.InputLow,
            };
        }
        catch (ArgumentException e) { throw new ConversionException($"the model's input does not fit the MicroT runtime: {e.Message}.", e); }
        var map = new Dictionary<int, int> { [q.InputTensor] = b.Input };
        int split = -1, partFeature = -1;
        for (int i = 0; i < q.Layers.Count; i++)
        {
            var l = q.Layers[i];
            var s = l.Source;
            var o = q.Tensors[l.Output];
            var quant = new Quant(o.Scale, o.ZeroPoint);
            var clamp = new Clamp(l.ActMin, l.ActMax);
            int x = map[l.Inputs[0]];
            var window = WindowOf(s, b.Shape(x));
            try
            {
                int y = l.Kind switch
                {
                    LayerKind.Conv2D => b.Conv2D(x, window, l.Weights, l.WeightScales, l.Bias, quant, clamp),
                    LayerKind.DepthwiseConv2D => b.DepthwiseConv2D(x, window, l.Weights, l.WeightScales, l.Bias, quant, clamp),
                    LayerKind.FullyConnected => b.FullyConnected(x, l.Weights, l.WeightScales, l.Bias, quant, clamp),
                    LayerKind.Add => b.Add(x, map[l.Inputs[1]], quant, clamp),
                    LayerKind.AveragePool => b.AveragePool2D(x, window, clamp),
                    LayerKind.MaxPool => b.MaxPool2D(x, window, clamp),
                    LayerKind.GlobalAveragePool => b.GlobalAveragePool(x, quant),
                    _ => throw new ConversionException($"layer '{s.Name}': kind {l.Kind} has no writer mapping."),
                };
                map[l.Output] = y;
                if (i == q.SplitLayer + q.PartHeadLayers)
                {
                    partFeature = q.PartHeadLayers > 0 ? y : b.GlobalAveragePool(y, new Quant(q.PartFeature.Scale, q.PartFeature.ZeroPoint));
                    split = b.OperatorCount;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // The writer's own checks (shapes, windows, operator and tensor counts).
                throw new ConversionException($"node '{s.Name}' (op {s.OnnxOp}): the MicroT runtime cannot hold this layer: {e.Message}.", e);
            }
        }
        b.SetSplit(split, partFeature, map[q.OutputTensor]);
        try { return b.Build(); }
        catch (Exception e) when (limitsOnly && e is ModelFormatException or ArgumentException or InvalidOperationException)
        {
            throw new ConversionException($"the model exceeds the MicroT runtime's limits (docs/FORMAT.md): {e.Message}", e);
        }
        catch (ModelFormatException e) { throw new ConversionException($"the runtime's reader rejects the converted model: {e.Message}. This is a converter bug; please report it with the ONNX file.", e); }
    }

    /// <summary>
    /// VALID without pads, TFLite SAME when the pads are what SAME gives (same output size and
    /// padding before), else the pads explicitly (docs/FORMAT.md padding code 2).
    /// </summary>
    static Window WindowOf(FloatLayer s, (int Height, int Width, int Channels) input)
    {
        if ((s.PadTop | s.PadLeft | s.PadBottom | s.PadRight) == 0)
            return new Window(s.KernelH, s.KernelW, s.StrideH, s.StrideW, Padding.Valid);
        if (IsSame(input.Height, s.KernelH, s.StrideH, s.PadTop, s.PadBottom) && IsSame(input.Width, s.KernelW, s.StrideW, s.PadLeft, s.PadRight))
            return new Window(s.KernelH, s.KernelW, s.StrideH, s.StrideW, Padding.Same);
        return new Window(s.KernelH, s.KernelW, s.StrideH, s.StrideW, Padding.Valid, new Pads(s.PadTop, s.PadLeft, s.PadBottom, s.PadRight));
    }

    static bool IsSame(int input, int k, int stride, int before, int after)
    {
        int same = (input + stride - 1) / stride;
        int total = Math.Max(0, (same - 1) * stride + k - input);
        return (input + before + after - k) / stride + 1 == same && before == total / 2;
    }

    /// <summary>The model name as the format stores it: 1 to 32 printable ASCII characters.</summary>
    public static string FileName(string name)
    {
        var chars = (name ?? "").Where(c => c >= 0x20 && c <= 0x7E).Take(ModelFormat.NameLength).ToArray();
        return chars.Length == 0 ? "model" : new string(chars);
    }
}
