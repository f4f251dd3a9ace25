using MicroT.Data;
using MicroT.ModelWriter;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// Staged inference on the model executor: the "Done when" test on the reference model
/// (random-weight depthwise-separable CNN from tools/MicroT.ModelWriter, 32x32 gray input,
/// 32 part / 64 full features) until a trained extractor is in the zoo, with real frames.
/// </summary>
public class StagedInferenceTests(ITestOutputHelper output)
{
    const int LocalPerClass = 40;    // local labelled samples per class (train split)
    const int HeldOutPerClass = 60;  // held-out frames per class (test split)

    static readonly Lazy<Model> ReferenceModel = new(() => Model.Load(ReferenceModels.DepthwiseCnn()));

    static LabeledImageSet Local(string set) => (set == "fashion" ? StandardDataSets.LoadFashionMnist(DataSplit.Train) : StandardDataSets.LoadMnist(DataSplit.Train))
        .TakePerClass(LocalPerClass, seed: 1);

    static LabeledImageSet HeldOut(string set) => (set == "fashion" ? StandardDataSets.LoadFashionMnist(DataSplit.Test) : StandardDataSets.LoadMnist(DataSplit.Test))
        .TakePerClass(HeldOutPerClass, seed: 2);

    static ClassifierTask TrainTask(StagedClassifier staged, string name, LabeledImageSet local, out Calibration calibration)
    {
        var part = staged.NewPartStore(local.ClassCount, local.Count);
        var full = staged.NewFullStore(local.ClassCount, local.Count);
        for (int i = 0; i < local.Count; i++)
            staged.AddSample(local.Images[i], FrameFormat.Gray8, local.Width, local.Height, local.Labels[i], part, full);
        return TaskTrainer.Train(name, local.ClassNames, part, full, new TaskTrainingOptions { Ratio = 0.5f }, out calibration);
    }

