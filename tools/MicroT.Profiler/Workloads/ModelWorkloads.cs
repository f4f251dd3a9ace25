using MicroT.ModelWriter;
using MicroT.Runtime.Models;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// The reference model (tools/MicroT.ModelWriter ReferenceModels.DepthwiseCnn, a
/// depthwise-separable CNN on 32x32x1) until a trained zoo model exists: its load.
/// </summary>
static class ModelWorkloads
{
    public static IEnumerable<Workload> Create()
    {
        byte[] file = ReferenceModels.DepthwiseCnn();
        var model = Model.Load(file);
        yield return new Workload("model", $"Model.Load {model.Name} ({file.Length:N0} bytes)", "", 0, 1, () => Model.Load(file));
    }
}
