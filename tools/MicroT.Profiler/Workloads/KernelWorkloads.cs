namespace MicroT.Profiler.Workloads;

/// <summary>Each kernel on representative shapes, Reference and Run (tuned) side by side.</summary>
static class KernelWorkloads
{
    public static IEnumerable<Workload> Create()
    {
        yield break;
    }
}
