using MicroT.Data;

namespace MicroT.DeviceGen;

/// <summary>
/// What tools/MicroT.MemoryProbe trains on the device to measure what two trained 10-class
/// tasks hold (tools/MicroT.MemoryProbe/Generated/ProbeFrames.cs): the first PerClass images of
/// each of the 10 classes, in file order, of the test split of Fashion-MNIST and of MNIST
/// (docs/DATA.md), interleaved by class, 28x28 Gray8. 2 x 10 x PerClass x 784 B of
/// array-initializer data (31,360 B), under NanoGate's 48 KiB per assembly.
/// </summary>
public static class ProbeData
{
    public const string RelativePath = "tools/MicroT.MemoryProbe/Generated/ProbeFrames.cs";
    public const int PerClass = 2;
    const int Classes = 10;

    public static GeneratedFile Generate()
    {
        string root = StandardDataSets.DefaultDataRoot();
        var sets = new[]
        {
            ("fashion", StandardDataSets.LoadFashionMnist(DataSplit.Test, root), StandardDataSets.FashionMnistClassNames),
            ("digits", StandardDataSets.LoadMnist(DataSplit.Test, root), StandardDataSets.MnistClassNames),
        };
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// The first " + PerClass + " test-split images of each class of Fashion-MNIST and MNIST, in file order,");
        w.Line("// interleaved by class (frame k of a task is class k % 10); 28x28 Gray8 (.data/, docs/DATA.md).");
        w.Open("namespace MicroT.MemoryProbe");
        w.Open("public static class ProbeFrames");
        w.Line("public const int TaskCount = " + sets.Length + ";");
        w.Line("public const int ClassCount = " + Classes + ";");
        w.Line("public const int FramesPerTask = " + Classes * PerClass + ";");
        w.Line("public const int Width = 28;");
        w.Line("public const int Height = 28;");
        w.Open("public static string TaskName(int task)");
        w.Line("return task == 0 ? \"" + sets[0].Item1 + "\" : \"" + sets[1].Item1 + "\";");
        w.Close();
        w.Open("public static string[] ClassNames(int task)");
        w.Line("if (task == 0) return new string[] { " + string.Join(", ", sets[0].Item3.Select(n => "\"" + n + "\"")) + " };");
        w.Line("return new string[] { " + string.Join(", ", sets[1].Item3.Select(n => "\"" + n + "\"")) + " };");
        w.Close();
        var frames = new List<byte[]>();
        foreach (var (_, set, _) in sets)
        {
            if (set.Width != 28 || set.Height != 28) throw new InvalidOperationException("expected 28x28 frames");
            var next = new int[Classes];
            for (int round = 0; round < PerClass; round++)
                for (int c = 0; c < Classes; c++)
                {
                    while (set.Labels[next[c]] != c) next[c]++;
                    frames.Add(set.Images[next[c]]);
                    next[c]++;
                }
        }
        w.Line("/// <summary>Frame i (0..FramesPerTask - 1) of a task, a fresh copy; its label is i % ClassCount.</summary>");
        w.Open("public static byte[] Frame(int task, int i)");
        w.Open("switch (task * FramesPerTask + i)");
        for (int i = 0; i < frames.Count; i++) w.Line($"case {i}: return F{i}();");
        w.Line("default: throw new System.ArgumentOutOfRangeException(\"i\");");
        w.Close();
        w.Close();
        for (int i = 0; i < frames.Count; i++) w.ArrayMethod("F" + i, frames[i]);
        w.Close();
        w.Close();
        return new GeneratedFile(RelativePath, w.ToString());
    }
}
