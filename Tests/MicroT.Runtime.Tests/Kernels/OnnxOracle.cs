using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>
/// Builds one-node ONNX graphs with OnnxSharp's protobuf classes (opset 13 + com.microsoft 1)
/// and runs them with ONNX Runtime: the outside oracle for the kernels.
/// </summary>
public static class OnnxOracle
{
    const int Float = 1, Int8 = 3, Int32 = 6;

    public static TensorProto I8(string name, long[] dims, sbyte[] data)
    {
        var t = new TensorProto { Name = name, DataType = Int8, RawData = ByteString.CopyFrom((byte[])(Array)data) };
        t.Dims.AddRange(dims);
        return t;
    }

    public static TensorProto I8(string name, int value) => I8(name, Array.Empty<long>(), new[] { (sbyte)value });

    public static TensorProto F32(string name, long[] dims, float[] data)
    {
        var t = new TensorProto { Name = name, DataType = Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(data);
        return t;
    }

    public static TensorProto F32(string name, double value) => F32(name, Array.Empty<long>(), new[] { (float)value });

    public static TensorProto I32(string name, long[] dims, int[] data)
    {
        var t = new TensorProto { Name = name, DataType = Int32 };
        t.Dims.AddRange(dims);
        t.Int32Data.AddRange(data);
        return t;
    }

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto Int(string name, long v) =>
        new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    static ValueInfoProto Int8Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Int8, Shape = shape } },
        };
    }

    /// <summary>Runs one node whose first input is "x" (int8, given dims) and whose output is "y" (int8).</summary>
    public static sbyte[] Run(string opType, string domain, string[] nodeInputs, TensorProto[] initializers,
        AttributeProto[] attributes, sbyte[] x, long[] xDims, long[] yDims)
    {
        var node = new NodeProto { OpType = opType, Domain = domain ?? "" };
        node.Input.AddRange(nodeInputs);
        node.Output.Add("y");
        node.Attribute.AddRange(attributes);
        var graph = new GraphProto { Name = "g" };
        graph.Node.Add(node);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(Int8Value("x", xDims));
        graph.Output.Add(Int8Value("y", yDims));
        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "MicroT.Runtime.Tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var input = NamedOnnxValue.CreateFromTensor("x", new DenseTensor<sbyte>(x, xDims.Select(d => (int)d).ToArray()));
        using var results = session.Run(new[] { input });
        return results.First().AsTensor<sbyte>().ToArray();
    }

    /// <summary>NHWC [h, w, c] to NCHW [1, c, h, w].</summary>
    public static sbyte[] ToNchw(sbyte[] nhwc, int h, int w, int c)
    {
        var o = new sbyte[nhwc.Length];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int ch = 0; ch < c; ch++)
            o[(ch * h + y) * w + x] = nhwc[(y * w + x) * c + ch];
        return o;
    }

    public static sbyte[] ToNhwc(sbyte[] nchw, int h, int w, int c)
    {
        var o = new sbyte[nchw.Length];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int ch = 0; ch < c; ch++)
            o[(y * w + x) * c + ch] = nchw[(ch * h + y) * w + x];
        return o;
    }
}

/// <summary>Exact-match share and largest difference of kernel outputs against an oracle.</summary>
public sealed class Agreement
{
    public long Total, Exact;
    public int MaxDiff;

    public void Add(sbyte[] kernel, sbyte[] oracle)
    {
        if (kernel.Length != oracle.Length) throw new InvalidOperationException($"length {kernel.Length} vs {oracle.Length}");
        for (int i = 0; i < kernel.Length; i++)
        {
            int d = Math.Abs(kernel[i] - oracle[i]);
            if (d == 0) Exact++;
            if (d > MaxDiff) MaxDiff = d;
            Total++;
        }
    }

    public double ExactShare => Total == 0 ? 0 : (double)Exact / Total;

    public override string ToString() => $"{Total} outputs, exact {100 * ExactShare:F2}%, max diff {MaxDiff}";
}
