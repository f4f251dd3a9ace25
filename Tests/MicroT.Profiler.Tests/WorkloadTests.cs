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

/// <summary>The per-layer view adds up: its layers are the model's operators, and their counted
/// costs sum to a whole counted RunFull on the same input (within the per-call overhead of
/// Interpreter.Run, a few hundred instructions per layer).</summary>
public class LayerProfilerTests
{
    [Fact]
    public void LayersSumToTheWholeRun()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MicroT.Runtime.dll");
        var context = new CountingLoadContext(Instrumenter.Instrument(File.ReadAllBytes(dll)));
        try
        {
            byte[] model = File.ReadAllBytes(ZooModel());
            var layers = LayerProfiler.Measure(context, model, null, 0, 0);
            Assert.Equal(15, layers.Count);
            Assert.All(layers, l => Assert.True(l.Counts.Weighted > 0 && l.Counts.Allocations == 0, $"layer {l.Index}"));
            Assert.Equal("Conv2D", layers[0].Kind);
            Assert.Equal(961_280, layers.Sum(l => l.Macs)); // zoo/microt-s3.mtm (zoo/README.md)

            // The whole run on the same (seeded) input, counted directly.
            var runtime = context.Counted;
            var m = runtime.GetType("MicroT.Runtime.Models.Model")!.GetMethod("Load", [typeof(byte[])])!.Invoke(null, [model])!;
            var interpreter = Activator.CreateInstance(runtime.GetType("MicroT.Runtime.Models.Interpreter")!, m)!;
            var values = new sbyte[32 * 32];
            var random = new Random(17);
            for (int i = 0; i < values.Length; i++) values[i] = (sbyte)random.Next(-128, 128);
            var set = interpreter.GetType().GetMethod("SetInput", [typeof(sbyte[])])!;
            var full = interpreter.GetType().GetMethod("RunFull")!;
            set.Invoke(interpreter, [values]);
            full.Invoke(interpreter, null);
            set.Invoke(interpreter, [values]);
            var whole = context.Measure(() => full.Invoke(interpreter, null)).Total;
            long sum = layers.Sum(l => l.Counts.Instructions);
            Assert.InRange(sum - whole.Instructions, 0, 200 * layers.Count);
        }
        finally { context.Unload(); }
    }

    static string ZooModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "zoo", "microt-s3.mtm");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("zoo/microt-s3.mtm");
    }
}
