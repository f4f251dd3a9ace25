using System.Text.Json;
using MicroT.Runtime.Models;

namespace MicroT.Converter;

/// <summary>
/// What `microt inspect` reports about a loaded model: one row per operator (op, shapes,
/// parameters, MACs, arena placement, fused activation) and totals for the part model, the
/// rest and the full model. Serialized as is for `--json`.
/// </summary>
public sealed class ModelInfo
{
    public sealed class TensorInfo
    {
        public string Shape { get; set; }
        public float Scale { get; set; }
        public int ZeroPoint { get; set; }
    }

    public sealed class LayerInfo
    {
        public int Index { get; set; }
        /// <summary>"part" for operators [0, split), "rest" after.</summary>
        public string Stage { get; set; }
        public string Op { get; set; }
        public string Window { get; set; }
        public string Input { get; set; }
        public string Output { get; set; }
        /// <summary>Weights + biases (count of values).</summary>
        public long Parameters { get; set; }
        /// <summary>Bytes of constants: int8 weights, int32 biases, float32 weight scales.</summary>
        public long ParameterBytes { get; set; }
        public long Macs { get; set; }
        public int OutputTensor { get; set; }
        public int ArenaOffset { get; set; }
        public int ArenaSize { get; set; }
        public float OutputScale { get; set; }
        public int OutputZeroPoint { get; set; }
        /// <summary>
        /// The activation the int8 output applies, from its clamp and quantization: ReLU6 or ReLU
        /// when real 0 is the lowest value the output can hold (and 6 the highest, for ReLU6),
        /// "clamp" for another narrowed range, "none" when every int8 value is allowed and
        /// negative values are representable (pools: "none" unless the clamp is narrowed); followed by
        /// the int8 clamp and its real range.
        /// </summary>
        public string Activation { get; set; }
    }

    public sealed class StageInfo
    {
        public int Operators { get; set; }
        public long Parameters { get; set; }
        public long ParameterBytes { get; set; }
        public long Macs { get; set; }
        public string Feature { get; set; }
    }

    public string Name { get; set; }
    public string File { get; set; }
    public long FileBytes { get; set; }
    public TensorInfo Input { get; set; }
    public string ResizeMode { get; set; }
    public float PixelScale { get; set; }
    public float PixelOffset { get; set; }
    public int SplitIndex { get; set; }
    public List<LayerInfo> Layers { get; set; }
    public StageInfo Part { get; set; }
    public StageInfo Rest { get; set; }
    public StageInfo Full { get; set; }
    public double PartShareOfMacs { get; set; }
    public int ArenaBytes { get; set; }
    public int NaiveArenaBytes { get; set; }
    public long WeightBytes { get; set; }

    static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The `inspect --json` text (camelCase property names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static ModelInfo FromJson(string json) => JsonSerializer.Deserialize<ModelInfo>(json, Json);

    public static ModelInfo From(Model m, string file, long fileBytes)
    {
        var layers = m.Operators.Select(op => Layer(m, op)).ToList();
        StageInfo Stage(IEnumerable<LayerInfo> ls, Tensor feature) => new StageInfo
        {
            Operators = ls.Count(), Parameters = ls.Sum(l => l.Parameters), ParameterBytes = ls.Sum(l => l.ParameterBytes), Macs = ls.Sum(l => l.Macs),
            Feature = feature == null ? null : $"{feature.Length} values (tensor {feature.Index}, scale {feature.Scale:G4}, zero point {feature.ZeroPoint})",
        };
        return new ModelInfo
        {
            Name = m.Name, File = file, FileBytes = fileBytes,
            Input = new TensorInfo { Shape = m.Input.ShapeText(), Scale = m.Input.Scale, ZeroPoint = m.Input.ZeroPoint },
            ResizeMode = m.ResizeMode.ToString(), PixelScale = m.PixelScale, PixelOffset = m.PixelOffset,
            SplitIndex = m.SplitIndex,
            Layers = layers,
            Part = Stage(layers.Take(m.SplitIndex), m.PartFeature),
            Rest = Stage(layers.Skip(m.SplitIndex), null),
            Full = Stage(layers, m.FullFeature),
            PartShareOfMacs = m.FullMacs == 0 ? 0 : (double)m.PartMacs / m.FullMacs,
            ArenaBytes = m.ArenaSize, NaiveArenaBytes = m.NaiveArenaSize,
            WeightBytes = m.Weights.Length,
        };
    }

    /// <summary>See <see cref="LayerInfo.Activation"/>. A fused ReLU6 on an output calibrated to [0, 6] leaves the clamp at the full int8 range: the quantization itself is the ReLU6.</summary>
    public static string Activation(Operator op)
    {
        var o = op.Output;
        int lo = op.ActivationMin, hi = op.ActivationMax;
        float realLo = (lo - o.ZeroPoint) * o.Scale, realHi = (hi - o.ZeroPoint) * o.Scale;
        string range = $"int8 [{lo}, {hi}] = real [{realLo:G4}, {realHi:G4}]";
        string name;
        bool fuses = op.Kind is OperatorKind.Conv2D or OperatorKind.DepthwiseConv2D or OperatorKind.FullyConnected or OperatorKind.Add;
        if (!fuses) name = lo == -128 && hi == 127 ? "none" : "clamp"; // pools: only an explicit clamp
        else if (lo == o.ZeroPoint && Math.Abs(realHi - 6f) <= o.Scale) name = "ReLU6";
        else if (lo == o.ZeroPoint) name = hi == 127 ? "ReLU" : "clamp";
        else if (lo == -128 && hi == 127) name = "none";
        else name = "clamp";
        return name == "none" ? "none" : name + " " + range;
    }

    static LayerInfo Layer(Model m, Operator op)
    {
        long bias = op.Bias?.Length ?? 0, scales = op.WeightScales?.Length ?? 0;
        bool windowed = op.KernelHeight > 0;
        string input = op.Input.ShapeText() + (op.Input2 != null ? " + " + op.Input2.ShapeText() : "");
        return new LayerInfo
        {
            Index = op.Index,
            Stage = op.Index < m.SplitIndex ? "part" : "rest",
            Op = op.Kind.ToString(),
            Window = windowed ? $"{op.KernelHeight}x{op.KernelWidth} /{op.StrideHeight} {op.Padding}" : "",
            Input = input,
            Output = op.Output.ShapeText(),
            Parameters = op.WeightsLength + bias,
            ParameterBytes = op.WeightsLength + 4 * bias + 4 * scales,
            Macs = op.Macs,
            OutputTensor = op.Output.Index,
            ArenaOffset = op.Output.ArenaOffset,
            ArenaSize = op.Output.Length,
            OutputScale = op.Output.Scale,
            OutputZeroPoint = op.Output.ZeroPoint,
            Activation = Activation(op),
        };
    }
}
