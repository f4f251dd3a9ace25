using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MicroT.Converter;

/// <summary>
/// Runs the original float ONNX model with ONNX Runtime and returns every activation the int8
/// model will have (the input and each fused layer's output), in NHWC order. The ONNX model is
/// copied with those tensors added as graph outputs, so ONNX Runtime computes them all in one run.
/// </summary>
public sealed class OnnxFloatRunner : IDisposable
{
    readonly FloatGraph graph;
    readonly InferenceSession session;
    readonly string[] outputs;

    public OnnxFloatRunner(FloatGraph graph)
    {
        this.graph = graph;
        var model = graph.Onnx.Clone();
        var existing = new HashSet<string>(model.Graph.Output.Select(o => o.Name));
        outputs = graph.Layers.Select(l => l.Output).Distinct().ToArray();
        foreach (var name in outputs)
        {
            if (existing.Contains(name)) continue;
            model.Graph.Output.Add(new Onnx.ValueInfoProto
            {
                Name = name,
                Type = new Onnx.TypeProto { TensorType = new Onnx.TypeProto.Types.Tensor { ElemType = (int)Onnx.TensorProto.Types.DataType.Float } },
            });
        }
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try { session = new InferenceSession(model.ToByteArray(), options); }
        catch (OnnxRuntimeException e)
        {
            throw new ConversionException($"ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]}); the model is malformed. Check it with onnx.checker.check_model.", e);
        }
    }

    /// <summary>Runs one NHWC float input; returns canonical tensor name -> NHWC values.</summary>
    public Dictionary<string, float[]> Run(float[] inputNhwc)
    {
        int h = graph.InputShape[1], w = graph.InputShape[2], c = graph.InputShape[3];
        if (inputNhwc.Length != h * w * c) throw new ArgumentException($"input has {inputNhwc.Length} values, expected {h}x{w}x{c}");
        var nchw = new float[inputNhwc.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < c; ch++)
                    nchw[(ch * h + y) * w + x] = inputNhwc[(y * w + x) * c + ch];
        var tensor = new DenseTensor<float>(nchw, graph.OnnxInputShape);
        var result = new Dictionary<string, float[]> { [graph.InputName] = inputNhwc };
        IDisposableReadOnlyCollection<DisposableNamedOnnxValue> run;
        try { run = session.Run(new[] { NamedOnnxValue.CreateFromTensor(graph.InputName, tensor) }, outputs); }
        catch (OnnxRuntimeException e)
        {
            throw new ConversionException($"ONNX Runtime cannot run the model ({e.Message.Split('\n')[0]}); the model is malformed. Check it with onnx.checker.check_model.", e);
        }
        using var _ = run;
        foreach (var r in run)
        {
            var t = r.AsTensor<float>();
            var values = t.ToArray();
            var dims = t.Dimensions.ToArray();
            result[r.Name] = dims.Length == 4 ? ToNhwc(values, dims[1], dims[2], dims[3]) : values;
        }
        return result;
    }

    static float[] ToNhwc(float[] nchw, int c, int h, int w)
    {
        var r = new float[nchw.Length];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    r[(y * w + x) * c + ch] = nchw[(ch * h + y) * w + x];
        return r;
    }

    public void Dispose() => session.Dispose();
}
