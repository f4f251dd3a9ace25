namespace MicroT.Data;

/// <summary>
/// Fashion-MNIST and MNIST as fetched by tools/fetch-data.sh into .data/, with the project's
/// fixed train/test split (docs/DATA.md): per class, the first images in file order are
/// train and the rest test. Fashion-MNIST: 6,000 train + 1,000 test per class
/// (60,000 / 10,000). MNIST: 500 train per digit, the rest (363..627) test (5,000 / 5,000).
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

    /// <summary>Fashion-MNIST (10 clothing classes, 28x28, 7,000 per class).</summary>
    public static LabeledImageSet LoadFashionMnist(DataSplit split, string dataRoot = null) =>
        Load(Path.Combine(dataRoot ?? DefaultDataRoot(), "fashion-mnist"), FashionMnistClassNames,
             unitScale: false, FashionMnistTrainPerClass, split);

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
