using System.Diagnostics;
using MicroT.Converter;
using MicroT.Runtime.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Training;

/// <summary>
/// The training recipe end to end on a few hundred images: teacher embeddings (C#), one
/// epoch of joint SSKD (python), float ONNX export with the split marked. Needs Debian's
/// python3-torch (tools/test.sh runs tools/training/setup.sh first).
/// </summary>
public sealed class SmokeRunTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("microt-smoke-").FullName;
    readonly ITestOutputHelper output;

    public SmokeRunTests(ITestOutputHelper output) => this.output = output;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Run(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepoRoot,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine($"$ {file} {arguments}\n{stdout}{stderr.Result}");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    [Fact]
    public void TeacherTrainingAndExportRunEndToEnd()
    {
        Assert.True(File.Exists("/usr/bin/python3"), "/usr/bin/python3 missing: run tools/training/setup.sh");
        string teacher = Path.Combine(AppContext.BaseDirectory, "MicroT.Teacher.dll");
        string data = Path.Combine(TestPaths.RepoRoot, ".data");
        Run("dotnet", $"\"{teacher}\" --pool 300 --batch 50 --out \"{dir}\" --data \"{data}\"");

        string training = Path.Combine(TestPaths.RepoRoot, "tools", "training");
        string model = Path.Combine(dir, "model");
        Run("/usr/bin/python3", $"\"{training}/train.py\" --joint --epochs 1 --batch 64 --threads 1 --data \"{dir}\" --out \"{model}\"");
        Run("/usr/bin/python3", $"\"{training}/export_onnx.py\" \"{model}\"");

        string onnxPath = Path.Combine(model, "microt-s3.onnx");
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph;
        var split = Assert.Single(graph.Node, n => n.Name == "split");
        Assert.Equal("Clip", split.OpType);
        Assert.Equal("split", split.Output[0]);
        var allowed = new[] { "Conv", "Clip", "Add", "Flatten", "Constant" };
        // The full features are the grid pooling conv's: a 4x4 VALID depthwise conv over the last map.
        var grid = Assert.Single(graph.Node, n => n.Name == "grid");
        Assert.Equal("Conv", grid.OpType);
        // The part features are the model's own: the second output, from an 8x8 VALID depthwise conv of the split map.
        Assert.Equal(new[] { "features", "part" }, graph.Output.Select(o => o.Name).ToArray());
        var partGrid = Assert.Single(graph.Node, n => n.Name == "part_grid");
        Assert.Equal("split", partGrid.Input[0]);
        Assert.All(graph.Node, n => Assert.Contains(n.OpType, allowed));
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");

        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>(new[] { 1, 1, 32, 32 });
        for (int i = 0; i < 1024; i++) input.Buffer.Span[i] = (i % 32) / 31f;
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
        var features = results.Single(r => r.Name == "features").AsTensor<float>();
        Assert.Equal(new[] { 1, 128 }, features.Dimensions.ToArray());
        // Linear (no activation after the grid conv): any sign, but finite and not all zero.
        Assert.All(features.ToArray(), v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 1000, $"feature {v} is not a plausible value"));
        Assert.Contains(features.ToArray(), v => v != 0);

        // Through the converter to a container the runtime loads, split where the ONNX says.
        var options = new ConvertOptions { Calibration = "fashion-mnist", CalibrationCount = 16, Split = "split", Name = "smoke" };
        var converted = ModelConverter.WriteAndVerify(ModelConverter.Prepare(onnxPath, options), options);
        var container = Model.Load(converted.File);
        Assert.Equal(6, container.SplitIndex); // stem, b0.dw, b0.pw, b1.dw, b1.pw, part_grid
        Assert.Equal(64, container.PartFeatureLength);
        Assert.Equal(128, container.FullFeatureLength);
        // MACs of docs/TRAINING.md's table (grid included); the container also counts the part
        // grid (4,096, in the full count too) and the two residual Adds (4,096 each).
        Assert.Equal(208_640 + 4_096, container.PartMacs);
        Assert.Equal(948_992 + 4_096 + 4_096 + 4_096, container.FullMacs);
        Assert.InRange(container.ArenaSize, 1, 32 * 1024);
    }
}
