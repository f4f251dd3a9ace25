using MicroT.Data;
using Xunit;

namespace MicroT.Runtime.Tests.Data;

public class LabeledImageSetTests
{
    static LabeledImageSet Make(int perClass0, int perClass1)
    {
        int n = perClass0 + perClass1;
        var images = Enumerable.Range(0, n).Select(i => new byte[] { (byte)i, 0, 0, 0, 0, 0 }).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i < perClass0 ? 0 : 1).ToArray();
        return new LabeledImageSet(3, 2, images, labels, new[] { "x", "y" });
    }

    [Fact]
    public void TakePerClassIsDeterministicBalancedAndWithoutRepeats()
    {
        var set = Make(10, 7);
        var a = set.TakePerClass(5, seed: 1);
        var b = set.TakePerClass(5, seed: 1);
        var c = set.TakePerClass(5, seed: 2);
        Assert.Equal(new[] { 5, 5 }, a.CountPerClass());
        Assert.Equal(a.Images.Select(im => im[0]), b.Images.Select(im => im[0]));
        Assert.NotEqual(a.Images.Select(im => im[0]), c.Images.Select(im => im[0]));
        Assert.Equal(10, a.Images.Select(im => im[0]).Distinct().Count());
        Assert.All(a.Images.Take(5), im => Assert.True(im[0] < 10));
        Assert.Throws<InvalidOperationException>(() => set.TakePerClass(8, 0));
    }

    [Fact]
    public void PaddedCentresTheImage()
    {
        var set = new LabeledImageSet(2, 2, new[] { new byte[] { 1, 2, 3, 4 } }, new[] { 0 }, new[] { "only" });
        var padded = set.Padded(5, 4);
        Assert.Equal(new byte[]
        {
            0, 0, 0, 0, 0,
            0, 1, 2, 0, 0,
            0, 3, 4, 0, 0,
            0, 0, 0, 0, 0,
        }, padded.Images[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Padded(1, 4));
    }

    [Fact]
    public void MismatchedInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new LabeledImageSet(2, 2, new[] { new byte[3] }, new[] { 0 }, new[] { "a" }));
        Assert.Throws<ArgumentException>(() => new LabeledImageSet(2, 2, new[] { new byte[4] }, new[] { 1 }, new[] { "a" }));
        Assert.Throws<ArgumentException>(() => new LabeledImageSet(2, 2, new[] { new byte[4] }, new int[0], new[] { "a" }));
    }
}
