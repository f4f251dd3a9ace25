namespace MicroT.Runtime.Tests.Models;

/// <summary>Test frames.</summary>
static class Frames
{
    /// <summary>Gray frames with smooth random blobs (more image-like than white noise).</summary>
    public static List<byte[]> Smooth(Random rng, int count, int width, int height)
    {
        var frames = new List<byte[]>();
        for (int k = 0; k < count; k++)
        {
            var f = new byte[width * height];
            double cx = rng.NextDouble() * width, cy = rng.NextDouble() * height, r = 3 + rng.NextDouble() * width / 2;
            double gx = rng.NextDouble() * 2 - 1, gy = rng.NextDouble() * 2 - 1;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                    double v = 128 + 100 * Math.Exp(-d * d / (r * r)) * (k % 2 == 0 ? 1 : -1) + 20 * (gx * x + gy * y) / width + rng.Next(-8, 9);
                    f[y * width + x] = (byte)Math.Clamp(v, 0, 255);
                }
            frames.Add(f);
        }
        return frames;
    }
}
