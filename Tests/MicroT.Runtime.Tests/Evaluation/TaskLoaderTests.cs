using MicroT.Data;
using MicroT.Evaluation;
using SkiaSharp;
using Xunit;

namespace MicroT.Runtime.Tests.Evaluation;

public sealed class TaskLoaderTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("microt-eval-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    void WritePng(string cls, string name, byte gray)
    {
        Directory.CreateDirectory(Path.Combine(root, cls));
        using var bitmap = new SKBitmap(12, 12);
        bitmap.Erase(new SKColor(gray, gray, gray));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.Combine(root, cls, name), data.ToArray());
    }

    [Theory]
    [InlineData("demo:fashion-mnist", "T-shirt/top")]
    [InlineData("demo:mnist", "0")]
    public void BundledDemoDataLoadsPaddedToTheModelInput(string spec, string firstClass)
    {
        var task = TaskLoader.Load(spec, 32, 32, shots: 20, seed: 1, maxHeldOutPerClass: 0);
        Assert.Equal(10, task.ClassCount);
        Assert.Equal(firstClass, task.ClassNames[0]);
        Assert.Equal((32, 32), (task.Pool.Width, task.HeldOut.Width));
        Assert.All(task.Pool.CountPerClass(), n => Assert.Equal(DemoData.DefaultPoolPerClass, n));
        Assert.All(task.HeldOut.CountPerClass(), n => Assert.Equal(100, n));
        // 28x28 centred: the 2-pixel border is black.
        Assert.All(task.HeldOut.Images, img => Assert.True(img.Take(64).All(p => p == 0)));
    }

    [Fact]
    public void BundledDemoDataIsTheDataSetsFirstImagesOfEachSplit()
    {
        var (pool, heldOut) = DemoData.Load("mnist");
        var train = StandardDataSets.LoadMnist(DataSplit.Train);
        var test = StandardDataSets.LoadMnist(DataSplit.Test);
        int firstTrainOf3 = Array.IndexOf(train.Labels, 3), firstPoolOf3 = Array.IndexOf(pool.Labels, 3);
        Assert.Equal(train.Images[firstTrainOf3], pool.Images[firstPoolOf3]);
        int lastTestOf9 = Array.IndexOf(test.Labels, 9) + 99, lastHeldOf9 = Array.LastIndexOf(heldOut.Labels, 9);
        Assert.Equal(test.Images[lastTestOf9], heldOut.Images[lastHeldOf9]);
    }

    [Fact]
    public void BundledFashionDemoDataIsFromTheOfficialRelease()
    {
        var (pool, heldOut) = DemoData.Load("fashion-mnist");
        var train = StandardDataSets.LoadFashionMnist(DataSplit.Train);
        var test = StandardDataSets.LoadFashionMnist(DataSplit.Test);
        Assert.Equal(train.Images[Array.IndexOf(train.Labels, 5) + 7], pool.Images[Array.IndexOf(pool.Labels, 5) + 7]);
        Assert.Equal(test.Images[Array.IndexOf(test.Labels, 8) + 99], heldOut.Images[Array.LastIndexOf(heldOut.Labels, 8)]);
    }

    [Fact]
    public void HeldOutCapTakesTheFirstImagesOfEachClass()
    {
        var task = TaskLoader.Load("demo:mnist", 32, 32, 20, 1, maxHeldOutPerClass: 7);
        Assert.All(task.HeldOut.CountPerClass(), n => Assert.Equal(7, n));
    }

    [Fact]
    public void ImagesLargerThanTheModelInputAreRefusedClearly()
    {
        var e = Assert.Throws<EvaluationException>(() => TaskLoader.Load("demo:mnist", 16, 16, 20, 1, 0));
        Assert.Contains("28x28", e.Message);
        Assert.Contains("16x16", e.Message);
    }

    [Fact]
    public void MissingPathIsNamed()
    {
        string missing = Path.Combine(root, "nope");
        var e = Assert.Throws<EvaluationException>(() => TaskLoader.Load(missing, 32, 32, 20, 1, 0));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void FolderWithOneClassIsRefused()
    {
        for (int i = 0; i < 5; i++) WritePng("only", $"{i}.png", (byte)(i * 40));
        var e = Assert.Throws<EvaluationException>(() => TaskLoader.Load(root, 32, 32, 2, 1, 0));
        Assert.Contains("at least two class subfolders", e.Message);
    }

    [Fact]
    public void FolderIsSplitPerClassBySeedAndKeepsTheRestHeldOut()
    {
        for (int i = 0; i < 5; i++) { WritePng("a", $"{i}.png", (byte)i); WritePng("b", $"{i}.png", (byte)(100 + i)); }
        var task = TaskLoader.Load(root, 8, 8, shots: 3, seed: 4, maxHeldOutPerClass: 0);
        Assert.Equal(new[] { 3, 3 }, task.Pool.CountPerClass());
        Assert.Equal(new[] { 2, 2 }, task.HeldOut.CountPerClass());
        var pixels = task.Pool.Images.Concat(task.HeldOut.Images).Select(img => img[0]).OrderBy(p => p);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 100, 101, 102, 103, 104 }, pixels);
        var again = TaskLoader.Load(root, 8, 8, 3, 4, 0);
        Assert.Equal(task.Pool.Images.Select(i => i[0]), again.Pool.Images.Select(i => i[0]));
    }

    [Fact]
    public void FolderClassWithTooFewImagesForTheShotsIsNamed()
    {
        for (int i = 0; i < 5; i++) WritePng("many", $"{i}.png", (byte)i);
        for (int i = 0; i < 3; i++) WritePng("few", $"{i}.png", (byte)i);
        var e = Assert.Throws<EvaluationException>(() => TaskLoader.Load(root, 8, 8, 3, 1, 0));
        Assert.Contains("'few' has 3 images", e.Message);
    }
}
