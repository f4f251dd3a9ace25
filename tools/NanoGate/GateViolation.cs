namespace MicroT.NanoGate;

/// <summary>What the nanoCLR 1.x or its metadata processor would reject, and where.</summary>
public enum GateRule
{
    GenericType,
    GenericMethod,
    GenericInstantiation,
    MultiDimensionalArray,
    Pointer,
    Localloc,
    ForeignAssemblyReference,
    /// <summary>More array-initializer data (field RVA blobs) than <see cref="GateScanner.InitializerDataLimit"/>.</summary>
    InitializerData,
}

/// <param name="Location">"Namespace.Type::Method", "Namespace.Type.Field" or "assembly".</param>
public sealed record GateViolation(GateRule Rule, string Location, string Detail)
{
    public override string ToString() => $"{Rule} in {Location}: {Detail}";
}
