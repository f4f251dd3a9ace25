using MicroT.Data;
using SkiaSharp;

namespace MicroT.Converter;

/// <summary>
/// Calibration (and verification) inputs as 8-bit frames of the model's input size, and their
/// float form as the int8 model sees them: pixel -> real = pixel * PixelScale + PixelOffset
/// (the header's mapping) -> quantized with the input tensor's parameters -> dequantized.
/// Sources: a folder of PNG/JPEG images (searched recursively), the data sets `fashion-mnist` /
/// `mnist` (train split, smaller images padded centred as in training), or `random` (seeded noise).
/// </summary>
public static class CalibrationInputs
{
    public static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    /// <summary>Frames: Height * Width * Channels bytes each (HWC, RGB order for 3 channels).</summary>
    public static List<byte[]> LoadFrames(string source, int height, int width, int channels, int count, int seed = 1)
    {
        if (string.IsNullOrWhiteSpace(source)) throw new ConversionException("--calibration is required: a folder of PNG/JPEG images, fashion-mnist, mnist or random.");
        if (count < 1) throw new ConversionException($"--calibration-count {count} must be at least 1.");
        if (channels != 1 && channels != 3) throw new ConversionException($"the model input has {channels} channels; frames map to 1 (gray) or 3 (RGB).");
        var s = source.Trim().ToLowerInvariant();
        if (s == "random")
        {
            var rng = new Random(seed);
            var frames = new List<byte[]>();
            for (int i = 0; i < count; i++) { var f = new byte[height * width * channels]; rng.NextBytes(f); frames.Add(f); }
            return frames;
        }
        if (s == "fashion-mnist" || s == "mnist")
        {
            LabeledImageSet set;
            try { set = s == "mnist" ? StandardDataSets.LoadMnist(DataSplit.Train) : StandardDataSets.LoadFashionMnist(DataSplit.Train); }
            catch (Exception e) when (e is IOException or InvalidDataException)
            { throw new ConversionException($"cannot load the {s} data set ({e.Message}). Run bash tools/fetch-data.sh first.", e); }
            // Evenly spread over the whole train split (all classes), deterministic.
            int n = Math.Min(count, set.Count);
            var idx = Enumerable.Range(0, n).Select(i => (int)((long)i * set.Count / n)).ToArray();
            set = set.Subset(idx);
            if (set.Width <= width && set.Height <= height) set = set.Padded(width, height);
            return set.Images.Select(img => ToModelFrame(img, set.Width, set.Height, height, width, channels)).ToList();
        }
        if (!Directory.Exists(source))
            throw new ConversionException($"calibration source '{source}' is neither a folder nor one of fashion-mnist, mnist, random.");
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ConversionException($"calibration folder '{source}' holds no PNG/JPEG images.");
        if (files.Count > count) files = Enumerable.Range(0, count).Select(i => files[(int)((long)i * files.Count / count)]).ToList();
        return files.Select(f => DecodeFile(f, height, width, channels)).ToList();
    }

    /// <summary>Decodes an image file, drawn over black and stretched to width x height (as tools/MicroT.Data does).</summary>
    public static byte[] DecodeFile(string file, int height, int width, int channels)
    {
        if (channels == 1) return ImageFolder.LoadGray8(file, width, height);
        using var src = SKBitmap.Decode(file) ?? throw new ConversionException($"'{file}' is not an image SkiaSharp can decode.");
        using var dst = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(dst))
        {
            canvas.Clear(SKColors.Black);
            using var img = SKImage.FromBitmap(src);
            canvas.DrawImage(img, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear));
        }
        var px = dst.Bytes;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) { rgb[3 * i] = px[4 * i]; rgb[3 * i + 1] = px[4 * i + 1]; rgb[3 * i + 2] = px[4 * i + 2]; }
        return rgb;
    }

    static byte[] ToModelFrame(byte[] gray, int w, int h, int height, int width, int channels)
    {
        byte[] g = gray;
        if (w != width || h != height)
        {
            // Larger than the model input: nearest-neighbour resize (pixel centres).
            g = new byte[width * height];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    g[y * width + x] = gray[Math.Min(h - 1, (2 * y + 1) * h / (2 * height)) * w + Math.Min(w - 1, (2 * x + 1) * w / (2 * width))];
        }
        if (channels == 1) return g;
        var rgb = new byte[g.Length * 3];
        for (int i = 0; i < g.Length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g[i];
        return rgb;
    }

    /// <summary>The float input the int8 model effectively sees for a frame of the input size: the runtime's pixel table (pixel mapping, then input quantization), dequantized.</summary>
    public static float[] ToFloat(byte[] frame, float pixelScale, float pixelOffset, float inputScale, int inputZeroPoint)
    {
        var lut = Runtime.Models.FramePreprocessor.BuildPixelLut(pixelScale, pixelOffset, inputScale, inputZeroPoint);
        var r = new float[frame.Length];
        for (int i = 0; i < frame.Length; i++) r[i] = (lut[frame[i]] - inputZeroPoint) * inputScale;
        return r;
    }
}
