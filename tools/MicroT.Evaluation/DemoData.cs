using System.IO.Compression;
using System.Text;
using MicroT.Data;

namespace MicroT.Evaluation;

/// <summary>
/// The small subset of Fashion-MNIST and MNIST committed with this tool (DemoData/*.mtd.gz),
/// so `microt demo` runs on a fresh clone without fetching anything. Made from the fetched data
/// sets by <see cref="Make"/> (`microt demo --make-data DIR`): per class the first
/// <c>poolPerClass</c> images of the train split (the pool training shots are drawn from) and
/// the first <c>heldOutPerClass</c> of the test split (scored). The split is MicroT.Data's.
/// File: gzip of "MTDD", int32 version 1, int32 width, height, class count, the class names
/// (length-prefixed UTF-8), then two sets (pool, held-out): int32 count, count label bytes,
/// count x width x height pixel bytes.
/// </summary>
public static class DemoData
{
    public const int Version = 1;
    public const int DefaultPoolPerClass = 30;
    public const int DefaultHeldOutPerClass = 100;
    static readonly byte[] Magic = "MTDD"u8.ToArray();

    /// <summary>Names of the bundled data sets.</summary>
    public static readonly string[] Names = ["fashion-mnist", "mnist"];

    /// <summary>The folder the bundled files are read from: next to this assembly (copied there by the build).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "DemoData");

    public static string FileOf(string folder, string name) => Path.Combine(folder, name + ".mtd.gz");

    /// <summary>Reads a bundled data set: (pool, held-out).</summary>
    public static (LabeledImageSet Pool, LabeledImageSet HeldOut) Load(string name, string folder = null)
    {
        if (Array.IndexOf(Names, name) < 0)
            throw new EvaluationException($"There is no bundled demo data set '{name}'; there are: {string.Join(", ", Names)}.");
        string file = FileOf(folder ?? Folder, name);
        if (!File.Exists(file))
            throw new EvaluationException($"The bundled demo data {file} is missing (build tools/MicroT.Evaluation, or remake it with `microt demo --make-data`).");
        return Read(file);
    }

    public static (LabeledImageSet Pool, LabeledImageSet HeldOut) Read(string file)
    {
        try
        {
            using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var r = new BinaryReader(gz, Encoding.UTF8);
            if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic) || r.ReadInt32() != Version)
                throw new InvalidDataException($"{file} is not a version {Version} demo data file.");
            int width = r.ReadInt32(), height = r.ReadInt32(), classes = r.ReadInt32();
            if (width < 1 || height < 1 || width > 1024 || height > 1024 || classes < 2 || classes > 255)
                throw new InvalidDataException($"{file}: bad header ({width}x{height}, {classes} classes).");
            var names = new string[classes];
            for (int c = 0; c < classes; c++) names[c] = r.ReadString();
            return (ReadSet(r, width, height, names, file), ReadSet(r, width, height, names, file));
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException)
        {
            throw new EvaluationException($"The demo data file {file} is damaged: {e.Message}", e);
        }
    }

    static LabeledImageSet ReadSet(BinaryReader r, int width, int height, string[] names, string file)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"{file}: bad image count {count}.");
        var labels = new int[count];
        var bytes = r.ReadBytes(count);
        if (bytes.Length != count) throw new EndOfStreamException($"{file} ends inside the labels.");
        for (int i = 0; i < count; i++) labels[i] = bytes[i];
        var images = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            images[i] = r.ReadBytes(width * height);
            if (images[i].Length != width * height) throw new EndOfStreamException($"{file} ends inside image {i}.");
        }
        return new LabeledImageSet(width, height, images, labels, names);
    }

    public static void Write(string file, LabeledImageSet pool, LabeledImageSet heldOut)
    {
        if (pool.Width != heldOut.Width || pool.Height != heldOut.Height || !pool.ClassNames.SequenceEqual(heldOut.ClassNames))
            throw new ArgumentException("Pool and held-out set must have the same size and classes.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        using var gz = new GZipStream(File.Create(file), CompressionLevel.SmallestSize);
        using var w = new BinaryWriter(gz, Encoding.UTF8);
        w.Write(Magic);
        w.Write(Version);
        w.Write(pool.Width);
        w.Write(pool.Height);
        w.Write(pool.ClassCount);
        foreach (var n in pool.ClassNames) w.Write(n);
        foreach (var set in new[] { pool, heldOut })
        {
            w.Write(set.Count);
            foreach (int l in set.Labels) w.Write((byte)l);
            foreach (var img in set.Images) w.Write(img);
        }
    }

    /// <summary>Makes both bundled files in <paramref name="folder"/> from the fetched data sets.</summary>
    public static string[] Make(string folder, int poolPerClass = DefaultPoolPerClass, int heldOutPerClass = DefaultHeldOutPerClass, string dataRoot = null)
    {
        var written = new List<string>();
        foreach (var name in Names)
        {
            var train = name == "mnist" ? StandardDataSets.LoadMnist(DataSplit.Train, dataRoot) : StandardDataSets.LoadFashionMnist(DataSplit.Train, dataRoot);
            var test = name == "mnist" ? StandardDataSets.LoadMnist(DataSplit.Test, dataRoot) : StandardDataSets.LoadFashionMnist(DataSplit.Test, dataRoot);
            string file = FileOf(folder, name);
            Write(file, TaskLoader.Cap(train, poolPerClass), TaskLoader.Cap(test, heldOutPerClass));
            written.Add(file);
        }
        return written.ToArray();
    }
}
