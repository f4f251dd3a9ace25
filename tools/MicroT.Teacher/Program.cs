using System.Diagnostics;
using MicroT.Data;
using MicroT.Teacher;

// Usage: MicroT.Teacher [--pool N] [--images POOL.npy] [--size S] [--batch B] [--threads T] [--out DIR] [--data DIR]
//        MicroT.Teacher int8-features MODEL.mtm --out DIR [--data DIR]
// Writes DIR (default .data/training) with .npy arrays for tools/training (docs/TRAINING.md).
if (args.Length > 1 && args[0] == "int8-features")
{
    var o = Args.Parse(args[2..]);
    string root = o.Str("data", null) ?? StandardDataSets.DefaultDataRoot();
    string dir = o.Str("out", null) ?? throw new ArgumentException("int8-features needs --out DIR");
    Directory.CreateDirectory(dir);
    Int8Features.Write(args[1], root, dir);
    return;
}
var opts = Args.Parse(args);
int pool = opts.Int("pool", 12000), size = opts.Int("size", 96), batch = opts.Int("batch", 50), threads = opts.Int("threads", 2);
string dataRoot = opts.Str("data", null) ?? StandardDataSets.DefaultDataRoot();
string outDir = opts.Str("out", null) ?? Path.Combine(dataRoot, "training");
Directory.CreateDirectory(outDir);

var clock = Stopwatch.StartNew();
var train = StandardDataSets.LoadFashionMnist(DataSplit.Train, dataRoot);
var fashionTest = StandardDataSets.LoadFashionMnist(DataSplit.Test, dataRoot);
var mnistTrain = StandardDataSets.LoadMnist(DataSplit.Train, dataRoot);
var mnistTest = StandardDataSets.LoadMnist(DataSplit.Test, dataRoot);

// Evaluation sets, with labels (never used for distillation).
Npy.WriteImages(Path.Combine(outDir, "fashion_train_images.npy"), train);
Npy.WriteInt32(Path.Combine(outDir, "fashion_train_labels.npy"), train.Labels);
Npy.WriteImages(Path.Combine(outDir, "fashion_test_images.npy"), fashionTest);
Npy.WriteInt32(Path.Combine(outDir, "fashion_test_labels.npy"), fashionTest.Labels);
Npy.WriteImages(Path.Combine(outDir, "mnist_train_images.npy"), mnistTrain);
Npy.WriteInt32(Path.Combine(outDir, "mnist_train_labels.npy"), mnistTrain.Labels);
Npy.WriteImages(Path.Combine(outDir, "mnist_test_images.npy"), mnistTest);
Npy.WriteInt32(Path.Combine(outDir, "mnist_test_labels.npy"), mnistTest.Labels);

// The unlabeled pool: --images (a uint8 [N,S,S] .npy, e.g. .data/pool/pool_images.npy of
// tools/training/datasets.py), or else a seeded permutation of the Fashion-MNIST train split
// (ordered by class), first N taken. Only indices and images leave here, never labels.
string imagesFile = opts.Str("images", null);
byte[][] poolImages;
int[] indices;
int poolSide;
string poolText;
if (imagesFile != null)
{
    (poolImages, poolSide) = Npy.ReadImages(imagesFile);
    if (opts.Has("pool")) poolImages = poolImages.Take(pool).ToArray();
    pool = poolImages.Length;
    indices = Enumerable.Range(0, pool).ToArray();
    poolText = $"pool {pool} images of {Path.GetFileName(imagesFile)}, {poolSide}x{poolSide}";
}
else
{
    if (pool < 1 || pool > train.Count) throw new ArgumentOutOfRangeException("pool", $"--pool must be 1..{train.Count}, got {pool}.");
    var order = Enumerable.Range(0, train.Count).ToArray();
    new Random(8).Shuffle(order);
    indices = order.Take(pool).ToArray();
    poolImages = indices.Select(i => train.Images[i]).ToArray();
    poolSide = train.Width;
    poolText = $"pool {pool} of Fashion-MNIST train (seed 8), {poolSide}x{poolSide}";
}

using var teacher = new ResNet18Teacher(threads);
var embeddings = new float[pool][];
var timer = Stopwatch.StartNew();
for (int start = 0; start < pool; start += batch)
{
    var chunk = poolImages.Skip(start).Take(batch).ToArray();
    teacher.Embed(chunk, poolSide, size).CopyTo(embeddings, start);
    if ((start / batch) % 20 == 0)
        Console.Error.WriteLine($"teacher: {start + chunk.Length}/{pool} images, {timer.Elapsed.TotalSeconds:F0} s");
}
double seconds = timer.Elapsed.TotalSeconds;
Npy.WriteInt32(Path.Combine(outDir, "pool_indices.npy"), indices);
Npy.WriteFloat32(Path.Combine(outDir, "pool_teacher.npy"), embeddings, ResNet18Teacher.EmbeddingSize);
File.WriteAllText(Path.Combine(outDir, "teacher.txt"),
    $"teacher ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), input {size}x{size} upscaled from {poolSide}x{poolSide}, " +
    $"{poolText}, {seconds:F0} s on {threads} threads ({pool / seconds:F1} images/s)\n");
Console.WriteLine($"teacher: {pool} embeddings at {size}x{size} in {seconds:F0} s ({pool / seconds:F1} images/s); total {clock.Elapsed.TotalSeconds:F0} s; wrote {outDir}");

sealed class Args
{
    readonly Dictionary<string, string> values = new();
    public static Args Parse(string[] args)
    {
        var a = new Args();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--") || i + 1 >= args.Length)
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'. Options: --pool --images --size --batch --threads --out --data.");
            a.values[args[i][2..]] = args[++i];
        }
        return a;
    }
    public bool Has(string name) => values.ContainsKey(name);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
    public string Str(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
}
