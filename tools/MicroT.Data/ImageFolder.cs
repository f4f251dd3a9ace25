using SkiaSharp;

namespace MicroT.Data;

/// <summary>
/// Users' own data: a folder with one subfolder per class (the subfolder name is the class
/// name; classes are ordered by ordinal name), each holding image files (png, jpg, jpeg,
/// bmp, gif, webp; other files are ignored). Each image is decoded with SkiaSharp, drawn
/// over black (so transparency becomes black), stretched to width x height with linear
/// filtering, and turned to gray as (77 R + 150 G + 29 B + 128) / 256 (BT.601 weights).
/// </summary>
public static class ImageFolder
{
    public const int MaxSide = 1024;

    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    public static LabeledImageSet Load(string root, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (width < 1 || width > MaxSide || height < 1 || height > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be 1..{MaxSide} on each side, got {width}x{height}.");
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        string[] classDirs = Directory.GetDirectories(root);
        Array.Sort(classDirs, StringComparer.Ordinal);
        if (classDirs.Length < 2)
            throw new InvalidDataException(
                $"Image folder '{root}' needs at least two class subfolders (one per class), found {classDirs.Length}" +
                (classDirs.Length == 1 ? $": '{Path.GetFileName(classDirs[0])}'." : "."));

        var classNames = new string[classDirs.Length];
        var images = new List<byte[]>();
        var labels = new List<int>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            classNames[c] = Path.GetFileName(classDirs[c]);
            string[] files = Directory.GetFiles(classDirs[c])
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
                throw new InvalidDataException(
                    $"Class folder '{classDirs[c]}' holds no images ({string.Join(", ", Extensions)}).");
            foreach (string file in files)
            {
                images.Add(LoadGray8(file, width, height));
                labels.Add(c);
            }
        }
        return new LabeledImageSet(width, height, images.ToArray(), labels.ToArray(), classNames);
    }

    /// <summary>One image file as width x height Gray8 bytes (see the class comment).</summary>
    public static byte[] LoadGray8(string file, int width, int height)
    {
        if (width < 1 || width > MaxSide || height < 1 || height > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be 1..{MaxSide} on each side, got {width}x{height}.");
        using var source = SKBitmap.Decode(file)
            ?? throw new InvalidDataException($"'{file}' is not an image SkiaSharp can decode.");
        using var image = SKImage.FromBitmap(source);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawImage(image, new SKRect(0, 0, width, height),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }
        ReadOnlySpan<byte> rgba = target.GetPixelSpan();
        var gray = new byte[width * height];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((77 * rgba[4 * i] + 150 * rgba[4 * i + 1] + 29 * rgba[4 * i + 2] + 128) >> 8);
        return gray;
    }
}
