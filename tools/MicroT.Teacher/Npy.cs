using System.Text;
using MicroT.Data;

namespace MicroT.Teacher;

/// <summary>Minimal NumPy .npy (format 1.0, C order, little-endian) writer.</summary>
public static class Npy
{
    public static void WriteImages(string path, LabeledImageSet set)
    {
        var bytes = new byte[(long)set.Count * set.Width * set.Height];
        for (int i = 0; i < set.Count; i++) set.Images[i].CopyTo(bytes, (long)i * set.Width * set.Height);
        Write(path, "|u1", new[] { set.Count, set.Height, set.Width }, bytes);
    }

    /// <summary>Reads a uint8 [N, S, S] array (C order) as N images of S x S bytes.</summary>
    public static (byte[][] Images, int Side) ReadImages(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || bytes[1] != (byte)'N')
            throw new InvalidDataException($"{path}: not a .npy file.");
        int headerLength = bytes[6] == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
        int start = (bytes[6] == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, bytes[6] == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'|u1'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: expected a C-order uint8 array, header {header.Trim()}.");
        var shape = header[(header.IndexOf("'shape': (") + 10)..];
        var dims = shape[..shape.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        if (dims.Length != 3 || dims[1] != dims[2])
            throw new InvalidDataException($"{path}: expected shape (N, S, S), got ({string.Join(", ", dims)}).");
        int n = dims[0], side = dims[1];
        if ((long)n * side * side != bytes.Length - start)
            throw new InvalidDataException($"{path}: {bytes.Length - start} data bytes for shape ({n}, {side}, {side}).");
        var images = new byte[n][];
        for (int i = 0; i < n; i++) images[i] = bytes.AsSpan(start + i * side * side, side * side).ToArray();
        return (images, side);
    }

    public static void WriteInt32(string path, int[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        Write(path, "<i4", new[] { values.Length }, bytes);
    }

    public static void WriteFloat32(string path, float[][] rows, int width)
    {
        var bytes = new byte[(long)rows.Length * width * 4];
        for (int i = 0; i < rows.Length; i++) Buffer.BlockCopy(rows[i], 0, bytes, i * width * 4, width * 4);
        Write(path, "<f4", new[] { rows.Length, width }, bytes);
    }

    static void Write(string path, string dtype, int[] shape, byte[] data)
    {
        string dims = shape.Length == 1 ? shape[0] + "," : string.Join(", ", shape);
        string header = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }
}
