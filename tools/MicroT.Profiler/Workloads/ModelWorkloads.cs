using MicroT.ModelWriter;
using MicroT.Runtime.Models;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// Model load (the zoo extractor and the random-weight reference model of
/// tools/MicroT.ModelWriter), and per frame on the zoo extractor: preprocessing, part, full,
/// and part then rest (resumed from the split). Staged inference is in ClassifierWorkloads.
/// </summary>
static class ModelWorkloads
{
    public static IEnumerable<Workload> Create()
    {
        byte[] zoo = Inputs.ZooModelFile;
        byte[] reference = ReferenceModels.DepthwiseCnn();
        var model = Model.Load(zoo);
        string name = model.Name;
        yield return new Workload("model", $"Model.Load {name} ({zoo.Length:N0} bytes)", "", 0, 1, () => Model.Load(zoo));
        yield return new Workload("model", $"Model.Load {Model.Load(reference).Name} ({reference.Length:N0} bytes)", "", 0, 1, () => Model.Load(reference));

        var frames = Inputs.Frames;
        int w = frames.Width, h = frames.Height;
        var images = frames.Images;
        var interpreter = new Interpreter(model);
        yield return new Workload("model", $"{name}: SetInput (Gray8 {w}x{h})", "", 0, images.Length, () =>
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
}
