using MicroT.Runtime.Kernels;
using System.Buffers.Binary;
using System.Text;
using MicroT.Runtime.Models;

namespace MicroT.ModelWriter;

/// <summary>
/// Builds a MicroT model file (docs/FORMAT.md) operator by operator. Tensor 0 is the input;
/// each operator method takes its input tensor indices and returns the index of the output
/// tensor it creates (shape computed here by the same rule the reader checks). MACs are
/// computed, not supplied. <see cref="Build"/> writes the bytes and loads them back with the
/// runtime reader, so an inconsistent model fails here with the reader's message.
/// </summary>
public sealed class ModelBuilder
{
    sealed record TensorEntry(int Height, int Width, int Channels, Quant Quant)
    {
        public int Length => Height * Width * Channels;
    }

    sealed class OpEntry
    {
        public OperatorKind Kind;
        public Padding Padding;
        public Pads? Explicit;
        public Clamp Clamp = Clamp.None;
        public int Input, Input2 = ModelFormat.NoTensor, Output;
        public int KernelHeight, KernelWidth, StrideHeight, StrideWidth;
        public sbyte[] Weights;
        public int[] Bias;
        public float[] WeightScales;
    }

    readonly List<TensorEntry> tensors = new();
    readonly List<OpEntry> ops = new();
    int split = -1, partFeature = -1, fullFeature = -1;

    public string Name { get; }
    /// <summary>How frames are resized to the input (default bilinear).</summary>
    public ResizeMode ResizeMode { get; set; } = ResizeMode.Bilinear;
    /// <summary>real input = pixel * PixelScale + PixelOffset, pixel 0..255 per channel (default: pixel / 255).</summary>
    public float PixelScale { get; set; } = 1f / 255f;
    public float PixelOffset { get; set; }

    /// <summary>Index of the input tensor (always 0).</summary>
    public int Input => 0;
    public int TensorCount => tensors.Count;
    public int OperatorCount => ops.Count;

    /// <summary>Starts a model whose input (tensor 0) is inputHeight x inputWidth x inputChannels (1 gray or 3 RGB), quantized as <paramref name="input"/>; name: 1 to 32 printable ASCII characters.</summary>
    public ModelBuilder(string name, int inputHeight, int inputWidth, int inputChannels, Quant input)
    {
        if (string.IsNullOrEmpty(name) || name.Length > ModelFormat.NameLength || name.Any(c => c < 0x20 || c > 0x7E))
            throw new ArgumentException($"model name must be 1..{ModelFormat.NameLength} printable ASCII characters", nameof(name));
        if (inputChannels != 1 && inputChannels != 3)
            throw new ArgumentException("input channels must be 1 (gray) or 3 (RGB)", nameof(inputChannels));
        Name = name;
        AddTensor(inputHeight, inputWidth, inputChannels, input);
    }

    /// <summary>Shape (height, width, channels) of a tensor made so far.</summary>
    public (int Height, int Width, int Channels) Shape(int tensor)
    {
        var t = Tensor(tensor);
        return (t.Height, t.Width, t.Channels);
    }

    /// <summary>Quantization of a tensor made so far.</summary>
    public Quant QuantOf(int tensor) => Tensor(tensor).Quant;

    /// <summary>Convolution. weights OHWI [OutC, KH, KW, InC]; one weight scale per output channel (OutC = weightScales.Length); bias int32 per channel or null.</summary>
    public int Conv2D(int input, Window window, sbyte[] weights, float[] weightScales, int[] bias, Quant output, Clamp clamp)
    {
        var x = Tensor(input);
        int outC = Channels(weightScales);
        Expect(weights, (long)outC * window.KernelHeight * window.KernelWidth * x.Channels, "Conv2D weights (OHWI)");
        var (oh, ow) = OutputSize(x, window);
        return AddOp(new OpEntry
        {
            Kind = OperatorKind.Conv2D, Input = input, Padding = window.Padding, Explicit = window.Explicit, Clamp = clamp,
            KernelHeight = window.KernelHeight, KernelWidth = window.KernelWidth, StrideHeight = window.StrideHeight, StrideWidth = window.StrideWidth,
            Weights = weights, WeightScales = weightScales, Bias = CheckBias(bias, outC),
        }, oh, ow, outC, output);
    }

