namespace MicroT.Profiler;

/// <summary>
/// The one place that says what an executed IL instruction costs on the nanoCLR interpreter,
/// in units of a simple instruction. Measured on the interpreter: loads, stores,
/// arithmetic, array element access and branches cost about the same; a call plus its return
/// costs about 13 of them. Allocations are not weighted (their cost depends on the heap); they
/// are reported as a count instead, and inference must make none.
/// </summary>
public static class CostWeights
{
    /// <summary>Any IL instruction that is not a call.</summary>
    public const long SimpleInstruction = 1;

    /// <summary>call, callvirt, calli and newobj (which calls the constructor); includes the return.</summary>
    public const long Call = 13;

    /// <summary>Weighted cost of <paramref name="instructions"/> executed IL instructions of which <paramref name="calls"/> were calls.</summary>
    public static long Weighted(long instructions, long calls) =>
        (instructions - calls) * SimpleInstruction + calls * Call;
}
