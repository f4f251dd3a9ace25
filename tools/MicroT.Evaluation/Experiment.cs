using MicroT.Profiler;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;

namespace MicroT.Evaluation;

/// <summary>Settings of one experiment run (the `microt eval` options).</summary>
public sealed class ExperimentOptions
{
    /// <summary>k: labelled training images per class (20 by default).</summary>
    public int Shots { get; init; } = 20;
    /// <summary>Seeds the draw of the training shots.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Folds of the out-of-fold threshold calibration on the training shots.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Target part-model shares r the thresholds are calibrated for.</summary>
    public double[] Ratios { get; init; } = [0, 0.25, 0.5, 0.75, 1];
    /// <summary>Head kinds trained and compared.</summary>
    public HeadKind[] Heads { get; init; } = [HeadKind.Logistic, HeadKind.Ridge];
    /// <summary>Held-out images per task whose answer paths are counted (the IL cost is nearly data independent).</summary>
    public int CostSamples { get; init; } = 8;

    public void Validate()
    {
        if (Shots < 1) throw new EvaluationException($"--shots must be at least 1, got {Shots}.");
        if (Folds < 2) throw new EvaluationException($"--folds must be at least 2, got {Folds}.");
        if (Ratios == null || Ratios.Length == 0) throw new EvaluationException("At least one ratio r is needed.");
        foreach (var r in Ratios)
            if (!(r >= 0 && r <= 1)) throw new EvaluationException($"A ratio r must be in [0, 1], got {r}.");
        if (Heads == null || Heads.Length == 0) throw new EvaluationException("At least one head kind is needed.");
        if (CostSamples < 1) throw new EvaluationException($"Cost samples must be at least 1, got {CostSamples}.");
    }
}

/// <summary>
/// The MicroT experiment on the host build of the runtime (the same sources the device runs):
/// per task, draw k labelled images per class, run them through the extractor (part features
/// after RunPart, full features after RunRest resumes from the split), train the part and
/// full heads and calibrate the thresholds out of fold (Classifier.TaskTrainer), then answer
/// every held-out image by the two-stage rule for each r and by the full head alone, and
/// price each answer with the IL cost counted on the runtime (<see cref="CostMeter"/>).
/// </summary>
public static class Experiment
{
    /// <summary>Reports progress: what is being done, how much of it is done, of how much.</summary>
    public delegate void Progress(string step, int done, int total);

