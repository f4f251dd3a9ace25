using MicroT.Converter;
using Xunit;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// The shipped extractor is reproducible: converting zoo/microt-s3.onnx with the flags
/// docs/TRAINING.md gives (`--calibration fashion-mnist --calibration-count 256 --split split
/// --self-test 2`) yields zoo/microt-s3.mtm byte for byte, its verification passes and
/// its embedded self-test (the first two calibration frames) passes.
/// </summary>
public class ZooConversionTests
{
    [Fact]
    public void ZooModelIsWhatTheConverterProducesFromItsOnnx()
    {
        var onnx = Path.Combine(TestPaths.RepoRoot, "zoo", "microt-s3.onnx");
        var mtm = Path.Combine(TestPaths.RepoRoot, "zoo", "microt-s3.mtm");
        var o = new ConvertOptions { Calibration = "fashion-mnist", CalibrationCount = 256, Split = "split" };
        var r = ModelConverter.WriteAndVerify(ModelConverter.Prepare(onnx, o), o);
        // microt-s3 verifies at 0.9987 (part) and 0.9972 (full): its part and full features come
        // from linear grid-pooling convs with a wide range (zoo/README.md, docs/CONVERTER.md).
        Assert.All(r.Verification.Stages, s => Assert.True(s.MeanCosine > 0.995, $"{s.Stage}: mean cosine {s.MeanCosine}"));
        var file = MicroT.ModelWriter.SelfTestWriter.Embed(r.File, MicroT.Runtime.Models.FrameFormat.Gray8, 32, 32, r.Frames.Take(2).ToList());
        var zoo = File.ReadAllBytes(mtm);
        Assert.True(zoo.SequenceEqual(file),
            "zoo/microt-s3.mtm is not what `microt convert zoo/microt-s3.onnx --calibration fashion-mnist --calibration-count 256 --split split --self-test 2` produces today; reconvert it (tools/training) or find what changed.");
        var m = MicroT.Runtime.Models.Model.Load(zoo);
        var st = new MicroT.Runtime.Models.Interpreter(m).SelfTest(zoo);
        Assert.True(st.Passed, st.Message);
        Assert.Equal(2, st.FramesRun);
    }
}
