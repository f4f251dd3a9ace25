using MicroT.ModelWriter;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Models;

/// <summary>Heap bytes the host CLR allocates to load the reference model and create its interpreter (printed; docs/FORMAT.md "Memory").</summary>
public class MemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void LoadAndInterpreterMemoryOfTheReferenceModel()
    {
        var file = ReferenceModels.DepthwiseCnn();
        Model.Load(file); // warm up (JIT, CRC table)
        long before = GC.GetAllocatedBytesForCurrentThread();
        var m = Model.Load(file);
        long load = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var it = new Interpreter(m);
        long interpreter = GC.GetAllocatedBytesForCurrentThread() - before;
        int channels = m.Operators.Where(o => o.WeightsOffset >= 0).Sum(o => o.Output.Channels);
        output.WriteLine($"file {file.Length:N0} bytes; Model.Load allocates {load:N0} bytes (weights {m.Weights.Length:N0}, " +
                         $"{channels} weighted output channels); Interpreter {interpreter:N0} bytes (arena {m.ArenaSize:N0}, scratch {m.ScratchLength} longs)");
        // Weights once, per-channel arrays (bias, scales, multipliers, shifts, folded bias, the kernels'
        // requantizer: under 80 bytes a channel), small objects.
        Assert.InRange(load, m.Weights.Length, m.Weights.Length + 80 * channels + 16384);
        Assert.InRange(interpreter, m.ArenaSize + 8L * m.ScratchLength, m.ArenaSize + 8L * m.ScratchLength + 1024);
        GC.KeepAlive(it);
    }
}
