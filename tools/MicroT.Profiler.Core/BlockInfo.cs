namespace MicroT.Profiler;

/// <summary>
/// What one counter in a rewritten assembly stands for: a basic block of a method, with the
/// number of original IL instructions, calls and allocations it executes each time it is
/// entered. Counter index = position in <see cref="InstrumentedAssembly.Blocks"/>.
/// </summary>
/// <param name="Method">Index into <see cref="InstrumentedAssembly.Methods"/>.</param>
/// <param name="IsEntry">The method-entry counter (no instructions; counts invocations).</param>
/// <param name="Instructions">Original IL instructions in the block.</param>
/// <param name="Calls">call, callvirt, calli and newobj instructions in the block.</param>
/// <param name="Allocations">newarr, box and newobj of a reference type in the block.</param>
public readonly record struct BlockInfo(int Method, bool IsEntry, int Instructions, int Calls, int Allocations);
