using System.Reflection;
using MicroT.Profiler;

namespace MicroT.Evaluation;

/// <summary>
/// Counts what the interpreter would execute on each answer path, with the profiler's machinery
/// (tools/MicroT.Profiler.Core, docs/PERFORMANCE.md): a copy of MicroT.Runtime.dll rewritten
/// with block counters is loaded into a CountingLoadContext together with a second copy of this
/// assembly, whose <see cref="CostWorkloads"/> build the paths on the counting runtime. Only IL
/// of the runtime is counted (the heads' Score, the model's kernels, the preprocessing), which
/// is what the device executes per answer.
/// </summary>
public sealed class CostMeter : IDisposable
{
    readonly CountingLoadContext context;
    readonly MethodInfo create;

    public CostMeter(byte[] modelFile)
    {
        string runtime = typeof(Runtime.Models.Model).Assembly.Location;
        string here = Path.GetDirectoryName(typeof(CostMeter).Assembly.Location)!;
        context = new CountingLoadContext(Instrumenter.Instrument(File.ReadAllBytes(runtime)), here);
        var workloads = context.LoadFromAssemblyName(typeof(CostMeter).Assembly.GetName())
            .GetType(typeof(CostWorkloads).FullName!, throwOnError: true)!;
        create = workloads.GetMethod(nameof(CostWorkloads.Create))!;
        ModelFile = modelFile;
    }

    public byte[] ModelFile { get; }

    /// <summary>The three answer paths of a trained task (TaskSerializer bytes), mean per frame.</summary>
    public (StageCost PartAnswer, StageCost FullAnswer, StageCost FullOnly) Measure(byte[] task, byte[][] frames, int width, int height)
    {
        Workload[] paths;
        try { paths = (Workload[])create.Invoke(null, [ModelFile, task, frames, width, height])!; }
        catch (TargetInvocationException e) { throw e.InnerException!; }
        var costs = new StageCost[paths.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i].Run(); // warm-up: static constructors stay out of the numbers
            var total = context.Measure(paths[i].Run).Total;
            double n = paths[i].Units;
            costs[i] = new StageCost
            {
                Stage = paths[i].Name,
                Instructions = total.Instructions / n,
                Calls = total.Calls / n,
                Weighted = total.Weighted / n,
                Allocations = total.Allocations / n,
            };
        }
        return (costs[0], costs[1], costs[2]);
    }

    public void Dispose() => context.Unload();
}