    /// <summary>Depthwise convolution, depth multiplier 1. weights [KH, KW, C]; one weight scale per channel.</summary>
    public int DepthwiseConv2D(int input, Window window, sbyte[] weights, float[] weightScales, int[] bias, Quant output, Clamp clamp)
    {
        var x = Tensor(input);
        if (weightScales == null || weightScales.Length != x.Channels)
            throw new ArgumentException($"depthwise needs one weight scale per input channel ({x.Channels})", nameof(weightScales));
        Expect(weights, (long)window.KernelHeight * window.KernelWidth * x.Channels, "DepthwiseConv2D weights ([KH, KW, C])");
        var (oh, ow) = OutputSize(x, window);
        return AddOp(new OpEntry
        {
            Kind = OperatorKind.DepthwiseConv2D, Input = input, Padding = window.Padding, Explicit = window.Explicit, Clamp = clamp,
            KernelHeight = window.KernelHeight, KernelWidth = window.KernelWidth, StrideHeight = window.StrideHeight, StrideWidth = window.StrideWidth,
            Weights = weights, WeightScales = weightScales, Bias = CheckBias(bias, x.Channels),
        }, oh, ow, x.Channels, output);
    }

    /// <summary>Fully connected on the flattened (NHWC) input. weights [OutN, InN]; one scale per output; output 1x1xOutN.</summary>
    public int FullyConnected(int input, sbyte[] weights, float[] weightScales, int[] bias, Quant output, Clamp clamp)
    {
        var x = Tensor(input);
        int outN = Channels(weightScales);
        Expect(weights, (long)outN * x.Length, "FullyConnected weights ([OutN, InN])");
        return AddOp(new OpEntry
        {
            Kind = OperatorKind.FullyConnected, Input = input, Clamp = clamp,
            Weights = weights, WeightScales = weightScales, Bias = CheckBias(bias, outN),
        }, 1, 1, outN, output);
    }

    /// <summary>Element-wise a + b (same shapes), requantized to <paramref name="output"/>.</summary>
    public int Add(int a, int b, Quant output, Clamp clamp)
    {
        var x = Tensor(a);
        var y = Tensor(b);
        if (x.Height != y.Height || x.Width != y.Width || x.Channels != y.Channels)
            throw new ArgumentException($"Add needs equal shapes, got tensors {a} and {b}");
        return AddOp(new OpEntry { Kind = OperatorKind.Add, Input = a, Input2 = b, Clamp = clamp }, x.Height, x.Width, x.Channels, output);
    }

    /// <summary>Average pooling; output quantization equals the input's.</summary>
    public int AveragePool2D(int input, Window window, Clamp clamp) => Pool(OperatorKind.AveragePool2D, input, window, clamp);

    /// <summary>Max pooling; output quantization equals the input's.</summary>
    public int MaxPool2D(int input, Window window, Clamp clamp) => Pool(OperatorKind.MaxPool2D, input, window, clamp);

    /// <summary>Mean over height and width to 1x1xC, requantized to <paramref name="output"/> (pass the input's quant to keep it).</summary>
    public int GlobalAveragePool(int input, Quant output)
    {
        var x = Tensor(input);
        return AddOp(new OpEntry { Kind = OperatorKind.GlobalAveragePool, Input = input }, 1, 1, x.Channels, output);
    }

    /// <summary>Softmax over channels; output scale 1/256, zero point -128.</summary>
    public int Softmax(int input)
    {
        var x = Tensor(input);
        return AddOp(new OpEntry { Kind = OperatorKind.Softmax, Input = input }, x.Height, x.Width, x.Channels, new Quant(1f / 256f, -128));
    }

