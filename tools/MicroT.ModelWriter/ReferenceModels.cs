using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;

namespace MicroT.ModelWriter;

/// <summary>
/// Models built in code with random weights and real shapes, for tests, the profiler and the
/// demo until a trained extractor exists. Weights are He-uniform (so activations neither
/// vanish nor saturate much), quantized per channel like the converter does.
/// </summary>
public static class ReferenceModels
{
    /// <summary>Activation quantization after ReLU: real [0, 2.55] (chosen from the activations of random frames).</summary>
    public static readonly Quant ReluQuant = new(0.01f, -128);
    /// <summary>Activation quantization of linear (no activation) outputs: real [-2.56, 2.54].</summary>
    public static readonly Quant LinearQuant = new(0.02f, 0);
    /// <summary>Quantization of the pooled features: real [0, 0.6375] (means are smaller than the activations' peaks).</summary>
    public static readonly Quant FeatureQuant = new(0.0025f, -128);
    /// <summary>Input quantization: pixel / 255 in [0, 1], so q = pixel - 128.</summary>
    public static readonly Quant InputQuant = new(1f / 255f, -128);

    /// <summary>
    /// "microt-ref-dscnn": a depthwise-separable CNN on 32x32x1 (gray) input.
    /// <code>
    ///  0 Conv2D 3x3/2 1->8  ReLU    16x16x8
    ///  1 DW 3x3/1           ReLU    16x16x8
    ///  2 PW 8->16           ReLU    16x16x16
    ///  3 DW 3x3/2           ReLU    8x8x16
    ///  4 PW 16->32          ReLU    8x8x32    (a)
    ///  5 DW 3x3/1           ReLU    8x8x32
    ///  6 PW 32->32          linear  8x8x32
    ///  7 Add(a, 6)          ReLU    8x8x32    split activation
    ///  8 GlobalAveragePool          1x1x32    part feature        -- split = 9
    ///  9 DW 3x3/2 (on 7)    ReLU    4x4x32
    /// 10 PW 32->64          ReLU    4x4x64
    /// 11 DW 3x3/1           ReLU    4x4x64
    /// 12 PW 64->64          ReLU    4x4x64
    /// 13 GlobalAveragePool          1x1x64    full feature
    /// </code>
    /// </summary>
    public static byte[] DepthwiseCnn(int seed = 1) => DepthwiseCnnBuilder(seed).Build();

    /// <summary>The builder of <see cref="DepthwiseCnn"/>, to inspect or extend before Build.</summary>
    public static ModelBuilder DepthwiseCnnBuilder(int seed = 1)
    {
        var rng = new Random(seed);
        var b = new ModelBuilder("microt-ref-dscnn", 32, 32, 1, InputQuant) { ResizeMode = ResizeMode.Bilinear };
        int x = Conv(b, rng, b.Input, 8, 3, 2, ReluQuant, true);
        x = Depthwise(b, rng, x, 3, 1);
        x = Conv(b, rng, x, 16, 1, 1, ReluQuant, true);
        x = Depthwise(b, rng, x, 3, 2);
        int a = Conv(b, rng, x, 32, 1, 1, ReluQuant, true);
        x = Depthwise(b, rng, a, 3, 1);
        x = Conv(b, rng, x, 32, 1, 1, LinearQuant, false);
        int splitActivation = b.Add(a, x, ReluQuant, Clamp.Relu(ReluQuant));
        int part = b.GlobalAveragePool(splitActivation, FeatureQuant);
        int split = b.OperatorCount;
        x = Depthwise(b, rng, splitActivation, 3, 2);
        x = Conv(b, rng, x, 64, 1, 1, ReluQuant, true);
        x = Depthwise(b, rng, x, 3, 1);
        x = Conv(b, rng, x, 64, 1, 1, ReluQuant, true);
        int full = b.GlobalAveragePool(x, FeatureQuant);
        b.SetSplit(split, part, full);
        return b;
    }

    /// <summary>
    /// "microt-tiny-allops": a 8x8x1 model using every operator kind, small enough (under 1 KB)
    /// to fuzz at every byte. Part: Conv, DW, Add, MaxPool, GAP; rest: AvgPool, FC, Softmax.
    /// </summary>
    public static byte[] TinyAllOps(int seed = 2) => TinyAllOpsBuilder(seed).Build();

