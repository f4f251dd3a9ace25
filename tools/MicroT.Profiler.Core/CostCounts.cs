namespace MicroT.Profiler;

/// <summary>Executed totals: invocations, IL instructions, calls, allocations and their weighted cost.</summary>
public readonly record struct CostCounts(long Invocations, long Instructions, long Calls, long Allocations)
{
    /// <summary>Cost in simple-instruction units (<see cref="CostWeights"/>).</summary>
    public long Weighted => CostWeights.Weighted(Instructions, Calls);

    public static CostCounts operator +(CostCounts a, CostCounts b) =>
        new(a.Invocations + b.Invocations, a.Instructions + b.Instructions, a.Calls + b.Calls, a.Allocations + b.Allocations);
}

/// <summary>What one run executed, per method (self cost: a method's own instructions) and in total.</summary>
public sealed class CostProfile
{
    CostProfile(IReadOnlyList<(string Method, CostCounts Counts)> methods, CostCounts total)
    {
        Methods = methods;
        Total = total;
    }

    /// <summary>Methods that ran, dearest (weighted) first.</summary>
    public IReadOnlyList<(string Method, CostCounts Counts)> Methods { get; }

    /// <summary>Everything executed inside the instrumented assembly. Total.Invocations counts every method entry.</summary>
    public CostCounts Total { get; }

    /// <summary>Turns counter values (a snapshot of the Hits array) into counts.</summary>
    public static CostProfile From(InstrumentedAssembly assembly, long[] hits)
    {
        if (hits.Length != assembly.Blocks.Count)
            throw new ArgumentException($"{hits.Length} counters for {assembly.Blocks.Count} blocks.", nameof(hits));
        var perMethod = new CostCounts[assembly.Methods.Count];
        for (int i = 0; i < hits.Length; i++)
        {
            long n = hits[i];
            if (n == 0) continue;
            var b = assembly.Blocks[i];
            perMethod[b.Method] += b.IsEntry
                ? new CostCounts(n, 0, 0, 0)
                : new CostCounts(0, n * b.Instructions, n * b.Calls, n * b.Allocations);
        }
        var methods = new List<(string, CostCounts)>();
        var total = default(CostCounts);
        for (int m = 0; m < perMethod.Length; m++)
        {
            if (perMethod[m].Invocations == 0 && perMethod[m].Instructions == 0) continue;
            methods.Add((assembly.Methods[m], perMethod[m]));
            total += perMethod[m];
        }
        methods.Sort((a, b) => b.Item2.Weighted.CompareTo(a.Item2.Weighted));
        return new CostProfile(methods, total);
    }

    /// <summary>The counts of one method by display name (Type::Method), or zero if it did not run.</summary>
    public CostCounts Of(string method)
    {
        foreach (var (name, counts) in Methods)
            if (name == method) return counts;
        return default;
    }
}