    /// <summary>
    /// The MicroT split: the part model is operators [0, splitIndex), which must write
    /// <paramref name="partFeatureTensor"/> (the pooled activation at the split); the rest
    /// [splitIndex, end) must write <paramref name="fullFeatureTensor"/>.
    /// </summary>
    public void SetSplit(int splitIndex, int partFeatureTensor, int fullFeatureTensor)
    {
        split = splitIndex;
        partFeature = partFeatureTensor;
        fullFeature = fullFeatureTensor;
    }

    (FrameFormat Format, int Width, int Height, byte[][] Frames)? selfTest;

    /// <summary>
    /// Test frames (all of one format and size) for the file's self-test section: <see cref="Build"/>
    /// runs them through the runtime and stores their features and operator output CRCs
    /// (docs/FORMAT.md "Self-test").
    /// </summary>
    public void AddSelfTest(FrameFormat format, int width, int height, IReadOnlyList<byte[]> frames) =>
        selfTest = (format, width, height, frames.ToArray());

    /// <summary>Writes the file and checks it with <see cref="Model.Load(byte[])"/> (throws its ModelFormatException if inconsistent); embeds the self-test if one was added.</summary>
    public byte[] Build()
    {
        byte[] file = Write();
        Model.Load(file);
        if (selfTest is var (format, width, height, frames)) file = SelfTestWriter.Embed(file, format, width, height, frames);
        return file;
    }

