using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Models;

/// <summary>Frame preprocessing against independent double-precision implementations written here.</summary>
public class FramePreprocessorTests
{
    // Identity table: input scale 1/255, zero point -128, pixel / 255: q = v - 128.
    static readonly sbyte[] Identity = FramePreprocessor.BuildPixelLut(1f / 255f, 0f, 1f / 255f, -128);

    [Fact]
    public void PixelTableMatchesRoundHalfAwayOfTheRealValue()
    {
        Assert.Equal(Enumerable.Range(0, 256).Select(v => (sbyte)(v - 128)), Identity);
        // [-1, 1] inputs (pixel * 2/255 - 1) at scale 1/128, zero point 0.
        var lut = FramePreprocessor.BuildPixelLut(2f / 255f, -1f, 1f / 128f, 0);
        for (int v = 0; v < 256; v++)
        {
            double real = v * (2.0 / 255) - 1;
            double q = Math.Round(real * 128, MidpointRounding.AwayFromZero);
            Assert.InRange(lut[v], Math.Clamp(q, -128, 127) - 1, Math.Clamp(q, -128, 127) + 1); // float vs double: 1 LSB at exact halves
        }
        Assert.Equal(-128, lut[0]);
        Assert.Equal(127, lut[255]);
        // Saturation far outside the range, no overflow.
        var huge = FramePreprocessor.BuildPixelLut(1e6f, 0f, 1e-12f, 5);
        Assert.Equal(5, huge[0]);
        Assert.All(huge.Skip(1), q => Assert.Equal(127, q));
    }

    [Theory]
    [InlineData(ResizeMode.Nearest)]
    [InlineData(ResizeMode.Bilinear)]
    public void SameSizeIsTheFrameItself(ResizeMode mode)
    {
        var rng = new Random(1);
        var frame = new byte[13 * 7];
        rng.NextBytes(frame);
        var dest = new sbyte[frame.Length + 4];
        FramePreprocessor.Run(frame, FrameFormat.Gray8, 13, 7, mode, Identity, dest, 2, 7, 13, 1);
        Assert.Equal(frame.Select(v => (sbyte)(v - 128)), dest.Skip(2).Take(frame.Length));
        Assert.Equal(0, dest[0]);
        Assert.Equal(0, dest[^1]); // nothing written outside
    }