    public static EvaluationResult Run(byte[] modelFile, string modelName, string modelNote,
        IReadOnlyList<EvaluationTask> tasks, ExperimentOptions options, Progress progress = null)
    {
        options.Validate();
        progress ??= (_, _, _) => { };
        var model = LoadModel(modelFile, modelName);
        var interpreter = new Interpreter(model);
        var result = new EvaluationResult
        {
            Model = string.IsNullOrEmpty(modelName) ? model.Name : modelName,
            ModelNote = modelNote,
            PartMacs = model.PartMacs,
            FullMacs = model.FullMacs,
            PartFeatureLength = model.PartFeatureLength,
            FullFeatureLength = model.FullFeatureLength,
            Shots = options.Shots,
            Seed = options.Seed,
            Folds = options.Folds,
            Ratios = options.Ratios,
            MicrosecondsPerSimpleInstruction = Esp32Projection.MicrosecondsPerSimpleInstruction,
            BoardPowerMilliwatts = Esp32Projection.BoardPowerMilliwatts,
        };
        using var meter = new CostMeter(modelFile);
        foreach (var task in tasks)
        {
            if (task.Pool.Width != model.InputWidth || task.Pool.Height != model.InputHeight)
                throw new EvaluationException($"Task '{task.Name}' has {task.Pool.Width}x{task.Pool.Height} images; the model takes {model.InputWidth}x{model.InputHeight}.");
            Data.LabeledImageSet shots;
            try { shots = task.Pool.TakePerClass(options.Shots, options.Seed); }
            catch (InvalidOperationException e) { throw new EvaluationException($"Task '{task.Name}': {e.Message} Use fewer --shots.", e); }

            var trainPart = Store(model.PartFeatureLength, model.PartFeatureScale, model.PartFeatureZeroPoint, task.ClassCount, shots.Count);
            var trainFull = Store(model.FullFeatureLength, model.FullFeatureScale, model.FullFeatureZeroPoint, task.ClassCount, shots.Count);
            var features = new Features(model, shots.Count);
            Extract(interpreter, shots, features, $"{task.Name}: features of {shots.Count} training images", progress);
            for (int i = 0; i < shots.Count; i++)
            {
                trainPart.Add(features.Part, i * features.PartLength, shots.Labels[i]);
                trainFull.Add(features.Full, i * features.FullLength, shots.Labels[i]);
            }
            var held = new Features(model, task.HeldOut.Count);
            Extract(interpreter, task.HeldOut, held, $"{task.Name}: features of {task.HeldOut.Count} held-out images", progress);

            foreach (var kind in options.Heads)
            {
                string head = HeadName(kind);
                progress($"{task.Name}: {head} heads, {options.Folds}-fold calibration", 0, 1);
                var training = new TaskTrainingOptions
                {
                    Part = new HeadOptions { Kind = kind },
                    Full = new HeadOptions { Kind = kind },
                    Ratio = 0.5f,
                    Folds = options.Folds,
                };
                var trained = TaskTrainer.Train(TaskName(task.Name), task.ClassNames, trainPart, trainFull, training, out var calibration);
                progress($"{task.Name}: {head} heads, {options.Folds}-fold calibration", 1, 1);

                var frames = task.HeldOut.Images.Take(options.CostSamples).ToArray();
                progress($"{task.Name}: counting IL of the answer paths ({head})", 0, 1);
                var costs = meter.Measure(TaskSerializer.ToBytes(trained), frames, model.InputWidth, model.InputHeight);
                progress($"{task.Name}: counting IL of the answer paths ({head})", 1, 1);
                var taskCosts = new TaskCosts
                {
                    Task = task.Name, Head = head, Samples = frames.Length,
                    PartAnswer = costs.PartAnswer with { Macs = model.PartMacs + trained.PartHead.Macs },
                    FullAnswer = costs.FullAnswer with { Macs = model.FullMacs + trained.PartHead.Macs + trained.FullHead.Macs },
                    FullOnly = costs.FullOnly with { Macs = model.FullMacs + trained.FullHead.Macs },
                };
                result.Costs.Add(taskCosts);

                var fullOnly = Score(task, held, trained, Calibration.NeverPart, fullOnly: true);
                foreach (var r in options.Ratios)
                {
                    float threshold = calibration.ThresholdForRatio((float)r);
                    var staged = Score(task, held, trained, threshold, fullOnly: false);
                    result.Rows.Add(Row(task, head, $"r={r:0.00}", r, threshold, staged, taskCosts));
                }
                result.Rows.Add(Row(task, head, ResultRow.FullOnly, null, null, fullOnly, taskCosts));
            }
        }
        return result;
    }

    public static Model LoadModel(byte[] file, string name)
    {
        try { return Model.Load(file); }
        catch (ModelFormatException e) { throw new EvaluationException($"Model {name}: {e.Message}", e); }
    }

    public static string HeadName(HeadKind kind) => kind == HeadKind.Ridge ? "ridge" : "logistic";

