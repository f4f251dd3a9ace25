using System.Buffers.Binary;
using MicroT.ModelWriter;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.Tests.Models;

/// <summary>Byte-level edits of model files for validation and fuzz tests (offsets from docs/FORMAT.md).</summary>
static class FileEdits
{
    public static int TensorEntry(int t) => ModelFormat.HeaderSize + t * ModelFormat.TensorEntrySize;

    public static int OperatorEntry(byte[] f, int i) =>
        (int)BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(ModelFormat.OffOperatorTable)) + i * ModelFormat.OperatorEntrySize;

    /// <summary>Loads keeping the reference data (bias, weight scales), as Reference runs need.</summary>
    public static Model Full(byte[] f) => Model.Load(new ByteArraySource(f), true);

    public static int DataStart(byte[] f) => (int)BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(ModelFormat.OffData));

    /// <summary>Copy of <paramref name="f"/> with <paramref name="edit"/> applied and the CRC recomputed, so the parser (not the CRC check) sees the edit.</summary>
    public static byte[] Edit(byte[] f, Action<byte[]> edit)
    {
        var g = (byte[])f.Clone();
        edit(g);
        ModelBuilder.UpdateCrc(g);
        return g;
    }

    public static void U16(byte[] f, int pos, int v) => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(pos), (ushort)v);
    public static void U32(byte[] f, int pos, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(pos), v);
    public static void F32(byte[] f, int pos, float v) => BinaryPrimitives.WriteSingleLittleEndian(f.AsSpan(pos), v);
    public static void I64(byte[] f, int pos, long v) => BinaryPrimitives.WriteInt64LittleEndian(f.AsSpan(pos), v);
}
