using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Tests.Kernels;

/// <summary>Random layer cases (seeded) with their float scales, shared by the kernel tests.</summary>
public sealed class ConvCase
{
    public ConvParams P;
    public double InputScale, OutputScale;
    public double[] WeightScales;
    public double[] RealBias; // bias in real units (bias * inputScale * weightScale)
    public sbyte[] Input;
    public bool Depthwise;

    public static sbyte[] RandomBytes(Random r, int n, int min = -128, int max = 127)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)r.Next(min, max + 1);
        return a;
    }

    /// <summary>kind: 0 conv, 1 depthwise, 2 pointwise.</summary>
    public static ConvCase Random(Random r, int kind, int maxSize = 9, int maxChannels = 12)
    {
        var p = new ConvParams();
        int k = kind == 2 ? 1 : new[] { 1, 2, 3, 3, 5 }[r.Next(5)];
        p.KernelHeight = k;
        p.KernelWidth = kind == 0 && r.Next(4) == 0 ? new[] { 1, 3 }[r.Next(2)] : k;
        p.InputHeight = r.Next(1, maxSize + 1);
        p.InputWidth = r.Next(1, maxSize + 1);
        p.InputChannels = r.Next(1, maxChannels + 1);
        p.OutputChannels = kind == 1 ? p.InputChannels : r.Next(1, maxChannels + 1);
        p.StrideHeight = r.Next(1, 3);
        p.StrideWidth = r.Next(1, 3);
        var padding = kind == 2 || r.Next(2) == 0 ? Padding.Same : Padding.Valid;
        if (p.KernelHeight > p.InputHeight || p.KernelWidth > p.InputWidth) padding = Padding.Same;
        p.SetPadding(padding);
        p.InputZeroPoint = r.Next(4) == 0 ? new[] { -128, 127, 0 }[r.Next(3)] : r.Next(-128, 128);
        p.OutputZeroPoint = r.Next(4) == 0 ? new[] { -128, 127, 0 }[r.Next(3)] : r.Next(-128, 128);
        int taps = p.KernelHeight * p.KernelWidth * (kind == 1 ? 1 : p.InputChannels);
        int wCount = kind == 1 ? p.KernelHeight * p.KernelWidth * p.OutputChannels : p.OutputChannels * taps;
        p.WeightsOffset = r.Next(0, 5);
        p.Weights = RandomBytes(r, p.WeightsOffset + wCount + r.Next(0, 3), -127, 127);
        var c = new ConvCase { P = p, Depthwise = kind == 1 };
        c.InputScale = 0.01 + r.NextDouble() * 0.1;
        c.WeightScales = new double[p.OutputChannels];
        for (int i = 0; i < p.OutputChannels; i++) c.WeightScales[i] = 0.001 + r.NextDouble() * 0.02;
        // Output scale so that the typical accumulator spans a good part of the int8 range (and sometimes saturates).
        double typical = Math.Sqrt(taps) * 60 * 60 * c.InputScale * 0.01;
        c.OutputScale = typical / (20 + r.NextDouble() * 80);
        p.SetScales(c.InputScale, c.WeightScales, c.OutputScale);
        if (r.Next(4) != 0)
        {
            p.Bias = new int[p.OutputChannels];
            for (int i = 0; i < p.Bias.Length; i++) p.Bias[i] = r.Next(-20000, 20001);
        }
        int act = r.Next(3);
        Quantization.ActivationRange((FusedActivation)act, c.OutputScale, p.OutputZeroPoint, out p.ActivationMin, out p.ActivationMax);
        c.Input = RandomBytes(r, p.InputSize);
        return c;
    }

    public static int Clamp(double v, int min, int max)
    {
        long q = (long)Math.Round(v, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(q, min, max);
    }

    /// <summary>Float64 reference: dequantize, convolve in double, requantize with the real scales.</summary>
    public sbyte[] FloatReference()
    {
        var p = P;
        var o = new sbyte[p.OutputSize];
        int inC = p.InputChannels;
        for (int oy = 0; oy < p.OutputHeight; oy++)
        for (int ox = 0; ox < p.OutputWidth; ox++)
        for (int oc = 0; oc < p.OutputChannels; oc++)
        {
            double acc = (p.Bias == null ? 0 : p.Bias[oc]) * InputScale * WeightScales[oc];
            for (int ky = 0; ky < p.KernelHeight; ky++)
            for (int kx = 0; kx < p.KernelWidth; kx++)
            {
                int iy = oy * p.StrideHeight - p.PadTop + ky, ix = ox * p.StrideWidth - p.PadLeft + kx;
                if (iy < 0 || iy >= p.InputHeight || ix < 0 || ix >= p.InputWidth) continue;
                if (Depthwise)
                {
                    double x = (Input[(iy * p.InputWidth + ix) * inC + oc] - p.InputZeroPoint) * InputScale;
                    double w = p.Weights[p.WeightsOffset + (ky * p.KernelWidth + kx) * p.OutputChannels + oc] * WeightScales[oc];
                    acc += x * w;
                }
                else
                {
                    for (int ic = 0; ic < inC; ic++)
                    {
                        double x = (Input[(iy * p.InputWidth + ix) * inC + ic] - p.InputZeroPoint) * InputScale;
                        double w = p.Weights[p.WeightsOffset + ((oc * p.KernelHeight + ky) * p.KernelWidth + kx) * inC + ic] * WeightScales[oc];
                        acc += x * w;
                    }
                }
            }
            o[(oy * p.OutputWidth + ox) * p.OutputChannels + oc] =
                (sbyte)Clamp(acc / OutputScale + p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
        }
        return o;
    }
}