    public static ModelBuilder TinyAllOpsBuilder(int seed = 2)
    {
        var rng = new Random(seed);
        var b = new ModelBuilder("microt-tiny-allops", 8, 8, 1, InputQuant) { ResizeMode = ResizeMode.Nearest };
        int c = Conv(b, rng, b.Input, 4, 3, 1, ReluQuant, true);
        int d = Depthwise(b, rng, c, 3, 1);
        int s = b.Add(c, d, ReluQuant, Clamp.Relu(ReluQuant));
        int m = b.MaxPool2D(s, Window.Square(2, 2, Padding.Valid), Clamp.None);
        int part = b.GlobalAveragePool(m, ReluQuant);
        int split = b.OperatorCount;
        int p = b.AveragePool2D(m, Window.Square(2, 2, Padding.Valid), Clamp.None);
        var (h, w, ch) = b.Shape(p);
        int inN = h * w * ch, outN = 6;
        var (weights, scales) = Weights(rng, outN, inN);
        int fc = b.FullyConnected(p, weights, scales, Bias(rng, outN, ReluQuant.Scale, scales), LinearQuant, Clamp.None);
        int full = b.Softmax(fc);
        b.SetSplit(split, part, full);
        return b;
    }

    static int Conv(ModelBuilder b, Random rng, int input, int outC, int kernel, int stride, Quant output, bool relu)
    {
        var (_, _, inC) = b.Shape(input);
        var (weights, scales) = Weights(rng, outC, kernel * kernel * inC);
        int[] bias = Bias(rng, outC, b.QuantOf(input).Scale, scales);
        return b.Conv2D(input, Window.Square(kernel, stride), weights, scales, bias, output, relu ? Clamp.Relu(output) : Clamp.None);
    }

    static int Depthwise(ModelBuilder b, Random rng, int input, int kernel, int stride)
    {
        var (_, _, c) = b.Shape(input);
        // Generated per channel as [C][KH*KW], then laid out [KH, KW, C].
        var (perChannel, scales) = Weights(rng, c, kernel * kernel);
        var weights = new sbyte[perChannel.Length];
        for (int ch = 0; ch < c; ch++)
            for (int k = 0; k < kernel * kernel; k++)
                weights[k * c + ch] = perChannel[ch * kernel * kernel + k];
        int[] bias = Bias(rng, c, b.QuantOf(input).Scale, scales);
        return b.DepthwiseConv2D(input, Window.Square(kernel, stride), weights, scales, bias, ReluQuant, Clamp.Relu(ReluQuant));
    }

    /// <summary>He-uniform real weights in [-a, a], a = sqrt(6 / fanIn), quantized symmetric per output channel to [-127, 127].</summary>
    static (sbyte[] Weights, float[] Scales) Weights(Random rng, int outC, int fanIn)
    {
        double a = Math.Sqrt(6.0 / fanIn);
        var w = new sbyte[outC * fanIn];
        var scales = new float[outC];
        var real = new double[fanIn];
        for (int c = 0; c < outC; c++)
        {
            double max = 0;
            for (int i = 0; i < fanIn; i++)
            {
                real[i] = (rng.NextDouble() * 2 - 1) * a;
                max = Math.Max(max, Math.Abs(real[i]));
            }
            float scale = (float)(max / 127.0);
            scales[c] = scale;
            for (int i = 0; i < fanIn; i++)
                w[c * fanIn + i] = (sbyte)Math.Clamp(Math.Round(real[i] / scale, MidpointRounding.AwayFromZero), -127, 127);
        }
        return (w, scales);
    }

    /// <summary>Small real biases in [-0.1, 0.1], as int32 in scale inputScale * weightScale[c].</summary>
    static int[] Bias(Random rng, int outC, float inputScale, float[] weightScales)
    {
        var bias = new int[outC];
        for (int c = 0; c < outC; c++)
            bias[c] = (int)Math.Round((rng.NextDouble() * 0.2 - 0.1) / ((double)inputScale * weightScales[c]));
        return bias;
    }
}
