using MicroT.Data;
using MicroT.ModelWriter;
using MicroT.Runtime.Models;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// The reference model (tools/MicroT.ModelWriter ReferenceModels.DepthwiseCnn, a
/// depthwise-separable CNN on 32x32x1) until a trained zoo model exists: its load, and per
/// frame the preprocessing, part, full and part-then-rest inference on real MNIST test frames
/// (28x28 Gray8, resized by SetInput as the model file says).
/// </summary>
static class ModelWorkloads
{
    /// <summary>Frames per inference workload (2 per digit); costs are reported per frame.</summary>
    public const int FrameCount = 20;

    public static IEnumerable<Workload> Create()
    {
        byte[] file = ReferenceModels.DepthwiseCnn();
        var model = Model.Load(file);
        string name = model.Name;
        yield return new Workload("model", $"Model.Load {name} ({file.Length:N0} bytes)", "", 0, 1, () => Model.Load(file));

        var frames = Frames();
        int w = frames.Width, h = frames.Height;
        var images = frames.Images;
        var interpreter = new Interpreter(model);
        yield return new Workload("model", $"{name}: SetInput (Gray8 {w}x{h} -> {model.InputWidth}x{model.InputHeight})", "", 0, images.Length, () =>
        {
            foreach (var image in images) interpreter.SetInput(image, FrameFormat.Gray8, w, h);
        });
        yield return new Workload("model", $"{name}: SetInput + RunPart (part model)", "", model.PartMacs, images.Length, () =>
        {
            foreach (var image in images) { interpreter.SetInput(image, FrameFormat.Gray8, w, h); interpreter.RunPart(); }
        });
        yield return new Workload("model", $"{name}: SetInput + RunFull (full model)", "", model.FullMacs, images.Length, () =>
        {
            foreach (var image in images) { interpreter.SetInput(image, FrameFormat.Gray8, w, h); interpreter.RunFull(); }
        });
        yield return new Workload("model", $"{name}: SetInput + RunPart + RunRest (resumed)", "", model.FullMacs, images.Length, () =>
        {
            foreach (var image in images) { interpreter.SetInput(image, FrameFormat.Gray8, w, h); interpreter.RunPart(); interpreter.RunRest(); }
        });
    }

    /// <summary>The first <see cref="FrameCount"/>/10 MNIST test images of each digit.</summary>
    public static LabeledImageSet Frames()
    {
        var test = StandardDataSets.LoadMnist(DataSplit.Test);
        var pick = new List<int>();
        var taken = new int[test.ClassCount];
        for (int i = 0; i < test.Count && pick.Count < FrameCount; i++)
            if (taken[test.Labels[i]]++ < FrameCount / test.ClassCount) pick.Add(i);
        return test.Subset(pick.ToArray());
    }
}
