namespace MicroT.DeviceGen;

/// <summary>One generated file: path relative to the repository root, and its full text.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);
