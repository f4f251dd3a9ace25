using System.Reflection;
using System.Runtime.Loader;

namespace MicroT.Profiler;

/// <summary>
/// A collectible load context that holds the rewritten copy of an assembly under its own name,
/// so that everything loaded in here which references it (workload code, host libraries named
/// MicroT.*, found in <c>privateDirectory</c>) binds to the counting copy. Everything else
/// (the BCL, Mono.Cecil, this MicroT.Profiler.Core) comes from the default context and is
/// shared, so <see cref="Workload"/> and <see cref="CostProfile"/> cross the boundary.
/// </summary>
public sealed class CountingLoadContext : AssemblyLoadContext
{
    static readonly string SharedName = typeof(CountingLoadContext).Assembly.GetName().Name!;
    readonly string? privateDirectory;

    public CountingLoadContext(InstrumentedAssembly assembly, string? privateDirectory = null)
        : base("counting " + assembly.Name, isCollectible: true)
    {
        this.privateDirectory = privateDirectory;
        Instrumented = assembly;
        Counted = LoadFromStream(new MemoryStream(assembly.Image));
        Hits = InstrumentedAssembly.HitsOf(Counted);
    }

    public InstrumentedAssembly Instrumented { get; }

    /// <summary>The loaded rewritten assembly.</summary>
    public Assembly Counted { get; }

    /// <summary>Its live counters; clear before a run, read after it.</summary>
    public long[] Hits { get; }

    /// <summary>Clears the counters, runs <paramref name="work"/> and returns what it executed.</summary>
    public CostProfile Measure(Action work) => Measure(work, out _);

    /// <summary>
    /// As <see cref="Measure(Action)"/>, also giving the bytes the host CLR saw this thread
    /// allocate during the run (a cross-check: it includes allocations inside the BCL, which
    /// the counters do not see).
    /// </summary>
    public CostProfile Measure(Action work, out long hostAllocatedBytes)
    {
        Array.Clear(Hits);
        long before = GC.GetAllocatedBytesForCurrentThread();
        work();
        hostAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return CostProfile.From(Instrumented, (long[])Hits.Clone());
    }

    /// <summary>
    /// Loads <paramref name="assemblyName"/> (from the private directory) into this context and
    /// calls its <c>public static IReadOnlyList&lt;Workload&gt; Create(string group)</c> on
    /// <paramref name="typeName"/>, so the workloads it builds run against the counting copy.
    /// </summary>
    public IReadOnlyList<Workload> CreateWorkloads(string assemblyName, string typeName, string group)
    {
        var type = LoadFromAssemblyName(new AssemblyName(assemblyName)).GetType(typeName, throwOnError: true)!;
        var create = type.GetMethod("Create", [typeof(string)])
            ?? throw new MissingMethodException(typeName, "Create(string)");
        try { return (IReadOnlyList<Workload>)create.Invoke(null, [group])!; }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name == Instrumented.Name) return Counted;
        if (privateDirectory != null && name.Name != null && name.Name != SharedName
            && name.Name.StartsWith("MicroT.", StringComparison.Ordinal))
        {
            string path = Path.Combine(privateDirectory, name.Name + ".dll");
            if (File.Exists(path)) return LoadFromAssemblyPath(path);
        }
        return null;
    }
}
