namespace MicroT.Converter;

public enum RangeMethod { MinMax, Percentile }

/// <summary>The float range observed for one activation tensor over the calibration inputs.</summary>
public sealed class TensorRange
{
    public float Min, Max;
    public override string ToString() => $"[{Min:G4}, {Max:G4}]";
}

/// <summary>
/// Activation ranges from ONNX Runtime runs on calibration inputs: the plain min/max, or
/// percentiles (clipping rare outliers, which buys resolution for the common values). Values
/// are sampled (at most <see cref="MaxSamplesPerTensor"/> per tensor, evenly strided) so the
/// percentile needs bounded memory.
/// </summary>
public static class Calibrator
{
    public const int MaxSamplesPerTensor = 1 << 20;

    public static Dictionary<string, TensorRange> Calibrate(FloatGraph graph, OnnxFloatRunner runner, IReadOnlyList<float[]> inputs,
        RangeMethod method, double percentile, Action<int> progress = null, IReadOnlyList<string> pooled = null)
    {
        if (inputs.Count == 0) throw new ConversionException("no calibration inputs: give a folder with PNG/JPEG images, a data set name or 'random'.");
        if (method == RangeMethod.Percentile && !(percentile > 50 && percentile <= 100))
            throw new ConversionException($"percentile {percentile} is out of range; use a value in (50, 100], e.g. 99.99.");
        var min = new Dictionary<string, float>();
        var max = new Dictionary<string, float>();
        var samples = new Dictionary<string, List<float>>();
        int perInput = Math.Max(1, MaxSamplesPerTensor / inputs.Count);
        for (int s = 0; s < inputs.Count; s++)
        {
            var run = runner.Run(inputs[s]);
            foreach (var t in pooled ?? Array.Empty<string>())
            {
                // Channel means of a [1,H,W,C] activation: what a global average pool of it holds.
                int c = graph.ShapeOf(t)[3];
                var v = run[t];
                var mean = new float[c];
                for (int i = 0; i < v.Length; i++) mean[i % c] += v[i];
                for (int i = 0; i < c; i++) mean[i] /= v.Length / c;
                run[SplitPlacer.PooledName(t)] = mean;
            }
            foreach (var (name, v) in run)
            {
                float lo = min.TryGetValue(name, out var a) ? a : float.PositiveInfinity;
                float hi = max.TryGetValue(name, out var b) ? b : float.NegativeInfinity;
                foreach (float x in v)
                {
                    if (float.IsNaN(x) || float.IsInfinity(x))
                        throw new ConversionException($"tensor '{name}' is {x} on calibration input {s}: the float model itself overflows. Check the model and the input range.");
                    if (x < lo) lo = x;
                    if (x > hi) hi = x;
                }
                min[name] = lo; max[name] = hi;
                if (method == RangeMethod.Percentile)
                {
                    if (!samples.TryGetValue(name, out var list)) samples[name] = list = new List<float>();
                    int stride = Math.Max(1, v.Length / perInput);
                    for (int i = 0; i < v.Length; i += stride) list.Add(v[i]);
                }
            }
            progress?.Invoke(s + 1);
        }
        var ranges = new Dictionary<string, TensorRange>();
        foreach (var name in min.Keys)
        {
            var r = new TensorRange { Min = min[name], Max = max[name] };
            if (method == RangeMethod.Percentile)
            {
                var sorted = samples[name].ToArray();
                Array.Sort(sorted);
                r.Min = Math.Max(r.Min, At(sorted, 100 - percentile));
                r.Max = Math.Min(r.Max, At(sorted, percentile));
            }
            ranges[name] = r;
        }
        return ranges;
    }

    static float At(float[] sorted, double pct)
    {
        double pos = pct / 100 * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        return (float)(sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]));
    }
}
