using MicroT.Converter;
using MicroT.Runtime.Models;
using Spectre.Console;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>The `microt` command in-process: exit codes, messages (no stack traces), the files it writes.</summary>
public class CliTests
{
    static (int code, string output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        int code = MicroT.Cli.Program.Run(args, console);
        return (code, writer.ToString());
    }

    static string Temp(string name) => Path.Combine(Path.GetTempPath(), "microt-cli-" + Environment.ProcessId + "-" + name);

    [Fact]
    public void ConvertWritesAModelTheRuntimeLoadsAndInspectReadsIt()
    {
        var onnx = Temp("mobilenet.onnx");
        var mtm = Temp("mobilenet.mtm");
        File.WriteAllBytes(onnx, TestModels.MobileNetStyle());
        var (code, output) = Run("convert", onnx, "--calibration", "random", "--calibration-count", "8", "--split", "block2_add", "-o", mtm, "--per-layer");
        Assert.True(code == 0, output);
        Assert.Contains("per layer: float (ONNX Runtime) vs int8", output);
        Assert.Contains("(part feature pool)", output);
        Assert.Contains("split after block2_add", output);
        Assert.Contains("float (ONNX Runtime) vs int8 (MicroT runtime)", output);
        var model = Model.Load(File.ReadAllBytes(mtm));
        Assert.Equal(32, model.InputHeight);
        Assert.Equal(24, model.FullFeatureLength);
        Assert.Equal(12, model.PartFeatureLength);
        Assert.Equal(OperatorKind.GlobalAveragePool, model.Operators[model.SplitIndex - 1].Kind);
        Assert.True(model.PartMacs < model.FullMacs);

        (code, output) = Run("inspect", mtm);
        Assert.True(code == 0, output);
        Assert.Contains("DepthwiseConv2D", output);
        Assert.Contains("part", output);
        Assert.Contains(model.FullMacs.ToString("N0"), output);

        (code, output) = Run("inspect", mtm, "--json");
        Assert.True(code == 0, output);
        Assert.Contains("\"partShareOfMacs\"", output);
        var info = ModelInfo.FromJson(output);
        Assert.Equal(model.OperatorCount, info.Layers.Count);
        Assert.Equal(model.PartMacs, info.Part.Macs);
        Assert.Equal(model.FullMacs, info.Full.Macs);
        Assert.Equal(model.ArenaSize, info.ArenaBytes);
    }

    [Fact]
    public void CalibrationFromAFolderOfPngAndJpegImages()
    {
        var dir = Temp("images");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        var rng = new Random(4);
        for (int i = 0; i < 6; i++)
        {
            // 40x30 RGB images (decoded, grayed and stretched to the 32x32 model input).
            using var bmp = new SkiaSharp.SKBitmap(40, 30);
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < 40; x++)
                    bmp.SetPixel(x, y, new SkiaSharp.SKColor((byte)rng.Next(256), (byte)(x * 6), (byte)(y * 8)));
            using var data = bmp.Encode(i % 2 == 0 ? SkiaSharp.SKEncodedImageFormat.Png : SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(Path.Combine(i < 3 ? dir : Path.Combine(dir, "sub"), $"img{i}" + (i % 2 == 0 ? ".png" : ".jpg")), data.ToArray());
        }
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
        var frames = CalibrationInputs.LoadFrames(dir, 32, 32, 1, 100);
        Assert.Equal(6, frames.Count);
        Assert.All(frames, f => Assert.Equal(32 * 32, f.Length));
        Assert.True(frames[0].Distinct().Count() > 10);

        var onnx = Temp("folder.onnx");
        File.WriteAllBytes(onnx, TestModels.MobileNetStyle());
        var (code, output) = Run("convert", onnx, "--calibration", dir, "-o", Temp("folder.mtm"));
        Assert.True(code == 0, output);
        Assert.Contains("verification on 6 calibration frames", output);

        var empty = Temp("empty-images");
        Directory.CreateDirectory(empty);
        (code, output) = Run("convert", onnx, "--calibration", empty, "-o", Temp("folder2.mtm"));
        Assert.Equal(1, code);
        Assert.Contains("holds no PNG/JPEG images", output);
    }

