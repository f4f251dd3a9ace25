using MicroT.Converter;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// The shipped extractor is reproducible: converting zoo/microt-fmnist-s.onnx with the flags
/// docs/TRAINING.md gives (`--calibration fashion-mnist --calibration-count 256 --split split`)
/// yields zoo/microt-fmnist-s.mtm byte for byte, and its verification passes.
/// </summary>
public class ZooConversionTests
{
    [Fact]
    public void ZooModelIsWhatTheConverterProducesFromItsOnnx()
    {
        var onnx = Path.Combine(TestPaths.RepoRoot, "zoo", "microt-fmnist-s.onnx");
        var mtm = Path.Combine(TestPaths.RepoRoot, "zoo", "microt-fmnist-s.mtm");
        var o = new ConvertOptions { Calibration = "fashion-mnist", CalibrationCount = 256, Split = "split" };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(onnx, o), o);
        Assert.All(r.Verification.Stages, s => Assert.True(s.MeanCosine > 0.999, $"{s.Stage}: mean cosine {s.MeanCosine}"));
        Assert.True(File.ReadAllBytes(mtm).SequenceEqual(r.File),
            "zoo/microt-fmnist-s.mtm is not what `microt convert zoo/microt-fmnist-s.onnx --calibration fashion-mnist --calibration-count 256 --split split` produces today; reconvert it (tools/training) or find what changed.");
    }
}
