using System.Globalization;
using MicroT.Runtime.Kernels;

namespace MicroT.DeviceGen;

/// <summary>
/// Golden vectors for the device kernel tests (Tests/MicroT.Runtime.DeviceTests/Generated/KernelVectors.cs).
/// Source of the expected outputs:
/// - requantization helpers: <see cref="Oracles"/> (BigInteger / exact double scaling, independent of the runtime);
/// - ops: the host build of each kernel's <c>Reference</c> path, which the host suite validates against
///   ONNX Runtime and a float64 model (Tests/MicroT.Runtime.Tests/Kernels). On the device these vectors
///   check that the interpreter computes the same bytes as the validated host path, for both
///   <c>Reference</c> and the tuned <c>Run</c>.
/// Shapes are small so all vectors of one test fit a plain ESP32 heap with room to spare.
/// </summary>
public static class KernelVectors
{
    public const string RelativePath = "Tests/MicroT.Runtime.DeviceTests/Generated/KernelVectors.cs";

    public static GeneratedFile Generate()
    {
        var w = new CSharpWriter();
        w.Line(CSharpWriter.Banner.TrimEnd('\n'));
        w.Line("// Expected outputs: requantization from BigInteger oracles in tools/MicroT.DeviceGen/Oracles.cs;");
        w.Line("// ops from the host-validated Reference path of each kernel (see tools/MicroT.DeviceGen/KernelVectors.cs).");
        w.Line("using MicroT.Runtime.Kernels;");
        w.Line();
        w.Open("namespace MicroT.Runtime.DeviceTests.Generated");
        w.Open("public static class KernelVectors");

        Requantization(w);
        var rng = new Rng(20261125);
        Conv(w, rng, "Conv2DSame", ConvKind.Conv, 7, 7, 3, 4, 3, 3, 2, Padding.Same, -5, 3, FusedActivation.Relu, true);
        Conv(w, rng, "Conv2DValid", ConvKind.Conv, 6, 5, 2, 3, 2, 3, 1, Padding.Valid, -128, -20, FusedActivation.None, false);
        Conv(w, rng, "DepthwiseSame", ConvKind.Depthwise, 6, 6, 5, 5, 3, 3, 1, Padding.Same, 7, -4, FusedActivation.Relu6, true);
        Conv(w, rng, "DepthwiseStride2", ConvKind.Depthwise, 7, 6, 4, 4, 3, 3, 2, Padding.Same, -128, 0, FusedActivation.None, true);
        Conv(w, rng, "Pointwise", ConvKind.Pointwise, 5, 5, 8, 6, 1, 1, 1, Padding.Valid, 12, -9, FusedActivation.Relu, true);
        FullyConnectedCase(w, rng);
        AddCase(w, rng);
        PoolCase(w, rng, "AveragePool3x3", true, 6, 6, 3, 3, 2, Padding.Same);
        PoolCase(w, rng, "MaxPool2x2", false, 7, 7, 2, 2, 2, Padding.Valid);
        GlobalPoolCase(w, rng);
        SoftmaxCase(w, rng);

        w.Close();
        w.Close();
        return new GeneratedFile(RelativePath, w.ToString());
    }

