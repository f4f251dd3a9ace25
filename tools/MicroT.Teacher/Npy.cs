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
