using System.Buffers.Binary;

namespace MicroT.Data;

/// <summary>
/// The compact binary copy of one JSON class file, written next to it as NAME.gray8 on first
/// load (parsing the 150 MB of JSON takes seconds; reading 55 MB of bytes does not).
/// Layout, little-endian: "MTG8", int32 version (1), int64 length of the JSON file it was
/// made from, int32 count, int32 width, int32 height, then count*width*height pixel bytes.
/// A cache whose header or length does not match is ignored and rewritten.
/// </summary>
static class Gray8Cache
{
    const int Version = 1;
    const int HeaderBytes = 4 + 4 + 8 + 4 + 4 + 4;

    public static string PathFor(string jsonPath) => Path.ChangeExtension(jsonPath, ".gray8");

    public static byte[][] Load(string jsonPath, bool unitScale)
    {
        long jsonLength = new FileInfo(jsonPath).Length;
        string cachePath = PathFor(jsonPath);
        var cached = TryRead(cachePath, jsonLength);
        if (cached != null) return cached;
        var images = JsonImageFile.Read(jsonPath, unitScale);
        TryWrite(cachePath, jsonLength, images);
        return images;
    }

    static byte[][] TryRead(string cachePath, long jsonLength)
    {
        if (!File.Exists(cachePath)) return null;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(cachePath); }
        catch (IOException) { return null; }
        if (bytes.Length < HeaderBytes || bytes[0] != 'M' || bytes[1] != 'T' || bytes[2] != 'G' || bytes[3] != '8')
            return null;
        var span = bytes.AsSpan();
        if (BinaryPrimitives.ReadInt32LittleEndian(span[4..]) != Version) return null;
        if (BinaryPrimitives.ReadInt64LittleEndian(span[8..]) != jsonLength) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        int width = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(span[24..]);
        if (width != JsonImageFile.Side || height != JsonImageFile.Side || count <= 0) return null;
        if (bytes.Length != HeaderBytes + (long)count * JsonImageFile.Pixels) return null;
        var images = new byte[count][];
        for (int i = 0; i < count; i++)
            images[i] = span.Slice(HeaderBytes + i * JsonImageFile.Pixels, JsonImageFile.Pixels).ToArray();
        return images;
    }

    /// <summary>Best effort: a read-only data folder just means no cache. Written to a
    /// temporary name and renamed, so parallel loaders never see half a file.</summary>
    static void TryWrite(string cachePath, long jsonLength, byte[][] images)
    {
        var bytes = new byte[HeaderBytes + (long)images.Length * JsonImageFile.Pixels];
        "MTG8"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), jsonLength);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), images.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), JsonImageFile.Side);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), JsonImageFile.Side);
        for (int i = 0; i < images.Length; i++)
            images[i].CopyTo(bytes, HeaderBytes + i * JsonImageFile.Pixels);
        string temp = cachePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, cachePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
