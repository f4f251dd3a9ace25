using MicroT.Data;

namespace MicroT.Profiler.Workloads;

/// <summary>
/// What the model and classifier workloads run on: the default zoo extractor
/// (zoo/microt-s3.mtm, 32x32x1) and real Fashion-MNIST images padded from 28x28 to
/// 32x32 as its model card prescribes. Loaded once, outside the counted runs.
/// </summary>
static class Inputs
{
    public const string ZooModel = "zoo/microt-s3.mtm";

    /// <summary>Frames per inference workload (2 per class); costs are reported per frame.</summary>
    public const int FrameCount = 20;

    /// <summary>Labelled local samples for the classifier workloads (20 per class).</summary>
    public const int SamplesPerClass = 20;

    static byte[]? zoo;
    static LabeledImageSet? frames, samples;

    public static byte[] ZooModelFile => zoo ??= File.ReadAllBytes(Path.Combine(RepositoryRoot(), ZooModel));

    /// <summary>The first FrameCount/10 Fashion-MNIST test images of each class, 32x32.</summary>
    public static LabeledImageSet Frames => frames ??= FirstPerClass(StandardDataSets.LoadFashionMnist(DataSplit.Test), FrameCount / 10).Padded(32, 32);

    /// <summary>SamplesPerClass Fashion-MNIST train images per class (seeded), 32x32.</summary>
    public static LabeledImageSet Samples => samples ??= StandardDataSets.LoadFashionMnist(DataSplit.Train).TakePerClass(SamplesPerClass, seed: 1).Padded(32, 32);

    static LabeledImageSet FirstPerClass(LabeledImageSet set, int perClass)
    {
        var pick = new List<int>();
        var taken = new int[set.ClassCount];
        for (int i = 0; i < set.Count; i++)
            if (taken[set.Labels[i]]++ < perClass) pick.Add(i);
        return set.Subset(pick.ToArray());
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ZooModel))) return dir.FullName;
        throw new FileNotFoundException($"{ZooModel} not found in any folder above {AppContext.BaseDirectory}; run the profiler from the repository's build.");
    }
}
