using System.Buffers.Binary;
using System.Text;
using MicroT.ModelWriter;
using MicroT.Runtime.Models;

namespace MicroT.DeviceGen;

/// <summary>
/// The tiny model the device tests load (Tests/MicroT.Runtime.DeviceTests/Generated/TinyModel.cs):
/// ReferenceModels.TinyAllOps (every operator kind, under 1 KB) as bytes, plus the facts a
/// correct load must report. Name, counts, split, feature lengths and MACs are read from the
/// file bytes the writer produced (tools/MicroT.ModelWriter computes MACs itself), not from
/// the loader under test; the arena size is the host loader's (device and host must agree).
/// </summary>
public static class ModelVectors
{
    public const string RelativePath = "Tests/MicroT.Runtime.DeviceTests/Generated/TinyModel.cs";

    public static GeneratedFile Generate()
    {
        byte[] file = ReferenceModels.TinyAllOps();
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// ReferenceModels.TinyAllOps() from tools/MicroT.ModelWriter; expected facts read from the written header.");
        w.Line();
        w.Open("namespace MicroT.Runtime.DeviceTests.Generated");
        w.Open("public static class TinyModel");
        EmitFacts(w, file);
        w.ArrayMethod("Bytes", file, $"The model file ({file.Length} bytes).");
        w.Close();
        w.Close();
        return new GeneratedFile(RelativePath, w.ToString());
    }

    /// <summary>Header facts as constants (from the bytes), and the host loader's arena size.</summary>
    internal static void EmitFacts(CSharpWriter w, byte[] file)
    {
        ReadOnlySpan<byte> f = file;
        string name = Encoding.ASCII.GetString(f.Slice(ModelFormat.OffName, ModelFormat.NameLength)).TrimEnd('\0');
        int tensors = BinaryPrimitives.ReadUInt16LittleEndian(f[ModelFormat.OffTensorCount..]);
        int operators = BinaryPrimitives.ReadUInt16LittleEndian(f[ModelFormat.OffOperatorCount..]);
        int split = BinaryPrimitives.ReadUInt16LittleEndian(f[ModelFormat.OffSplitIndex..]);
        int partTensor = BinaryPrimitives.ReadUInt16LittleEndian(f[ModelFormat.OffPartFeature..]);
        int fullTensor = BinaryPrimitives.ReadUInt16LittleEndian(f[ModelFormat.OffFullFeature..]);
        long partMacs = BinaryPrimitives.ReadInt64LittleEndian(f[ModelFormat.OffPartMacs..]);
        long fullMacs = BinaryPrimitives.ReadInt64LittleEndian(f[ModelFormat.OffFullMacs..]);
        var e0 = f[ModelFormat.HeaderSize..];
        w.Line($"public const string Name = \"{name}\";");
        w.Line($"public const int FileLength = {file.Length};");
        w.Line($"public const int TensorCount = {tensors};");
        w.Line($"public const int OperatorCount = {operators};");
        w.Line($"public const int SplitIndex = {split};");
        w.Line($"public const int InputHeight = {BinaryPrimitives.ReadUInt16LittleEndian(e0)};");
        w.Line($"public const int InputWidth = {BinaryPrimitives.ReadUInt16LittleEndian(e0[2..])};");
        w.Line($"public const int InputChannels = {BinaryPrimitives.ReadUInt16LittleEndian(e0[4..])};");
        w.Line($"public const int PartFeatureLength = {TensorLength(file, partTensor)};");
        w.Line($"public const int FullFeatureLength = {TensorLength(file, fullTensor)};");
        w.Line($"public const long PartMacs = {partMacs};");
        w.Line($"public const long FullMacs = {fullMacs};");
        w.Line("/// <summary>Arena size planned by the host build of the loader (the device must plan the same).</summary>");
        w.Line($"public const int HostArenaSize = {Model.Load(file).ArenaSize};");
    }

    /// <summary>H x W x C of a tensor-table entry.</summary>
    static int TensorLength(byte[] file, int tensor)
    {
        ReadOnlySpan<byte> e = file.AsSpan(ModelFormat.HeaderSize + tensor * ModelFormat.TensorEntrySize);
        return BinaryPrimitives.ReadUInt16LittleEndian(e) * BinaryPrimitives.ReadUInt16LittleEndian(e[2..]) * BinaryPrimitives.ReadUInt16LittleEndian(e[4..]);
    }
}