    /// <summary>ClassifierTask names are short and plain (A-Z, a-z, 0-9, _ and -); the table keeps the full task name.</summary>
    static string TaskName(string name)
    {
        var plain = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray());
        return plain.Length <= ClassifierTask.MaxNameLength ? plain : plain[..ClassifierTask.MaxNameLength];
    }

    static SampleStore Store(int length, float scale, int zeroPoint, int classes, int capacity)
    {
        if (classes > SampleStore.MaxClasses) throw new EvaluationException($"A task may have at most {SampleStore.MaxClasses} classes, this one has {classes}.");
        return new SampleStore(length, scale, zeroPoint, classes, capacity);
    }

    /// <summary>Part and full features of a set of images, as the extractor emits them (int8).</summary>
    sealed class Features
    {
        public Features(Model model, int count)
        {
            PartLength = model.PartFeatureLength;
            FullLength = model.FullFeatureLength;
            Part = new sbyte[count * PartLength];
            Full = new sbyte[count * FullLength];
        }
        public readonly int PartLength, FullLength;
        public readonly sbyte[] Part, Full;
    }

    /// <summary>RunPart, read the part features, RunRest (resumes from the split), read the full features.</summary>
    static void Extract(Interpreter interpreter, Data.LabeledImageSet images, Features into, string step, Progress progress)
    {
        var m = interpreter.Model;
        for (int i = 0; i < images.Count; i++)
        {
            interpreter.SetInput(images.Images[i], FrameFormat.Gray8, images.Width, images.Height);
            interpreter.RunPart();
            interpreter.CopyPartFeatures(into.Part, i * into.PartLength);
            interpreter.RunRest();
            interpreter.CopyFullFeatures(into.Full, i * into.FullLength);
            if ((i & 63) == 63 || i == images.Count - 1) progress(step, i + 1, images.Count);
        }
    }

    readonly record struct Answers(int Correct, int Part, int Count);

    /// <summary>
    /// The stage decision on precomputed features: the part head answers when its confidence
    /// (largest softmax probability) is at or above the threshold, else the full head answers.
    /// The full features come from RunRest after RunPart on the same image, which is exactly what
    /// the staged path computes when it resumes.
    /// </summary>
    static Answers Score(EvaluationTask task, Features held, ClassifierTask trained, float threshold, bool fullOnly)
    {
        int classes = trained.ClassCount, correct = 0, part = 0;
        var scores = new float[classes];
        for (int i = 0; i < task.HeldOut.Count; i++)
        {
            int label;
            bool partAnswers = false;
            if (!fullOnly)
            {
                trained.PartHead.Score(held.Part, i * held.PartLength, scores);
                partAnswers = LinearHead.Confidence(scores, classes) >= threshold;
            }
            if (partAnswers)
            {
                label = LinearHead.ArgMax(scores, classes);
                part++;
            }
            else
            {
                trained.FullHead.Score(held.Full, i * held.FullLength, scores);
                label = LinearHead.ArgMax(scores, classes);
            }
            if (label == task.HeldOut.Labels[i]) correct++;
        }
        return new Answers(correct, part, task.HeldOut.Count);
    }

    static ResultRow Row(EvaluationTask task, string head, string setting, double? ratio, float? threshold, Answers a, TaskCosts costs)
    {
        double share = (double)a.Part / a.Count;
        double macs, weighted;
        if (ratio.HasValue)
        {
            macs = share * costs.PartAnswer.Macs + (1 - share) * costs.FullAnswer.Macs;
            weighted = share * costs.PartAnswer.Weighted + (1 - share) * costs.FullAnswer.Weighted;
        }
        else
        {
            macs = costs.FullOnly.Macs;
            weighted = costs.FullOnly.Weighted;
        }
        return new ResultRow
        {
            Task = task.Name, Head = head, Setting = setting, TargetRatio = ratio, Threshold = threshold,
            HeldOut = a.Count, Correct = a.Correct, Accuracy = (double)a.Correct / a.Count, PartShare = share,
            MacsPerAnswer = macs, CostPerAnswer = weighted, Saving = 1 - weighted / costs.FullOnly.Weighted,
            ProjectedMilliseconds = Esp32Projection.Milliseconds((long)Math.Round(weighted)),
            ProjectedMillijoules = Esp32Projection.Millijoules((long)Math.Round(weighted)),
        };
    }
}
