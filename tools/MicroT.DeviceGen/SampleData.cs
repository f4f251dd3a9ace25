using MicroT.Data;
using MicroT.Runtime.Models;

namespace MicroT.DeviceGen;

/// <summary>
/// What the ESP32 sample embeds besides the zoo model (samples/MicroT.ZooModel, written by
/// ZooVectors): a handful of labelled 28x28 Gray8 frames for two tasks, taken in file order from
/// the test split of Fashion-MNIST and MNIST (docs/DATA.md), so no frame was seen by any training.
/// Each frame is its own method: the device copies one frame at a time onto the heap.
/// The frames live in an assembly of their own (samples/MicroT.Sample.Frames): the metadata
/// processor addresses array-initializer data with 16-bit offsets, so no assembly may carry
/// more than NanoGate's limit (60 frames x 784 B = 47,040 B here; the model's 32 KB are in
/// MicroT.ZooModel). More frames need another frames assembly.
/// </summary>
public static class SampleData
{
    public const string FramesPath = "samples/MicroT.Sample.Frames/Generated/SampleFrames.cs";
    public const int TrainPerClass = 6;
    public const int TestPerClass = 4;

    sealed record TaskSpec(string Name, string DataSet, int[] Classes);

    static readonly TaskSpec[] Tasks =
    [
        new("clothing", "fashion-mnist", [0, 1, 7]),   // T-shirt/top, Trouser, Sneaker
        new("digits", "mnist", [0, 1, 7]),
    ];

    public static IEnumerable<GeneratedFile> Generate()
    {
        yield return FramesFile();
    }

    static GeneratedFile FramesFile()
    {
        var frames = new List<byte[]>();
        var labels = new List<int>();
        var train = new List<int[]>();
        var test = new List<int[]>();
        string root = StandardDataSets.DefaultDataRoot();
        foreach (TaskSpec t in Tasks)
        {
            LabeledImageSet set = t.DataSet == "mnist"
                ? StandardDataSets.LoadMnist(DataSplit.Test, root)
                : StandardDataSets.LoadFashionMnist(DataSplit.Test, root);
            if (set.Width != 28 || set.Height != 28) throw new InvalidOperationException($"{t.DataSet}: expected 28x28 frames");
            var trainIdx = new List<int>();
            var testIdx = new List<int>();
            for (int c = 0; c < t.Classes.Length; c++)
            {
                int taken = 0;
                for (int i = 0; i < set.Count && taken < TrainPerClass + TestPerClass; i++)
                {
                    if (set.Labels[i] != t.Classes[c]) continue;
                    (taken < TrainPerClass ? trainIdx : testIdx).Add(frames.Count);
                    frames.Add(set.Images[i]);
                    labels.Add(c);
                    taken++;
                }
            }
            // Interleave classes so the order of training does not group a class.
            train.Add(Interleave(trainIdx, t.Classes.Length, TrainPerClass));
            test.Add(Interleave(testIdx, t.Classes.Length, TestPerClass));
        }

        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// Frames: the first " + (TrainPerClass + TestPerClass) + " images per class, in file order, of the test split of");
        w.Line("// Fashion-MNIST and MNIST (.data/, docs/DATA.md); " + TrainPerClass + " per class train, " + TestPerClass + " are held out.");
        w.Line("using MicroT.Runtime.Models;");
        w.Line();
        w.Open("namespace MicroT.Sample.Generated");
        w.Open("public static class SampleFrames");
        w.Line("public const int Width = 28;");
        w.Line("public const int Height = 28;");
        w.Line("public const FrameFormat Format = FrameFormat.Gray8;");
        w.Line($"public const int TaskCount = {Tasks.Length};");
        w.Line($"public const int FrameCount = {frames.Count};");
        w.Line();
        Switch(w, "string", "TaskName", "task", Tasks.Select(t => "\"" + t.Name + "\"").ToList());
        Switch(w, "string[]", "ClassNames", "task", Tasks.Select(t =>
        {
            string[] names = t.DataSet == "mnist" ? StandardDataSets.MnistClassNames : StandardDataSets.FashionMnistClassNames;
            return "new string[] { " + string.Join(", ", t.Classes.Select(c => "\"" + names[c] + "\"")) + " }";
        }).ToList());
        Switch(w, "int", "TrainCount", "task", train.Select(a => a.Length.ToString()).ToList());
        Switch(w, "int", "TestCount", "task", test.Select(a => a.Length.ToString()).ToList());
        w.Line("/// <summary>Frame index of the i-th training frame of a task.</summary>");
        w.Open("public static int TrainFrame(int task, int i)");
        w.Line("return Index(task == 0 ? TrainFrames0 : TrainFrames1, i);");
        w.Close();
        w.Line("/// <summary>Frame index of the i-th held-out frame of a task.</summary>");
        w.Open("public static int TestFrame(int task, int i)");
        w.Line("return Index(task == 0 ? TestFrames0 : TestFrames1, i);");
        w.Close();
        w.Open("static int Index(int[] frames, int i)");
        w.Line("if (i < 0 || i >= frames.Length) throw new System.ArgumentOutOfRangeException(\"i\");");
        w.Line("return frames[i];");
        w.Close();
        for (int t = 0; t < Tasks.Length; t++)
        {
            w.Line($"static readonly int[] TrainFrames{t} = {{ {string.Join(", ", train[t])} }};");
            w.Line($"static readonly int[] TestFrames{t} = {{ {string.Join(", ", test[t])} }};");
        }
        w.Line($"static readonly byte[] Labels = {{ {string.Join(", ", labels)} }};");
        w.Line("/// <summary>Class index (within its task) of a frame.</summary>");
        w.Open("public static int Label(int frame)");
        w.Line("return Labels[frame];");
        w.Close();
        w.Line("/// <summary>A fresh copy of one 28x28 Gray8 frame (only the frame asked for is put on the heap).</summary>");
        w.Open("public static byte[] Frame(int frame)");
        w.Open("switch (frame)");
        for (int i = 0; i < frames.Count; i++) w.Line($"case {i}: return F{i}();");
        w.Line("default: throw new System.ArgumentOutOfRangeException(\"frame\");");
        w.Close();
        w.Close();
        for (int i = 0; i < frames.Count; i++) w.ArrayMethod("F" + i, frames[i]);
        w.Close();
        w.Close();
        return new GeneratedFile(FramesPath, w.ToString());
    }

    /// <summary>Reorders [class0 x n, class1 x n, ...] to class0, class1, ..., class0, class1, ...</summary>
    static int[] Interleave(List<int> byClass, int classes, int perClass)
    {
        var r = new int[byClass.Count];
        int k = 0;
        for (int i = 0; i < perClass; i++)
            for (int c = 0; c < classes; c++) r[k++] = byClass[c * perClass + i];
        return r;
    }

    static void Switch(CSharpWriter w, string type, string name, string arg, List<string> values)
    {
        w.Open($"public static {type} {name}(int {arg})");
        w.Open($"switch ({arg})");
        for (int i = 0; i < values.Count; i++) w.Line($"case {i}: return {values[i]};");
        w.Line($"default: throw new System.ArgumentOutOfRangeException(\"{arg}\");");
        w.Close();
        w.Close();
    }
}
