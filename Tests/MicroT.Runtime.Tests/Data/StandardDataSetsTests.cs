using System.Text.Json;
using MicroT.Data;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

/// <summary>The real data sets in .data/ (tools/test.sh fetches them first). Expected
/// pixels are read from the files here (MNIST's JSON with System.Text.Json's DOM, Fashion-MNIST's
/// IDX with a GZipStream), independently of the loader.</summary>
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

    /// <summary>An IDX file of .data/fashion-mnist-idx, decompressed here (not by the loader).</summary>
    static byte[] Idx(string file)
    {
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(DataRoot, StandardDataSets.FashionMnistFolder, file)),
            System.IO.Compression.CompressionMode.Decompress);
        using var m = new MemoryStream();
        gz.CopyTo(m);
        return m.ToArray();
    }

    [Fact]
    public void FashionMnistIsTheOfficialReleaseOrderedByClassThenFileOrder()
    {
        var train = StandardDataSets.LoadFashionMnist(DataSplit.Train, DataRoot);
        var test = StandardDataSets.LoadFashionMnist(DataSplit.Test, DataRoot);
        foreach (var (set, prefix) in new[] { (train, "train"), (test, "t10k") })
        {
            byte[] images = Idx(prefix + "-images-idx3-ubyte.gz"), labels = Idx(prefix + "-labels-idx1-ubyte.gz");
            Assert.Equal(new byte[] { 0, 0, 8, 3 }, images.Take(4));   // IDX magic 2051
            int n = labels.Length - 8;
            Assert.Equal(set.Count, n);
            // The k-th image of class c in the loader is the k-th image labelled c in the file.
            int k = 0;
            for (int c = 0; c < 10; c++)
                for (int i = 0; i < n; i++)
                {
                    if (labels[8 + i] != c) continue;
                    Assert.Equal(c, set.Labels[k]);
                    if (k % 997 == 0) Assert.Equal(images.AsSpan(16 + i * 784, 784).ToArray(), set.Images[k]);
                    k++;
                }
        }
        Assert.Equal(70000, StandardDataSets.LoadFashionMnist(DataSplit.All, DataRoot).Count);
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
