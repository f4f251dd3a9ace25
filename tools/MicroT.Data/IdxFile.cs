using System.IO.Compression;

namespace MicroT.Data;

/// <summary>
/// Reads the gzipped IDX files of the official MNIST-format releases (as Debian's
/// dataset-fashion-mnist installs them): images (magic 2051, big-endian count, rows, columns,
/// then bytes) and labels (magic 2049, count, then one byte each).
/// </summary>
static class IdxFile
{
    public static byte[][] ReadImages(string path, out int rows, out int columns)
    {
        byte[] data = ReadAll(path);
        if (data.Length < 16 || BigEndian(data, 0) != 2051)
            throw new InvalidDataException($"{path} is not an IDX image file (magic 2051 expected).");
        int count = BigEndian(data, 4);
        rows = BigEndian(data, 8);
        columns = BigEndian(data, 12);
        if (count < 0 || rows < 1 || columns < 1 || 16L + (long)count * rows * columns != data.Length)
            throw new InvalidDataException($"{path}: header says {count} images of {rows}x{columns}, the file holds {data.Length - 16} pixel bytes.");
        var images = new byte[count][];
        int size = rows * columns;
        for (int i = 0; i < count; i++) images[i] = data.AsSpan(16 + i * size, size).ToArray();
        return images;
    }

    public static byte[] ReadLabels(string path, int classCount)
    {
        byte[] data = ReadAll(path);
        if (data.Length < 8 || BigEndian(data, 0) != 2049)
            throw new InvalidDataException($"{path} is not an IDX label file (magic 2049 expected).");
        int count = BigEndian(data, 4);
        if (count < 0 || 8L + count != data.Length)
            throw new InvalidDataException($"{path}: header says {count} labels, the file holds {data.Length - 8}.");
        var labels = data.AsSpan(8).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classCount)
                throw new InvalidDataException($"{path}: label {labels[i]} of image {i} is not below {classCount}.");
        return labels;
    }

    static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' is missing; run `bash tools/fetch-data.sh`.", path);
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path} is not a gzip file: {e.Message}", e);
        }
    }

    static int BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}
