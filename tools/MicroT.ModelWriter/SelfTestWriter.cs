using System.Buffers.Binary;
using MicroT.Runtime.Models;

namespace MicroT.ModelWriter;

/// <summary>
/// Adds the self-test section (docs/FORMAT.md "Self-test") to a model file: the given frames
/// with the part and full features and the CRC-32 of every operator's output, as the runtime
/// (this host build of its code) computes them. Everything before the section stays byte for
/// byte as it was; only the header's length, self-test and CRC fields change.
/// </summary>
public static class SelfTestWriter
{
    /// <summary>
    /// Returns <paramref name="model"/> with a self-test of <paramref name="frames"/> (each
    /// width x height pixels of <paramref name="format"/>). A self-test already at the end of
    /// the data section is replaced.
    /// </summary>
    public static byte[] Embed(byte[] model, FrameFormat format, int width, int height, IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count < 1 || frames.Count > ModelFormat.MaxSelfTestFrames)
            throw new ArgumentException($"a self-test holds 1..{ModelFormat.MaxSelfTestFrames} frames, got {frames.Count}", nameof(frames));
        int frameBytes = FramePreprocessor.FrameBytes(format, width, height);
        if (frameBytes > ModelFormat.MaxSelfTestFrameBytes)
            throw new ArgumentException($"self-test frames of {frameBytes} bytes exceed the limit of {ModelFormat.MaxSelfTestFrameBytes}", nameof(frames));
        if (frames.Any(f => f == null || f.Length != frameBytes))
            throw new ArgumentException($"every frame must have {frameBytes} bytes ({width}x{height} {format})", nameof(frames));

        byte[] file = WithoutSelfTest(model);
        var m = Model.Load(file);
        var it = new Interpreter(m);
        int part = m.PartFeatureLength, full = m.FullFeatureLength, n = m.OperatorCount;
        var section = new MemoryStream();
        var head = new byte[ModelFormat.SelfTestHeaderSize];
        BinaryPrimitives.WriteUInt16LittleEndian(head, (ushort)frames.Count);
        head[2] = (byte)format;
        head[3] = 1; // operator CRCs present
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(6), (ushort)height);
        section.Write(head);
        foreach (var frame in frames)
        {
            var crcs = new uint[n];
            it.SetInput(frame, format, width, height);
            for (int i = 0; i < n; i++)
            {
                it.Run(i, i + 1);
                var t = m.Operators[i].Output;
                crcs[i] = Crc32.Compute(it.Arena, t.ArenaOffset, t.Length);
            }
            section.Write(frame);
            for (int k = 0; k < part; k++) section.WriteByte((byte)it.Arena[it.PartFeatureOffset + k]);
            for (int k = 0; k < full; k++) section.WriteByte((byte)it.Arena[it.FullFeatureOffset + k]);
            while (section.Length % 4 != 0) section.WriteByte(0);
            foreach (uint c in crcs) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, c); section.Write(b); }
        }

        int dataStart = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(ModelFormat.OffData));
        int oldLength = file.Length;
        int at = (oldLength + ModelFormat.ConstantAlignment - 1) / ModelFormat.ConstantAlignment * ModelFormat.ConstantAlignment;
        var result = new byte[at + section.Length];
        file.CopyTo(result, 0);
        section.ToArray().CopyTo(result, at);
        var s = result.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffFileLength..], (uint)result.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffDataLength..], (uint)(result.Length - dataStart));
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffSelfTestOffset..], (uint)(at - dataStart));
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffSelfTestLength..], (uint)section.Length);
        ModelBuilder.UpdateCrc(result);
        var check = Model.Load(result);
        var r = new Interpreter(check).SelfTest(result);
        if (!r.Passed) throw new InvalidOperationException("the embedded self-test does not pass on the host: " + r.Message);
        return result;
    }

    /// <summary>The file without its self-test section when that section ends the file (else unchanged; a section elsewhere is refused).</summary>
    public static byte[] WithoutSelfTest(byte[] model)
    {
        var m = Model.Load(model);
        if (m.SelfTestLength == 0) return model;
        if (m.SelfTestOffset + m.SelfTestLength != model.Length)
            throw new ArgumentException("the model's self-test section is not at the end of the file; it cannot be replaced");
        int dataStart = (int)BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(ModelFormat.OffData));
        // The alignment padding before the section stays (unused zero bytes of the data section).
        int end = m.SelfTestOffset;
        var result = model[..end];
        var s = result.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffFileLength..], (uint)result.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffDataLength..], (uint)(result.Length - dataStart));
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffSelfTestOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffSelfTestLength..], 0);
        ModelBuilder.UpdateCrc(result);
        return result;
    }
}