    static void Requantization(CSharpWriter w)
    {
        double[] reals = [1e-9, 0.0001234, 0.0078125, 0.0123456789, 0.25, 0.3333333333, 0.5, 0.99999999999, 1.0, 1.5, 3.14159, 1234.5678];
        var ms = new int[reals.Length];
        var ss = new int[reals.Length];
        for (int i = 0; i < reals.Length; i++) (ms[i], ss[i]) = Oracles.QuantizeMultiplier(reals[i]);
        w.ArrayMethod("QuantizeMultiplierInputs", reals, "Real multipliers for QuantizeMultiplier.");
        w.ArrayMethod("QuantizeMultiplierExpectedMultipliers", ms, "Q31 multipliers (oracle).");
        w.ArrayMethod("QuantizeMultiplierExpectedShifts", ss, "Shifts (oracle).");

        // (x, multiplier, shift) triples, including the saturating and rounding edges.
        var rng = new Rng(31);
        var triples = new List<int>
        {
            int.MinValue, int.MinValue, 0,
            int.MaxValue, int.MaxValue, 0,
            -3, 1 << 30, -1,   // exact -1.5 -> -2 (away from zero)
            3, 1 << 30, -1,    // exact 1.5 -> 2
            -1, 1 << 30, 0,    // -0.5 in the high-mul: nudge goes to 0
            1000, 1518500250, 5,
            -100000, 1300000000, -12,
            12345, 2147483647, -31,
        };
        for (int i = 0; i < 24; i++)
        {
            triples.Add(rng.Int(-(1 << 24), 1 << 24));
            triples.Add(rng.Int(1 << 30, int.MaxValue));
            triples.Add(rng.Int(-20, 6));
        }
        var expected = new int[triples.Count / 3];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = Oracles.MultiplyByQuantizedMultiplier(triples[3 * i], triples[3 * i + 1], triples[3 * i + 2]);
        w.ArrayMethod("MultiplyByQuantizedMultiplierInputs", triples.ToArray(), "(x, multiplier, shift) triples.");
        w.ArrayMethod("MultiplyByQuantizedMultiplierExpected", expected, "Results (BigInteger oracle).");
    }

    enum ConvKind { Conv, Depthwise, Pointwise }

    static void Conv(CSharpWriter w, Rng rng, string name, ConvKind kind, int h, int wd, int cin, int cout,
        int kh, int kw, int stride, Padding padding, int inZp, int outZp, FusedActivation act, bool bias)
    {
        var p = new ConvParams
        {
            InputHeight = h, InputWidth = wd, InputChannels = cin, OutputChannels = cout,
            KernelHeight = kh, KernelWidth = kw, StrideHeight = stride, StrideWidth = stride,
            InputZeroPoint = inZp, OutputZeroPoint = outZp,
        };
        p.SetPadding(padding);
        int weightCount = kind == ConvKind.Depthwise ? kh * kw * cout : cout * kh * kw * cin;
        p.Weights = rng.SBytes(weightCount, -127, 127);
        if (bias) p.Bias = rng.Ints(cout, -2000, 2000);
        double inScale = 0.02, outScale = 0.05;
        var wScales = new double[cout];
        int taps = kind == ConvKind.Depthwise ? kh * kw : kh * kw * cin;
        for (int c = 0; c < cout; c++) wScales[c] = rng.Double(0.5, 1.5) * 2.0 / (taps * 127.0) * outScale / inScale * 8;
        p.SetScales(inScale, wScales, outScale);
        Quantization.ActivationRange(act, outScale, outZp, out p.ActivationMin, out p.ActivationMax);
        sbyte[] input = rng.SBytes(p.InputSize);
        var output = new sbyte[p.OutputSize];
        switch (kind)
        {
            case ConvKind.Depthwise: DepthwiseConv2D.Reference(p, input, 0, output, 0); break;
            default: Conv2D.Reference(p, input, 0, output, 0); break; // Conv and Pointwise (a 1x1 Conv2D)
        }
        CheckNotDegenerate(name, output);
        string shape = $"{kind} {h}x{wd}x{cin} -> {p.OutputHeight}x{p.OutputWidth}x{cout}, kernel {kh}x{kw}, stride {stride}, {padding}, {act}";
        w.ParamsMethod(name + "Params", p, shape + ".");
        w.ArrayMethod(name + "Input", input);
        w.ArrayMethod(name + "Expected", output, "Reference output (host-validated path).");
    }

    static void FullyConnectedCase(CSharpWriter w, Rng rng)
    {
        var p = new FullyConnectedParams { InputSize = 24, OutputSize = 5, InputZeroPoint = -3, OutputZeroPoint = 10 };
        p.Weights = rng.SBytes(p.InputSize * p.OutputSize, -127, 127);
        p.Bias = rng.Ints(p.OutputSize, -3000, 3000);
        var ws = new double[p.OutputSize];
        for (int c = 0; c < ws.Length; c++) ws[c] = rng.Double(0.002, 0.006);
        p.SetScales(0.03, ws, 0.04);
        sbyte[] input = rng.SBytes(p.InputSize);
        var output = new sbyte[p.OutputSize];
        FullyConnected.Reference(p, input, 0, output, 0);
        CheckNotDegenerate("FullyConnected", output);
        w.ParamsMethod("FullyConnected24To5Params", p, "FullyConnected 24 -> 5, per-channel weight scales.");
        w.ArrayMethod("FullyConnected24To5Input", input);
        w.ArrayMethod("FullyConnected24To5Expected", output, "Reference output (host-validated path).");
    }

