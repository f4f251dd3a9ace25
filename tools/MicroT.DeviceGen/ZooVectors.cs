using System.Globalization;
using MicroT.Data;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;

namespace MicroT.DeviceGen;

/// <summary>
/// What users run, as golden results of the host build for the device tests
/// (Tests/MicroT.Runtime.DeviceTests/Zoo: a device test program of its own): the default zoo model
/// (zoo/microt-s3.mtm, its real bytes), real Fashion-MNIST frames (test split, file order,
/// so no frame was seen in training), their part and full features, a task trained on them with
/// each head kind (logistic and ridge) through TaskTrainer as the sample does, the task's
/// serialized bytes and the staged answer (label, stage, confidence) for each held-out frame.
/// <para>
/// The model file goes into an assembly of its own (samples/MicroT.ZooModel, 32 KB of
/// array-initializer data under NanoGate's 48 KiB limit, shared with the sample and the package
/// consumer) as chunks of at most 8 KB, which <c>ZooSource</c> hands to Model.Load one at a time.
/// </para>
/// </summary>
public static class ZooVectors
{
    public const string ModelPath = "samples/MicroT.ZooModel/Generated/ZooModel.cs";
    public const string VectorsPath = "Tests/MicroT.Runtime.DeviceTests/Zoo/Generated/ZooVectors.cs";
    public const string ZooFile = "zoo/microt-s3.mtm";
    const int ChunkSize = 8192;
    /// <summary>L-BFGS history pairs of the logistic task: one, so that the zoo device tests pass at a plain ESP32's
    /// 100k (the solver state is (2 History + 3) x classes x (features + 1) floats; the default 6 needs 12 KB more).</summary>
    const int LogisticHistory = 1;
    const int TrainPerClass = 4;
    const int TestPerClass = 2;
    static readonly int[] Classes = [0, 1, 8]; // T-shirt/top, Trouser, Bag

    public const string ConsumerDataPath = "samples/MicroT.PackageConsumer/Generated/ConsumerData.cs";
    public const string ConsumerExpectedPath = "samples/MicroT.PackageConsumer/expected-output.txt";

    public static IEnumerable<GeneratedFile> Generate(string repoRoot)
    {
        byte[] file = File.ReadAllBytes(Path.Combine(repoRoot, ZooFile));
        var files = new List<GeneratedFile> { ModelFile(file) };
        files.Add(VectorsFile(file, out byte[] taskBytes, out byte[] frame));
        files.AddRange(ConsumerFiles(file, taskBytes, frame));
        return files;
    }

    /// <summary>
    /// The package consumer (samples/MicroT.PackageConsumer, built against the .nupkg by the test
    /// command): the zoo model, one held-out frame and the logistic task trained above, and the
    /// lines its Program.cs must print, computed here with the host build of the runtime.
    /// </summary>
    static IEnumerable<GeneratedFile> ConsumerFiles(byte[] file, byte[] taskBytes, byte[] frame)
    {
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// What the package consumer embeds: " + ZooFile + " (the default model), the first held-out frame of the");
        w.Line("// zoo device tests (Fashion-MNIST test split) and the logistic task they train, saved with TaskSerializer.");
        w.Open("namespace MicroT.PackageConsumer.Generated");
        w.Open("public static class ConsumerData");
        w.ArrayMethod("TaskBytes", taskBytes, "A task saved with TaskSerializer.ToBytes (on a board: read from flash).");
        w.ArrayMethod("Frame", frame, "A 28x28 Gray8 frame (on a board: the camera's buffer).");
        w.Close();
        w.Close();
        yield return new GeneratedFile(ConsumerDataPath, w.ToString());

        Model model = Model.Load(file);
        var staged = new StagedClassifier(new Interpreter(model));
        ClassifierTask task = TaskSerializer.FromBytes(taskBytes);
        var result = new StagedResult();
        staged.Classify(frame, FrameFormat.Gray8, 28, 28, task, result);
        string expected =
            "model '" + model.Name + "', task '" + task.Name + "'\n" +
            "answer: " + result.ClassName + " (label " + result.Label + ", " + (result.Stage == Stage.Part ? "part" : "full") +
            " model, confidence " + result.Confidence.ToString("F4", CultureInfo.InvariantCulture) + ")\n";
        yield return new GeneratedFile(ConsumerExpectedPath, expected);
    }

