namespace MicroT.Converter;

/// <summary>
/// Where the part model ends. A split candidate is a block boundary: a layer with a spatial
/// (4-D) output that is the only activation later layers read (no residual connection crosses it)
/// and is not the last layer. The part model is layers [0, i] plus global average pooling of
/// layer i's output.
/// </summary>
public static class SplitPlacer
{
    public static List<int> Boundaries(FloatGraph graph)
    {
        var result = new List<int>();
        var layers = graph.Layers;
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (layers[i].OutputShape.Length != 4 || layers[i].OutputShape[1] * layers[i].OutputShape[2] < 2) continue; // a 1x1 map is already pooled
            var early = new HashSet<string> { graph.InputName };
            for (int j = 0; j <= i; j++) early.Add(layers[j].Output);
            early.Remove(layers[i].Output);
            bool crossing = false;
            for (int j = i + 1; j < layers.Count && !crossing; j++)
                crossing = layers[j].Inputs.Any(early.Contains);
            if (!crossing) result.Add(i);
        }
        return result;
    }

    /// <summary>MACs of the part model: layers [0, split] plus the global average pool that makes the part feature (docs/FORMAT.md counting).</summary>
    public static long PartMacs(FloatGraph graph, int split) => graph.Layers.Take(split + 1).Sum(l => l.Macs) + graph.Layers[split].OutputElements;

    /// <summary>The name under which calibration records the range of the pooled split activation.</summary>
    public static string PooledName(string tensor) => "pooled:" + tensor;

    /// <summary>
    /// `auto`: the latest boundary whose part MACs are at most <paramref name="maxPartShare"/> of the
    /// full model's; otherwise the boundary at the layer named (ONNX node name, a fused node's name,
    /// or the output tensor name).
    /// </summary>
    public static int Place(FloatGraph graph, string split, double maxPartShare)
    {
        var boundaries = Boundaries(graph);
        if (boundaries.Count == 0)
            throw new ConversionException("the model has no block boundary to split at (it needs at least two layers and a spatial activation read by nothing after it).");
        string Names() => string.Join(", ", boundaries.Select(b => graph.Layers[b].Name));
        if (string.IsNullOrEmpty(split) || split == "auto")
        {
            if (!(maxPartShare > 0 && maxPartShare < 1)) throw new ConversionException($"--max-part-share {maxPartShare} must be between 0 and 1 (e.g. 0.5).");
            long full = graph.TotalMacs;
            int best = -1;
            foreach (int b in boundaries) if (PartMacs(graph, b) <= maxPartShare * full) best = b;
            if (best < 0)
                throw new ConversionException($"no block boundary has part MACs <= {maxPartShare:P0} of the full model's {full:N0}; the first boundary ({graph.Layers[boundaries[0]].Name}) costs {PartMacs(graph, boundaries[0]):N0}. Raise --max-part-share or give --split <node>.");
            return best;
        }
        int idx = graph.Layers.FindIndex(l => l.Name == split || l.Output == split || l.FusedNodes.Any(f => f.StartsWith(split + " (", StringComparison.Ordinal)));
        if (idx < 0) throw new ConversionException($"--split '{split}' names no node of the model. Block boundaries: {Names()}.");
        if (!boundaries.Contains(idx))
            throw new ConversionException($"--split '{split}' is not a block boundary (a residual connection crosses it, it is the last layer, or its output is not a feature map). Block boundaries: {Names()}.");
        return idx;
    }
}
