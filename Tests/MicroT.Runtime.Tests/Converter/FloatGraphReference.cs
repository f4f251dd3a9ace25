using MicroT.Converter;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// Runs an imported <see cref="FloatGraph"/> in double precision, NHWC, straight from its
/// definition (plain loops). Tests compare it with ONNX Runtime on the original model, which
/// checks the import itself (layout changes, BatchNorm folding, fusions, Flatten permutation)
/// separately from quantization.
/// </summary>
public static class FloatGraphReference
{
    public static Dictionary<string, float[]> Run(FloatGraph g, float[] input)
    {
        var t = new Dictionary<string, float[]> { [g.InputName] = input };
        foreach (var l in g.Layers)
        {
            var x = t[l.Inputs[0]];
            var xs = g.ShapeOf(l.Inputs[0]);
            var o = l.OutputShape;
            var y = new float[l.OutputElements];
            switch (l.Kind)
            {
                case LayerKind.Conv2D:
                case LayerKind.DepthwiseConv2D:
                    {
                        int ih = xs[1], iw = xs[2], ic = xs[3], oh = o[1], ow = o[2], oc = o[3];
                        bool dw = l.Kind == LayerKind.DepthwiseConv2D;
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++)
                                for (int c = 0; c < oc; c++)
                                {
                                    double acc = l.Bias[c];
                                    for (int ky = 0; ky < l.KernelH; ky++)
                                        for (int kx = 0; kx < l.KernelW; kx++)
                                        {
                                            int iy = oy * l.StrideH - l.PadTop + ky, ix = ox * l.StrideW - l.PadLeft + kx;
                                            if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
                                            if (dw) acc += (double)x[(iy * iw + ix) * ic + c] * l.Weights[(ky * l.KernelW + kx) * oc + c];
                                            else
                                                for (int i = 0; i < ic; i++)
                                                    acc += (double)x[(iy * iw + ix) * ic + i] * l.Weights[((c * l.KernelH + ky) * l.KernelW + kx) * ic + i];
                                        }
                                    y[(oy * ow + ox) * oc + c] = Clamp(acc, l);
                                }
                        break;
                    }
                case LayerKind.FullyConnected:
                    {
                        int n = x.Length;
                        for (int c = 0; c < y.Length; c++)
                        {
                            double acc = l.Bias[c];
                            for (int i = 0; i < n; i++) acc += (double)x[i] * l.Weights[c * n + i];
                            y[c] = Clamp(acc, l);
                        }
                        break;
                    }
                case LayerKind.Add:
                    {
                        var b = t[l.Inputs[1]];
                        for (int i = 0; i < y.Length; i++) y[i] = Clamp((double)x[i] + b[i], l);
                        break;
                    }
                case LayerKind.GlobalAveragePool:
                    {
                        int hw = xs[1] * xs[2], c = xs[3];
                        for (int ch = 0; ch < c; ch++)
                        {
                            double s = 0;
                            for (int p = 0; p < hw; p++) s += x[p * c + ch];
                            y[ch] = (float)(s / hw);
                        }
                        break;
                    }
                case LayerKind.AveragePool:
                case LayerKind.MaxPool:
                    {
                        int ih = xs[1], iw = xs[2], c = xs[3];
                        for (int oy = 0; oy < o[1]; oy++)
                            for (int ox = 0; ox < o[2]; ox++)
                                for (int ch = 0; ch < c; ch++)
                                {
                                    double s = 0, m = double.NegativeInfinity; int count = 0;
                                    for (int ky = 0; ky < l.KernelH; ky++)
                                        for (int kx = 0; kx < l.KernelW; kx++)
                                        {
                                            int iy = oy * l.StrideH - l.PadTop + ky, ix = ox * l.StrideW - l.PadLeft + kx;
                                            if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
                                            double v = x[(iy * iw + ix) * c + ch];
                                            s += v; m = Math.Max(m, v); count++;
                                        }
                                    y[(oy * o[2] + ox) * c + ch] = (float)(l.Kind == LayerKind.MaxPool ? m : s / count);
                                }
                        break;
                    }
            }
            t[l.Output] = y;
        }
        return t;
    }

    static float Clamp(double v, FloatLayer l) => (float)Math.Min(Math.Max(v, l.ActivationMin), l.ActivationMax);
}