    /// <summary>
    /// The one embedded copy of the zoo model's bytes (samples/MicroT.ZooModel): an assembly of
    /// its own on the device (the sample and the zoo device tests reference it), compiled from
    /// source into the host builds and into the package consumer (which takes MicroT.Runtime
    /// only from the package).
    /// </summary>
    static GeneratedFile ModelFile(byte[] file)
    {
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// " + ZooFile + ", byte for byte, in chunks of at most " + ChunkSize + " bytes.");
        w.Open("namespace MicroT.ZooModel");
        w.Line("/// <summary>The default zoo model's file, " + ZooFile + " (" + file.Length + " bytes), as array-initializer chunks.</summary>");
        w.Open("public static class ZooModelFile");
        w.Line("/// <summary>Bytes of the file.</summary>");
        w.Line($"public const int Length = {file.Length};");
        w.Line("/// <summary>Bytes of every chunk but the last.</summary>");
        w.Line($"public const int ChunkSize = {ChunkSize};");
        w.Line("/// <summary>The whole file in a fresh array (the chunks are copied in one at a time): for tests; to load, use ZooSource.</summary>");
        w.Open("public static byte[] Bytes()");
        w.Line("var file = new byte[Length];");
        int chunks = (file.Length + ChunkSize - 1) / ChunkSize;
        for (int c = 0; c < chunks; c++)
            w.Line($"Put(Chunk{c}(), file, {c * ChunkSize});");
        w.Line("return file;");
        w.Close();
        w.Open("static void Put(byte[] chunk, byte[] file, int at)");
        w.Line("System.Array.Copy(chunk, 0, file, at, chunk.Length);");
        w.Close();
        w.Line("/// <summary>Chunk i of the file (a fresh copy from flash at each call).</summary>");
        w.Open("public static byte[] Chunk(int i)");
        w.Open("switch (i)");
        for (int c = 0; c < chunks; c++) w.Line($"case {c}: return Chunk{c}();");
        w.Line("default: throw new System.ArgumentOutOfRangeException(\"i\");");
        w.Close();
        w.Close();
        for (int c = 0; c < chunks; c++)
            w.ArrayMethod("Chunk" + c, file.Skip(c * ChunkSize).Take(ChunkSize).ToArray());
        w.Close();
        w.Line("/// <summary>The file as a ChunkedSource for Model.Load: one chunk in RAM at a time, never the whole file.</summary>");
        w.Open("public sealed class ZooSource : MicroT.Runtime.Models.ChunkedSource");
        w.Line("/// <summary>The zoo model's chunks.</summary>");
        w.Line("public ZooSource() : base(ZooModelFile.Length, ZooModelFile.ChunkSize) { }");
        w.Line("/// <summary>Chunk index of the file.</summary>");
        w.Open("protected override byte[] GetChunk(int index)");
        w.Line("return ZooModelFile.Chunk(index);");
        w.Close();
        w.Close();
        w.Close();
        return new GeneratedFile(ModelPath, w.ToString());
    }

