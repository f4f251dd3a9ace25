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

        string onnxPath = Path.Combine(model, "microt-fmnist-s.onnx");
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph;
        var split = Assert.Single(graph.Node, n => n.Name == "split");
        Assert.Equal("Clip", split.OpType);
        Assert.Equal("split", split.Output[0]);
        var allowed = new[] { "Conv", "Clip", "Add", "GlobalAveragePool", "Flatten", "Constant" };
        Assert.All(graph.Node, n => Assert.Contains(n.OpType, allowed));
        Assert.DoesNotContain(graph.Node, n => n.OpType == "BatchNormalization");

        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>(new[] { 1, 1, 32, 32 });
        for (int i = 0; i < 1024; i++) input.Buffer.Span[i] = (i % 32) / 31f;
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
        var features = results.Single(r => r.Name == "features").AsTensor<float>();
        Assert.Equal(new[] { 1, 128 }, features.Dimensions.ToArray());
        Assert.All(features.ToArray(), v => Assert.True(float.IsFinite(v) && v >= 0 && v <= 12, $"feature {v} outside ReLU6(+residual) range"));
        Assert.Contains(features.ToArray(), v => v > 0);

        // Through the converter to a container the runtime loads, split where the ONNX says.
        var options = new ConvertOptions { Calibration = "fashion-mnist", CalibrationCount = 16, Split = "split", Name = "smoke" };
        var converted = ModelConverter.WriteAndVerify(ModelConverter.Prepare(onnxPath, options), options);
        var container = Model.Load(converted.File);
        Assert.Equal(6, container.SplitIndex); // stem, b0.dw, b0.pw, b1.dw, b1.pw, part pool
        Assert.Equal(64, container.PartFeatureLength);
        Assert.Equal(128, container.FullFeatureLength);
        // MACs of docs/TRAINING.md's table; the container also counts the two global pools
        // (4,096 part, 2,048 full; the part pool is in the full count too) and the residual
        // Adds (4,096 + 2,048).
        Assert.Equal(354_304 + 4_096, container.PartMacs);
        Assert.Equal(1_074_176 + 4_096 + 2_048 + 4_096 + 2_048, container.FullMacs);
        Assert.InRange(container.ArenaSize, 1, 32 * 1024);
    }
}
