using MicroT.Runtime.Models;

namespace MicroT.Converter;

/// <summary>Agreement of one stage's features: float (ONNX Runtime) vs int8 (the MicroT runtime).</summary>
public sealed class StageCheck
{
    public string Stage;
    public int Length;
    public double MeanCosine, MinCosine;
    /// <summary>Largest and root-mean-square |float - dequantized int8| over all samples and values.</summary>
    public double MaxAbsError, RmsError;
    /// <summary>The largest error in units of the int8 feature's scale (LSBs).</summary>
    public double MaxErrorLsb;
    /// <summary>RMS error over the RMS of the float features.</summary>
    public double RelativeError;
}

public sealed class VerificationReport
{
    public int Samples;
    public readonly List<StageCheck> Stages = new List<StageCheck>();
    /// <summary>The same measures for every operator's output (Stage = the layer name), in operator order: where the error comes from.</summary>
    public readonly List<StageCheck> Layers = new List<StageCheck>();
    public StageCheck Worst => Stages.OrderBy(s => s.MeanCosine).First();
    public bool Passed(double minCosine) => Stages.All(s => s.MeanCosine >= minCosine);
}

/// <summary>
/// Runs the written .mtm with the runtime's <see cref="Interpreter"/> (part, then rest resumed
/// from the split activation, as on the device) and the original float model with ONNX Runtime,
/// on the same frames; the float model gets exactly the input the int8 model got (the runtime's
/// frame preprocessing, dequantized). Compares the part feature (the float model's part output, or
/// the global average pool of the float split activation) and the full feature.
/// </summary>
public static class Verifier
{
    public static VerificationReport Verify(FloatGraph graph, int splitLayer, byte[] mtm, IReadOnlyList<byte[]> frames)
    {
        var model = Model.Load(mtm);
        var interp = new Interpreter(model);
        var format = model.InputChannels == 1 ? FrameFormat.Gray8 : FrameFormat.Rgb888;
        var input = model.Input;
        var splitTensor = graph.Layers[splitLayer].Output;
        int splitChannels = graph.Layers[splitLayer].OutputShape[3];
        var part = new Accumulator("part", model.PartFeature);
        var full = new Accumulator("full", model.FullFeature);
        // Operator j of the file: layers [0, split] first, then the part-feature pool, then the rest
        // (with a part head, the file's operators are the layers one for one).
        bool head = graph.PartOutputName != null;
        var ops = model.Operators;
        var opNames = new string[ops.Length];
        var opTensors = new string[ops.Length];
        for (int j = 0; j < ops.Length; j++)
        {
            int layer = head || j <= splitLayer ? j : j - 1;
            bool pool = !head && j == splitLayer + 1;
            opNames[j] = pool ? "(part feature pool)" : graph.Layers[layer].Name;
            opTensors[j] = pool ? null : graph.Layers[layer].Output;
        }
        var perOp = ops.Select((op, j) => new Accumulator(opNames[j], op.Output)).ToArray();
        var stepper = new Interpreter(model);
        var partQ = new sbyte[model.PartFeatureLength];
        var fullQ = new sbyte[model.FullFeatureLength];
        using var runner = new OnnxFloatRunner(graph);
        foreach (var frame in frames)
        {
            interp.SetInput(frame, format, model.InputWidth, model.InputHeight);
            var x = new float[input.Length];
            for (int i = 0; i < x.Length; i++) x[i] = (interp.Arena[interp.InputOffset + i] - input.ZeroPoint) * input.Scale;
            interp.RunPart();
            interp.CopyPartFeatures(partQ, 0);
            interp.RunRest();
            interp.CopyFullFeatures(fullQ, 0);

            var f = runner.Run(x);
            double[] pooled;
            if (head) pooled = f[graph.PartOutputName].Select(v => (double)v).ToArray();
            else
            {
                var s = f[splitTensor];
                pooled = new double[splitChannels];
                for (int i = 0; i < s.Length; i++) pooled[i % splitChannels] += s[i];
                for (int c = 0; c < splitChannels; c++) pooled[c] /= s.Length / splitChannels;
            }
            part.Add(pooled, partQ);

            // Operator by operator, reading each output while the planner still holds it.
            stepper.SetInput(frame, format, model.InputWidth, model.InputHeight);
            for (int j = 0; j < ops.Length; j++)
            {
                stepper.Run(j, j + 1);
                var q = new sbyte[ops[j].Output.Length];
                Array.Copy(stepper.Arena, ops[j].Output.ArenaOffset, q, 0, q.Length);
                perOp[j].Add(opTensors[j] == null ? pooled : f[opTensors[j]].Select(v => (double)v).ToArray(), q);
            }
            full.Add(f[graph.OutputName].Select(v => (double)v).ToArray(), fullQ);
        }
        var report = new VerificationReport { Samples = frames.Count };
        report.Stages.Add(part.Result());
        report.Stages.Add(full.Result());
        report.Layers.AddRange(perOp.Select(a => a.Result()));
        return report;
    }

    sealed class Accumulator
    {
        readonly StageCheck check;
        readonly Tensor t;
        readonly List<double> cosines = new List<double>();
        double sumSq, sumSqFloat;
        long count;

        public Accumulator(string stage, Tensor t)
        {
            this.t = t;
            check = new StageCheck { Stage = stage, Length = t.Length };
        }

        public void Add(double[] f, sbyte[] q)
        {
            if (f.Length != q.Length) throw new ConversionException($"{check.Stage} feature: the float model gives {f.Length} values, the int8 model {q.Length}; this is a converter bug.");
            double dot = 0, nf = 0, nq = 0;
            for (int i = 0; i < f.Length; i++)
            {
                double d = (q[i] - t.ZeroPoint) * (double)t.Scale;
                dot += f[i] * d; nf += f[i] * f[i]; nq += d * d;
                double e = Math.Abs(f[i] - d);
                check.MaxAbsError = Math.Max(check.MaxAbsError, e);
                sumSq += e * e; sumSqFloat += f[i] * f[i]; count++;
            }
            // Two all-zero vectors agree perfectly; one all-zero vector against another does not.
            cosines.Add(nf == 0 && nq == 0 ? 1 : nf == 0 || nq == 0 ? 0 : dot / Math.Sqrt(nf * nq));
        }

        public StageCheck Result()
        {
            check.MeanCosine = cosines.Count == 0 ? 0 : cosines.Average();
            check.MinCosine = cosines.Count == 0 ? 0 : cosines.Min();
            check.RmsError = count == 0 ? 0 : Math.Sqrt(sumSq / count);
            check.RelativeError = sumSqFloat == 0 ? 0 : Math.Sqrt(sumSq / sumSqFloat);
            check.MaxErrorLsb = check.MaxAbsError / t.Scale;
            return check;
        }
    }
}
