using System.Collections.Concurrent;
using MicroT.Data;
using MicroT.Runtime.Classifier;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// Real int8 "features" for the head tests that need no extractor: Fashion-MNIST and MNIST
/// images (tools/MicroT.Data, its fixed train/test split, docs/DATA.md) average-pooled to
/// pool x pool cells and stored as int8 with zero point -128 and scale 1/255, as a ReLU
/// activation would be. Local (training) samples are spread evenly over the train split;
/// test samples are the first of each class in the test split.
/// </summary>
public static class RealFeatures
{
    public const float Scale = 1f / 255f;
    public const int ZeroPoint = -128;

    static readonly ConcurrentDictionary<string, LabeledImageSet> Cache = new();

    static LabeledImageSet Load(string set, DataSplit split) => Cache.GetOrAdd(set + "/" + split, _ =>
        set == "mnist" ? StandardDataSets.LoadMnist(split) : StandardDataSets.LoadFashionMnist(split));

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

    static int[][] IndicesPerClass(LabeledImageSet s, int classes) =>
        Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, s.Count).Where(i => s.Labels[i] == c).ToArray()).ToArray();

    /// <summary>perClass local samples of each class, spread evenly over the train split.</summary>
    public static SampleStore Train(string set, int pool, int perClass, int classes = 10)
    {
        var images = Load(set, DataSplit.Train);
        var byClass = IndicesPerClass(images, classes);
        int d = (28 / pool) * (28 / pool);
        var store = new SampleStore(d, Scale, ZeroPoint, classes, perClass * classes);
        for (int i = 0; i < perClass; i++)
            for (int c = 0; c < classes; c++)
            {
                int index = byClass[c][(int)((long)i * byClass[c].Length / perClass)];
                store.Add(Pool(images.Images[index], pool), 0, c);
            }
        return store;
    }

    /// <summary>Up to perClass test samples of each class (the first ones of the test split).</summary>
    public static (sbyte[][] features, int[] labels) Test(string set, int pool, int perClass, int classes = 10)
    {
        var images = Load(set, DataSplit.Test);
        var features = new List<sbyte[]>();
        var labels = new List<int>();
        foreach (var (indices, c) in IndicesPerClass(images, classes).Select((ix, c) => (ix, c)))
            foreach (int i in indices.Take(perClass))
            {
                features.Add(Pool(images.Images[i], pool));
                labels.Add(c);
            }
        return (features.ToArray(), labels.ToArray());
    }
}
