using MicroT.Data;

namespace MicroT.Evaluation;

/// <summary>
/// Turns a --task value into an <see cref="EvaluationTask"/> at the model's input size:
/// <list type="bullet">
/// <item>"fashion-mnist" or "mnist": the fetched data sets (docs/DATA.md); the pool is the
/// train split, the held-out images the test split;</item>
/// <item>"emoji", "georgian" or "armenian": the rendered tasks of tools/fetch-data.sh --tasks
/// (docs/DATA.md; classes never seen by the extractor); shots from train.mtt, scored on test.mtt;</item>
/// <item>"demo:fashion-mnist" or "demo:mnist": the small subset bundled with this tool
/// (<see cref="DemoData"/>);</item>
/// <item>any other value: a folder with one subfolder per class (images stretched to the model
/// input by MicroT.Data's ImageFolder); per class a seeded draw of k images trains, the rest
/// are held out.</item>
/// </list>
/// Data set images smaller than the model input are centred on black (28x28 to 32x32, as the
/// zoo model was trained); larger ones are refused.
/// </summary>
public static class TaskLoader
{
    public const string DemoPrefix = "demo:";
    public static readonly string[] StandardNames = ["fashion-mnist", "mnist", .. RenderedTask.Names];

    /// <param name="spec">Data set name, demo:name or folder path.</param>
    /// <param name="width">Model input width.</param>
    /// <param name="height">Model input height.</param>
    /// <param name="shots">k, training images per class (folders keep at least one more per class held out).</param>
    /// <param name="seed">Seeds the folder split.</param>
    /// <param name="maxHeldOutPerClass">Cap on held-out images per class (the first ones in data set order), 0 = all.</param>
    /// <param name="dataRoot">Where the fetched data sets are (null: MicroT.Data's default).</param>
    public static EvaluationTask Load(string spec, int width, int height, int shots, int seed, int maxHeldOutPerClass, string dataRoot = null)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new EvaluationException("A task needs a value: a data set name (fashion-mnist, mnist, emoji, georgian, armenian, demo:fashion-mnist, demo:mnist) or a folder of images with one subfolder per class.");
        if (shots < 1)
            throw new EvaluationException($"Training shots per class must be at least 1, got {shots}.");
        if (maxHeldOutPerClass < 0)
            throw new EvaluationException($"Held-out images per class must be 0 (all) or more, got {maxHeldOutPerClass}.");
        string name = spec.Trim();
        string lower = name.ToLowerInvariant();
        try
        {
            if (lower == "fashion-mnist")
                return Fit(lower, StandardDataSets.LoadFashionMnist(DataSplit.Train, dataRoot),
                    StandardDataSets.LoadFashionMnist(DataSplit.Test, dataRoot), width, height, maxHeldOutPerClass);
            if (lower == "mnist")
                return Fit(lower, StandardDataSets.LoadMnist(DataSplit.Train, dataRoot),
                    StandardDataSets.LoadMnist(DataSplit.Test, dataRoot), width, height, maxHeldOutPerClass);
            if (RenderedTask.IsName(lower))
                return Fit(lower, RenderedTask.Load(lower, DataSplit.Train, dataRoot),
                    RenderedTask.Load(lower, DataSplit.Test, dataRoot), width, height, maxHeldOutPerClass);
            if (lower.StartsWith(DemoPrefix, StringComparison.Ordinal))
            {
                var (pool, heldOut) = DemoData.Load(lower[DemoPrefix.Length..]);
                return Fit(lower, pool, heldOut, width, height, maxHeldOutPerClass);
            }
            if (!Directory.Exists(name))
                throw new EvaluationException(
                    $"Task '{name}': the folder {Path.GetFullPath(name)} does not exist, and it is no data set name (fashion-mnist, mnist, emoji, georgian, armenian, demo:fashion-mnist, demo:mnist).");
            var all = ImageFolder.Load(name, width, height);
            var (train, rest) = SplitPerClass(all, shots, seed, Path.GetFullPath(name));
            return new EvaluationTask(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(name))),
                train, Cap(rest, maxHeldOutPerClass));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException)
        {
            throw new EvaluationException($"Task '{name}': {e.Message}", e);
        }
    }

    /// <summary>Brings data set images to the model input size (pads smaller ones) and caps the held-out set.</summary>
    static EvaluationTask Fit(string name, LabeledImageSet pool, LabeledImageSet heldOut, int width, int height, int maxHeldOutPerClass)
    {
        return new EvaluationTask(name, ToInput(name, pool, width, height), ToInput(name, Cap(heldOut, maxHeldOutPerClass), width, height));
    }

    static LabeledImageSet ToInput(string name, LabeledImageSet set, int width, int height)
    {
        if (set.Width == width && set.Height == height) return set;
        if (set.Width <= width && set.Height <= height) return set.Padded(width, height);
        throw new EvaluationException(
            $"Task '{name}': its images are {set.Width}x{set.Height}, larger than the model input {width}x{height}. Use a model with an input of at least {set.Width}x{set.Height}, or a folder of images (they are resized to the model input).");
    }

    /// <summary>The first <paramref name="perClass"/> images of every class, in set order (0 = all).</summary>
    public static LabeledImageSet Cap(LabeledImageSet set, int perClass)
    {
        if (perClass == 0) return set;
        var taken = new int[set.ClassCount];
        var keep = new List<int>();
        for (int i = 0; i < set.Count; i++)
            if (taken[set.Labels[i]]++ < perClass) keep.Add(i);
        return keep.Count == set.Count ? set : set.Subset(keep.ToArray());
    }

    /// <summary>Per class, a seeded draw of <paramref name="shots"/> images, and the rest in folder order.</summary>
    public static (LabeledImageSet Train, LabeledImageSet HeldOut) SplitPerClass(LabeledImageSet set, int shots, int seed, string where)
    {
        var order = set.ShuffledPerClass(seed);
        var train = new List<int>();
        var rest = new List<int>();
        for (int c = 0; c < set.ClassCount; c++)
        {
            if (order[c].Length <= shots)
                throw new EvaluationException(
                    $"{where}: class '{set.ClassNames[c]}' has {order[c].Length} images; {shots} train and at least one more is needed to score (use fewer --shots or add images).");
            train.AddRange(order[c].Take(shots));
            rest.AddRange(order[c].Skip(shots).Order());   // folder order: the class's indices ascend
        }
        return (set.Subset(train.ToArray()), set.Subset(rest.ToArray()));
    }
}