    [Fact]
    public void TwoTasksOnOneExtractorAnswerHalfFromThePartAndFollowTheTwoStageRule()
    {
        var model = ReferenceModel.Value;
        var interpreter = new Interpreter(model);
        var staged = new StagedClassifier(interpreter);
        var tasks = new TaskSet();
        var heldOut = new Dictionary<string, LabeledImageSet>();
        foreach (var (name, set) in new[] { ("fashion", "fashion"), ("digits", "mnist") })
        {
            tasks.Set(TrainTask(staged, name, Local(set == "mnist" ? "mnist" : "fashion"), out var calibration));
            heldOut[name] = HeldOut(set == "mnist" ? "mnist" : "fashion");
            var report = calibration.Report(new[] { 0f, 0.5f, 1f }, staged.PartCost(tasks[name]), staged.FullCost(tasks[name]));
            output.WriteLine($"{name}: out-of-fold on {LocalPerClass * 10} local samples: part-only {report.PartOnlyAccuracy:P1}, " +
                             $"full-only {report.FullOnlyAccuracy:P1}, r = 0.5 {report.Accuracies[1]:P1} at threshold {report.Thresholds[1]:F3}");
        }
        Assert.Equal(2, tasks.Count);

        var partFeatures = new sbyte[model.PartFeatureLength];
        var fullFeatures = new sbyte[model.FullFeatureLength];
        var scores = new float[10];
        var result = new StagedResult();
        for (int t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t];
            var frames = heldOut[task.Name];
            int partAnswers = 0, correct = 0, partOnlyCorrect = 0, fullOnlyCorrect = 0;
            long macs = 0;
            for (int i = 0; i < frames.Count; i++)
            {
                staged.Classify(frames.Images[i], FrameFormat.Gray8, frames.Width, frames.Height, task, result);

                // The two-stage rule, computed independently from one full run of the model.
                interpreter.SetInput(frames.Images[i], FrameFormat.Gray8, frames.Width, frames.Height);
                interpreter.RunFull();
                interpreter.CopyPartFeatures(partFeatures, 0);
                interpreter.CopyFullFeatures(fullFeatures, 0);
                task.PartHead.Score(partFeatures, 0, scores);
                int partLabel = LinearHead.ArgMax(scores, 10);
                bool partAnswers1 = LinearHead.Confidence(scores, 10) >= task.Threshold;
                task.FullHead.Score(fullFeatures, 0, scores);
                int fullLabel = LinearHead.ArgMax(scores, 10);
                int expected = partAnswers1 ? partLabel : fullLabel;

                Assert.Equal(expected, result.Label);
                Assert.Equal(partAnswers1 ? Stage.Part : Stage.Full, result.Stage);
                Assert.Equal(partAnswers1 ? staged.PartCost(task) : staged.FullCost(task), result.Macs);
                Assert.Equal(task.ClassNames[expected], result.ClassName);
                if (result.Stage == Stage.Part) partAnswers++;
                if (result.Label == frames.Labels[i]) correct++;
                if (partLabel == frames.Labels[i]) partOnlyCorrect++;
                if (fullLabel == frames.Labels[i]) fullOnlyCorrect++;
                macs += result.Macs;
            }
            double n = frames.Count;
            double share = partAnswers / n;
            double meanMacs = macs / n;
            output.WriteLine($"{task.Name}: {n} held-out frames: part answered {share:P1}, staged accuracy {correct / n:P1} " +
                             $"(part-only {partOnlyCorrect / n:P1}, full-only {fullOnlyCorrect / n:P1}), mean MACs {meanMacs:F0} " +
                             $"vs full {staged.FullCost(task)} and part {staged.PartCost(task)}: saving {1 - meanMacs / (model.FullMacs + task.FullHead.Macs):P1} against full-model inference");
            Assert.InRange(share, 0.44, 0.56);
            Assert.True(correct > 0.3 * n, "staged accuracy should be far above chance (10%)");
        }
    }

    [Fact]
    public void ClassifyAllSharesOnePassAndAgreesWithSingleTasks()
    {
        var model = ReferenceModel.Value;
        var staged = new StagedClassifier(new Interpreter(model));
        var tasks = new TaskSet();
        var local = Local("fashion").TakePerClass(10, seed: 3);
        tasks.Set(TrainTask(staged, "a", local, out _));
        var b = TrainTask(staged, "b", Local("mnist").TakePerClass(10, seed: 3), out _);
        b.Threshold = 0f;                     // always answered by the part head
        tasks.Set(b);
        var frames = HeldOut("fashion").TakePerClass(3, seed: 4);
        var results = new[] { new StagedResult(), new StagedResult() };
        var single = new StagedResult();
        for (int i = 0; i < frames.Count; i++)
        {
            staged.ClassifyAll(frames.Images[i], FrameFormat.Gray8, 28, 28, tasks, results);
            for (int t = 0; t < 2; t++)
            {
                staged.Classify(frames.Images[i], FrameFormat.Gray8, 28, 28, tasks[t], single);
                Assert.Equal(single.Label, results[t].Label);
                Assert.Equal(single.Stage, results[t].Stage);
                Assert.Equal(single.Macs, results[t].Macs);
                Assert.Equal(single.Confidence, results[t].Confidence);
            }
            Assert.Equal(Stage.Part, results[1].Stage);
        }
    }

    [Fact]
    public void ClassifyingAllocatesNothingPerFrame()
    {
        var model = ReferenceModel.Value;
        var staged = new StagedClassifier(new Interpreter(model));
        var local = Local("fashion").TakePerClass(6, seed: 5);
        var task = TrainTask(staged, "shoes", local, out _);
        var tasks = new TaskSet();
        tasks.Set(task);
        var frames = HeldOut("fashion").TakePerClass(2, seed: 6);
        var result = new StagedResult();
        var results = new[] { new StagedResult() };
        foreach (float threshold in new[] { 0f, Calibration.NeverPart })   // both stages
        {
            task.Threshold = threshold;
            for (int i = 0; i < frames.Count; i++)   // warm up every path the measured frames take
            {
                staged.Classify(frames.Images[i], FrameFormat.Gray8, 28, 28, task, result);
                staged.ClassifyAll(frames.Images[i], FrameFormat.Gray8, 28, 28, tasks, results);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < frames.Count; i++)
            {
                staged.Classify(frames.Images[i], FrameFormat.Gray8, 28, 28, task, result);
                staged.ClassifyAll(frames.Images[i], FrameFormat.Gray8, 28, 28, tasks, results);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void TaskForAnotherExtractorIsRejectedClearly()
    {
        var model = ReferenceModel.Value;
        var staged = new StagedClassifier(new Interpreter(model));
        var wrongPart = new LinearHead(HeadKind.Logistic, model.PartFeatureLength + 1, 2, model.PartFeatureScale, model.PartFeatureZeroPoint, new float[2 * (model.PartFeatureLength + 1)], new float[2]);
        var full = new LinearHead(HeadKind.Logistic, model.FullFeatureLength, 2, model.FullFeatureScale, model.FullFeatureZeroPoint, new float[2 * model.FullFeatureLength], new float[2]);
        var task = new ClassifierTask("other", new[] { "x", "y" }, wrongPart, full, 0.5f);
        var e = Assert.Throws<ArgumentException>(() => staged.Classify(new byte[28 * 28], FrameFormat.Gray8, 28, 28, task, new StagedResult()));
        Assert.Contains("part head takes " + (model.PartFeatureLength + 1), e.Message);
        var store = new SampleStore(3, 0.1f, 0, 2, 4);
        Assert.Contains("NewPartStore", Assert.Throws<ArgumentException>(() =>
            staged.AddSample(new byte[28 * 28], FrameFormat.Gray8, 28, 28, 0, store, staged.NewFullStore(2, 4))).Message);
    }
}