    static GeneratedFile VectorsFile(byte[] file, out byte[] logisticTask, out byte[] firstTestFrame)
    {
        logisticTask = null;
        LabeledImageSet set = StandardDataSets.LoadFashionMnist(DataSplit.Test, StandardDataSets.DefaultDataRoot());
        var frames = new List<byte[]>();
        var labels = new List<int>();
        var train = new List<int>();
        var test = new List<int>();
        // Interleaved by class: frame k is class k % classes.
        var taken = new int[Classes.Length];
        var next = new int[Classes.Length];
        for (int round = 0; round < TrainPerClass + TestPerClass; round++)
            for (int c = 0; c < Classes.Length; c++)
            {
                while (set.Labels[next[c]] != Classes[c]) next[c]++;
                (taken[c] < TrainPerClass ? train : test).Add(frames.Count);
                frames.Add(set.Images[next[c]]);
                labels.Add(c);
                taken[c]++;
                next[c]++;
            }

        firstTestFrame = frames[test[0]];
        Model model = Model.Load(file);
        var it = new Interpreter(model);
        var part = new List<sbyte[]>();
        var full = new List<sbyte[]>();
        foreach (byte[] f in frames)
        {
            it.SetInput(f, FrameFormat.Gray8, 28, 28);
            it.RunPart();
            var p = new sbyte[model.PartFeatureLength];
            it.CopyPartFeatures(p, 0);
            it.RunRest();
            var q = new sbyte[model.FullFeatureLength];
            it.CopyFullFeatures(q, 0);
            part.Add(p);
            full.Add(q);
        }

        string[] classNames = Classes.Select(c => StandardDataSets.FashionMnistClassNames[c]).ToArray();
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// Golden results of the host build for the zoo model (" + ZooFile + ") on real frames: the first");
        w.Line("// " + (TrainPerClass + TestPerClass) + " Fashion-MNIST test-split images of each class below, in file order (.data/, docs/DATA.md);");
        w.Line("// " + TrainPerClass + " per class train, " + TestPerClass + " are held out.");
        w.Line("using MicroT.Runtime.Classifier;");
        w.Line();
        w.Open("namespace MicroT.Runtime.DeviceTests.Generated");
        w.Open("public static class ZooVectors");
        w.Line($"public const string Name = \"{model.Name}\";");
        w.Line($"public const int InputHeight = {model.InputHeight};");
        w.Line($"public const int InputWidth = {model.InputWidth};");
        w.Line($"public const int InputChannels = {model.InputChannels};");
        w.Line($"public const int SplitIndex = {model.SplitIndex};");
        w.Line($"public const int PartFeatureLength = {model.PartFeatureLength};");
        w.Line($"public const int FullFeatureLength = {model.FullFeatureLength};");
        w.Line($"public const long PartMacs = {model.PartMacs};");
        w.Line($"public const long FullMacs = {model.FullMacs};");
        w.Line($"public const int ArenaSize = {model.ArenaSize};");
        w.Line($"public const int WeightBytes = {model.Weights.Length};");
        w.Line("public const int FrameWidth = 28;");
        w.Line("public const int FrameHeight = 28;");
        w.Line($"public const int FrameCount = {frames.Count};");
        w.Line("public static string[] ClassNames() { return new string[] { " + string.Join(", ", classNames.Select(n => "\"" + n + "\"")) + " }; }");
        w.Line("public static int[] TrainFrames() { return new int[] { " + string.Join(", ", train) + " }; }");
        w.Line("public static int[] TestFrames() { return new int[] { " + string.Join(", ", test) + " }; }");
        w.Line("public static int[] Labels() { return new int[] { " + string.Join(", ", labels) + " }; }");

        Switch(w, "byte[]", "Frame", frames.Count, i => "F" + i + "()");
        Switch(w, "sbyte[]", "PartFeatures", frames.Count, i => "P" + i + "()");
        Switch(w, "sbyte[]", "FullFeatures", frames.Count, i => "Q" + i + "()");

        foreach (HeadKind kind in new[] { HeadKind.Logistic, HeadKind.Ridge })
        {
            var staged = new StagedClassifier(new Interpreter(model));
            SampleStore ps = staged.NewPartStore(Classes.Length, train.Count);
            SampleStore fs = staged.NewFullStore(Classes.Length, train.Count);
            foreach (int i in train)
                staged.AddSample(frames[i], FrameFormat.Gray8, 28, 28, labels[i], ps, fs);
            ClassifierTask task = TaskTrainer.Train("fmnist-" + kind.ToString().ToLowerInvariant(), classNames, ps, fs, Options(kind));
            byte[] bytes = TaskSerializer.ToBytes(task);
            if (kind == HeadKind.Logistic) logisticTask = bytes;
            var result = new StagedResult();
            var answers = new List<string>();
            foreach (int i in test)
            {
                staged.Classify(frames[i], FrameFormat.Gray8, 28, 28, task, result);
                answers.Add($"new ZooAnswer({result.Label}, Stage.{result.Stage}, {CSharpWriter.Literal(result.Confidence)}, " +
                            $"{CSharpWriter.Literal(result.PartConfidence)}, {result.Macs})");
            }
            string k = kind.ToString();
            w.Line($"/// <summary>Task trained with {k} heads (TaskTrainer, options below): name, threshold and its TaskSerializer bytes.</summary>");
            w.Line($"public const string {k}TaskName = \"{task.Name}\";");
            w.Line($"public const float {k}Threshold = {CSharpWriter.Literal(task.Threshold)};");
            w.ArrayMethod(k + "TaskBytes", bytes);
            w.Line($"/// <summary>Staged answers of the {k} task for TestFrames(), in order.</summary>");
            w.Open($"public static ZooAnswer[] {k}Answers()");
            w.Line("return new ZooAnswer[]");
            w.Line("{");
            foreach (string a in answers) w.Line("    " + a + ",");
            w.Line("};");
            w.Close();
        }
        w.Line("/// <summary>The training options: the ridge task the default training (as the sample); the logistic task");
        w.Line("/// logistic heads, 3 folds and an L-BFGS history of " + LogisticHistory + " pair(s) (solver state (2 x " + LogisticHistory + " + 3) x classes x");
        w.Line("/// (features + 1) floats, " + SolverBytes(LogisticHistory, model) + " B for the full head instead of " + SolverBytes(6, model) + " B with the default 6).</summary>");
        w.Open("public static TaskTrainingOptions Options(HeadKind kind)");
        w.Line("var options = new TaskTrainingOptions();");
        w.Open("if (kind == HeadKind.Logistic)");
        w.Line("options.Folds = 3;");
        w.Line("options.Part.Kind = kind;");
        w.Line("options.Full.Kind = kind;");
        w.Line("options.Part.History = " + LogisticHistory + ";");
        w.Line("options.Full.History = " + LogisticHistory + ";");
        w.Close();
        w.Line("return options;");
        w.Close();

        for (int i = 0; i < frames.Count; i++) w.ArrayMethod("F" + i, frames[i]);
        for (int i = 0; i < frames.Count; i++) w.ArrayMethod("P" + i, part[i]);
        for (int i = 0; i < frames.Count; i++) w.ArrayMethod("Q" + i, full[i]);
        w.Close();

        w.Line("/// <summary>One expected staged answer.</summary>");
        w.Open("public sealed class ZooAnswer");
        w.Line("public readonly int Label;");
        w.Line("public readonly Stage Stage;");
        w.Line("public readonly float Confidence;");
        w.Line("public readonly float PartConfidence;");
        w.Line("public readonly long Macs;");
        w.Open("public ZooAnswer(int label, Stage stage, float confidence, float partConfidence, long macs)");
        w.Line("Label = label;");
        w.Line("Stage = stage;");
        w.Line("Confidence = confidence;");
        w.Line("PartConfidence = partConfidence;");
        w.Line("Macs = macs;");
        w.Close();
        w.Close();
        w.Close();
        return new GeneratedFile(VectorsPath, w.ToString());
    }

    /// <summary>The logistic solver state of the full head: (2 history + 3) x classes x (features + 1) floats, in bytes.</summary>
    static string SolverBytes(int history, Model model) =>
        ((2 * history + 3) * Classes.Length * (model.FullFeatureLength + 1) * 4).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The same options the generated Options(kind) builds on the device.</summary>
    static TaskTrainingOptions Options(HeadKind kind)
    {
        var options = new TaskTrainingOptions();
        if (kind == HeadKind.Logistic)
        {
            options.Folds = 3;
            options.Part.Kind = kind;
            options.Full.Kind = kind;
            options.Part.History = LogisticHistory;
            options.Full.History = LogisticHistory;
        }
        return options;
    }

    static void Switch(CSharpWriter w, string type, string name, int count, Func<int, string> value)
    {
        w.Open($"public static {type} {name}(int i)");
        w.Open("switch (i)");
        for (int i = 0; i < count; i++) w.Line($"case {i}: return {value(i)};");
        w.Line("default: throw new System.ArgumentOutOfRangeException(\"i\");");
        w.Close();
        w.Close();
    }
}
