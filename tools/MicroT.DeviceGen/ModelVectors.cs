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
        EmitStagedCase(w, file, "Gray", FrameFormat.Gray8, 8, 8, GrayFrame(8, 8));
        EmitStagedCase(w, file, "Rgb565", FrameFormat.Rgb565, 12, 10, Rgb565Frame(12, 10));
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

    /// <summary>
    /// A frame and what the staged pass must produce from it: the quantized input (after
    /// resize, colour conversion and the pixel table), the part features after RunPart and the
    /// full features after RunRest. Expected values come from the host build of the
    /// Interpreter, which the host suite checks against a one-buffer-per-tensor run of the
    /// kernels' Reference loops (Tests/MicroT.Runtime.Tests/Models/ExecutorTests).
    /// </summary>
    static void EmitStagedCase(CSharpWriter w, byte[] file, string name, FrameFormat format, int width, int height, byte[] frame)
    {
        var model = Model.Load(file);
        var it = new Interpreter(model);
        it.SetInput(frame, format, width, height);
        var input = new sbyte[model.Input.Length];
        Array.Copy(it.Arena, it.InputOffset, input, 0, input.Length);
        it.RunPart();
        var part = new sbyte[model.PartFeatureLength];
        it.CopyPartFeatures(part, 0);
        it.RunRest();
        var full = new sbyte[model.FullFeatureLength];
        it.CopyFullFeatures(full, 0);
        if (part.Distinct().Count() < 2 || full.Distinct().Count() < 2)
            throw new InvalidOperationException($"staged case {name}: features are constant; pick another frame");
        w.Line($"public const int {name}FrameWidth = {width};");
        w.Line($"public const int {name}FrameHeight = {height};");
        w.ArrayMethod(name + "Frame", frame, $"A {width}x{height} {format} frame.");
        w.ArrayMethod(name + "ExpectedInput", input, "Quantized model input after SetInput (host Interpreter).");
        w.ArrayMethod(name + "ExpectedPartFeatures", part, "Part features after RunPart (host Interpreter).");
        w.ArrayMethod(name + "ExpectedFullFeatures", full, "Full features after RunRest (host Interpreter).");
    }

    /// <summary>A diagonal gradient with a bright square: many grey levels, some structure.</summary>
    static byte[] GrayFrame(int width, int height)
    {
        var f = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                f[y * width + x] = (byte)(x >= 2 && x < 5 && y >= 3 && y < 6 ? 250 : (x * 29 + y * 13) % 200);
        return f;
    }

    /// <summary>Little-endian RGB565 pixels: red rises left to right, green top to bottom, blue checkered.</summary>
    static byte[] Rgb565Frame(int width, int height)
    {
        var f = new byte[width * height * 2];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int r = x * 31 / (width - 1), g = y * 63 / (height - 1), b = ((x / 3 + y / 3) & 1) * 31;
                int word = (r << 11) | (g << 5) | b;
                f[2 * (y * width + x)] = (byte)word;
                f[2 * (y * width + x) + 1] = (byte)(word >> 8);
            }
        return f;
    }

    /// <summary>H x W x C of a tensor-table entry.</summary>
    static int TensorLength(byte[] file, int tensor)
    {
        ReadOnlySpan<byte> e = file.AsSpan(ModelFormat.HeaderSize + tensor * ModelFormat.TensorEntrySize);
        return BinaryPrimitives.ReadUInt16LittleEndian(e) * BinaryPrimitives.ReadUInt16LittleEndian(e[2..]) * BinaryPrimitives.ReadUInt16LittleEndian(e[4..]);
    }
}
