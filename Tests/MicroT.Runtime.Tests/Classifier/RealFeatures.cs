using System.Collections.Concurrent;
using System.Text.Json;
using MicroT.Runtime.Classifier;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// Real int8 "features" for classifier tests until the extractor exists: Fashion-MNIST and MNIST
/// images (from .data/, fetched by tools/fetch-data.sh) average-pooled to pool x pool cells and
/// stored as int8 with zero point -128 and scale 1/255, as a ReLU activation would be.
/// Split: Fashion-MNIST images [0, 6000) of each class (after dropping the package's few empty entries) are local (training) samples and
/// [6000, 7000) test samples; MNIST images [0, 800) of each digit training, [800, end) test.
/// </summary>
public static class RealFeatures
{
    public const float Scale = 1f / 255f;
    public const int ZeroPoint = -128;

    static readonly ConcurrentDictionary<string, byte[][]> Cache = new();

    /// <summary>Images of one class as 784 gray bytes each.</summary>
    public static byte[][] Images(string set, int label) => Cache.GetOrAdd(set + "/" + label, _ => Parse(set, label));

    static byte[][] Parse(string set, int label)
    {
        string path = Path.Combine(TestPaths.RepoRoot, ".data", set, label + ".json");
        if (!File.Exists(path)) throw new FileNotFoundException("run tools/fetch-data.sh first", path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var data = doc.RootElement.GetProperty("data");
        var images = new List<byte[]>();
        if (set == "mnist")
        {
            // One flat array of floats 0..1, 784 per image.
            var flat = data.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i + 784 <= flat.Length; i += 784)
                images.Add(flat.Skip(i).Take(784).Select(v => (byte)Math.Clamp(Math.Round(v * 255), 0, 255)).ToArray());
        }
        else
        {
            foreach (var img in data.EnumerateArray())
                if (img.GetArrayLength() == 784)       // the package has a few empty entries
                    images.Add(img.EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray());
        }
        return images.ToArray();
    }

    /// <summary>28x28 image average-pooled to (28 / pool)^2 int8 features.</summary>
    public static sbyte[] Pool(byte[] image, int pool)
    {
        int side = 28 / pool;
        var f = new sbyte[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int sum = 0;
                for (int dy = 0; dy < pool; dy++)
                    for (int dx = 0; dx < pool; dx++)
                        sum += image[(y * pool + dy) * 28 + x * pool + dx];
                f[y * side + x] = (sbyte)((sum + pool * pool / 2) / (pool * pool) + ZeroPoint);
            }
        return f;
    }

    public static (int start, int end) TrainRange(string set, int label) => set == "mnist" ? (0, 800) : (0, 6000);
    public static (int start, int end) TestRange(string set, int label) =>
        set == "mnist" ? (800, Images(set, label).Length) : (6000, 7000);

    /// <summary>perClass local samples of each class (spread evenly over the training range).</summary>
    public static SampleStore Train(string set, int pool, int perClass, int classes = 10)
    {
        int d = (28 / pool) * (28 / pool);
        var store = new SampleStore(d, Scale, ZeroPoint, classes, perClass * classes);
        for (int i = 0; i < perClass; i++)
            for (int c = 0; c < classes; c++)
            {
                var (start, end) = TrainRange(set, c);
                int index = start + (int)((long)i * (end - start) / perClass);
                store.Add(Pool(Images(set, c)[index], pool), 0, c);
            }
        return store;
    }

    /// <summary>perClass test samples of each class.</summary>
    public static (sbyte[][] features, int[] labels) Test(string set, int pool, int perClass, int classes = 10)
    {
        var features = new List<sbyte[]>();
        var labels = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var (start, end) = TestRange(set, c);
            int n = Math.Min(perClass, end - start);
            for (int i = 0; i < n; i++)
            {
                features.Add(Pool(Images(set, c)[start + i], pool));
                labels.Add(c);
            }
        }
        return (features.ToArray(), labels.ToArray());
    }
}
