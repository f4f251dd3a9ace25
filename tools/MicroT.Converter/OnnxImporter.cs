using Onnx;

namespace MicroT.Converter;

/// <summary>
/// Reads a float ONNX model (opsets 11 to 17) with the OnnxSharp protobuf classes and turns it
/// into a <see cref="FloatGraph"/>: NCHW to NHWC, BatchNormalization folded into the conv before
/// it, Relu/Clip fused into the layer before them, Flatten/Reshape folded into the Gemm/MatMul
/// after them, a MatMul's bias Add fused. Everything it cannot do is a
/// <see cref="ConversionException"/> naming the node, its op type and what to do.
/// </summary>
public static class OnnxImporter
{
    public const int MinOpset = 11, MaxOpset = 17;

    /// <summary>Largest height, width or channel count of a runtime tensor (16-bit fields in docs/FORMAT.md).</summary>
    public const int MaxDimension = 65535;

    public static readonly string[] SupportedOps =
    {
        "Conv", "BatchNormalization", "Relu", "Clip", "Add", "GlobalAveragePool", "AveragePool",
        "MaxPool", "Flatten", "Reshape", "Gemm", "MatMul", "Pad", "ReduceMean", "Squeeze", "Identity", "Dropout", "Constant",
    };

    const string Supported = "Supported ops: Conv (group 1 or group = channels), BatchNormalization after a Conv or Gemm, " +
        "Relu/Clip after a Conv, Gemm, MatMul or Add, Add, GlobalAveragePool, AveragePool, MaxPool, " +
        "Flatten/Reshape before a Gemm/MatMul, Gemm, MatMul, a zero Pad before a Conv, ReduceMean over height and width, Squeeze of a pooled [1,C,1,1] (see docs/CONVERTER.md)";

