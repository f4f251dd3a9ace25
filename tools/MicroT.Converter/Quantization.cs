namespace MicroT.Converter;

/// <summary>Float-side quantization arithmetic of the converter (TFLite conventions, docs/KERNELS.md).</summary>
public static class Quantization
{
    /// <summary>Asymmetric int8 parameters for a float range; the range is widened to hold 0 exactly.</summary>
    public static (float scale, int zeroPoint) ActivationParams(float min, float max)
    {
        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        if (max - min < 1e-8f) max = min + 1e-8f * 255;    // a constant-zero tensor: any scale works
        double scale = ((double)max - min) / 255.0;
        double zp = -128 - min / scale;
        int z = (int)Math.Round(zp, MidpointRounding.AwayFromZero);
        z = Math.Clamp(z, -128, 127);
        return ((float)scale, z);
    }
}
