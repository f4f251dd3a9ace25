namespace MicroT.ModelWriter;

/// <summary>Quantization of an int8 activation tensor: real = (q - ZeroPoint) * Scale.</summary>
public readonly record struct Quant(float Scale, int ZeroPoint);

/// <summary>The fused activation as an int8 clamp [Min, Max] of the output (TFLite style).</summary>
public readonly record struct Clamp(int Min, int Max)
{
    /// <summary>No activation: the full int8 range.</summary>
    public static Clamp None => new(-128, 127);

    /// <summary>ReLU: outputs below real 0 are clamped to the zero point (the runtime's Quantization.ActivationRange).</summary>
    public static Clamp Relu(Quant output) => Of(MicroT.Runtime.Kernels.FusedActivation.Relu, output);

    /// <summary>ReLU6: [real 0, real 6] in the output's quantization (the runtime's Quantization.ActivationRange).</summary>
    public static Clamp Relu6(Quant output) => Of(MicroT.Runtime.Kernels.FusedActivation.Relu6, output);

    static Clamp Of(MicroT.Runtime.Kernels.FusedActivation activation, Quant output)
    {
        MicroT.Runtime.Kernels.Quantization.ActivationRange(activation, output.Scale, output.ZeroPoint, out int min, out int max);
        return new(min, max);
    }
}

/// <summary>Explicit zero-point padding of a window's input (rows above, columns left, rows below, columns right).</summary>
public readonly record struct Pads(int Top, int Left, int Bottom, int Right);

/// <summary>
/// Window of a convolution or pool: kernel size, strides, padding (TFLite SAME/VALID, or
/// <paramref name="Explicit"/> pads, which override Padding; docs/FORMAT.md padding code 2).
/// </summary>
public readonly record struct Window(int KernelHeight, int KernelWidth, int StrideHeight = 1, int StrideWidth = 1,
    MicroT.Runtime.Kernels.Padding Padding = MicroT.Runtime.Kernels.Padding.Same, Pads? Explicit = null)
{
    /// <summary>A square kernel with one stride.</summary>
    public static Window Square(int kernel, int stride = 1, MicroT.Runtime.Kernels.Padding padding = MicroT.Runtime.Kernels.Padding.Same) =>
        new(kernel, kernel, stride, stride, padding);

    /// <summary>A square kernel with one stride and the same explicit padding on every side (PyTorch's padding = pad).</summary>
    public static Window Padded(int kernel, int stride, int pad) =>
        new(kernel, kernel, stride, stride, MicroT.Runtime.Kernels.Padding.Valid, new Pads(pad, pad, pad, pad));
}
