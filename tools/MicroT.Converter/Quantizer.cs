namespace MicroT.Converter;

/// <summary>
/// Post-training quantization of a <see cref="FloatGraph"/> with calibrated ranges into a
/// <see cref="QuantizedModel"/>: per-channel symmetric int8 weights, int32 biases, activation
/// scale/zero point from the calibrated range (TFLite-style: a fused Relu/Clip narrows the range,
/// pools keep their input's parameters). Rescale factors are checked against the range the
/// runtime accepts, so a model that would not load fails here naming the layer.
/// </summary>
public static class Quantizer
{
    /// <summary>Rescale factors (input * weight / output scale) the runtime's Q31 multipliers can hold: [2^-31, 2^30).</summary>
    public const double MinEffectiveScale = Runtime.Models.ModelFormat.MinEffectiveScale, MaxEffectiveScale = Runtime.Models.ModelFormat.MaxEffectiveScale;

    public static QuantizedModel Quantize(FloatGraph graph, Dictionary<string, TensorRange> ranges, float inputLow, float inputHigh, int splitLayer)
    {
        var q = new QuantizedModel { Name = graph.Name, InputLow = inputLow, InputHigh = inputHigh, SplitLayer = splitLayer };
        var index = new Dictionary<string, int>();
        int AddTensor(string name, int[] shape, float scale, int zp)
        {
            q.Tensors.Add(new QTensor { Name = name, Shape = shape, Scale = scale, ZeroPoint = zp });
            return index[name] = q.Tensors.Count - 1;
        }

        // Input: pixel p in [0, 255] means inputLow + p/255 * (inputHigh - inputLow).
        var (inScale, inZp) = Quantization.ActivationParams(inputLow, inputHigh);
        q.InputTensor = AddTensor(graph.InputName, graph.InputShape, inScale, inZp);

        foreach (var l in graph.Layers)
        {
            var inputs = l.Inputs.Select(n => index[n]).ToArray();
            var x = q.Tensors[inputs[0]];
            var ql = new QLayer { Source = l, Inputs = inputs };
            float outScale; int outZp;
            if (l.Kind is LayerKind.MaxPool or LayerKind.AveragePool)
            {
                outScale = x.Scale; outZp = x.ZeroPoint;
            }
            else
            {
                if (!ranges.TryGetValue(l.Output, out var r))
                    throw new ConversionException($"no calibration range for tensor '{l.Output}' of layer '{l.Name}'.");
                float lo = Math.Max(r.Min, l.ActivationMin), hi = Math.Min(r.Max, l.ActivationMax);
                if (hi < lo) hi = lo;
                (outScale, outZp) = Quantization.ActivationParams(lo, hi);
            }
            ql.Output = AddTensor(l.Output, l.OutputShape, outScale, outZp);
            // The runtime's clamp rule (the one the model writer and the kernels' callers use too).
            MicroT.Runtime.Kernels.Quantization.ClampRange(l.ActivationMin, l.ActivationMax, outScale, outZp, out ql.ActMin, out ql.ActMax);

            switch (l.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.DepthwiseConv2D:
                case LayerKind.FullyConnected:
                    QuantizeWeights(l, ql, x.Scale, outScale);
                    break;
                case LayerKind.Add:
                    CheckRescale(l, "first input", (double)x.Scale / outScale);
                    CheckRescale(l, "second input", (double)q.Tensors[inputs[1]].Scale / outScale);
                    break;
            }
            q.Layers.Add(ql);
        }
        q.OutputTensor = index[graph.OutputName];
        q.PartMacs = SplitPlacer.PartMacs(graph, splitLayer);
        q.FullMacs = SplitPlacer.FullMacs(graph, splitLayer);
        if (graph.PartOutputName != null)
        {
            // The model's own part head (quantized as any layer above) writes the part feature.
            q.PartHeadLayers = graph.PartHeadLayers;
            q.PartFeature = q.Tensors[index[graph.PartOutputName]];
            return q;
        }
        // The part feature: the split activation pooled, quantized to its own calibrated range.
        var split = graph.Layers[splitLayer];
        if (!ranges.TryGetValue(SplitPlacer.PooledName(split.Output), out var pr))
            throw new ConversionException($"no calibration range for the pooled split activation '{split.Output}'.");
        var (ps, pz) = Quantization.ActivationParams(pr.Min, pr.Max);
        q.PartFeature = new QTensor { Name = SplitPlacer.PooledName(split.Output), Shape = new[] { 1, 1, 1, split.OutputShape[3] }, Scale = ps, ZeroPoint = pz };
        CheckRescale(split, "the part feature pool", (double)q.Tensors[index[split.Output]].Scale / ps);
        return q;
    }

    static void QuantizeWeights(FloatLayer l, QLayer ql, float inScale, float outScale)
    {
        int channels = l.Bias.Length;
        bool depthwise = l.Kind == LayerKind.DepthwiseConv2D;
        int per = l.Weights.Length / channels;
        ql.Weights = new sbyte[l.Weights.Length];
        ql.WeightScales = new float[channels];
        ql.Bias = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            // Depthwise weights are [KH,KW,C]: channel c is every C-th value; others are [C, ...].
            float maxAbs = 0;
            for (int k = 0; k < per; k++) maxAbs = Math.Max(maxAbs, Math.Abs(l.Weights[depthwise ? k * channels + c : c * per + k]));
            float ws = maxAbs > 0 ? maxAbs / 127f : 1f;
            ql.WeightScales[c] = ws;
            for (int k = 0; k < per; k++)
            {
                int i = depthwise ? k * channels + c : c * per + k;
                ql.Weights[i] = (sbyte)Math.Clamp(Math.Round(l.Weights[i] / ws, MidpointRounding.AwayFromZero), -127, 127);
            }
            double biasScale = (double)inScale * ws;
            ql.Bias[c] = (int)Math.Clamp(Math.Round(l.Bias[c] / biasScale, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);
            CheckRescale(l, $"output channel {c}", biasScale / outScale);
        }
    }

    static void CheckRescale(FloatLayer l, string what, double s)
    {
        if (!(s >= MinEffectiveScale && s < MaxEffectiveScale))
            throw new ConversionException($"node '{l.Name}' (op {l.OnnxOp}): the rescale factor of {what} is {s:G3}, outside the [2^-31, 2^30) an int8 multiplier can hold. " +
                "The layer's weights or activations are degenerate (e.g. all weights near zero); check the trained model or calibrate with more representative inputs.");
    }
}
