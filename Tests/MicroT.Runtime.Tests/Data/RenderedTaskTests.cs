using System.Text;
using MicroT.Data;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

/// <summary>The MTT8 task files of tools/training/datasets.py, written here byte by byte.</summary>
public sealed class RenderedTaskTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("microt-tasks-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Folder => Path.Combine(root, "tasks", "emoji");

    void Write(string split, int[] labels, int classes, int side = 2, int? count = null)
    {
        Directory.CreateDirectory(Folder);
        using var f = new BinaryWriter(File.Create(Path.Combine(Folder, split + ".mtt")));
        f.Write(Encoding.ASCII.GetBytes("MTT8"));
        foreach (var v in new[] { 1, side, side, count ?? labels.Length, classes }) f.Write(v);
        foreach (var l in labels) f.Write(l);
        for (int i = 0; i < labels.Length; i++) f.Write(Enumerable.Repeat((byte)(10 * i + 1), side * side).ToArray());
    }

    [Fact]
    public void LoadsImagesLabelsAndClassNames()
    {
        Write("train", [0, 1, 1], 2);
        Write("test", [1, 0], 2);
        File.WriteAllText(Path.Combine(Folder, "classes.txt"), "grinning-face\nU+10D0 ა\n", Encoding.UTF8);
        var train = RenderedTask.Load("emoji", DataSplit.Train, root);
        Assert.Equal(new[] { 0, 1, 1 }, train.Labels);
        Assert.Equal(new byte[] { 21, 21, 21, 21 }, train.Images[2]);
        Assert.Equal(new[] { "grinning-face", "U+10D0 ა" }, train.ClassNames);
        Assert.Equal(5, RenderedTask.Load("emoji", DataSplit.All, root).Count);
        Assert.Equal(new[] { 1, 0 }, RenderedTask.Load("emoji", DataSplit.Test, root).Labels);
    }

    [Fact]
    public void BadFilesNameTheFileAndWhatIsWrong()
    {
        Write("train", [0, 2], 2);
        File.WriteAllText(Path.Combine(Folder, "classes.txt"), "a\nb\n");
        var e = Assert.Throws<InvalidDataException>(() => RenderedTask.Load("emoji", DataSplit.Train, root));
        Assert.Contains("label 2", e.Message);
        Write("train", [0, 1], 2, count: 3);
        e = Assert.Throws<InvalidDataException>(() => RenderedTask.Load("emoji", DataSplit.Train, root));
        Assert.Contains("train.mtt", e.Message);
        Write("train", [0, 1], 3);
        e = Assert.Throws<InvalidDataException>(() => RenderedTask.Load("emoji", DataSplit.Train, root));
        Assert.Contains("3 classes", e.Message);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => RenderedTask.Load("georgian", DataSplit.Train, root));
        Assert.Contains("fetch-data.sh --tasks", missing.Message);
    }
}
