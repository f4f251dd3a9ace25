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
    /// <summary>Folds of the out-of-fold threshold calibration on the training shots (logistic heads; ridge heads use closed-form leave-one-out, residuals scaled to a new sample's).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Target part-model shares r the thresholds are calibrated for.</summary>
    public double[] Ratios { get; init; } = [0, 0.25, 0.5, 0.75, 1];
    /// <summary>Head kinds trained and compared.</summary>
    public HeadKind[] Heads { get; init; } = [HeadKind.Logistic, HeadKind.Ridge];
    /// <summary>Trained heads keep int8 weights with one scale per class (the runtime's default), else float weights.</summary>
    public bool QuantizeWeights { get; init; } = true;
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
/// Every reported accuracy is what the device's <see cref="StagedClassifier"/> answers. Beside
/// them, the same head kind trained on the raw pixels of the same shots is the baseline
/// (<see cref="BaselineRow"/>): what the extractor is worth on this task.
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
        var classifier = new StagedClassifier(new Interpreter(model));
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
            string step = $"{task.Name}: features of {shots.Count} training images";
            for (int i = 0; i < shots.Count; i++)
            {
                classifier.AddSample(shots.Images[i], FrameFormat.Gray8, shots.Width, shots.Height, shots.Labels[i], trainPart, trainFull);
                if ((i & 63) == 63 || i == shots.Count - 1) progress(step, i + 1, shots.Count);
            }
            var raw = RawPixels(shots, task.ClassCount);

            foreach (var kind in options.Heads)
            {
                string head = HeadName(kind);
                progress($"{task.Name}: {head} heads, {options.Folds}-fold calibration", 0, 1);
                var training = new TaskTrainingOptions
                {
                    Part = new HeadOptions { Kind = kind, QuantizeWeights = options.QuantizeWeights },
                    Full = new HeadOptions { Kind = kind, QuantizeWeights = options.QuantizeWeights },
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

                // Every reported row is what the device's StagedClassifier answers: one task per
                // setting (same heads, the setting's threshold; full-only never lets the part head
                // answer), all classified together by ClassifyAll (the part model runs once per
                // image, the rest once).
                var settings = new TaskSet();
                var ratios = options.Ratios.Distinct().ToArray();
                for (int j = 0; j < ratios.Length; j++)
                    settings.Set(new ClassifierTask("r" + j, task.ClassNames, trained.PartHead, trained.FullHead, calibration.ThresholdForRatio((float)ratios[j])));
                settings.Set(new ClassifierTask("full", task.ClassNames, trained.PartHead, trained.FullHead, Calibration.NeverPart));
                var answers = Answer(classifier, task, settings, $"{task.Name}: {head} staged answers of {task.HeldOut.Count} held-out images", progress);
                foreach (var r in options.Ratios)
                {
                    int j = Array.IndexOf(ratios, r);
                    result.Rows.Add(Row(task, head, $"r={r:0.00}", r, settings[j].Threshold, answers[j], taskCosts));
                }
                result.Rows.Add(Row(task, head, ResultRow.FullOnly, null, null, answers[ratios.Length], taskCosts));

                var rawHead = HeadTrainer.Fit(raw, new HeadOptions { Kind = kind, QuantizeWeights = options.QuantizeWeights });
                result.Baselines.Add(new BaselineRow
                {
                    Task = task.Name, Head = head, Features = BaselineRow.RawPixels, FeatureLength = raw.FeatureLength,
                    HeldOut = task.HeldOut.Count, Correct = ScoreRaw(rawHead, task.HeldOut),
                    Accuracy = (double)ScoreRaw(rawHead, task.HeldOut) / task.HeldOut.Count, Macs = rawHead.Macs,
                });
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

    readonly record struct Answers(int Correct, int Part, int Count);

    /// <summary>The held-out images through StagedClassifier.ClassifyAll: correct answers and part-stage answers per task of the set.</summary>
    static Answers[] Answer(StagedClassifier classifier, EvaluationTask task, TaskSet settings, string step, Progress progress)
    {
        var results = new StagedResult[settings.Count];
        for (int j = 0; j < results.Length; j++) results[j] = new StagedResult();
        var correct = new int[settings.Count];
        var part = new int[settings.Count];
        var images = task.HeldOut;
        for (int i = 0; i < images.Count; i++)
        {
            classifier.ClassifyAll(images.Images[i], FrameFormat.Gray8, images.Width, images.Height, settings, results);
            for (int j = 0; j < results.Length; j++)
            {
                if (results[j].Label == images.Labels[i]) correct[j]++;
                if (results[j].Stage == Stage.Part) part[j]++;
            }
            if ((i & 63) == 63 || i == images.Count - 1) progress(step, i + 1, images.Count);
        }
        return Enumerable.Range(0, settings.Count).Select(j => new Answers(correct[j], part[j], images.Count)).ToArray();
    }

    /// <summary>
    /// The baseline's features: the frame's own pixels at the model input size (as int8 with
    /// the Gray8 input quantization: value = pixel / 255, zero point -128), one sample per shot.
    /// </summary>
    static SampleStore RawPixels(Data.LabeledImageSet shots, int classes)
    {
        var store = Store(shots.Width * shots.Height, 1f / 255, -128, classes, shots.Count);
        for (int i = 0; i < shots.Count; i++) store.Add(Pixels(shots.Images[i]), 0, shots.Labels[i]);
        return store;
    }

    static sbyte[] Pixels(byte[] image)
    {
        var v = new sbyte[image.Length];
        for (int i = 0; i < v.Length; i++) v[i] = (sbyte)(image[i] - 128);
        return v;
    }

    static int ScoreRaw(LinearHead head, Data.LabeledImageSet heldOut)
    {
        var scores = new float[head.ClassCount];
        int correct = 0;
        for (int i = 0; i < heldOut.Count; i++)
        {
            head.Score(Pixels(heldOut.Images[i]), 0, scores);
            if (LinearHead.ArgMax(scores, head.ClassCount) == heldOut.Labels[i]) correct++;
        }
        return correct;
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
