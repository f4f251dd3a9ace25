using Xunit;

namespace MicroT.Profiler.Tests;

/// <summary>
/// The tool's kernel workloads run against the rewritten runtime (not the original, which would
/// count nothing), and the tuned kernels allocate nothing while they run.
/// </summary>
public class WorkloadTests
{
    [Fact]
    public void KernelWorkloadsAreCountedAndRunAllocatesNothing()
    {
        var runtime = Instrumenter.Instrument(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "MicroT.Runtime.dll")));
        var context = new CountingLoadContext(runtime, AppContext.BaseDirectory);
        try
        {
            var workloads = context.CreateWorkloads("MicroT.Profiler", "MicroT.Profiler.Workloads.WorkloadCatalog", "kernels");
            Assert.Contains(workloads, w => w.Variant == "Run");
            foreach (var w in workloads)
            {
                w.Run();
                var profile = context.Measure(w.Run);
                // Every multiply-accumulate (or tap, element) takes at least one IL instruction.
                Assert.True(profile.Total.Instructions >= w.Macs, $"{w.Name} ({w.Variant}): {profile.Total.Instructions} instructions for {w.Macs} MACs");
                Assert.True(profile.Total.Invocations >= 1, w.Name);
                if (w.Variant == "Run") Assert.True(profile.Total.Allocations == 0, $"{w.Name} Run allocates {profile.Total.Allocations} objects");
            }
        }
        finally { context.Unload(); }
    }
}
