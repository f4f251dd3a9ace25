using MicroT.Data;
using MicroT.Teacher;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace MicroT.Runtime.Tests.Training;

public class TeacherTests
{
    static byte[][] SomeImages() =>
        StandardDataSets.LoadFashionMnist(DataSplit.Test, Path.Combine(TestPaths.RepoRoot, ".data"))
            .Subset(new[] { 0, 5000, 9999 }).Images;

    [Fact]
    public void PatchedTeacherEqualsThePackagedModelAt224()
    {
        // At 224x224 the GlobalAveragePool that replaces the 7x7 AveragePool is the same
        // operation, so the patched network must reproduce the package's own model.
        var images = SomeImages();
        using var teacher = new ResNet18Teacher(threads: 2);
        using var original = new InferenceSession(ResNet18Teacher.ModelPath);
        for (int k = 0; k < images.Length; k++)
        {
            var input = teacher.Preprocess(new[] { images[k] }, 28, 224);
            using var results = original.Run(new[] { NamedOnnxValue.CreateFromTensor(ResNet18Teacher.InputName, input) });
            var expected = results.Single().AsEnumerable<float>().ToArray();
            var actual = teacher.Embed(new[] { images[k] }, 28, 224)[0];
            Assert.Equal(512, expected.Length);
            for (int j = 0; j < 512; j++)
                Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-4f * (1 + Math.Abs(expected[j])), $"image {k} dim {j}: {expected[j]} vs {actual[j]}");
        }
    }

    [Fact]
    public void EmbeddingsAtTheChosenSizeAreBatchIndependentAndTellImagesApart()
    {
        var images = SomeImages();
        using var teacher = new ResNet18Teacher(threads: 2);
        var batch = teacher.Embed(images, 28, 96);
        var single = teacher.Embed(new[] { images[1] }, 28, 96)[0];
        for (int j = 0; j < 512; j++) Assert.Equal(batch[1][j], single[j], 3);
        Assert.All(batch, e => Assert.Contains(e, v => v > 0));
        double distance = batch[0].Zip(batch[2], (a, b) => (a - b) * (a - b)).Sum();
        Assert.True(distance > 1, $"a T-shirt and an ankle boot embed {distance} apart");
    }

    [Fact]
    public void MeansComeFromThePackagedPreprocessing()
    {
        using var teacher = new ResNet18Teacher(threads: 1);
        var mean = teacher.MeanBgr;
        // ResNetPreprocess.onnx's MeanImage: B plane about 104..115, G about 115..124, R about 120..125.
        Assert.InRange(mean[0], 95, 120);
        Assert.InRange(mean[1], 108, 128);
        Assert.InRange(mean[2], 112, 130);
    }

    [Fact]
    public void BilinearUpscaleMatchesHalfPixelCentres()
    {
        var target = new float[16];
        Bilinear.Resize(new byte[] { 0, 100, 200, 255 }, 2, target, 4);
        // PyTorch F.interpolate(align_corners=False), 2x2 -> 4x4, first row and first column.
        Assert.Equal(new[] { 0f, 25f, 75f, 100f }, target.Take(4).ToArray());
        Assert.Equal(new[] { 0f, 50f, 150f, 200f }, new[] { target[0], target[4], target[8], target[12] });
    }
}
