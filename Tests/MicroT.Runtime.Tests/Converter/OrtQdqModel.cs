using Google.Protobuf;
using MicroT.Converter;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using static MicroT.Runtime.Tests.Converter.OnnxModelBuilder;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// ONNX Runtime's own int8 path for a converted model: the <see cref="QuantizedModel"/> written
/// back as a QDQ ONNX graph (NCHW) with the very same int8 weights, int32 biases, scales and zero
/// points: DequantizeLinear -> float op -> fused Relu/Clip -> QuantizeLinear per layer. ONNX
/// Runtime fuses such patterns into its integer kernels (QLinearConv ...) where it can. Input:
/// the int8 model input; outputs: the int8 part and full features.
/// </summary>
public sealed class OrtQdqModel : IDisposable
{
    readonly InferenceSession session;
    readonly QuantizedModel q;

    public OrtQdqModel(QuantizedModel q)
    {
        this.q = q;
        var g = new GraphProto { Name = "qdq" };
        int counter = 0;
        string Name(string s) => s + "_" + counter++;

        TensorProto Tensor(string name, int type, long[] dims, byte[] raw)
        {
            var t = new TensorProto { Name = name, DataType = type, RawData = ByteString.CopyFrom(raw) };
            t.Dims.AddRange(dims);
            g.Initializer.Add(t);
            return t;
        }
        string F32(float[] v, params long[] dims) { var n = Name("f"); var b = new byte[v.Length * 4]; Buffer.BlockCopy(v, 0, b, 0, b.Length); Tensor(n, 1, dims, b); return n; }
        string I8(sbyte[] v, params long[] dims) { var n = Name("i8"); var b = new byte[v.Length]; Buffer.BlockCopy(v, 0, b, 0, b.Length); Tensor(n, 3, dims, b); return n; }
        string I32(int[] v, params long[] dims) { var n = Name("i32"); var b = new byte[v.Length * 4]; Buffer.BlockCopy(v, 0, b, 0, b.Length); Tensor(n, 6, dims, b); return n; }
        string Node(string op, string[] inputs, params AttributeProto[] attrs)
        {
            var n = new NodeProto { OpType = op, Name = Name(op) };
            n.Input.AddRange(inputs);
            n.Output.Add(n.Name + "_out");
            n.Attribute.AddRange(attrs);
            g.Node.Add(n);
            return n.Output[0];
        }
        string Dq(string x, QTensor t) => Node("DequantizeLinear", new[] { x, F32(new[] { t.Scale }), I8(new[] { (sbyte)t.ZeroPoint }) });
        string Qz(string x, QTensor t) => Node("QuantizeLinear", new[] { x, F32(new[] { t.Scale }), I8(new[] { (sbyte)t.ZeroPoint }) });
        string Act(string x, FloatLayer l)
        {
            if (float.IsNegativeInfinity(l.ActivationMin) && float.IsPositiveInfinity(l.ActivationMax)) return x;
            return Node("Clip", new[] { x, F32(new[] { l.ActivationMin }), F32(new[] { float.IsPositiveInfinity(l.ActivationMax) ? float.MaxValue : l.ActivationMax }) });
        }

        var input = q.Tensors[q.InputTensor];
        var nchw = new long[] { 1, input.Shape[3], input.Shape[1], input.Shape[2] };
        g.Input.Add(ValueInfo("input", 3, nchw));
        var names = new Dictionary<int, string> { [q.InputTensor] = "input" };
        string part = null;
        for (int i = 0; i < q.Layers.Count; i++)
        {
            var l = q.Layers[i];
            var s = l.Source;
            var xt = q.Tensors[l.Inputs[0]];
            var yt = q.Tensors[l.Output];
            string x = Dq(names[l.Inputs[0]], xt), y;
            var pads = Ints("pads", s.PadTop, s.PadLeft, s.PadBottom, s.PadRight);
            var window = new[] { Ints("kernel_shape", s.KernelH, s.KernelW), Ints("strides", s.StrideH, s.StrideW), pads };
            switch (l.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.DepthwiseConv2D:
                    {
                        bool dw = l.Kind == LayerKind.DepthwiseConv2D;
                        int oc = yt.Shape[3], ic = dw ? 1 : xt.Shape[3], kh = s.KernelH, kw = s.KernelW;
                        var w = new sbyte[oc * ic * kh * kw];
                        for (int o = 0; o < oc; o++)
                            for (int c = 0; c < ic; c++)
                                for (int ky = 0; ky < kh; ky++)
                                    for (int kx = 0; kx < kw; kx++)
                                        w[((o * ic + c) * kh + ky) * kw + kx] = dw ? l.Weights[(ky * kw + kx) * oc + o] : l.Weights[((o * kh + ky) * kw + kx) * ic + c];
                        var wf = Node("DequantizeLinear", new[] { I8(w, oc, ic, kh, kw), F32(l.WeightScales, oc), I8(new sbyte[oc], oc) }, Int("axis", 0));
                        var bs = l.WeightScales.Select(ws => xt.Scale * ws).ToArray();
                        var bf = Node("DequantizeLinear", new[] { I32(l.Bias, oc), F32(bs, oc), I32(new int[oc], oc) }, Int("axis", 0));
                        y = Node("Conv", new[] { x, wf, bf }, window.Append(Int("group", dw ? oc : 1)).ToArray());
                        break;
                    }
                case LayerKind.FullyConnected:
                    {
                        int outN = yt.Shape[^1], inN = xt.Elements;
                        // The runtime flattens NHWC: transpose a 4-D input to NHWC before flattening.
                        if (xt.Shape.Length == 4) x = Node("Flatten", new[] { Node("Transpose", new[] { x }, Ints("perm", 0, 2, 3, 1)) }, Int("axis", 1));
                        var wf = Node("DequantizeLinear", new[] { I8(l.Weights, outN, inN), F32(l.WeightScales, outN), I8(new sbyte[outN], outN) }, Int("axis", 0));
                        var bf = Node("DequantizeLinear", new[] { I32(l.Bias, outN), F32(l.WeightScales.Select(ws => xt.Scale * ws).ToArray(), outN), I32(new int[outN], outN) }, Int("axis", 0));
                        y = Node("Gemm", new[] { x, wf, bf }, Int("transB", 1));
                        break;
                    }
                case LayerKind.Add: y = Node("Add", new[] { x, Dq(names[l.Inputs[1]], q.Tensors[l.Inputs[1]]) }); break;
                case LayerKind.MaxPool: y = Node("MaxPool", new[] { x }, window); break;
                case LayerKind.AveragePool: y = Node("AveragePool", new[] { x }, window.Append(Int("count_include_pad", 0)).ToArray()); break;
                default: y = Node("GlobalAveragePool", new[] { x }); break;
            }
            names[l.Output] = Qz(Act(y, s), yt);
            if (i == q.SplitLayer) part = Qz(Node("GlobalAveragePool", new[] { Dq(names[l.Output], yt) }), q.PartFeature);
        }
        g.Output.Add(new ValueInfoProto { Name = part, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 3 } } });
        g.Output.Add(new ValueInfoProto { Name = names[q.OutputTensor], Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 3 } } });
        var model = new ModelProto { IrVersion = 8, Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        session = new InferenceSession(model.ToByteArray(), options);
    }

    static ValueInfoProto ValueInfo(string name, int type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } } };
    }

    /// <summary>Runs an int8 NHWC input; returns the int8 part and full features.</summary>
    public (sbyte[] part, sbyte[] full) Run(sbyte[] inputNhwc)
    {
        var s = q.Tensors[q.InputTensor].Shape;
        int h = s[1], w = s[2], c = s[3];
        var nchw = new sbyte[inputNhwc.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < c; ch++)
                    nchw[(ch * h + y) * w + x] = inputNhwc[(y * w + x) * c + ch];
        using var r = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", new DenseTensor<sbyte>(nchw, new[] { 1, c, h, w })) });
        var outs = r.ToList();
        return (outs[0].AsTensor<sbyte>().ToArray(), outs[1].AsTensor<sbyte>().ToArray());
    }

    public void Dispose() => session.Dispose();
}