    [Fact]
    public void UnsupportedModelFailsWithTheNodeAndNoStackTrace()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var t = b.Node("Sigmoid", new[] { b.Conv(b.Input, 4) }, new[] { 1, 4, 8, 8 }, "the_sigmoid").Output[0];
        var onnx = Temp("sigmoid.onnx");
        File.WriteAllBytes(onnx, b.Build(b.GlobalAveragePool(t)));
        var (code, output) = Run("convert", onnx, "--calibration", "random", "-o", Temp("sigmoid.mtm"));
        Assert.Equal(1, code);
        Assert.Contains("node 'the_sigmoid' (op Sigmoid)", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(Temp("sigmoid.mtm")));
    }

    [Fact]
    public void MissingFilesAndBadFlagsAreClearErrors()
    {
        var (code, output) = Run("convert", Temp("nope.onnx"), "--calibration", "random");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", output);

        (code, output) = Run("convert", Temp("nope.onnx"), "--calibration", "random", "--calibration-count", "many");
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", output);

        var onnx = Temp("small.onnx");
        var b = new OnnxModelBuilder(1, 8, 8);
        File.WriteAllBytes(onnx, b.Build(b.GlobalAveragePool(b.Relu(b.Conv(b.Relu(b.Conv(b.Input, 4)), 4)))));
        (code, output) = Run("convert", onnx, "--calibration", "random", "--range", "median");
        Assert.Equal(1, code);
        Assert.Contains("--range 'median' is unknown", output);

        var garbage = Temp("garbage.mtm");
        File.WriteAllBytes(garbage, new byte[200]);
        (code, output) = Run("inspect", garbage);
        Assert.Equal(1, code);
        Assert.Contains("magic", output);
    }

    static string SmallOnnx(string name)
    {
        var onnx = Temp(name);
        var b = new OnnxModelBuilder(1, 8, 8);
        File.WriteAllBytes(onnx, b.Build(b.GlobalAveragePool(b.Relu(b.Conv(b.Relu(b.Conv(b.Input, 4)), 4)))));
        return onnx;
    }

    [Theory]
    [InlineData("demo", "--bogus")]
    [InlineData("eval", "--task", "demo:mnist", "--bogus", "1")]
    [InlineData("inspect", "model.mtm", "--bogus")]
    [InlineData("convert", "model.onnx", "--calibration", "random", "--bogus")]
    [InlineData("convert", "model.onnx", "--bogus=3")]
    public void UnknownOptionsAreUsageErrorsInEveryCommand(params string[] args)
    {
        var (code, output) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains($"usage error: unknown option '--bogus' for 'microt {args[0]}'", output);
        Assert.Contains($"microt {args[0]} --help", output);
        Assert.DoesNotContain("model ", output); // nothing ran
    }

    [Fact]
    public void MisspelledOptionsAreNamedWithTheClosestOne()
    {
        var (code, output) = Run("eval", "--sead", "5");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--sead' for 'microt eval'. Did you mean '--seed'?", output);
        (code, output) = Run("inspect", "--jsn", "x.mtm");
        Assert.Equal(2, code);
        Assert.Contains("Did you mean '--json'?", output);
        (code, output) = Run("--verison");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--verison'", output);
        (code, output) = Run("evaluate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'evaluate'. Commands: convert, inspect, demo, eval.", output);
    }

    [Fact]
    public void BadValuesNameTheirOption()
    {
        var (code, output) = Run("eval", "--shots", "abc");
        Assert.Equal(2, code);
        Assert.Contains("option '--shots' needs a whole number, not 'abc'", output);
        (code, output) = Run("convert", "m.onnx", "--min-cosine", "high");
        Assert.Equal(2, code);
        Assert.Contains("option '--min-cosine' needs a number (e.g. 0.5), not 'high'", output);
        (code, output) = Run("eval", "--seed");
        Assert.Equal(2, code);
        Assert.Contains("option '--seed' needs a value", output);
        (code, output) = Run("eval", "--seed", "1", "--seed", "2");
        Assert.Equal(2, code);
        Assert.Contains("option '--seed' is given twice", output);
        (code, output) = Run("inspect");
        Assert.Equal(2, code);
        Assert.Contains("'microt inspect' needs the argument <model.mtm>", output);
        (code, output) = Run("inspect", "a.mtm", "b.mtm");
        Assert.Equal(2, code);
        Assert.Contains("unexpected argument 'b.mtm'", output);
    }

    [Theory]
    [InlineData("convert", "[1,C,H,W]", "--force")]
    [InlineData("inspect", "<model.mtm>", "--json")]
    [InlineData("demo", "--make-data <DIR>", "--seed <SEED>")]
    [InlineData("eval", "-k, --shots <K>", "--held-out <N>")]
    public void EveryCommandHasHelp(string command, string text1, string text2)
    {
        var (code, output) = Run(command, "--help");
        Assert.True(code == 0, output);
        Assert.Contains($"Usage: microt {command}", output);
        Assert.Contains(text1, output);
        Assert.Contains(text2, output);
        Assert.Equal(output, Run(command, "-h").output);
    }

    [Fact]
    public void VersionAndGeneralHelp()
    {
        var (code, output) = Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("microt 0.1.0", output.Trim());
        (code, output) = Run();
        Assert.Equal(0, code);
        Assert.Contains("Commands:", output);
        Assert.Contains("--version", output);
    }

    [Fact]
    public void OutputsAreCheckedBeforeTheRun()
    {
        var (code, output) = Run("eval", "--task", "demo:mnist", "-o", "/proc/nope");
        Assert.Equal(1, code);
        Assert.Contains("error: cannot write '/proc/nope'", output);
        Assert.DoesNotContain("model", output);
        (code, output) = Run("demo", "-o", "/proc/nope");
        Assert.Equal(1, code);
        Assert.Contains("error: cannot write '/proc/nope'", output);
        var onnx = SmallOnnx("outputs.onnx");
        (code, output) = Run("convert", onnx, "--calibration", "random", "-o", "/proc/nope/x.mtm");
        Assert.Equal(1, code);
        Assert.Contains("error: cannot write '/proc/nope/x.mtm'", output);
        Assert.DoesNotContain("calibrating", output);
        (code, output) = Run("convert", onnx, "--calibration", "random", "-o", Path.GetTempPath());
        Assert.Equal(1, code);
        Assert.Contains("is a folder; give a file name", output);
    }

    [Fact]
    public void InspectOfAFolderSaysItIsAFolder()
    {
        var (code, output) = Run("inspect", Path.GetTempPath());
        Assert.Equal(1, code);
        Assert.Contains("is a folder; give a .mtm model file", output);
    }

    [Fact]
    public void ConvertNeverOverwritesAFileUnlessForced()
    {
        var onnx = SmallOnnx("force.onnx");
        var mtm = Path.ChangeExtension(onnx, ".mtm"); // the default output
        File.Delete(mtm);
        var (code, output) = Run("convert", onnx, "--calibration", "random", "--calibration-count", "4");
        Assert.True(code == 0, output);
        Assert.Contains($"wrote {mtm} (", output);
        var first = File.ReadAllBytes(mtm);
        File.WriteAllBytes(mtm, new byte[] { 1, 2, 3 });
        (code, output) = Run("convert", onnx, "--calibration", "random", "--calibration-count", "4");
        Assert.Equal(1, code);
        Assert.Contains($"'{mtm}' already exists; nothing was changed", output);
        Assert.Contains("--force", output);
        Assert.DoesNotContain("calibrating", output);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(mtm));
        (code, output) = Run("convert", onnx, "--calibration", "random", "--calibration-count", "4", "--force");
        Assert.True(code == 0, output);
        Assert.Contains($"overwrote {mtm} (", output);
        Assert.Equal(first, File.ReadAllBytes(mtm));
    }

    [Fact]
    public void ConvertPrintsOneFullMacTotalAndPlainProgressLines()
    {
        var onnx = Temp("macs.onnx");
        File.WriteAllBytes(onnx, TestModels.MobileNetStyle());
        var mtm = Temp("macs.mtm");
        File.Delete(mtm);
        var (code, output) = Run("convert", onnx, "--calibration", "random", "--calibration-count", "8", "-o", mtm);
        Assert.True(code == 0, output);
        var model = Model.Load(File.ReadAllBytes(mtm));
        var layers = OnnxImporter.Import(File.ReadAllBytes(onnx), "m").TotalMacs;
        Assert.NotEqual(layers, model.FullMacs);
        Assert.Contains($"of full {model.FullMacs:N0} MACs", output);
        Assert.DoesNotContain(layers.ToString("N0"), output);
        // Not a terminal: plain progress lines, the last one complete.
        Assert.Contains("calibrating: 8/8", output);
        Assert.DoesNotContain("%", output.Split('\n').First(l => l.Contains("calibrating")));
    }

    [Fact]
    public void InspectShowsTheFusedRelu6()
    {
        var (code, output) = Run("inspect", Path.Combine(TestPaths.RepoRoot, "zoo", "microt-s3.mtm"));
        Assert.True(code == 0, output);
        // The layer table's conv rows (they show the window, e.g. "3x3 /2 Same").
        var rows = output.Split('\n').Where(l => l.Contains("Conv2D") && (l.Contains(" Same ") || l.Contains(" Valid "))).ToList();
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r.Contains("ReLU6 int8 [-128, 127] = real [0, 6]"));
        // Every conv has its fused ReLU6 but the two grid pooling convs, linear by design: the part
        // features' 8x8 VALID over the split map and the full features' 4x4 VALID, the last one.
        var linear = rows.Where(r => r.TrimEnd().EndsWith("none")).ToList();
        Assert.Equal(2, linear.Count);
        Assert.Contains("8x8 /1 Valid", linear[0]);
        Assert.Contains("4x4 /1 Valid", linear[1]);
        Assert.Equal(rows[^1], linear[1]);
    }

    [Fact]
    public void ModelProblemsAreOneLineAndExitOne()
    {
        var b = new OnnxModelBuilder(1, 8, 8);
        var w = b.Initializer(b.Random(4 * 9, 0.3), 4, 1, 3, 3);
        var t = b.Node("Conv", new[] { b.Input, w }, new[] { 1, 4, 8, 8 }, "conv_k5", OnnxModelBuilder.Ints("kernel_shape", 5, 5), OnnxModelBuilder.Ints("pads", 1, 1, 1, 1)).Output[0];
        var onnx = Temp("kernel-shape.onnx");
        File.WriteAllBytes(onnx, b.Build(b.GlobalAveragePool(b.Conv(t, 4))));
        var (code, output) = Run("convert", onnx, "--calibration", "random", "-o", Temp("kernel-shape.mtm"));
        Assert.Equal(1, code);
        Assert.Single(output.Trim().Split('\n'));
        Assert.StartsWith("error: node 'conv_k5' (op Conv): kernel_shape [5,5]", output.Trim());

        (code, output) = Run("convert", SmallOnnx("name.onnx"), "--calibration", "random", "--name", "ÄÖ", "-o", Temp("name.mtm"));
        Assert.Equal(1, code);
        Assert.Contains("--name 'ÄÖ' is not 1 to 32 printable ASCII characters", output);
        Assert.False(File.Exists(Temp("name.mtm")));
    }
}
