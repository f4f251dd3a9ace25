using Google.Protobuf;
using Onnx;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// Builds small float ONNX models in code with the OnnxSharp protobuf classes (no PyTorch):
/// random weights from a seed, shapes tracked so a test only names the layers.
/// </summary>
public sealed class OnnxModelBuilder
{
    readonly GraphProto graph = new GraphProto { Name = "test" };
    readonly Dictionary<string, int[]> shapes = new Dictionary<string, int[]>();
    readonly Random rng;
    int counter;
    public string Input { get; }
    public int Opset = 13;
    /// <summary>Stride-2 depthwise convs in <see cref="InvertedResidual"/> pad symmetrically (PyTorch padding=1) instead of Pad(0,0,1,1).</summary>
    public bool PyTorchPadding;

    public OnnxModelBuilder(int channels, int height, int width, int seed = 1, string inputName = "input", string batchParam = null)
    {
        rng = new Random(seed);
        Input = inputName;
        var shape = new TensorShapeProto();
        shape.Dim.Add(batchParam == null ? new TensorShapeProto.Types.Dimension { DimValue = 1 } : new TensorShapeProto.Types.Dimension { DimParam = batchParam });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = height });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        graph.Input.Add(new ValueInfoProto { Name = inputName, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } });
        shapes[inputName] = new[] { 1, channels, height, width };
    }

    public int[] Shape(string t) => shapes[t];

    string Fresh(string op) => $"{op.ToLowerInvariant()}{counter++}";

    public string Initializer(float[] values, params long[] dims)
    {
        var name = "w" + counter++;
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        t.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(t);
        return name;
    }

    public string Int64Initializer(params long[] values)
    {
        var name = "i" + counter++;
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        graph.Initializer.Add(t);
        return name;
    }

    public float[] Random(int n, double scale)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return r;
    }

    public NodeProto Node(string op, string[] inputs, int[] outShape, string name = null, params AttributeProto[] attrs)
    {
        var output = Fresh(op);
        var n = new NodeProto { OpType = op, Name = name ?? output + "_node" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attrs);
        graph.Node.Add(n);
        if (outShape != null) shapes[output] = outShape;
        return n;
    }

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
    public static AttributeProto Int(string name, long v) => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Float(string name, float v) => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    public static AttributeProto Str(string name, string v) => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    public string Conv(string x, int outC, int k = 3, int stride = 1, int pad = -1, bool depthwise = false, bool bias = true, string name = null, long[] pads = null)
    {
        var s = shapes[x];
        int inC = s[1];
        if (depthwise) outC = inC;
        if (pad < 0) pad = k / 2;
        pads ??= new long[] { pad, pad, pad, pad };
        int fanIn = depthwise ? k * k : inC * k * k;
        var w = Initializer(Random(outC * (depthwise ? 1 : inC) * k * k, Math.Sqrt(3.0 / fanIn)), outC, depthwise ? 1 : inC, k, k);
        var inputs = new List<string> { x, w };
        if (bias) inputs.Add(Initializer(Random(outC, 0.1), outC));
        int oh = (s[2] + (int)pads[0] + (int)pads[2] - k) / stride + 1, ow = (s[3] + (int)pads[1] + (int)pads[3] - k) / stride + 1;
        return Node("Conv", inputs.ToArray(), new[] { 1, outC, oh, ow }, name,
            Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pads), Int("group", depthwise ? inC : 1)).Output[0];
    }

    public string BatchNorm(string x, string name = null)
    {
        int c = shapes[x][1];
        var scale = Initializer(Random(c, 0.5).Select(v => 1 + v).ToArray(), c);
        var b = Initializer(Random(c, 0.2), c);
        var mean = Initializer(Random(c, 0.2), c);
        var var = Initializer(Random(c, 0.5).Select(v => 1 + v).ToArray(), c);
        return Node("BatchNormalization", new[] { x, scale, b, mean, var }, shapes[x], name, Float("epsilon", 1e-5f)).Output[0];
    }

    public string Relu(string x, string name = null) => Node("Relu", new[] { x }, shapes[x], name).Output[0];

    public string Clip(string x, float lo, float hi, string name = null)
    {
        var a = Initializer(new[] { lo });
        var b = Initializer(new[] { hi });
        return Node("Clip", new[] { x, a, b }, shapes[x], name).Output[0];
    }

    public string Add(string a, string b, string name = null) => Node("Add", new[] { a, b }, shapes[a], name).Output[0];

    public string GlobalAveragePool(string x, string name = null) =>
        Node("GlobalAveragePool", new[] { x }, new[] { 1, shapes[x][1], 1, 1 }, name).Output[0];

    public string Pool(string op, string x, int k, int stride, int pad = 0, string name = null)
    {
        var s = shapes[x];
        int oh = (s[2] + 2 * pad - k) / stride + 1, ow = (s[3] + 2 * pad - k) / stride + 1;
        return Node(op, new[] { x }, new[] { 1, s[1], oh, ow }, name, Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad)).Output[0];
    }

    public string Flatten(string x, string name = null) =>
        Node("Flatten", new[] { x }, new[] { 1, shapes[x].Skip(1).Aggregate(1, (a, b) => a * b) }, name, Int("axis", 1)).Output[0];

    public string Reshape(string x, long[] shape, string name = null) =>
        Node("Reshape", new[] { x, Int64Initializer(shape) }, new[] { 1, shapes[x].Skip(1).Aggregate(1, (a, b) => a * b) }, name).Output[0];

    public string Gemm(string x, int outN, bool transB = true, string name = null)
    {
        int inN = shapes[x].Skip(1).Aggregate(1, (a, b) => a * b);
        var w = transB ? Initializer(Random(outN * inN, Math.Sqrt(3.0 / inN)), outN, inN) : Initializer(Random(outN * inN, Math.Sqrt(3.0 / inN)), inN, outN);
        var b = Initializer(Random(outN, 0.1), outN);
        return Node("Gemm", new[] { x, w, b }, new[] { 1, outN }, name, Int("transB", transB ? 1 : 0)).Output[0];
    }

    public string MatMul(string x, int outN, string name = null)
    {
        int inN = shapes[x][1];
        var w = Initializer(Random(outN * inN, Math.Sqrt(3.0 / inN)), inN, outN);
        return Node("MatMul", new[] { x, w }, new[] { 1, outN }, name).Output[0];
    }

    public string Pad(string x, long top, long left, long bottom, long right, string name = null)
    {
        var s = shapes[x];
        var pads = Int64Initializer(0, 0, top, left, 0, 0, bottom, right);
        return Node("Pad", new[] { x, pads }, new[] { 1, s[1], s[2] + (int)(top + bottom), s[3] + (int)(left + right) }, name, Str("mode", "constant")).Output[0];
    }

    /// <summary>Conv-BN-ReLU6, depthwise Conv-BN-ReLU6, pointwise Conv-BN (+ residual when shapes allow): a MobileNetV2 block.</summary>
    public string InvertedResidual(string x, int expand, int outC, int stride, string prefix)
    {
        int inC = shapes[x][1];
        var t = Clip(BatchNorm(Conv(x, inC * expand, k: 1, pad: 0, bias: false, name: prefix + "_expand")), 0, 6);
        t = stride == 2 && !PyTorchPadding
            ? Conv(Pad(t, 0, 0, 1, 1), 0, k: 3, stride: 2, pad: 0, depthwise: true, bias: false, name: prefix + "_dw")
            : Conv(t, 0, k: 3, stride: stride, depthwise: true, bias: false, name: prefix + "_dw");
        t = Clip(BatchNorm(t), 0, 6);
        t = BatchNorm(Conv(t, outC, k: 1, pad: 0, bias: false, name: prefix + "_project"), name: prefix + "_project_bn");
        if (stride == 1 && inC == outC) t = Add(x, t, name: prefix + "_add");
        return t;
    }

    public byte[] Build(string output, int? opset = null, string outputDimParam = null, string partOutput = null)
    {
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        if (partOutput != null)
            graph.Output.Add(new ValueInfoProto { Name = partOutput, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        var model = new ModelProto { IrVersion = 8, ProducerName = "MicroT.Runtime.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset ?? Opset });
        return model.ToByteArray();
    }
}
