namespace MicroT.Profiler.Workloads;

/// <summary>
/// Builds the workloads of a group. Runs inside the CountingLoadContext (the profiler loads a
/// second copy of this assembly there), so every runtime type used here is the counting copy.
/// Setup done here is not counted; only Workload.Run is, and Run must be repeatable.
/// </summary>
public static class WorkloadCatalog
{
    public static IReadOnlyList<Workload> Create(string group)
    {
        var all = new List<Workload>();
        if (group is "kernels" or "all") all.AddRange(KernelWorkloads.Create());
        if (group is "model" or "all") all.AddRange(ModelWorkloads.Create());
        bool model = group is "model" or "all", classifier = group is "classifier" or "all";
        if (model || classifier) all.AddRange(ClassifierWorkloads.Create(training: classifier, staged: model));
        return all;
    }
}
