using System.Text.Json;
using MicroT.Data;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

/// <summary>The real data sets in .data/ (tools/test.sh fetches them first). Expected
/// pixels are read from the JSON with System.Text.Json's DOM, independently of the loader.</summary>
public class StandardDataSetsTests
{
    static string DataRoot => Path.Combine(TestPaths.RepoRoot, ".data");

    static JsonElement JsonData(string set, int cls) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DataRoot, set, cls + ".json"))).RootElement.GetProperty("data");

    [Fact]
    public void FashionMnistSplitIsSixThousandTrainAndOneThousandTestPerClass()
    {
        var train = StandardDataSets.LoadFashionMnist(DataSplit.Train, DataRoot);
        var test = StandardDataSets.LoadFashionMnist(DataSplit.Test, DataRoot);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.All(train.CountPerClass(), n => Assert.Equal(6000, n));
        Assert.All(test.CountPerClass(), n => Assert.Equal(1000, n));
        Assert.Equal((28, 28), (train.Width, train.Height));
        Assert.Equal("T-shirt/top", train.ClassNames[0]);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
    }

    [Fact]
    public void FashionMnistImagesAreTheJsonPixelsInFileOrder()
    {
        var train = StandardDataSets.LoadFashionMnist(DataSplit.Train, DataRoot);
        var test = StandardDataSets.LoadFashionMnist(DataSplit.Test, DataRoot);
        var data3 = JsonData("fashion-mnist", 3);
        byte[] Expected(int i) => data3[i].EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        // Class 3 starts at 3 * 6000 in train and 3 * 1000 in test.
        Assert.Equal(Expected(0), train.Images[18000]);
        Assert.Equal(Expected(5999), train.Images[23999]);
        Assert.Equal(Expected(6000), test.Images[3000]);
        Assert.Equal(Expected(6999), test.Images[3999]);
        Assert.Equal(3, test.Labels[3999]);
        // First pixels of 0.json as printed by `head -c 100 .data/fashion-mnist/0.json`.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 9, 8, 0, 0, 34, 29, 7 }, train.Images[0].Take(14).ToArray());
        // 0.json holds empty arrays at positions 1000 and 7001; they are skipped, so train
        // image 1000 of class 0 is JSON entry 1001.
        var data0 = JsonData("fashion-mnist", 0);
        Assert.Equal(0, data0[1000].GetArrayLength());
        Assert.Equal(data0[1001].EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray(), train.Images[1000]);
    }

    [Fact]
    public void MnistIsScaledTo255AndSplitFiveHundredTrainPerDigit()
    {
        var train = StandardDataSets.LoadMnist(DataSplit.Train, DataRoot);
        var test = StandardDataSets.LoadMnist(DataSplit.Test, DataRoot);
        var all = StandardDataSets.LoadMnist(DataSplit.All, DataRoot);
        Assert.Equal(5000, train.Count);
        Assert.Equal(10000, all.Count);
        Assert.Equal(all.Count - train.Count, test.Count);
        Assert.All(train.CountPerClass(), n => Assert.Equal(500, n));
        Assert.Equal(1127 - 500, test.CountPerClass()[1]);

        var flat = JsonData("mnist", 0).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        byte[] Expected(int i) => flat.Skip(i * 784).Take(784).Select(v => (byte)Math.Round(v * 255, MidpointRounding.AwayFromZero)).ToArray();
        Assert.Equal(Expected(0), train.Images[0]);
        Assert.Equal(Expected(500), test.Images[0]);
        Assert.Contains(train.Images[0], p => p == 255); // strokes reach full white
    }

    [Fact]
    public void MissingDataRootNamesThePathAndTheFetchScript()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() =>
            StandardDataSets.LoadFashionMnist(DataSplit.Train, "/no/such/folder"));
        Assert.Contains("/no/such/folder", e.Message);
        Assert.Contains("fetch-data.sh", e.Message);
    }
}
