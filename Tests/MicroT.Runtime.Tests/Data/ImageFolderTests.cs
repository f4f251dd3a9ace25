using MicroT.Data;
using SkiaSharp;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("microt-folder-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    void WritePng(string cls, string name, SKColor color, int width = 20, int height = 10)
    {
        Directory.CreateDirectory(Path.Combine(root, cls));
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.Combine(root, cls, name), data.ToArray());
    }

    [Fact]
    public void SubfoldersAreClassesAndImagesAreResizedGray()
    {
        WritePng("b_dark", "1.png", new SKColor(40, 40, 40));
        WritePng("a_white", "x.png", SKColors.White);
        WritePng("a_white", "y.png", new SKColor(255, 0, 0));
        File.WriteAllText(Path.Combine(root, "a_white", "notes.txt"), "ignored");

        var set = ImageFolder.Load(root, 8, 6);
        Assert.Equal(new[] { "a_white", "b_dark" }, set.ClassNames);
        Assert.Equal(new[] { 0, 0, 1 }, set.Labels);
        Assert.Equal((8, 6), (set.Width, set.Height));
        Assert.All(set.Images[0], p => Assert.Equal(255, p));
        Assert.All(set.Images[1], p => Assert.Equal((77 * 255 + 128) >> 8, p)); // pure red: 77/256 of white
        Assert.All(set.Images[2], p => Assert.Equal(40, p));
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(Path.Combine(root, "nope"), 32, 32));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void OneClassIsRejected()
    {
        WritePng("only", "1.png", SKColors.White);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root, 32, 32));
        Assert.Contains("at least two class subfolders", e.Message);
        Assert.Contains("only", e.Message);
    }

    [Fact]
    public void EmptyClassAndUndecodableFileAreNamed()
    {
        WritePng("cat", "1.png", SKColors.White);
        Directory.CreateDirectory(Path.Combine(root, "dog"));
        var empty = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root, 32, 32));
        Assert.Contains("dog", empty.Message);

        File.WriteAllText(Path.Combine(root, "dog", "broken.png"), "not a png");
        var broken = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root, 32, 32));
        Assert.Contains("broken.png", broken.Message);
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(32, -1)]
    [InlineData(5000, 32)]
    public void BadSizeIsRejected(int width, int height)
    {
        WritePng("a", "1.png", SKColors.White);
        WritePng("b", "1.png", SKColors.White);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(root, width, height));
    }
}
