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
}
