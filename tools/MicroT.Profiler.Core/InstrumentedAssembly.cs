using System.Reflection;

namespace MicroT.Profiler;

/// <summary>A rewritten assembly image and the meaning of each of its block counters.</summary>
public sealed class InstrumentedAssembly
{
    /// <summary>Namespace-qualified name of the type the rewriter adds to hold the counters.</summary>
    public const string CountersTypeName = "MicroT.Profiler.Injected.BlockCounters";

    /// <summary>Name of its public static long[] field: one execution count per block.</summary>
    public const string HitsFieldName = "Hits";

    public InstrumentedAssembly(string name, byte[] image, IReadOnlyList<string> methods, IReadOnlyList<BlockInfo> blocks)
    {
        Name = name;
        Image = image;
        Methods = methods;
        Blocks = blocks;
    }

    /// <summary>Simple name of the assembly (unchanged by the rewrite).</summary>
    public string Name { get; }

    /// <summary>The rewritten assembly, ready for AssemblyLoadContext.LoadFromStream.</summary>
    public byte[] Image { get; }

    /// <summary>Display names of the instrumented methods (Type::Method).</summary>
    public IReadOnlyList<string> Methods { get; }

    public IReadOnlyList<BlockInfo> Blocks { get; }

    /// <summary>The live counter array of a loaded copy of <see cref="Image"/>.</summary>
    public static long[] HitsOf(Assembly loaded)
    {
        var type = loaded.GetType(CountersTypeName)
            ?? throw new ArgumentException($"{loaded.GetName().Name} was not rewritten by the profiler (no {CountersTypeName}).", nameof(loaded));
        return (long[])type.GetField(HitsFieldName)!.GetValue(null)!;
    }
}
