namespace MicroT.Converter;

/// <summary>
/// Where the part model ends. A split candidate is a block boundary: a layer with a spatial
/// (4-D) output that is the only activation later layers read (no residual connection crosses it)
/// and is not the last layer. The part model is layers [0, i] plus global average pooling of
/// layer i's output, or, when the model has a part output (<see cref="FloatGraph.PartOutputName"/>),
/// layers [0, i] plus the part head: the layers only that output needs, which must read nothing
/// but layer i's output (they are moved right after layer i).
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

    /// <summary>MACs of the part model: layers [0, split] plus the part head, or plus the global average pool that makes the part feature (docs/FORMAT.md counting).</summary>
    public static long PartMacs(FloatGraph graph, int split) => graph.PartOutputName != null
        ? graph.Layers.Take(split + 1 + graph.PartHeadLayers).Sum(l => l.Macs)
        : graph.Layers.Take(split + 1).Sum(l => l.Macs) + graph.Layers[split].OutputElements;

    /// <summary>MACs of the whole model as the file counts them: every layer, plus the part feature's global pool when the converter adds it.</summary>
    public static long FullMacs(FloatGraph graph, int split) => graph.TotalMacs + (graph.PartOutputName != null ? 0 : graph.Layers[split].OutputElements);

    /// <summary>The name under which calibration records the range of the pooled split activation.</summary>
    public static string PooledName(string tensor) => "pooled:" + tensor;

    /// <summary>
    /// `auto`: the latest boundary whose part MACs are at most <paramref name="maxPartShare"/> of the
    /// full model's; otherwise the boundary at the layer named (ONNX node name, a fused node's name,
    /// or the output tensor name).
    /// </summary>
    public static int Place(FloatGraph graph, string split, double maxPartShare)
    {
        if (graph.PartOutputName != null) return PlaceAtPartHead(graph, split);
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

    /// <summary>
    /// The model computes its part feature (its second output): the part head is every layer only
    /// that output needs; it must read one activation, the split, produced by a layer whose output
    /// no residual connection crosses. The head is moved right after that layer (it depends on
    /// nothing else, so the order stays valid) and its length recorded in the graph. A --split
    /// other than auto must name that layer.
    /// </summary>
    static int PlaceAtPartHead(FloatGraph graph, string split)
    {
        var layers = graph.Layers;
        if (graph.PartHeadLayers > 0) // placed before (Place runs again on the same graph)
        {
            int placed = layers.FindIndex(l => l.Output == graph.PartOutputName) - graph.PartHeadLayers;
            CheckNamed(graph, split, placed);
            return placed;
        }
        var forFull = new HashSet<string> { graph.OutputName };
        for (int i = layers.Count - 1; i >= 0; i--)
            if (forFull.Contains(layers[i].Output)) foreach (var x in layers[i].Inputs) forFull.Add(x);
        var head = layers.Where(l => !forFull.Contains(l.Output)).ToList();
        string output = graph.OnnxPartOutputName;
        if (head.Count == 0)
            throw new ConversionException($"the part output '{output}' is computed by layers of the full model; it must branch off the split activation through layers of its own (e.g. a pool or depthwise conv of the split).");
        var headOutputs = new HashSet<string>(head.Select(l => l.Output));
        var reads = head.SelectMany(l => l.Inputs).Where(x => !headOutputs.Contains(x)).Distinct().ToList();
        if (reads.Count != 1 || reads[0] == graph.InputName)
            throw new ConversionException($"the part output '{output}' must be computed from one activation of the full model, the split; its layers ({string.Join(", ", head.Select(l => l.Name))}) read {string.Join(", ", reads.Select(r => r == graph.InputName ? "the input" : r))}.");
        if (head[^1].Output != graph.PartOutputName)
            throw new ConversionException($"the part output '{output}' is not written by the last of its layers ({head[^1].Name}).");
        int at = layers.FindIndex(l => l.Output == reads[0]);
        foreach (var l in head) layers.Remove(l);
        layers.InsertRange(at + 1, head);
        graph.PartHeadLayers = head.Count;
        if (layers[at].OutputShape.Length != 4 || !Boundaries(graph).Contains(at))
        {
            graph.PartHeadLayers = 0;
            throw new ConversionException($"the part output '{output}' branches off '{layers[at].Name}', which is not a block boundary (a residual connection crosses it, or its output is not a feature map).");
        }
        CheckNamed(graph, split, at);
        return at;
    }

    static void CheckNamed(FloatGraph graph, string split, int at)
    {
        if (string.IsNullOrEmpty(split) || split == "auto") return;
        var l = graph.Layers[at];
        if (!(l.Name == split || l.Output == split || l.FusedNodes.Any(f => f.StartsWith(split + " (", StringComparison.Ordinal))))
            throw new ConversionException($"--split '{split}' is not where the model's part output '{graph.OnnxPartOutputName}' branches off ('{l.Name}'); give --split {l.Name} or auto.");
    }
}
