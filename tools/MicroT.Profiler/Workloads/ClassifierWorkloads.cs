using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// On-device learning and staged inference on the zoo extractor: heads fitted on 200 local
/// samples (Fashion-MNIST train, 20 per class, features from the extractor), a whole task
/// trained (default: two ridge heads + leave-one-out threshold for r = 0.5; logistic: two
/// heads + k-fold calibration), small tasks (the first samples of each class, so the ridge heads
/// run in their dual form), one sample added to a store, and staged inference per frame.
/// </summary>
static class ClassifierWorkloads
{
    /// <summary>The first perClass samples of each of the first classes classes, in a store of their
    /// exact size (no Gram: it can hold no more samples than features).</summary>
    static SampleStore FirstPerClass(SampleStore s, int perClass, int classes)
    {
        var small = new SampleStore(s.FeatureLength, s.Scale, s.ZeroPoint, classes, perClass * classes);
        var taken = new int[classes];
        for (int i = 0; i < s.Count; i++)
        {
            int label = s.GetLabel(i);
            if (label < classes && taken[label]++ < perClass) small.Add(s.Features, i * s.FeatureLength, label);
        }
        return small;
    }

    public static IEnumerable<Workload> Create(bool training, bool staged)
    {
        var model = Model.Load(Inputs.ZooModelFile);
        var classifier = new StagedClassifier(new Interpreter(model));
        var train = Inputs.Samples;
        int n = train.Count;
        var part = classifier.NewPartStore(train.ClassCount, n);
        var full = classifier.NewFullStore(train.ClassCount, n);
        for (int i = 0; i < n; i++)
            classifier.AddSample(train.Images[i], FrameFormat.Gray8, train.Width, train.Height, train.Labels[i], part, full);
        var options = new TaskTrainingOptions();

        if (training)
        {
            string shape = $"{n} samples, {train.ClassCount} classes";
            var logistic = new HeadOptions { Kind = HeadKind.Logistic };
            var ridge = new HeadOptions();
            var logisticTask = new TaskTrainingOptions { Part = logistic, Full = logistic };
            var row = new sbyte[full.FeatureLength];
            Array.Copy(full.Features, 0, row, 0, row.Length);
            var growing = new SampleStore(full.FeatureLength, full.Scale, full.ZeroPoint, full.ClassCount, 1, keepGram: true);
            yield return new Workload("classifier", $"TaskTrainer.Train default: 2 ridge heads (GCV strength) + leave-one-out threshold, {shape}", "", 0, 1,
                () => TaskTrainer.Train("fashion", train.ClassNames, part, full, options));
            yield return new Workload("classifier", $"TaskTrainer.Train default, returning the Calibration (+ full head leave-one-out), {shape}", "", 0, 1,
                () => TaskTrainer.Train("fashion", train.ClassNames, part, full, options, out _));
            foreach (var (perClass, classes) in new[] { (6, 3), (2, 10), (6, 10) })
            {
                var smallPart = FirstPerClass(part, perClass, classes);
                var smallFull = FirstPerClass(full, perClass, classes);
                yield return new Workload("classifier", $"TaskTrainer.Train default, {smallPart.Count} samples, {classes} classes (dual form: no more samples than features)", "", 0, 1,
                    () => TaskTrainer.Train("small", train.ClassNames.Take(classes).ToArray(), smallPart, smallFull, options));
            }
            yield return new Workload("classifier", $"Ridge fit (GCV strength), {shape}, {part.FeatureLength} part features", "", 0, 1, () => HeadTrainer.Fit(part, ridge));
            yield return new Workload("classifier", $"Ridge fit (GCV strength), {shape}, {full.FeatureLength} full features", "", 0, 1, () => HeadTrainer.Fit(full, ridge));
            yield return new Workload("classifier", $"SampleStore.Add with its Gram update, {full.FeatureLength} full features", "", 0, 1,
                () => { growing.Clear(); growing.Add(row, 0, 0); });
            yield return new Workload("classifier", $"Logistic fit (L-BFGS, C = 1), {shape}, {part.FeatureLength} part features", "", 0, 1, () => HeadTrainer.Fit(part, logistic));
            yield return new Workload("classifier", $"Logistic fit (L-BFGS, C = 1), {shape}, {full.FeatureLength} full features", "", 0, 1, () => HeadTrainer.Fit(full, logistic));
            yield return new Workload("classifier", $"TaskTrainer.Train logistic: 2 logistic heads + {logisticTask.Folds}-fold calibration, {shape}", "", 0, 1,
                () => TaskTrainer.Train("fashion", train.ClassNames, part, full, logisticTask));
        }

        if (staged)
        {
            // Staged inference at r = 0.5 on the measured frames themselves: the threshold is set
            // to the median part confidence of these frames, so exactly half stop at the part.
            var task = TaskTrainer.Train("fashion", train.ClassNames, part, full, options);
            var frames = Inputs.Frames;
            var result = new StagedResult();
            var confidences = new float[frames.Count];
            for (int i = 0; i < frames.Count; i++)
            {
                classifier.Classify(frames.Images[i], FrameFormat.Gray8, frames.Width, frames.Height, task, result);
                confidences[i] = result.PartConfidence;
            }
            Array.Sort(confidences);
            task.Threshold = confidences[frames.Count / 2];
            int partAnswers = 0;
            long macs = 0;
            for (int i = 0; i < frames.Count; i++)
            {
                classifier.Classify(frames.Images[i], FrameFormat.Gray8, frames.Width, frames.Height, task, result);
                if (result.Stage == Stage.Part) partAnswers++;
                macs += result.Macs;
            }
            yield return new Workload("model", $"{model.Name}: staged Classify, r = {(double)partAnswers / frames.Count:0.00} ({partAnswers} of {frames.Count} answered by the part)", "",
                macs / frames.Count, frames.Count, () =>
                {
                    for (int i = 0; i < frames.Count; i++)
                        classifier.Classify(frames.Images[i], FrameFormat.Gray8, frames.Width, frames.Height, task, result);
                });
        }
    }
}
