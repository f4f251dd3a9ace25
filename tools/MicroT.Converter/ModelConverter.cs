namespace MicroT.Converter;

/// <summary>Everything `microt convert` takes (docs/CONVERTER.md lists the flags).</summary>
public sealed class ConvertOptions
{
    public string Calibration = "random";
    public int CalibrationCount = 64;
    public RangeMethod Range = RangeMethod.MinMax;
    public double Percentile = 99.99;
    /// <summary>"auto" or the name of the node (or output tensor) after which the part model ends.</summary>
    public string Split = "auto";
    public double MaxPartShare = 0.5;
    /// <summary>Float input value of pixel 0 and of pixel 255 (the model's preprocessing).</summary>
    public float InputLow = 0f, InputHigh = 1f;
    public bool BilinearResize = true;
    /// <summary>Refuse to write when a stage's mean cosine similarity (float vs int8) is below this.</summary>
    public double MinCosine = 0.98;
    public string Name;
    public int Seed = 1;
}

/// <summary>What a conversion produced and measured.</summary>
public sealed class ConversionResult
{
    public FloatGraph Graph;
    public QuantizedModel Model;
    public Dictionary<string, TensorRange> Ranges;
    public List<byte[]> Frames;
    public List<float[]> Inputs;
    /// <summary>The .mtm bytes (after <see cref="ModelConverter.WriteAndVerify"/>).</summary>
    public byte[] File;
    public VerificationReport Verification;
}

/// <summary>
/// The conversion pipeline: import, place the split, calibrate, quantize
/// (<see cref="Prepare(string, ConvertOptions, Action{string, int, int})"/>), then write the .mtm
/// and verify it with the runtime against ONNX Runtime (<see cref="WriteAndVerify"/>).
/// </summary>
public static class ModelConverter
{
    public static ConversionResult Prepare(string onnxPath, ConvertOptions o, Action<string, int, int> progress = null)
    {
        var graph = OnnxImporter.Load(onnxPath);
        return Prepare(graph, o, progress);
    }

    public static ConversionResult Prepare(FloatGraph graph, ConvertOptions o, Action<string, int, int> progress = null)
    {
        if (!(o.InputHigh > o.InputLow)) throw new ConversionException($"--input-range {o.InputLow},{o.InputHigh}: the value of pixel 255 must exceed that of pixel 0.");
        if (o.Name != null)
        {
            if (o.Name.Length < 1 || o.Name.Length > Runtime.Models.ModelFormat.NameLength || o.Name.Any(ch => ch < 0x20 || ch > 0x7E))
                throw new ConversionException($"--name '{o.Name}' is not 1 to {Runtime.Models.ModelFormat.NameLength} printable ASCII characters (the model file's name field); it has {o.Name.Length} characters{(o.Name.Any(ch => ch < 0x20 || ch > 0x7E) ? ", some not printable ASCII" : "")}.");
            graph.Name = o.Name;
        }
        int split = SplitPlacer.Place(graph, o.Split, o.MaxPartShare);
        // Before anything is calibrated: the model must fit the runtime's limits (tensor sizes,
        // arena, MACs, operator count), checked by the runtime's own reader on a structural copy.
        MtmEmitter.CheckLimits(graph, split, o.BilinearResize);
        int h = graph.InputShape[1], w = graph.InputShape[2], c = graph.InputShape[3];
        var frames = CalibrationInputs.LoadFrames(o.Calibration, h, w, c, o.CalibrationCount, o.Seed);
        var (inScale, inZp) = Quantization.ActivationParams(o.InputLow, o.InputHigh);
        float pixelScale = (o.InputHigh - o.InputLow) / 255f;
        var inputs = frames.Select(f => CalibrationInputs.ToFloat(f, pixelScale, o.InputLow, inScale, inZp)).ToList();
        Dictionary<string, TensorRange> ranges;
        using (var runner = new OnnxFloatRunner(graph))
            ranges = Calibrator.Calibrate(graph, runner, inputs, o.Range, o.Percentile, i => progress?.Invoke("calibrating", i, inputs.Count),
                graph.PartOutputName != null ? null : new[] { graph.Layers[split].Output });
        var model = Quantizer.Quantize(graph, ranges, o.InputLow, o.InputHigh, split);
        return new ConversionResult { Graph = graph, Model = model, Ranges = ranges, Frames = frames, Inputs = inputs };
    }

    /// <summary>
    /// Writes the model and verifies it on <paramref name="frames"/> (default: the calibration
    /// frames). Throws <see cref="ConversionException"/> when a stage's mean cosine similarity is
    /// below <see cref="ConvertOptions.MinCosine"/>; the result then holds no file.
    /// </summary>
    public static ConversionResult WriteAndVerify(ConversionResult r, ConvertOptions o, IReadOnlyList<byte[]> frames = null)
    {
        var file = MtmEmitter.Write(r.Model, o.BilinearResize);
        r.Verification = Verifier.Verify(r.Graph, r.Model.SplitLayer, file, frames ?? r.Frames);
        if (!r.Verification.Passed(o.MinCosine))
        {
            var w = r.Verification.Worst;
            throw new ConversionException($"verification failed: the int8 {w.Stage} features agree with the float model at mean cosine {w.MeanCosine:F4} (min {w.MinCosine:F4}), below --min-cosine {o.MinCosine}. " +
                "Calibrate with more representative images (--calibration), try --range percentile, or check the model. Nothing was written.");
        }
        r.File = file;
        return r;
    }
}