    [Theory]
    [InlineData(64, 48, 32, 32)]
    [InlineData(40, 28, 32, 32)]
    [InlineData(160, 120, 32, 32)]
    [InlineData(17, 3, 16, 9)]
    public void NearestPicksThePixelWhoseCentreIsNearest(int w, int h, int ow, int oh)
    {
        var rng = new Random(w * h);
        var frame = new byte[w * h];
        rng.NextBytes(frame);
        var dest = new sbyte[ow * oh];
        FramePreprocessor.Run(frame, FrameFormat.Gray8, w, h, ResizeMode.Nearest, Identity, dest, 0, oh, ow, 1);
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                int sx = Math.Min(w - 1, (int)Math.Floor((x + 0.5) * w / ow));
                int sy = Math.Min(h - 1, (int)Math.Floor((y + 0.5) * h / oh));
                Assert.Equal(frame[sy * w + sx] - 128, dest[y * ow + x]);
            }
    }

    [Theory]
    [InlineData(64, 48, 32, 32)]
    [InlineData(40, 28, 32, 32)]
    [InlineData(160, 120, 32, 32)]
    [InlineData(3, 12, 18, 11)]
    public void BilinearIsWithinOneOfTheDoubleReference(int w, int h, int ow, int oh)
    {
        var rng = new Random(w + h);
        var frame = new byte[w * h];
        rng.NextBytes(frame);
        var dest = new sbyte[ow * oh];
        FramePreprocessor.Run(frame, FrameFormat.Gray8, w, h, ResizeMode.Bilinear, Identity, dest, 0, oh, ow, 1);
        int exact = 0;
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                double expected = BilinearReference(frame, w, h, (x + 0.5) * w / ow - 0.5, (y + 0.5) * h / oh - 0.5);
                int actual = dest[y * ow + x] + 128;
                Assert.InRange(actual, expected - 1, expected + 1);
                if (actual == (int)Math.Round(expected, MidpointRounding.AwayFromZero)) exact++;
            }
        Assert.True(exact >= ow * oh * 0.9, $"{exact} of {ow * oh} exact");
    }

    [Theory]
    [InlineData(ResizeMode.Nearest, 64, 48, 32, 32)]
    [InlineData(ResizeMode.Bilinear, 64, 48, 32, 32)]
    [InlineData(ResizeMode.Nearest, 31, 13, 30, 20)]
    [InlineData(ResizeMode.Bilinear, 31, 13, 30, 20)]
    public void ColourPathsResizeLikeTheGrayPath(ResizeMode mode, int w, int h, int ow, int oh)
    {
        // R = G = B = v has luma exactly v, so the general (colour) path must reproduce the gray one.
        var rng = new Random(w * 31 + h);
        var gray = new byte[w * h];
        rng.NextBytes(gray);
        var rgb = gray.SelectMany(v => new[] { v, v, v }).ToArray();
        var expected = new sbyte[ow * oh];
        FramePreprocessor.Run(gray, FrameFormat.Gray8, w, h, mode, Identity, expected, 0, oh, ow, 1);
        var actual = new sbyte[ow * oh];
        FramePreprocessor.Run(rgb, FrameFormat.Rgb888, w, h, mode, Identity, actual, 0, oh, ow, 1);
        Assert.Equal(expected, actual);
        var three = new sbyte[ow * oh * 3];
        FramePreprocessor.Run(gray, FrameFormat.Gray8, w, h, mode, Identity, three, 0, oh, ow, 3);
        Assert.Equal(expected.SelectMany(v => new[] { v, v, v }), three);
    }

    /// <summary>Half-pixel-centre bilinear with clamped edges, in double.</summary>
    static double BilinearReference(byte[] f, int w, int h, double sx, double sy)
    {
        sx = Math.Max(0, sx);
        sy = Math.Max(0, sy);
        int x0 = Math.Min(w - 1, (int)Math.Floor(sx)), y0 = Math.Min(h - 1, (int)Math.Floor(sy));
        int x1 = Math.Min(w - 1, x0 + 1), y1 = Math.Min(h - 1, y0 + 1);
        double ax = sx - Math.Floor(sx), ay = sy - Math.Floor(sy);
        double top = f[y0 * w + x0] * (1 - ax) + f[y0 * w + x1] * ax;
        double bottom = f[y1 * w + x0] * (1 - ax) + f[y1 * w + x1] * ax;
        return top * (1 - ay) + bottom * ay;
    }

    [Fact]
    public void ColourFormatsDecodeAndConvert()
    {
        // One pixel each; output 1x1 with nearest.
        (byte[] frame, FrameFormat format, int r, int g, int b)[] cases =
        {
            (new byte[] { 0x00, 0xF8 }, FrameFormat.Rgb565, 255, 0, 0),      // 0xF800 little-endian: pure red
            (new byte[] { 0xE0, 0x07 }, FrameFormat.Rgb565, 0, 255, 0),      // 0x07E0: pure green
            (new byte[] { 0x1F, 0x00 }, FrameFormat.Rgb565, 0, 0, 255),      // 0x001F: pure blue
            (new byte[] { 0x10, 0x84 }, FrameFormat.Rgb565, 132, 130, 132),  // 0x8410: 16/32, 32/64, 16/32 widened by bit replication
            (new byte[] { 10, 200, 30 }, FrameFormat.Rgb888, 10, 200, 30),
            (new byte[] { 77 }, FrameFormat.Gray8, 77, 77, 77),
        };
        foreach (var (frame, format, r, g, b) in cases)
        {
            var rgb = new sbyte[3];
            FramePreprocessor.Run(frame, format, 1, 1, ResizeMode.Nearest, Identity, rgb, 0, 1, 1, 3);
            Assert.Equal(new[] { r - 128, g - 128, b - 128 }, rgb.Select(v => (int)v));
            var gray = new sbyte[1];
            FramePreprocessor.Run(frame, format, 1, 1, ResizeMode.Bilinear, Identity, gray, 0, 1, 1, 1);
            int expectedGray = (77 * r + 150 * g + 29 * b + 128) >> 8;
            Assert.Equal(expectedGray - 128, gray[0]);
            // BT.601 luma within 1 of 0.299 R + 0.587 G + 0.114 B.
            Assert.InRange(expectedGray, 0.299 * r + 0.587 * g + 0.114 * b - 1, 0.299 * r + 0.587 * g + 0.114 * b + 1);
        }
    }

    [Fact]
    public void RgbFrameToRgbModelResizesEachChannel()
    {
        var rng = new Random(9);
        int w = 20, h = 10, ow = 8, oh = 6;
        var frame = new byte[w * h * 3];
        rng.NextBytes(frame);
        var dest = new sbyte[ow * oh * 3];
        FramePreprocessor.Run(frame, FrameFormat.Rgb888, w, h, ResizeMode.Bilinear, Identity, dest, 0, oh, ow, 3);
        for (int c = 0; c < 3; c++)
        {
            var plane = Enumerable.Range(0, w * h).Select(i => frame[3 * i + c]).ToArray();
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    double expected = BilinearReference(plane, w, h, (x + 0.5) * w / ow - 0.5, (y + 0.5) * h / oh - 0.5);
                    Assert.InRange(dest[(y * ow + x) * 3 + c] + 128, expected - 1, expected + 1);
                }
        }
    }

    [Fact]
    public void BadArgumentsNameWhatIsExpected()
    {
        var dest = new sbyte[16];
        var e = Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[15], FrameFormat.Gray8, 4, 4, ResizeMode.Nearest, Identity, dest, 0, 4, 4, 1));
        Assert.Contains("a 4x4 Gray8 frame has 16", e.Message);
        e = Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[32], FrameFormat.Rgb565, 4, 4, ResizeMode.Nearest, Identity, dest, 1, 4, 4, 1));
        Assert.Contains("no room for 4x4x1", e.Message);
        Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[16], FrameFormat.Gray8, -4, -4, ResizeMode.Nearest, Identity, dest, 0, 4, 4, 1));
        Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[16], FrameFormat.Gray8, 65536, 65536, ResizeMode.Nearest, Identity, dest, 0, 4, 4, 1));
        Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[16], FrameFormat.Gray8, 4, 4, (ResizeMode)7, Identity, dest, 0, 4, 4, 1));
        Assert.Throws<ArgumentException>(() => FramePreprocessor.Run(new byte[16], FrameFormat.Gray8, 4, 4, ResizeMode.Nearest, new sbyte[3], dest, 0, 4, 4, 1));
        Assert.Throws<ArgumentNullException>(() => FramePreprocessor.Run(null, FrameFormat.Gray8, 4, 4, ResizeMode.Nearest, Identity, dest, 0, 4, 4, 1));
    }

    [Fact]
    public void InterpreterUsesThePreprocessingTheFilePrescribes()
    {
        var m = Model.Load(MicroT.ModelWriter.ReferenceModels.DepthwiseCnn());
        var it = new Interpreter(m);
        var frame = new byte[64 * 64];
        new Random(3).NextBytes(frame);
        it.SetInput(frame, FrameFormat.Gray8, 64, 64);
        var expected = new sbyte[32 * 32];
        FramePreprocessor.Run(frame, FrameFormat.Gray8, 64, 64, ResizeMode.Bilinear, Identity, expected, 0, 32, 32, 1);
        Assert.Equal(expected, it.Arena.Skip(it.InputOffset).Take(1024).ToArray());
        // 2:1 bilinear on pixel centres averages each 2x2 block (rounding half up).
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                int s = frame[2 * y * 64 + 2 * x] + frame[2 * y * 64 + 2 * x + 1] + frame[(2 * y + 1) * 64 + 2 * x] + frame[(2 * y + 1) * 64 + 2 * x + 1];
                Assert.Equal((s + 2) / 4 - 128, expected[y * 32 + x]);
            }
    }

    /// <summary>
    /// The centring rule: a frame no larger than the input on both sides is placed unscaled in
    /// the middle on black (pixel 0), as the host tools pad smaller training images (28x28 to
    /// 32x32); a frame larger on either side is resized.
    /// </summary>
    [Theory]
    [InlineData(28, 28, 32, 32, true)]
    [InlineData(30, 26, 32, 32, true)]
    [InlineData(32, 32, 32, 32, true)]
    [InlineData(27, 28, 32, 32, true)]
    [InlineData(1, 1, 32, 32, true)]
    [InlineData(33, 28, 32, 32, false)]
    [InlineData(28, 33, 32, 32, false)]
    [InlineData(160, 120, 32, 32, false)]
    public void CentringRule(int w, int h, int ow, int oh, bool centres) => Assert.Equal(centres, FramePreprocessor.Centers(w, h, ow, oh));

    /// <summary>Odd margins: the device pads exactly as MicroT.Data's LabeledImageSet.Padded (extra column/row right/bottom).</summary>
    [Theory]
    [InlineData(27, 25)]
    [InlineData(28, 28)]
    [InlineData(31, 30)]
    public void SetInputPadsAsTheHostToolsPadTrainingImages(int w, int h)
    {
        var rng = new Random(w * 100 + h);
        var img = new byte[w * h];
        rng.NextBytes(img);
        var set = new MicroT.Data.LabeledImageSet(w, h, new[] { img }, new[] { 0 }, new[] { "a" }).Padded(32, 32);
        var m = Model.Load(MicroT.ModelWriter.ReferenceModels.DepthwiseCnn());
        var it = new Interpreter(m);
        it.SetInput(img, FrameFormat.Gray8, w, h);
        var a = it.Arena[it.InputOffset..(it.InputOffset + 1024)];
        it.SetInput(set.Images[0], FrameFormat.Gray8, 32, 32);
        var b = it.Arena[it.InputOffset..(it.InputOffset + 1024)];
        Assert.Equal(b, a);
    }

    [Theory]
    [InlineData(ResizeMode.Nearest, FrameFormat.Gray8, 1)]
    [InlineData(ResizeMode.Bilinear, FrameFormat.Gray8, 1)]
    [InlineData(ResizeMode.Bilinear, FrameFormat.Rgb888, 1)]
    [InlineData(ResizeMode.Bilinear, FrameFormat.Rgb888, 3)]
    [InlineData(ResizeMode.Nearest, FrameFormat.Gray8, 3)]
    public void A28x28FrameIsCentredIn32x32OnBlackAsTrainingPadsIt(ResizeMode mode, FrameFormat format, int outC)
    {
        var rng = new Random(8);
        int bpp = FramePreprocessor.BytesPerPixel(format);
        var frame = new byte[28 * 28 * bpp];
        rng.NextBytes(frame);
        var lut = new sbyte[256];
        for (int v = 0; v < 256; v++) lut[v] = (sbyte)(v / 2 - 100);
        var dest = new sbyte[32 * 32 * outC + 5];
        FramePreprocessor.Run(frame, format, 28, 28, mode, lut, dest, 5, 32, 32, outC);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                for (int c = 0; c < outC; c++)
                {
                    int expected;
                    if (y < 2 || y >= 30 || x < 2 || x >= 30) expected = lut[0];
                    else
                    {
                        int i = ((y - 2) * 28 + (x - 2)) * bpp;
                        int v;
                        if (format == FrameFormat.Gray8) v = frame[i];
                        else if (outC == 3) v = frame[i + c];
                        else v = (77 * frame[i] + 150 * frame[i + 1] + 29 * frame[i + 2] + 128) >> 8;
                        expected = lut[v];
                    }
                    Assert.Equal(expected, dest[5 + (y * 32 + x) * outC + c]);
                }
    }

    [Fact]
    public void SetInputOfA28x28FrameEqualsTheZeroPadded32x32FrameTrainingUses()
    {
        var m = Model.Load(MicroT.ModelWriter.ReferenceModels.DepthwiseCnn());
        var it = new Interpreter(m);
        var rng = new Random(3);
        var small = new byte[28 * 28];
        rng.NextBytes(small);
        var padded = new byte[32 * 32];
        for (int y = 0; y < 28; y++) Array.Copy(small, y * 28, padded, (y + 2) * 32 + 2, 28);
        it.SetInput(small, FrameFormat.Gray8, 28, 28);
        var a = it.Arena[it.InputOffset..(it.InputOffset + 1024)];
        it.SetInput(padded, FrameFormat.Gray8, 32, 32);
        var b = it.Arena[it.InputOffset..(it.InputOffset + 1024)];
        Assert.Equal(b, a);
    }
}