    public static FloatGraph Load(string path)
    {
        if (!File.Exists(path)) throw new ConversionException($"ONNX file '{path}' does not exist.");
        return Import(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path));
    }

    public static FloatGraph Import(byte[] onnxBytes, string name)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(onnxBytes); }
        catch (Exception e) { throw new ConversionException($"'{name}' is not a valid ONNX protobuf file ({e.Message}). Export the model again with torch.onnx.export or tf2onnx.", e); }
        if (model.Graph == null || model.Graph.Node.Count == 0)
            throw new ConversionException($"'{name}' holds no graph nodes: it is not an ONNX model, or an empty one.");
        return new Importer(model, name).Run();
    }

    /// <summary>A value flowing between nodes: an activation (NCHW shape) or a constant.</summary>
    sealed class Value
    {
        public string Canonical;      // activation tensor the layers see (aliases resolve to it)
        public int[] Nchw;            // activation shape as ONNX sees it: [1,C,H,W] or [1,N]
        public bool FlattenedFrom4D;  // a Flatten/Reshape of a [1,C,H,W] with H*W > 1
        public int[] Before4D;        // NCHW shape before that flatten
        public TensorProto Constant;
        public NodeProto FlattenNode;
        public NodeProto PadNode;         // a zero Pad waiting to be folded into the Conv after it
        public int[] Pads;                // its top, left, bottom, right
    }

    sealed class Importer
    {
        readonly ModelProto model;
        readonly GraphProto g;
        readonly FloatGraph graph;
        readonly Dictionary<string, Value> values = new Dictionary<string, Value>();
        readonly Dictionary<string, int> consumers = new Dictionary<string, int>();

        public Importer(ModelProto model, string name)
        {
            this.model = model;
            g = model.Graph;
            graph = new FloatGraph { Name = name, Onnx = model };
        }

        public FloatGraph Run()
        {
            CheckOpset();
            foreach (var t in g.Initializer) values[t.Name] = new Value { Constant = t };
            ReadInput();
            foreach (var n in g.Node)
                foreach (var i in n.Input)
                    if (i.Length > 0) consumers[i] = consumers.TryGetValue(i, out int c) ? c + 1 : 1;
            foreach (var n in g.Node) Visit(n);
            ReadOutput();
            Prune();
            return graph;
        }

        void CheckOpset()
        {
            foreach (var o in model.OpsetImport)
            {
                if (o.Domain.Length == 0 || o.Domain == "ai.onnx")
                {
                    if (o.Version < MinOpset || o.Version > MaxOpset)
                        throw new ConversionException($"the model uses ONNX opset {o.Version}; the converter reads opsets {MinOpset} to {MaxOpset}. Export again with opset_version={MinOpset + 2} (torch.onnx.export(..., opset_version=13)).");
                }
                else if (o.Domain != "ai.onnx.ml")
                    throw new ConversionException($"the model imports the operator domain '{o.Domain}'; only the standard ONNX domain is supported. Export without custom or contrib ops.");
            }
        }

        void ReadInput()
        {
            var inputs = g.Input.Where(i => !values.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
                throw new ConversionException($"the model has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a MicroT extractor takes exactly one image input [1,C,H,W].");
            var input = inputs[0];
            var tt = input.Type?.TensorType;
            if (tt == null || tt.ElemType != (int)TensorProto.Types.DataType.Float)
                throw new ConversionException($"input '{input.Name}' is not a float tensor; export the float model (the converter quantizes it).");
            var dims = tt.Shape?.Dim;
            if (dims == null || dims.Count != 4)
                throw new ConversionException($"input '{input.Name}' has {(dims == null ? "no" : dims.Count.ToString())} dimensions; a MicroT extractor takes one image [1,C,H,W] (NCHW).");
            var shape = new int[4];
            string[] names = { "batch", "channels", "height", "width" };
            for (int d = 0; d < 4; d++)
            {
                var dim = dims[d];
                bool isValue = dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue > 0;
                if (d == 0 && (!isValue || dim.DimValue == 1)) { shape[0] = 1; continue; } // a symbolic batch runs as 1
                if (!isValue)
                    throw new ConversionException($"input '{input.Name}' has a dynamic {names[d]} dimension ('{dim.DimParam}'): dynamic shapes are not supported. Export with a fixed input size (e.g. torch.onnx.export without dynamic_axes for {names[d]}).");
                if (d == 0)
                    throw new ConversionException($"input '{input.Name}' has batch {dim.DimValue}; export with batch 1.");
                if (dim.DimValue > MaxDimension)
                    throw new ConversionException($"input '{input.Name}' has {names[d]} {dim.DimValue}; the MicroT runtime's tensors hold at most {MaxDimension} per dimension. Export with a smaller input.");
                shape[d] = (int)dim.DimValue;
            }
            long bytes = (long)shape[1] * shape[2] * shape[3];
            if (bytes > Runtime.Models.ModelFormat.MaxTensorBytes)
                throw new ConversionException($"input '{input.Name}' is {shape[1]}x{shape[2]}x{shape[3]} = {bytes:N0} values; the MicroT runtime's largest tensor is {Runtime.Models.ModelFormat.MaxTensorBytes:N0} bytes. Export with a smaller input.");
            graph.InputName = input.Name;
            graph.OnnxInputShape = shape;
            graph.InputShape = new[] { 1, shape[2], shape[3], shape[1] };
            values[input.Name] = new Value { Canonical = input.Name, Nchw = shape };
        }

        void ReadOutput()
        {
            if (g.Output.Count == 0) throw new ConversionException("the model has no graph output.");
            if (g.Output.Count > 2)
                throw new ConversionException($"the model has {g.Output.Count} graph outputs ({string.Join(", ", g.Output.Select(o => o.Name))}); an extractor has its feature output and at most a second one, the part feature.");
            graph.OutputName = Feature(g.Output[0].Name);
            graph.OnnxOutputName = g.Output[0].Name;
            if (g.Output.Count == 2)
            {
                // The part feature, computed by the model itself from the split activation (SplitPlacer checks where it branches off).
                graph.PartOutputName = Feature(g.Output[1].Name);
                graph.OnnxPartOutputName = g.Output[1].Name;
                if (graph.PartOutputName == graph.OutputName)
                    throw new ConversionException($"graph outputs '{g.Output[0].Name}' and '{g.Output[1].Name}' are the same tensor; the second output (the part feature) must be computed from the split activation by its own layers.");
            }
        }

        string Feature(string outName)
        {
            if (!values.TryGetValue(outName, out var v) || v.Canonical == null)
                throw new ConversionException($"graph output '{outName}' is not produced by any supported node.");
            if (v.FlattenedFrom4D)
                throw new ConversionException($"graph output '{outName}' is a Flatten of a {string.Join("x", v.Before4D)} map; the feature must be a pooled vector. End the extractor with GlobalAveragePool (then Flatten).");
            if (v.Canonical == graph.InputName) throw new ConversionException($"graph output '{outName}' is the input itself; the model computes nothing.");
            return v.Canonical;
        }

        /// <summary>Drops layers the outputs do not depend on (e.g. a training-only head).</summary>
        void Prune()
        {
            var needed = new HashSet<string> { graph.OutputName };
            if (graph.PartOutputName != null) needed.Add(graph.PartOutputName);
            for (int i = graph.Layers.Count - 1; i >= 0; i--)
            {
                var l = graph.Layers[i];
                if (needed.Contains(l.Output)) foreach (var x in l.Inputs) needed.Add(x);
                else graph.Layers.RemoveAt(i);
            }
        }

        // ---------------------------------------------------------------- helpers

        Value Activation(NodeProto n, int index)
        {
            if (index >= n.Input.Count || n.Input[index].Length == 0)
                throw ConversionException.AtNode(n, $"input {index} is missing", "Export the model again; the node is malformed");
            var name = n.Input[index];
            if (!values.TryGetValue(name, out var v))
                throw ConversionException.AtNode(n, $"input '{name}' is neither produced by an earlier node nor an initializer", "The graph is malformed or not topologically sorted; export it again");
            if (v.Constant != null)
                throw ConversionException.AtNode(n, $"input '{name}' is a constant where an activation was expected", "Constant-fold the model before conversion (e.g. onnxsim)");
            if (v.FlattenNode != null && n.OpType != "Gemm" && n.OpType != "MatMul" && v.FlattenedFrom4D)
                throw ConversionException.AtNode(v.FlattenNode, $"the flattened tensor feeds a {n.OpType}, not a Gemm/MatMul", "Flatten/Reshape is only supported right before a Gemm or MatMul");
            if (v.PadNode != null && n.OpType != "Conv" && n.OpType != "AveragePool")
                throw ConversionException.AtNode(v.PadNode, $"the padded tensor feeds a {n.OpType}, not a Conv or AveragePool", "A zero Pad is only supported right before a Conv or an AveragePool (it is folded into the padding)");
            return v;
        }

        TensorProto Initializer(NodeProto n, int index, string what, bool optional = false)
        {
            if (index >= n.Input.Count || n.Input[index].Length == 0)
            {
                if (optional) return null;
                throw ConversionException.AtNode(n, $"the {what} input is missing", "Export the model again; the node is malformed");
            }
            var name = n.Input[index];
            if (!values.TryGetValue(name, out var v))
                throw ConversionException.AtNode(n, $"missing initializer '{name}' ({what})", "The weights must be stored in the model as initializers; export with do_constant_folding=True and export_params=True");
            if (v.Constant == null)
                throw ConversionException.AtNode(n, $"the {what} '{name}' is computed at run time, not a constant initializer", "Weights must be constants; export with do_constant_folding=True");
            return v.Constant;
        }

        /// <summary>The values of an initializer; their count must be what its dimensions say (ONNX Runtime refuses the model otherwise).</summary>
        static float[] Floats(NodeProto n, TensorProto t)
        {
            if (t.DataType == (int)TensorProto.Types.DataType.Float)
            {
                if (t.FloatData.Count > 0) return MatchDims(n, t, t.FloatData.ToArray());
                var raw = t.RawData.ToByteArray();
                var f = new float[raw.Length / 4];
                Buffer.BlockCopy(raw, 0, f, 0, f.Length * 4);
                return MatchDims(n, t, f, raw.Length % 4);
            }
            if (t.DataType == (int)TensorProto.Types.DataType.Double)
                return MatchDims(n, t, t.DoubleData.Select(d => (float)d).ToArray());
            throw ConversionException.AtNode(n, $"initializer '{t.Name}' has data type {(TensorProto.Types.DataType)t.DataType}, not float", "Export the float (not quantized or half) model");
        }

        static float Scalar(NodeProto n, TensorProto t, string what)
        {
            var f = Floats(n, t);
            if (f.Length != 1) throw ConversionException.AtNode(n, $"{what} has {f.Length} values, not one", "The model is malformed; export it again");
            return f[0];
        }

        static long[] Longs(NodeProto n, TensorProto t)
        {
            if (t.DataType == (int)TensorProto.Types.DataType.Int64)
            {
                if (t.Int64Data.Count > 0) return MatchDims(n, t, t.Int64Data.ToArray());
                var raw = t.RawData.ToByteArray();
                var l = new long[raw.Length / 8];
                Buffer.BlockCopy(raw, 0, l, 0, l.Length * 8);
                return MatchDims(n, t, l, raw.Length % 8);
            }
            throw ConversionException.AtNode(n, $"initializer '{t.Name}' is not int64", "Export the model again");
        }

        static T[] MatchDims<T>(NodeProto n, TensorProto t, T[] values, int extraBytes = 0)
        {
            long count = 1;
            foreach (long d in t.Dims)
            {
                if (d < 0 || d > int.MaxValue) { count = -1; break; }
                count = Math.Min(count * d, (long)int.MaxValue + 1);
            }
            if (count != values.Length || extraBytes != 0)
                throw ConversionException.AtNode(n, $"initializer '{t.Name}' has dimensions [{string.Join(",", t.Dims)}] but holds {values.Length} values{(extraBytes != 0 ? $" and {extraBytes} stray bytes" : "")}", "The model is malformed; export it again");
            return values;
        }

        static float[] CheckedFloats(NodeProto n, TensorProto t, int expected, string what)
        {
            var f = Floats(n, t);
            if (f.Length != expected)
                throw ConversionException.AtNode(n, $"the {what} '{t.Name}' has {f.Length} values, expected {expected}", "The model is malformed; export it again");
            return f;
        }

        static AttributeProto Attr(NodeProto n, string name) => n.Attribute.FirstOrDefault(a => a.Name == name);
        static long AttrInt(NodeProto n, string name, long dflt) => Attr(n, name)?.I ?? dflt;
        static float AttrFloat(NodeProto n, string name, float dflt) => Attr(n, name)?.F ?? dflt;
        static long[] AttrInts(NodeProto n, string name) => Attr(n, name)?.Ints.ToArray();

        /// <summary>A 2-D attribute (height, width) such as strides or kernel_shape: exactly two values in [1, 255].</summary>
        static long[] Attr2D(NodeProto n, string name, bool required)
        {
            var v = AttrInts(n, name);
            if (v == null && !required) return new long[] { 1, 1 };
            if (v == null || v.Length != 2 || v.Any(x => x < 1 || x > 255))
                throw ConversionException.AtNode(n, $"{name} is [{(v == null ? "missing" : string.Join(",", v))}]", $"Only 2-D ops with {name} of two values in 1..255 are supported");
            return v;
        }
        static string AttrString(NodeProto n, string name, string dflt) => Attr(n, name) is { } a ? a.S.ToStringUtf8() : dflt;

        void SetOutput(NodeProto n, Value v)
        {
            if (n.Output.Count == 0) throw ConversionException.AtNode(n, "the node has no output", "Export the model again");
            values[n.Output[0]] = v;
        }

        FloatLayer AddLayer(NodeProto n, LayerKind kind, string[] inputs, int[] outNhwc)
        {
            long values = 1;
            foreach (int d in outNhwc) values *= d;
            if (outNhwc.Skip(1).Any(d => d > MaxDimension) || values > Runtime.Models.ModelFormat.MaxTensorBytes)
                throw ConversionException.AtNode(n, $"the output is {Shapes.Text(outNhwc.Skip(1).ToArray())} (NHWC) = {values:N0} values",
                    $"The MicroT runtime's tensors hold at most {MaxDimension} per dimension and {Runtime.Models.ModelFormat.MaxTensorBytes:N0} bytes; make the layer smaller");
            var layer = new FloatLayer
            {
                Name = ConversionException.NodeLabel(n), OnnxOp = n.OpType, Kind = kind,
                Inputs = inputs, Output = n.Output[0], OutputShape = outNhwc,
            };
            graph.Layers.Add(layer);
            int[] nchw = outNhwc.Length == 4 ? new[] { 1, outNhwc[3], outNhwc[1], outNhwc[2] } : outNhwc;
            SetOutput(n, new Value { Canonical = layer.Output, Nchw = nchw });
            return layer;
        }

        /// <summary>The layer producing <paramref name="v"/> if a following node may fuse into it.</summary>
        FloatLayer FusionTarget(NodeProto n, Value v, params LayerKind[] kinds)
        {
            var layer = graph.Producer(v.Canonical);
            if (layer == null || !kinds.Contains(layer.Kind) || v.FlattenNode != null) return null;
            if (consumers.TryGetValue(n.Input[0], out int c) && c > 1) return null; // another node reads the unfused value
            if (n.Input[0] != layer.Output) return null;
            return layer;
        }

        void Rename(FloatLayer layer, NodeProto n)
        {
            layer.Output = n.Output[0];
            layer.FusedNodes.Add(ConversionException.NodeLabel(n) + " (" + n.OpType + ")");
            int[] s = layer.OutputShape;
            SetOutput(n, new Value { Canonical = layer.Output, Nchw = s.Length == 4 ? new[] { 1, s[3], s[1], s[2] } : s });
        }

        // ---------------------------------------------------------------- nodes

        void Visit(NodeProto n)
        {
            if (n.Output.Count == 0 || n.Output[0].Length == 0)
                throw ConversionException.AtNode(n, "the node has no output", "The model is malformed; export it again");
            if (n.Domain.Length > 0 && n.Domain != "ai.onnx")
                throw ConversionException.AtNode(n, $"the op is from domain '{n.Domain}'", "Only standard ONNX ops are supported. " + Supported);
            switch (n.OpType)
            {
                case "Constant": Constant(n); break;
                case "Conv": Conv(n); break;
                case "BatchNormalization": BatchNorm(n); break;
                case "Relu": Clamp(n, 0f, float.PositiveInfinity); break;
                case "Clip": Clip(n); break;
                case "Add": Add(n); break;
                case "GlobalAveragePool": GlobalAveragePool(n); break;
                case "AveragePool": Pool(n, LayerKind.AveragePool); break;
                case "MaxPool": Pool(n, LayerKind.MaxPool); break;
                case "Flatten": Flatten(n); break;
                case "Pad": Pad(n); break;
                case "ReduceMean": ReduceMean(n); break;
                case "Squeeze": Squeeze(n); break;
                case "Reshape": Reshape(n); break;
                case "Gemm": Gemm(n); break;
                case "MatMul": MatMul(n); break;
                case "Identity":
                case "Dropout": PassThrough(n); break;
                default:
                    throw ConversionException.AtNode(n, "this op is not supported", "Replace it before export or ask for it in an issue. " + Supported);
            }
        }

        /// <summary>Identity/Dropout: the same activation, or the same constant (PyTorch writes Identity on shared weights).</summary>
        void PassThrough(NodeProto n)
        {
            if (n.Input.Count > 0 && values.TryGetValue(n.Input[0], out var v) && v.Constant != null) values[n.Output[0]] = v;
            else SetOutput(n, Activation(n, 0));
        }

        void Constant(NodeProto n)
        {
            var t = Attr(n, "value")?.T;
            if (t == null) throw ConversionException.AtNode(n, "only the 'value' form of Constant is supported", "Constant-fold the model before conversion (e.g. onnxsim)");
            values[n.Output[0]] = new Value { Constant = t };
        }

        void Conv(NodeProto n)
        {
            var x = Activation(n, 0);
            if (x.Nchw.Length != 4) throw ConversionException.AtNode(n, $"the input is {x.Nchw.Length}-D", "Conv needs a 4-D [1,C,H,W] input");
            int inC = x.Nchw[1];
            var wt = Initializer(n, 1, "weight");
            if (wt.Dims.Count != 4) throw ConversionException.AtNode(n, $"the weight has {wt.Dims.Count} dimensions", "Only 2-D convolutions (4-D weights) are supported");
            if (wt.Dims.Any(d => d < 1) || wt.Dims[0] > 65535 || wt.Dims[1] > 65535 || wt.Dims[2] > 255 || wt.Dims[3] > 255)
                throw ConversionException.AtNode(n, $"the weight has dimensions [{string.Join(",", wt.Dims)}]", "The model is malformed; export it again");
            int outC = (int)wt.Dims[0], wInC = (int)wt.Dims[1], kh = (int)wt.Dims[2], kw = (int)wt.Dims[3];
            var kernelShape = AttrInts(n, "kernel_shape");
            if (kernelShape != null && (kernelShape.Length != 2 || kernelShape[0] != kh || kernelShape[1] != kw))
                throw ConversionException.AtNode(n, $"kernel_shape [{string.Join(",", kernelShape)}] does not match the {kh}x{kw} kernel of the weight", "The model is malformed; export it again");
            long group = AttrInt(n, "group", 1);
            var dil = AttrInts(n, "dilations");
            if (dil != null && dil.Any(d => d != 1))
                throw ConversionException.AtNode(n, "dilated convolution is not supported", "Use dilations = 1");
            bool depthwise;
            if (group == 1) depthwise = false;
            else if (group == inC && outC == inC && wInC == 1) depthwise = true;
            else throw ConversionException.AtNode(n, $"group = {group} with {inC} input and {outC} output channels is not supported", "Use group = 1 or a depthwise conv (group = input channels = output channels)");
            if (!depthwise && wInC != inC)
                throw ConversionException.AtNode(n, $"the weight expects {wInC} input channels but the input has {inC}", "The model is malformed; export it again");
            var w = CheckedFloats(n, wt, outC * wInC * kh * kw, "weight");
            var bt = Initializer(n, 2, "bias", optional: true);
            if (bt != null && bt.Dims.Count != 1)
                throw ConversionException.AtNode(n, $"the bias '{bt.Name}' has dimensions [{string.Join(",", bt.Dims)}], not [{outC}]", "The model is malformed; export it again");
            var b = bt == null ? new float[outC] : CheckedFloats(n, bt, outC, "bias");
            ConvLayer(n, x, w, b, outC, wInC, kh, kw, depthwise);
        }

        /// <summary>A Conv2D or depthwise layer from OIHW weights (depthwise: [C,1,KH,KW]); padding from the node's attributes plus a zero Pad before it.</summary>
        FloatLayer ConvLayer(NodeProto n, Value x, float[] w, float[] b, int outC, int wInC, int kh, int kw, bool depthwise)
        {
            int inC = x.Nchw[1], inH = x.Nchw[2], inW = x.Nchw[3];
            var strides = Attr2D(n, "strides", required: false);
            var (pt, pl, pb, pr, oh, ow) = Padding(n, inH, inW, kh, kw, (int)strides[0], (int)strides[1], x.Pads);
            var layer = AddLayer(n, depthwise ? LayerKind.DepthwiseConv2D : LayerKind.Conv2D, new[] { x.Canonical }, new[] { 1, oh, ow, outC });
            layer.KernelH = kh; layer.KernelW = kw; layer.StrideH = (int)strides[0]; layer.StrideW = (int)strides[1];
            layer.PadTop = pt; layer.PadLeft = pl; layer.PadBottom = pb; layer.PadRight = pr;
            layer.SamePadding = (pt | pl | pb | pr) != 0;
            if (x.PadNode != null) layer.FusedNodes.Add(ConversionException.NodeLabel(x.PadNode) + " (Pad)");
            layer.Bias = b;
            // OIHW -> OHWI (conv) or [C,1,KH,KW] -> [KH,KW,C] (depthwise, TFLite 1HWC).
            var r = new float[w.Length];
            if (depthwise)
            {
                for (int c = 0; c < outC; c++)
                    for (int y = 0; y < kh; y++)
                        for (int xx = 0; xx < kw; xx++)
                            r[(y * kw + xx) * outC + c] = w[(c * kh + y) * kw + xx];
                layer.Macs = (long)oh * ow * outC * kh * kw;
            }
            else
            {
                for (int o = 0; o < outC; o++)
                    for (int i = 0; i < inC; i++)
                        for (int y = 0; y < kh; y++)
                            for (int xx = 0; xx < kw; xx++)
                                r[((o * kh + y) * kw + xx) * inC + i] = w[((o * inC + i) * kh + y) * kw + xx];
                layer.Macs = (long)oh * ow * outC * kh * kw * inC;
            }
            layer.Weights = r;
            return layer;
        }

        /// <summary>How a conv with non-SAME explicit padding runs as a SAME conv with a larger kernel.</summary>
        (int pt, int pl, int pb, int pr, int oh, int ow) Padding(NodeProto n, int inH, int inW, int kh, int kw, int sh, int sw, int[] extra = null)
        {
            if (sh < 1 || sw < 1) throw ConversionException.AtNode(n, $"stride {sh}x{sw} is invalid", "Use strides >= 1");
            if (AttrInt(n, "ceil_mode", 0) != 0)
                throw ConversionException.AtNode(n, "ceil_mode = 1 is not supported", "Use ceil_mode = 0 (PyTorch's default) or pad the input so the division is exact");
            string auto = AttrString(n, "auto_pad", "NOTSET");
            int pt, pl, pb, pr;
            if (auto == "NOTSET")
            {
                var pads = AttrInts(n, "pads") ?? new long[4];
                if (pads.Length != 4) throw ConversionException.AtNode(n, $"pads has {pads.Length} values", "Only 2-D ops (4 pads) are supported");
                pt = (int)pads[0]; pl = (int)pads[1]; pb = (int)pads[2]; pr = (int)pads[3];
            }
            else if (auto == "VALID") { pt = pl = pb = pr = 0; }
            else if (auto == "SAME_UPPER" || auto == "SAME_LOWER")
            {
                int oh0 = (inH + sh - 1) / sh, ow0 = (inW + sw - 1) / sw;
                int th = Math.Max(0, (oh0 - 1) * sh + kh - inH), tw = Math.Max(0, (ow0 - 1) * sw + kw - inW);
                bool upper = auto == "SAME_UPPER";
                pt = upper ? th / 2 : th - th / 2; pb = th - pt;
                pl = upper ? tw / 2 : tw - tw / 2; pr = tw - pl;
            }
            else throw ConversionException.AtNode(n, $"auto_pad '{auto}' is unknown", "Use explicit pads");
            if (extra != null) { pt += extra[0]; pl += extra[1]; pb += extra[2]; pr += extra[3]; }
            if (pt < 0 || pl < 0 || pb < 0 || pr < 0) throw ConversionException.AtNode(n, "negative pads are not supported", "Use pads >= 0");
            if (pt >= kh || pb >= kh || pl >= kw || pr >= kw)
                throw ConversionException.AtNode(n, $"pads ({pt},{pl},{pb},{pr}) are not smaller than the kernel {kh}x{kw}", "Use pads smaller than the kernel");
            int oh = inH + pt + pb < kh ? 0 : (inH + pt + pb - kh) / sh + 1, ow = inW + pl + pr < kw ? 0 : (inW + pl + pr - kw) / sw + 1;
            if (oh < 1 || ow < 1) throw ConversionException.AtNode(n, $"the output would be {oh}x{ow} for a {inH}x{inW} input", "The kernel is larger than the padded input; check the input size");
            // Any pads smaller than the kernel are stored as they are: the format keeps explicit
            // padding (docs/FORMAT.md, padding code 2), so e.g. PyTorch's 3x3 stride-2 padding-1
            // conv runs as a 3x3 kernel.
            return (pt, pl, pb, pr, oh, ow);
        }

        void BatchNorm(NodeProto n)
        {
            var x = Activation(n, 0);
            var layer = FusionTarget(n, x, LayerKind.Conv2D, LayerKind.DepthwiseConv2D, LayerKind.FullyConnected);
            if (layer == null || !float.IsNegativeInfinity(layer.ActivationMin) || !float.IsPositiveInfinity(layer.ActivationMax))
                throw ConversionException.AtNode(n, "BatchNormalization does not directly follow a Conv or Gemm whose output nothing else reads", "Place BatchNormalization right after a Conv (Conv -> BN -> Relu), or fold it before export");
            int c = layer.Kind == LayerKind.FullyConnected ? layer.OutputShape[1] : layer.OutputShape[3];
            var scale = CheckedFloats(n, Initializer(n, 1, "scale"), c, "scale");
            var bias = CheckedFloats(n, Initializer(n, 2, "B"), c, "B");
            var mean = CheckedFloats(n, Initializer(n, 3, "mean"), c, "mean");
            var var = CheckedFloats(n, Initializer(n, 4, "var"), c, "var");
            float eps = AttrFloat(n, "epsilon", 1e-5f);
            int per = layer.Weights.Length / c;
            for (int o = 0; o < c; o++)
            {
                double k = scale[o] / Math.Sqrt(var[o] + eps);
                layer.Bias[o] = (float)((layer.Bias[o] - mean[o]) * k + bias[o]);
                if (layer.Kind == LayerKind.DepthwiseConv2D)
                    for (int i = o; i < layer.Weights.Length; i += c) layer.Weights[i] = (float)(layer.Weights[i] * k);
                else
                    for (int i = 0; i < per; i++) layer.Weights[o * per + i] = (float)(layer.Weights[o * per + i] * k);
            }
            Rename(layer, n);
        }

        void Clip(NodeProto n)
        {
            float lo = float.NegativeInfinity, hi = float.PositiveInfinity;
            if (Attr(n, "min") != null) lo = AttrFloat(n, "min", lo);
            if (Attr(n, "max") != null) hi = AttrFloat(n, "max", hi);
            var minT = Initializer(n, 1, "min", optional: true);
            var maxT = Initializer(n, 2, "max", optional: true);
            if (minT != null) lo = Scalar(n, minT, "min");
            if (maxT != null) hi = Scalar(n, maxT, "max");
            if (float.IsNaN(lo) || float.IsNaN(hi) || hi < lo)
                throw ConversionException.AtNode(n, $"Clip({lo}, {hi}) is not a range", "The model is malformed; export it again");
            if (!(lo <= 0))
                throw ConversionException.AtNode(n, $"Clip({lo}, {hi}) excludes zero", "int8 activations need 0 in their range; only clips with min <= 0 (ReLU6 = Clip(0, 6)) are supported");
            Clamp(n, lo, hi);
        }

        void Clamp(NodeProto n, float lo, float hi)
        {
            var x = Activation(n, 0);
            var layer = FusionTarget(n, x, LayerKind.Conv2D, LayerKind.DepthwiseConv2D, LayerKind.FullyConnected, LayerKind.Add);
            if (layer == null)
                throw ConversionException.AtNode(n, "the activation does not directly follow a Conv, Gemm, MatMul or Add whose output nothing else reads, so it cannot be fused",
                    "Put the activation right after a Conv/Gemm/MatMul/Add (int8 kernels apply it as a clamp)");
            layer.ActivationMin = Math.Max(layer.ActivationMin, lo);
            layer.ActivationMax = Math.Min(layer.ActivationMax, hi);
            Rename(layer, n);
        }

        void Add(NodeProto n)
        {
            if (n.Input.Count != 2) throw ConversionException.AtNode(n, $"Add has {n.Input.Count} inputs", "The model is malformed");
            bool c0 = values.TryGetValue(n.Input[0], out var v0) && v0.Constant != null;
            bool c1 = values.TryGetValue(n.Input[1], out var v1) && v1.Constant != null;
            if (c0 || c1)
            {
                // A bias after a MatMul (how some exporters write a Linear layer).
                var act = Activation(n, c0 ? 1 : 0);
                var fc = graph.Producer(act.Canonical);
                bool single = !(consumers.TryGetValue(n.Input[c0 ? 1 : 0], out int cc) && cc > 1);
                if (fc == null || fc.Kind != LayerKind.FullyConnected || !single || fc.FusedNodes.Count > 0 || act.FlattenNode != null)
                    throw ConversionException.AtNode(n, "adding a constant is only supported as the bias right after a MatMul", "Fold the constant into the previous layer's bias before export");
                var b = CheckedFloats(n, (c0 ? v0 : v1).Constant, fc.OutputShape[1], "bias");
                for (int i = 0; i < b.Length; i++) fc.Bias[i] += b[i];
                Rename(fc, n);
                return;
            }
            var a = Activation(n, 0);
            var bb = Activation(n, 1);
            if (!a.Nchw.SequenceEqual(bb.Nchw))
                throw ConversionException.AtNode(n, $"the inputs have shapes {Shapes.Text(a.Nchw)} and {Shapes.Text(bb.Nchw)}", "Broadcasting Add is not supported; both inputs must have the same shape (a residual connection)");
            var s = a.Nchw;
            var add = AddLayer(n, LayerKind.Add, new[] { a.Canonical, bb.Canonical }, s.Length == 4 ? new[] { 1, s[2], s[3], s[1] } : s);
            add.Macs = Shapes.Elements(s);
        }

        void GlobalAveragePool(NodeProto n)
        {
            var x = Activation(n, 0);
            if (x.Nchw.Length != 4) throw ConversionException.AtNode(n, $"the input is {x.Nchw.Length}-D", "GlobalAveragePool needs a [1,C,H,W] input");
            var gap = AddLayer(n, LayerKind.GlobalAveragePool, new[] { x.Canonical }, new[] { 1, 1, 1, x.Nchw[1] });
            gap.Macs = Shapes.Elements(x.Nchw);
        }

        /// <summary>ReduceMean over axes 2 and 3 is a global average pool (how TensorFlow exports write it).</summary>
        void ReduceMean(NodeProto n)
        {
            var x = Activation(n, 0);
            var axes = AttrInts(n, "axes");
            if (x.Nchw.Length != 4 || axes == null || axes.Select(a => a < 0 ? a + 4 : a).OrderBy(a => a).SequenceEqual(new long[] { 2, 3 }) == false)
                throw ConversionException.AtNode(n, $"ReduceMean over axes [{(axes == null ? "all" : string.Join(",", axes))}] is not a mean over height and width", "Only ReduceMean(axes=[2,3]) of a [1,C,H,W] tensor (a global average pool) is supported");
            var gap = AddLayer(n, LayerKind.GlobalAveragePool, new[] { x.Canonical }, new[] { 1, 1, 1, x.Nchw[1] });
            gap.Macs = Shapes.Elements(x.Nchw);
            if (AttrInt(n, "keepdims", 1) == 0) SetOutput(n, new Value { Canonical = gap.Output, Nchw = new[] { 1, x.Nchw[1] } });
        }

        /// <summary>Squeeze of the 1x1 spatial dimensions of a pooled tensor: same values, nothing to run.</summary>
        void Squeeze(NodeProto n)
        {
            var x = Activation(n, 0);
            long[] axes = AttrInts(n, "axes") ?? (n.Input.Count > 1 && n.Input[1].Length > 0 ? Longs(n, Initializer(n, 1, "axes")) : null);
            bool pooled = x.Nchw.Length == 4 && x.Nchw[2] == 1 && x.Nchw[3] == 1;
            bool spatialOnly = axes == null || axes.All(a => (a < 0 ? a + 4 : a) is 2 or 3);
            if (!pooled || !spatialOnly)
                throw ConversionException.AtNode(n, $"Squeeze of a {Shapes.Text(x.Nchw)} tensor over axes [{(axes == null ? "all" : string.Join(",", axes))}] is not supported", "Only squeezing the 1x1 height and width of a pooled [1,C,1,1] tensor is supported");
            SetOutput(n, new Value { Canonical = x.Canonical, Nchw = new[] { 1, x.Nchw[1] } });
        }

        void Pool(NodeProto n, LayerKind kind)
        {
            var x = Activation(n, 0);
            if (x.Nchw.Length != 4) throw ConversionException.AtNode(n, $"the input is {x.Nchw.Length}-D", "Pooling needs a [1,C,H,W] input");
            var k = Attr2D(n, "kernel_shape", required: true);
            var dil = AttrInts(n, "dilations");
            if (dil != null && dil.Any(d => d != 1)) throw ConversionException.AtNode(n, "dilated pooling is not supported", "Use dilations = 1");
            if (kind == LayerKind.MaxPool && n.Output.Count > 1 && n.Output[1].Length > 0)
                throw ConversionException.AtNode(n, "the Indices output is used", "Export MaxPool without return_indices");
            bool counted = AttrInt(n, "count_include_pad", 0) != 0;
            bool ownPads = AttrString(n, "auto_pad", "NOTSET") is "SAME_UPPER" or "SAME_LOWER" || (AttrInts(n, "pads")?.Any(p => p != 0) ?? false);
            if (kind == LayerKind.AveragePool && (x.Pads != null || (counted && ownPads)))
            {
                // Padding that counts in the average (PyTorch's AvgPool2d exports count_include_pad as a zero
                // Pad before the pool): a depthwise conv with weights 1/(KH*KW) and zero padding computes it.
                if (ownPads && !counted)
                    throw ConversionException.AtNode(n, "a zero Pad before the pool and its own padding with count_include_pad = 0 average differently", "Use either the Pad or the pool's own padding");
                int c = x.Nchw[1], taps = (int)(k[0] * k[1]);
                var ones = new float[c * taps];
                Array.Fill(ones, 1f / taps);
                var dw = ConvLayer(n, x, ones, new float[c], c, 1, (int)k[0], (int)k[1], depthwise: true);
                dw.Note = (dw.Note == null ? "" : dw.Note + "; ") + "average with the padding counted, run as a depthwise conv with weights 1/" + taps;
                return;
            }
            var strides = Attr2D(n, "strides", required: false);
            var (pt, pl, pb, pr, oh, ow) = Padding(n, x.Nchw[2], x.Nchw[3], (int)k[0], (int)k[1], (int)strides[0], (int)strides[1]);
            if (kind == LayerKind.AveragePool && AttrInt(n, "count_include_pad", 0) != 0 && (pt | pl | pb | pr) != 0)
                throw ConversionException.AtNode(n, "count_include_pad = 1 with padding is not supported (int8 pooling averages the valid cells only, as TFLite does)", "Use count_include_pad = 0 or no padding");
            var layer = AddLayer(n, kind, new[] { x.Canonical }, new[] { 1, oh, ow, x.Nchw[1] });
            layer.KernelH = (int)k[0]; layer.KernelW = (int)k[1]; layer.StrideH = (int)strides[0]; layer.StrideW = (int)strides[1];
            layer.PadTop = pt; layer.PadLeft = pl; layer.PadBottom = pb; layer.PadRight = pr;
            layer.SamePadding = (pt | pl | pb | pr) != 0;
            layer.Macs = (long)oh * ow * x.Nchw[1] * layer.KernelH * layer.KernelW;
        }

        void Pad(NodeProto n)
        {
            var x = Activation(n, 0);
            if (AttrString(n, "mode", "constant") != "constant")
                throw ConversionException.AtNode(n, "only constant (zero) padding is supported", "Use zero padding (nn.ZeroPad2d) or the conv's own padding");
            var pads = Longs(n, Initializer(n, 1, "pads"));
            var cv = Initializer(n, 2, "constant_value", optional: true);
            if (cv != null && Floats(n, cv).Any(v => v != 0))
                throw ConversionException.AtNode(n, "the pad value is not zero", "Only zero padding can be folded into a Conv");
            if (x.Nchw.Length != 4 || pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
                throw ConversionException.AtNode(n, $"pads [{string.Join(",", pads)}] pad more than height and width", "Pad only height and width of a [1,C,H,W] tensor");
            if (pads.All(p => p == 0)) { SetOutput(n, x); return; } // PyTorch writes it before an AveragePool
            var prev = x.Pads ?? new int[4];
            int[] p = { prev[0] + (int)pads[2], prev[1] + (int)pads[3], prev[2] + (int)pads[6], prev[3] + (int)pads[7] };
            SetOutput(n, new Value { Canonical = x.Canonical, Nchw = new[] { 1, x.Nchw[1], x.Nchw[2], x.Nchw[3] }, PadNode = n, Pads = p });
        }

        void Flatten(NodeProto n)
        {
            var x = Activation(n, 0);
            if (AttrInt(n, "axis", 1) != 1) throw ConversionException.AtNode(n, "only axis = 1 is supported", "Flatten to [1, N] (axis 1)");
            FlattenTo(n, x);
        }

        void Reshape(NodeProto n)
        {
            var x = Activation(n, 0);
            var shape = Longs(n, Initializer(n, 1, "shape"));
            int total = Shapes.Elements(x.Nchw);
            bool flat = shape.Length == 2 && (shape[0] == 1 || shape[0] == -1 || shape[0] == 0) && (shape[1] == -1 || shape[1] == total);
            if (!flat)
                throw ConversionException.AtNode(n, $"Reshape to [{string.Join(",", shape)}] is not a flatten to [1, {total}]", "Only Flatten/Reshape to [1, N] before a Gemm/MatMul is supported");
            FlattenTo(n, x);
        }

        void FlattenTo(NodeProto n, Value x)
        {
            if (x.FlattenedFrom4D || x.Nchw.Length == 2) { SetOutput(n, x); return; }
            int total = Shapes.Elements(x.Nchw);
            bool spatial = x.Nchw.Length == 4 && x.Nchw[2] * x.Nchw[3] > 1;
            SetOutput(n, new Value { Canonical = x.Canonical, Nchw = new[] { 1, total }, FlattenedFrom4D = spatial, Before4D = x.Nchw, FlattenNode = spatial ? n : null });
        }

        void Gemm(NodeProto n)
        {
            var x = Activation(n, 0);
            if (AttrInt(n, "transA", 0) != 0) throw ConversionException.AtNode(n, "transA = 1 is not supported", "Export a Linear layer (transA = 0)");
            bool transB = AttrInt(n, "transB", 0) != 0;
            float alpha = AttrFloat(n, "alpha", 1f), beta = AttrFloat(n, "beta", 1f);
            var bt = Initializer(n, 1, "weight");
            if (bt.Dims.Count != 2) throw ConversionException.AtNode(n, $"the weight has {bt.Dims.Count} dimensions", "Gemm needs a 2-D weight");
            if (bt.Dims.Any(d => d < 1 || d > 1 << 20)) throw ConversionException.AtNode(n, $"the weight has dimensions [{string.Join(",", bt.Dims)}]", "The model is malformed; export it again");
            int outN = (int)(transB ? bt.Dims[0] : bt.Dims[1]), inN = (int)(transB ? bt.Dims[1] : bt.Dims[0]);
            var w = CheckedFloats(n, bt, inN * outN, "weight");
            var ct = Initializer(n, 2, "bias", optional: true);
            float[] bias = new float[outN];
            if (ct != null)
            {
                var c = Floats(n, ct);
                if (ct.Dims.Count > 2 || (ct.Dims.Count == 2 && ct.Dims[0] != 1))
                    throw ConversionException.AtNode(n, $"the bias '{ct.Name}' has dimensions [{string.Join(",", ct.Dims)}], not [{outN}] or [1,{outN}]", "The model is malformed; export it again");
                if (c.Length == 1) for (int i = 0; i < outN; i++) bias[i] = beta * c[0];
                else if (c.Length == outN) for (int i = 0; i < outN; i++) bias[i] = beta * c[i];
                else throw ConversionException.AtNode(n, $"the bias has {c.Length} values, expected {outN}", "The model is malformed; export it again");
            }
            var wOI = new float[outN * inN];
            for (int o = 0; o < outN; o++)
                for (int i = 0; i < inN; i++)
                    wOI[o * inN + i] = alpha * (transB ? w[o * inN + i] : w[i * outN + o]);
            FullyConnected(n, x, wOI, bias, inN, outN);
        }

        void MatMul(NodeProto n)
        {
            var x = Activation(n, 0);
            var bt = Initializer(n, 1, "weight");
            if (bt.Dims.Count != 2) throw ConversionException.AtNode(n, $"the weight has {bt.Dims.Count} dimensions", "MatMul needs a 2-D constant weight [K, N]");
            if (bt.Dims.Any(d => d < 1 || d > 1 << 20)) throw ConversionException.AtNode(n, $"the weight has dimensions [{string.Join(",", bt.Dims)}]", "The model is malformed; export it again");
            int inN = (int)bt.Dims[0], outN = (int)bt.Dims[1];
            var w = CheckedFloats(n, bt, inN * outN, "weight");
            var wOI = new float[outN * inN];
            for (int o = 0; o < outN; o++)
                for (int i = 0; i < inN; i++)
                    wOI[o * inN + i] = w[i * outN + o];
            FullyConnected(n, x, wOI, new float[outN], inN, outN);
        }

        void FullyConnected(NodeProto n, Value x, float[] wOI, float[] bias, int inN, int outN)
        {
            int[] src = x.Nchw;
            if (src.Length == 4 && !x.FlattenedFrom4D)
            {
                if (src[2] * src[3] != 1)
                    throw ConversionException.AtNode(n, $"the input is a {Shapes.Text(src)} map", "Flatten or pool the map before a Gemm/MatMul");
            }
            int total = Shapes.Elements(src.Length == 4 || !x.FlattenedFrom4D ? src : x.Before4D);
            if (total != inN)
                throw ConversionException.AtNode(n, $"the input has {total} values but the weight expects {inN}", "The model is malformed; check the Flatten/Reshape before it");
            if (x.FlattenedFrom4D)
            {
                // ONNX flattened NCHW (c*H*W + h*W + w); the runtime's tensor is NHWC ((h*W + w)*C + c).
                int c = x.Before4D[1], h = x.Before4D[2], wd = x.Before4D[3];
                var perm = new float[wOI.Length];
                for (int o = 0; o < outN; o++)
                    for (int ci = 0; ci < c; ci++)
                        for (int y = 0; y < h; y++)
                            for (int xx = 0; xx < wd; xx++)
                                perm[o * inN + (y * wd + xx) * c + ci] = wOI[o * inN + (ci * h + y) * wd + xx];
                wOI = perm;
            }
            var layer = AddLayer(n, LayerKind.FullyConnected, new[] { x.Canonical }, new[] { 1, outN });
            layer.Weights = wOI;
            layer.Bias = bias;
            layer.Macs = (long)inN * outN;
            if (x.FlattenNode != null) layer.FusedNodes.Add(ConversionException.NodeLabel(x.FlattenNode) + " (" + x.FlattenNode.OpType + ")");
        }
    }
}