    /// <summary>Writes the file without loading it back (for tests that craft invalid files).</summary>
    public byte[] Write()
    {
        if (split < 0) throw new InvalidOperationException("call SetSplit before Build");
        int tensorTable = ModelFormat.HeaderSize;
        int opTable = tensorTable + tensors.Count * ModelFormat.TensorEntrySize;
        int dataStart = Align(opTable + ops.Count * ModelFormat.OperatorEntrySize, ModelFormat.DataAlignment);

        // Lay out the constants: per operator weights, scales, bias, each 4-byte aligned.
        var data = new MemoryStream();
        var blocks = new (long WOff, long WLen, long BOff, long BLen, long SOff, long SLen)[ops.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (op.Weights == null) continue;
            long wOff = Append(data, op.Weights.Select(v => (byte)v).ToArray());
            long sOff = Append(data, op.WeightScales.SelectMany(s => BitConverter.GetBytes(s)).ToArray());
            long bOff = 0, bLen = 0;
            if (op.Bias != null)
            {
                bOff = Append(data, op.Bias.SelectMany(b => BitConverter.GetBytes(b)).ToArray());
                bLen = 4L * op.Bias.Length;
            }
            blocks[i] = (wOff, op.Weights.Length, bOff, bLen, sOff, 4L * op.WeightScales.Length);
        }
        byte[] dataBytes = data.ToArray();
        var f = new byte[dataStart + dataBytes.Length];
        var s = f.AsSpan();

        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffMagic..], ModelFormat.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffVersion..], ModelFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffHeaderSize..], ModelFormat.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffFileLength..], (uint)f.Length);
        Encoding.ASCII.GetBytes(Name).CopyTo(f, ModelFormat.OffName);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffTensorCount..], (ushort)tensors.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffOperatorCount..], (ushort)ops.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffTensorTable..], (uint)tensorTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffOperatorTable..], (uint)opTable);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffData..], (uint)dataStart);
        BinaryPrimitives.WriteUInt32LittleEndian(s[ModelFormat.OffDataLength..], (uint)dataBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffSplitIndex..], (ushort)split);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffPartFeature..], (ushort)partFeature);
        BinaryPrimitives.WriteUInt16LittleEndian(s[ModelFormat.OffFullFeature..], (ushort)fullFeature);
        f[ModelFormat.OffResizeMode] = (byte)ResizeMode;
        BinaryPrimitives.WriteSingleLittleEndian(s[ModelFormat.OffPixelScale..], PixelScale);
        BinaryPrimitives.WriteSingleLittleEndian(s[ModelFormat.OffPixelOffset..], PixelOffset);
        long partMacs = 0, fullMacs = 0;
        for (int i = 0; i < ops.Count; i++)
        {
            long macs = Macs(ops[i]);
            fullMacs += macs;
            if (i < split) partMacs += macs;
        }
        BinaryPrimitives.WriteInt64LittleEndian(s[ModelFormat.OffPartMacs..], partMacs);
        BinaryPrimitives.WriteInt64LittleEndian(s[ModelFormat.OffFullMacs..], fullMacs);

        for (int t = 0; t < tensors.Count; t++)
        {
            var e = tensors[t];
            var p = s[(tensorTable + t * ModelFormat.TensorEntrySize)..];
            BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)e.Height);
            BinaryPrimitives.WriteUInt16LittleEndian(p[2..], (ushort)e.Width);
            BinaryPrimitives.WriteUInt16LittleEndian(p[4..], (ushort)e.Channels);
            BinaryPrimitives.WriteSingleLittleEndian(p[8..], e.Quant.Scale);
            BinaryPrimitives.WriteInt32LittleEndian(p[12..], e.Quant.ZeroPoint);
        }
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var p = s[(opTable + i * ModelFormat.OperatorEntrySize)..];
            p[0] = (byte)op.Kind;
            p[1] = op.Explicit.HasValue ? (byte)ModelFormat.PaddingExplicit : (byte)op.Padding;
            if (op.Explicit is Pads pads)
            {
                p[ModelFormat.OpOffPads] = (byte)pads.Top;
                p[ModelFormat.OpOffPads + 1] = (byte)pads.Left;
                p[ModelFormat.OpOffPads + 2] = (byte)pads.Bottom;
                p[ModelFormat.OpOffPads + 3] = (byte)pads.Right;
            }
            p[2] = (byte)(sbyte)op.Clamp.Min;
            p[3] = (byte)(sbyte)op.Clamp.Max;
            BinaryPrimitives.WriteUInt16LittleEndian(p[4..], (ushort)op.Input);
            BinaryPrimitives.WriteUInt16LittleEndian(p[6..], (ushort)op.Input2);
            BinaryPrimitives.WriteUInt16LittleEndian(p[8..], (ushort)op.Output);
            p[10] = (byte)op.KernelHeight;
            p[11] = (byte)op.KernelWidth;
            p[12] = (byte)op.StrideHeight;
            p[13] = (byte)op.StrideWidth;
            var b = blocks[i];
            BinaryPrimitives.WriteUInt32LittleEndian(p[16..], (uint)b.WOff);
            BinaryPrimitives.WriteUInt32LittleEndian(p[20..], (uint)b.WLen);
            BinaryPrimitives.WriteUInt32LittleEndian(p[24..], (uint)b.BOff);
            BinaryPrimitives.WriteUInt32LittleEndian(p[28..], (uint)b.BLen);
            BinaryPrimitives.WriteUInt32LittleEndian(p[32..], (uint)b.SOff);
            BinaryPrimitives.WriteUInt32LittleEndian(p[36..], (uint)b.SLen);
        }
        dataBytes.CopyTo(f, dataStart);
        UpdateCrc(f);
        return f;
    }

    /// <summary>Recomputes the CRC field of a file (after editing its bytes, e.g. in a fuzz test).</summary>
    public static void UpdateCrc(byte[] file)
    {
        uint crc = Crc32.Compute(file, ModelFormat.CrcStart, file.Length - ModelFormat.CrcStart);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(ModelFormat.OffCrc), crc);
    }

    long Macs(OpEntry op)
    {
        var x = tensors[op.Input];
        var y = tensors[op.Output];
        long window = (long)op.KernelHeight * op.KernelWidth;
        return op.Kind switch
        {
            OperatorKind.Conv2D => y.Length * window * x.Channels,
            OperatorKind.DepthwiseConv2D or OperatorKind.AveragePool2D or OperatorKind.MaxPool2D => y.Length * window,
            OperatorKind.FullyConnected => (long)x.Length * y.Channels,
            OperatorKind.GlobalAveragePool => x.Length,
            _ => y.Length, // Add, Softmax
        };
    }

    int Pool(OperatorKind kind, int input, Window window, Clamp clamp)
    {
        var x = Tensor(input);
        var (oh, ow) = OutputSize(x, window);
        return AddOp(new OpEntry
        {
            Kind = kind, Input = input, Padding = window.Padding, Explicit = window.Explicit, Clamp = clamp,
            KernelHeight = window.KernelHeight, KernelWidth = window.KernelWidth, StrideHeight = window.StrideHeight, StrideWidth = window.StrideWidth,
        }, oh, ow, x.Channels, x.Quant);
    }

    int AddOp(OpEntry op, int h, int w, int c, Quant output)
    {
        if (ops.Count >= ModelFormat.MaxOperators) throw new InvalidOperationException($"more than {ModelFormat.MaxOperators} operators");
        op.Output = AddTensor(h, w, c, output);
        ops.Add(op);
        return op.Output;
    }

    int AddTensor(int h, int w, int c, Quant q)
    {
        if (tensors.Count >= ModelFormat.MaxTensors) throw new InvalidOperationException($"more than {ModelFormat.MaxTensors} tensors");
        if (h < 1 || w < 1 || c < 1 || h > 65535 || w > 65535 || c > 65535)
            throw new ArgumentException($"tensor shape {h}x{w}x{c} must have dimensions in 1..65535");
        tensors.Add(new TensorEntry(h, w, c, q));
        return tensors.Count - 1;
    }

    TensorEntry Tensor(int index)
    {
        if (index < 0 || index >= tensors.Count) throw new ArgumentOutOfRangeException(nameof(index), $"tensor {index} does not exist (0..{tensors.Count - 1})");
        return tensors[index];
    }

    static (int, int) OutputSize(TensorEntry x, Window w)
    {
        if (w.KernelHeight < 1 || w.KernelWidth < 1 || w.KernelHeight > 255 || w.KernelWidth > 255 || w.StrideHeight < 1 || w.StrideWidth < 1 || w.StrideHeight > 255 || w.StrideWidth > 255)
            throw new ArgumentException($"window {w} needs kernel and stride in 1..255");
        int oh, ow;
        if (w.Explicit is Pads p)
        {
            if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0 || p.Top >= w.KernelHeight || p.Bottom >= w.KernelHeight || p.Left >= w.KernelWidth || p.Right >= w.KernelWidth)
                throw new ArgumentException($"explicit padding {p} must be >= 0 and smaller than the kernel {w.KernelHeight}x{w.KernelWidth}");
            oh = Size(x.Height + p.Top + p.Bottom, w.KernelHeight, w.StrideHeight, Padding.Valid);
            ow = Size(x.Width + p.Left + p.Right, w.KernelWidth, w.StrideWidth, Padding.Valid);
        }
        else
        {
            oh = Size(x.Height, w.KernelHeight, w.StrideHeight, w.Padding);
            ow = Size(x.Width, w.KernelWidth, w.StrideWidth, w.Padding);
        }
        if (oh < 1 || ow < 1) throw new ArgumentException($"kernel {w.KernelHeight}x{w.KernelWidth} does not fit input {x.Height}x{x.Width} with valid padding");
        return (oh, ow);
    }

    static int Size(int input, int kernel, int stride, Padding padding) => Geometry.OutputSize(input, kernel, stride, padding);

    static int Channels(float[] weightScales)
    {
        if (weightScales == null || weightScales.Length == 0) throw new ArgumentException("one weight scale per output channel is required", nameof(weightScales));
        return weightScales.Length;
    }

    static void Expect(sbyte[] weights, long count, string what)
    {
        if (weights == null || weights.Length != count) throw new ArgumentException($"{what}: expected {count} values, got {weights?.Length ?? 0}");
    }

    static int[] CheckBias(int[] bias, int channels)
    {
        if (bias != null && bias.Length != channels) throw new ArgumentException($"bias needs {channels} values, got {bias.Length}", nameof(bias));
        return bias;
    }

    static long Append(MemoryStream data, byte[] bytes)
    {
        while (data.Length % ModelFormat.ConstantAlignment != 0) data.WriteByte(0);
        long offset = data.Length;
        data.Write(bytes);
        return offset;
    }

    static int Align(int v, int a) => (v + a - 1) / a * a;
}