    static void AddCase(CSharpWriter w, Rng rng)
    {
        var p = new AddParams { Size = 40, Input1ZeroPoint = -7, Input2ZeroPoint = 12, OutputZeroPoint = -2 };
        p.SetScales(0.05, 0.031, 0.07);
        sbyte[] a = rng.SBytes(p.Size), b = rng.SBytes(p.Size);
        var output = new sbyte[p.Size];
        Add.Reference(p, a, 0, b, 0, output, 0);
        CheckNotDegenerate("Add", output);
        w.ParamsMethod("Add40Params", p, "Add of 40 values, scales 0.05 + 0.031 -> 0.07.");
        w.ArrayMethod("Add40Input1", a);
        w.ArrayMethod("Add40Input2", b);
        w.ArrayMethod("Add40Expected", output, "Reference output (host-validated path).");
    }

    static void PoolCase(CSharpWriter w, Rng rng, string name, bool average, int h, int wd, int c, int f, int stride, Padding padding)
    {
        var p = new PoolParams { InputHeight = h, InputWidth = wd, Channels = c, FilterHeight = f, FilterWidth = f, StrideHeight = stride, StrideWidth = stride };
        p.SetPadding(padding);
        sbyte[] input = rng.SBytes(p.InputSize);
        var output = new sbyte[p.OutputSize];
        if (average) AveragePool2D.Reference(p, input, 0, output, 0);
        else MaxPool2D.Reference(p, input, 0, output, 0);
        CheckNotDegenerate(name, output);
        w.ParamsMethod(name + "Params", p, $"{name} {h}x{wd}x{c}, filter {f}, stride {stride}, {padding}.");
        w.ArrayMethod(name + "Input", input);
        w.ArrayMethod(name + "Expected", output, "Reference output (host-validated path).");
    }

    static void GlobalPoolCase(CSharpWriter w, Rng rng)
    {
        var p = new GlobalAveragePoolParams { Height = 5, Width = 5, Channels = 6, InputZeroPoint = -11, OutputZeroPoint = 4 };
        p.SetScales(0.04, 0.015);
        sbyte[] input = rng.SBytes(p.InputSize);
        var output = new sbyte[p.Channels];
        GlobalAveragePool.Reference(p, input, 0, output, 0);
        CheckNotDegenerate("GlobalAveragePool", output);
        w.ParamsMethod("GlobalAveragePool5x5Params", p, "GlobalAveragePool 5x5x6 -> 6.");
        w.ArrayMethod("GlobalAveragePool5x5Input", input);
        w.ArrayMethod("GlobalAveragePool5x5Expected", output, "Reference output (host-validated path).");
    }

    static void SoftmaxCase(CSharpWriter w, Rng rng)
    {
        var p = new SoftmaxParams { Rows = 2, Depth = 10 };
        p.SetScale(1.0, 0.1);
        sbyte[] input = rng.SBytes(p.Rows * p.Depth);
        var output = new sbyte[input.Length];
        Softmax.Reference(p, input, 0, output, 0);
        CheckNotDegenerate("Softmax", output);
        w.ParamsMethod("Softmax2x10Params", p, "Softmax, 2 rows of 10, beta 1, input scale 0.1.");
        w.ArrayMethod("Softmax2x10Input", input);
        w.ArrayMethod("Softmax2x10Expected", output, "Reference output (host-validated path).");
    }

    /// <summary>A vector whose output is one clamped value tests nothing: refuse to emit it.</summary>
    static void CheckNotDegenerate(string name, sbyte[] output)
    {
        if (output.Distinct().Count() < Math.Min(4, output.Length))
            throw new InvalidOperationException($"{name}: golden output has too few distinct values ({string.Join(",", output.Select(v => v.ToString(CultureInfo.InvariantCulture)))}); pick other scales");
    }
}
