namespace MicroT.Profiler;

/// <summary>
/// One thing to measure. Built (and set up, uncounted) by code running in the counting load
/// context; <see cref="Run"/> is what gets counted. Costs are reported per unit: totals divided
/// by <see cref="Units"/> (e.g. frames).
/// </summary>
/// <param name="Group">kernels, model or classifier (what the command line selects).</param>
/// <param name="Name">What runs on what, e.g. "Conv2D 1x1 8x8x48->48".</param>
/// <param name="Variant">For kernels "Reference" or "Run"; otherwise empty.</param>
/// <param name="Macs">Multiply-accumulates per unit, or 0 when not meaningful.</param>
/// <param name="Units">How many units one call of Run performs (at least 1).</param>
/// <param name="Run">The counted work.</param>
public sealed record Workload(string Group, string Name, string Variant, long Macs, int Units, Action Run)
{
    /// <summary>Target weighted cost per MAC (per element for Add) for a tuned kernel, or NaN when there is none.</summary>
    public double WeightedPerMacGoal { get; init; } = double.NaN;
}

/// <summary>What a workload executed, per unit, plus what the host CLR saw it allocate.</summary>
public sealed record WorkloadResult(Workload Workload, CostProfile Profile, long HostAllocatedBytes)
{
    public double PerUnit(long total) => (double)total / Workload.Units;

    /// <summary>IL instructions per multiply-accumulate (NaN when the workload has no MACs).</summary>
    public double IlPerMac => Workload.Macs == 0 ? double.NaN : PerUnit(Profile.Total.Instructions) / Workload.Macs;

    /// <summary>Weighted cost per multiply-accumulate (NaN when the workload has no MACs).</summary>
    public double WeightedPerMac => Workload.Macs == 0 ? double.NaN : PerUnit(Profile.Total.Weighted) / Workload.Macs;
}
