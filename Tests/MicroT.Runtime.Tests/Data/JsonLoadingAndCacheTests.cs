using MicroT.Data;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

/// <summary>Small synthetic class files in a temporary folder: parsing, errors and the
/// .gray8 cache, without touching .data/.</summary>
public sealed class JsonLoadingAndCacheTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("microt-data-").FullName;
    static readonly string[] TwoClasses = { "a", "b" };

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Nested(params int[][] images) =>
        "{\"data\": [" + string.Join(",", images.Select(im => "[" + string.Join(",", im) + "]")) + "]}";

    static int[] Image(int seed) => Enumerable.Range(0, 784).Select(i => (i * 7 + seed) % 256).ToArray();

    void WriteClasses(string cls0, string cls1)
    {
        File.WriteAllText(Path.Combine(dir, "0.json"), cls0);
        File.WriteAllText(Path.Combine(dir, "1.json"), cls1);
    }

    LabeledImageSet Load(DataSplit split, bool unitScale = false, int trainPerClass = 1) =>
        StandardDataSets.Load(dir, TwoClasses, unitScale, trainPerClass, split);

    [Fact]
    public void NestedIntegersLoadWithLabelsAndSplit()
    {
        WriteClasses(Nested(Image(0), Image(1)), Nested(Image(2), Image(3), Image(4)));
        var train = Load(DataSplit.Train);
        var test = Load(DataSplit.Test);
        Assert.Equal(new[] { 0, 1 }, train.Labels);
        Assert.Equal(new[] { 0, 1, 1 }, test.Labels);
        Assert.Equal(Image(4).Select(v => (byte)v).ToArray(), test.Images[2]);
        Assert.Equal(Image(2).Select(v => (byte)v).ToArray(), train.Images[1]);
    }

    [Fact]
    public void EmptyInnerArraysAreSkipped()
    {
        WriteClasses("{\"data\": [[" + string.Join(",", Image(0)) + "], [], [" + string.Join(",", Image(1)) + "]]}", Nested(Image(2)));
        var all = Load(DataSplit.All, trainPerClass: 0);
        Assert.Equal(new[] { 0, 0, 1 }, all.Labels);
        Assert.Equal(Image(1).Select(v => (byte)v).ToArray(), all.Images[1]);
    }

    [Fact]
    public void FlatUnitFloatsAreScaledAndRounded()
    {
        var values = Enumerable.Repeat("0", 784 * 2).ToArray();
        values[0] = "1"; values[1] = "0.5"; values[2] = "0.002"; values[784] = "0.2";
        string flat = "{\"data\": [" + string.Join(",", values) + "]}";
        WriteClasses(flat, flat);
        var all = Load(DataSplit.All, unitScale: true);
        Assert.Equal(4, all.Count);
        Assert.Equal(new byte[] { 255, 128, 1 }, all.Images[0].Take(3).ToArray()); // 127.5 rounds up, 0.51 to 1
        Assert.Equal(51, all.Images[1][0]);
    }

    [Fact]
    public void WrongImageSizeIsNamed()
    {
        var shortImage = Image(0).Take(783).ToArray();
        WriteClasses(Nested(Image(0), Image(1)), Nested(Image(0), shortImage));
        var e = Assert.Throws<InvalidDataException>(() => Load(DataSplit.All));
        Assert.Contains("1.json", e.Message);
        Assert.Contains("image 1 has 783 values", e.Message);
    }

    [Fact]
    public void FlatArrayNotAMultipleOf784IsRejected()
    {
        string flat = "{\"data\": [" + string.Join(",", Enumerable.Repeat("0", 800)) + "]}";
        WriteClasses(flat, flat);
        var e = Assert.Throws<InvalidDataException>(() => Load(DataSplit.All, unitScale: true));
        Assert.Contains("800 values", e.Message);
    }

    [Theory]
    [InlineData("300")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"x\"")]
    public void BadPixelValuesAreRejected(string bad)
    {
        var values = Image(0).Select(v => v.ToString()).ToArray();
        values[5] = bad;
        WriteClasses(Nested(Image(0), Image(1)), "{\"data\": [[" + string.Join(",", values) + "], [" + string.Join(",", Image(0)) + "]]}");
        var e = Assert.Throws<InvalidDataException>(() => Load(DataSplit.All));
        Assert.Contains("1.json", e.Message);
    }

    [Fact]
    public void TooFewImagesForTheSplitIsRejected()
    {
        WriteClasses(Nested(Image(0), Image(1)), Nested(Image(2)));
        var e = Assert.Throws<InvalidDataException>(() => Load(DataSplit.Train));
        Assert.Contains("holds 1 images", e.Message);
    }

    [Fact]
    public void MissingClassFileIsNamed()
    {
        File.WriteAllText(Path.Combine(dir, "0.json"), Nested(Image(0), Image(1)));
        var e = Assert.Throws<FileNotFoundException>(() => Load(DataSplit.All));
        Assert.Contains("1.json", e.Message);
    }

    [Fact]
    public void FirstLoadWritesTheCacheAndLaterLoadsReadIt()
    {
        WriteClasses(Nested(Image(0), Image(1)), Nested(Image(2), Image(3)));
        var first = Load(DataSplit.All);
        string cache = Path.Combine(dir, "0.gray8");
        Assert.True(File.Exists(cache));
        Assert.Equal(28 + 2 * 784, new FileInfo(cache).Length);

        // Prove the second load reads the cache: change a cached pixel (JSON untouched).
        var bytes = File.ReadAllBytes(cache);
        bytes[28] = 99;
        File.WriteAllBytes(cache, bytes);
        var second = Load(DataSplit.All);
        Assert.Equal(99, second.Images[0][0]);
        Assert.Equal(first.Images[3], second.Images[3]);
    }

    [Fact]
    public void CorruptOrStaleCacheIsRebuiltFromJson()
    {
        WriteClasses(Nested(Image(0), Image(1)), Nested(Image(2), Image(3)));
        Load(DataSplit.All);
        string cache = Path.Combine(dir, "0.gray8");
        File.WriteAllBytes(cache, new byte[] { 1, 2, 3 });
        Assert.Equal((byte)Image(0)[5], Load(DataSplit.All).Images[0][5]);
        Assert.Equal(28 + 2 * 784, new FileInfo(cache).Length);

        // JSON replaced by one of another length: the old cache must not be used.
        File.WriteAllText(Path.Combine(dir, "0.json"), Nested(Image(5), Image(6), Image(7)));
        var reloaded = Load(DataSplit.All);
        Assert.Equal(5, reloaded.Count);
        Assert.Equal(Image(5).Select(v => (byte)v).ToArray(), reloaded.Images[0]);
    }
}
