using MicroT.Data;
using MicroT.Evaluation;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Evaluation;

/// <summary>
/// The experiment's reported rows, recomputed here without the experiment's code: features by
/// the Interpreter (RunPart, then RunRest), heads by TaskTrainer, the two-stage rule written
/// out by hand; and the raw-pixel baseline from the frames' own pixels.
/// </summary>
public sealed class ReportedRowsTests
{
    static readonly ExperimentOptions Options = new() { Shots = 5, Seed = 2, Ratios = [0, 0.5, 1], Heads = [HeadKind.Ridge], CostSamples = 1 };

    static (EvaluationResult Result, EvaluationTask Task, byte[] File) Run()
    {
        var (file, name, note) = DefaultModel.Load(null);
        var model = Model.Load(file);
        var task = TaskLoader.Load("demo:mnist", model.InputWidth, model.InputHeight, Options.Shots, Options.Seed, maxHeldOutPerClass: 15);
        return (Experiment.Run(file, name, note, [task], Options), task, file);
    }

    [Fact]
    public void StagedRowsAndTheBaselineMatchAnIndependentRecomputation()
    {
        var (result, task, file) = Run();
        var model = Model.Load(file);
        var interpreter = new Interpreter(model);
        var shots = task.Pool.TakePerClass(Options.Shots, Options.Seed);

        sbyte[] Feature(byte[] frame, bool full)
        {
            interpreter.SetInput(frame, FrameFormat.Gray8, task.Pool.Width, task.Pool.Height);
            interpreter.RunPart();
            var part = new sbyte[model.PartFeatureLength];
            interpreter.CopyPartFeatures(part, 0);
            if (!full) return part;
            interpreter.RunRest();
            var f = new sbyte[model.FullFeatureLength];
            interpreter.CopyFullFeatures(f, 0);
            return f;
        }
        var partStore = new SampleStore(model.PartFeatureLength, model.PartFeatureScale, model.PartFeatureZeroPoint, task.ClassCount, shots.Count);
        var fullStore = new SampleStore(model.FullFeatureLength, model.FullFeatureScale, model.FullFeatureZeroPoint, task.ClassCount, shots.Count);
        var rawStore = new SampleStore(shots.Width * shots.Height, 1f / 255, -128, task.ClassCount, shots.Count);
        for (int i = 0; i < shots.Count; i++)
        {
            partStore.Add(Feature(shots.Images[i], false), 0, shots.Labels[i]);
            fullStore.Add(Feature(shots.Images[i], true), 0, shots.Labels[i]);
            rawStore.Add(shots.Images[i].Select(p => (sbyte)(p - 128)).ToArray(), 0, shots.Labels[i]);
        }
        var options = new TaskTrainingOptions { Part = new HeadOptions { Kind = HeadKind.Ridge }, Full = new HeadOptions { Kind = HeadKind.Ridge }, Folds = Options.Folds };
        var trained = TaskTrainer.Train("t", task.ClassNames, partStore, fullStore, options, out var calibration);

        var scores = new float[task.ClassCount];
        int Correct(float threshold)
        {
            int correct = 0;
            for (int i = 0; i < task.HeldOut.Count; i++)
            {
                trained.PartHead.Score(Feature(task.HeldOut.Images[i], false), 0, scores);
                int label;
                if (LinearHead.Confidence(scores, task.ClassCount) >= threshold) label = LinearHead.ArgMax(scores, task.ClassCount);
                else
                {
                    trained.FullHead.Score(Feature(task.HeldOut.Images[i], true), 0, scores);
                    label = LinearHead.ArgMax(scores, task.ClassCount);
                }
                if (label == task.HeldOut.Labels[i]) correct++;
            }
            return correct;
        }
        foreach (var r in Options.Ratios)
            Assert.Equal(Correct(calibration.ThresholdForRatio((float)r)), result.Rows.Single(x => x.TargetRatio == r).Correct);
        Assert.Equal(Correct(Calibration.NeverPart), result.Rows.Single(x => x.Setting == ResultRow.FullOnly).Correct);

        var raw = HeadTrainer.Fit(rawStore, new HeadOptions { Kind = HeadKind.Ridge });
        int rawCorrect = 0;
        for (int i = 0; i < task.HeldOut.Count; i++)
        {
            raw.Score(task.HeldOut.Images[i].Select(p => (sbyte)(p - 128)).ToArray(), 0, scores);
            if (LinearHead.ArgMax(scores, task.ClassCount) == task.HeldOut.Labels[i]) rawCorrect++;
        }
        var b = Assert.Single(result.Baselines);
        Assert.Equal(BaselineRow.RawPixels, b.Features);
        Assert.Equal(rawCorrect, b.Correct);
        Assert.Equal(task.HeldOut.Count, b.HeldOut);
        Assert.Equal(32 * 32 * 10, b.Macs);
    }
}

public sealed class LabelPlacerTests
{
    [Fact]
    public void LabelsOfNearbyPointsDoNotOverlapEachOtherOrThePoints()
    {
        var placer = new LabelPlacer(new ScottPlot.AxisLimits(0, 10, 0, 10), 800, 500);
        var points = new[] { (1.0, 5.0), (1.1, 5.05), (1.2, 4.95), (1.15, 5.1), (6.0, 2.0) };
        foreach (var (x, y) in points) placer.Occupy(x, y, 8);
        foreach (var (x, y) in points) placer.Place(x, y, 40, 14);
        var boxes = placer.Taken;
        Assert.Equal(2 * points.Length, boxes.Count);
        for (int i = points.Length; i < boxes.Count; i++) // each label against every point and every other label
            for (int j = 0; j < boxes.Count; j++)
                Assert.True(i == j || LabelPlacer.Overlap(boxes[i], boxes[j]) == 0, $"label {i - points.Length} overlaps box {j}");
    }
}
