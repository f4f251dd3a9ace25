using System.Text;

namespace MicroT.Data;

/// <summary>
/// The rendered evaluation tasks of tools/training/datasets.py (docs/DATA.md), in
/// .data/tasks/NAME/: train.mtt and test.mtt (little-endian "MTT8", int32 version 1, width,
/// height, count, class count, then count int32 labels and count x width x height pixel bytes)
/// and classes.txt (UTF-8, one class name per line).
/// </summary>
public static class RenderedTask
{
    /// <summary>The tasks tools/fetch-data.sh --tasks renders.</summary>
    public static readonly string[] Names = ["emoji", "georgian", "armenian"];

    public static bool IsName(string name) => Array.IndexOf(Names, name) >= 0;

    public static LabeledImageSet Load(string name, DataSplit split, string dataRoot = null)
    {
        if (!IsName(name)) throw new ArgumentException($"'{name}' is not a rendered task ({string.Join(", ", Names)}).", nameof(name));
        string folder = Path.Combine(dataRoot ?? StandardDataSets.DefaultDataRoot(), "tasks", name);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Task folder '{folder}' does not exist; run `bash tools/fetch-data.sh --tasks`.");
        string classesFile = Path.Combine(folder, "classes.txt");
        if (!File.Exists(classesFile)) throw new FileNotFoundException($"'{classesFile}' is missing; run `bash tools/fetch-data.sh --tasks`.", classesFile);
        var classes = File.ReadAllLines(classesFile, Encoding.UTF8).Where(l => l.Length > 0).ToArray();
        if (split == DataSplit.All)
        {
            var a = Read(Path.Combine(folder, "train.mtt"), classes);
            var b = Read(Path.Combine(folder, "test.mtt"), classes);
            return new LabeledImageSet(a.Width, a.Height, a.Images.Concat(b.Images).ToArray(), a.Labels.Concat(b.Labels).ToArray(), classes);
        }
        return Read(Path.Combine(folder, split == DataSplit.Train ? "train.mtt" : "test.mtt"), classes);
    }

    static LabeledImageSet Read(string path, string[] classes)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' is missing; run `bash tools/fetch-data.sh --tasks`.", path);
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 24 || Encoding.ASCII.GetString(b, 0, 4) != "MTT8" || BitConverter.ToInt32(b, 4) != 1)
            throw new InvalidDataException($"{path} is not a version-1 MTT8 task file.");
        int w = BitConverter.ToInt32(b, 8), h = BitConverter.ToInt32(b, 12), n = BitConverter.ToInt32(b, 16), c = BitConverter.ToInt32(b, 20);
        if (w < 1 || h < 1 || w > ImageFolder.MaxSide || h > ImageFolder.MaxSide || n < 0 || 24L + 4L * n + (long)n * w * h != b.Length)
            throw new InvalidDataException($"{path}: header says {n} images of {w}x{h}, the file has {b.Length} bytes.");
        if (c != classes.Length)
            throw new InvalidDataException($"{path} has {c} classes, classes.txt names {classes.Length}.");
        var labels = new int[n];
        var images = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            labels[i] = BitConverter.ToInt32(b, 24 + 4 * i);
            if (labels[i] < 0 || labels[i] >= c) throw new InvalidDataException($"{path}: image {i} has label {labels[i]}, not in 0..{c - 1}.");
            images[i] = b.AsSpan(24 + 4 * n + i * w * h, w * h).ToArray();
        }
        return new LabeledImageSet(w, h, images, labels, classes);
    }
}
