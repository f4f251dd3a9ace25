using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// One operator of a loaded model: what its file entry says (kind, tensors, window, padding,
    /// clamp, constants), validated, and read-only after load. Each kind is one class (made by
    /// OperatorRegistry from the entry's kind byte) that keeps its whole life cycle in one place,
    /// like a TFLite Micro registration or an ESP-DL module: <c>Decode</c> checks the entry's
    /// kind-specific rules while the file is read, <c>Prepare</c> builds the kernel's parameters
    /// once at load (requantization multipliers, folded bias), <c>ScratchSize</c> says the longs of
    /// shared scratch its kernel needs, <c>Run</c> runs the kernel on the arena (one virtual call per operator and frame, no
    /// cast). docs/KERNELS.md "Adding an operator" walks through a new kind.
    /// </summary>
    public abstract class Operator
    {
        readonly int index;
        internal Tensor input, output;
        // What the entry says, packed one byte per value (each field of an object is a 12-byte
        // heap block on nanoFramework): window = kernel H | W << 8 | stride H << 16 | W << 24;
        // pads = top | left << 8 | bottom << 16 | right << 24 (explicit padding only);
        // attributes = clamp min & 255 | (max & 255) << 8 | padding code << 16.
        internal int window, pads, attributes;

        internal Operator(int index)
        {
            this.index = index;
        }

        /// <summary>Position in the operator table, which is the execution order.</summary>
        public int Index { get { return index; } }
        /// <summary>What the operator computes (file byte 0 of the entry).</summary>
        public abstract OperatorKind Kind { get; }
        /// <summary>First (for most kinds the only) input tensor.</summary>
        public Tensor Input { get { return input; } }
        /// <summary>Second input of Add; null for the other kinds.</summary>
        public virtual Tensor Input2 { get { return null; } }
        /// <summary>Tensor this operator writes (never tensor 0, written by no other operator).</summary>
        public Tensor Output { get { return output; } }
        /// <summary>Lower clamp of the int8 output (the fused activation), inclusive.</summary>
        public int ActivationMin { get { return (sbyte)attributes; } }
        /// <summary>Upper clamp of the int8 output, inclusive (at least ActivationMin).</summary>
        public int ActivationMax { get { return (sbyte)(attributes >> 8); } }
        /// <summary>TFLite padding mode of a windowed kind (Valid when <see cref="Explicit"/> and for other kinds).</summary>
        public Padding Padding { get { return ((attributes >> 16) & 255) == ModelFormat.PaddingSame ? Padding.Same : Padding.Valid; } }
        /// <summary>True when the file gives the padding explicitly (<see cref="PadTop"/> .. <see cref="PadRight"/>).</summary>
        public bool Explicit { get { return ((attributes >> 16) & 255) == ModelFormat.PaddingExplicit; } }
        /// <summary>Explicit zero-point padding rows above the input (0 unless <see cref="Explicit"/>).</summary>
        public int PadTop { get { return pads & 255; } }
        /// <summary>Explicit padding columns left of the input.</summary>
        public int PadLeft { get { return (pads >> 8) & 255; } }
        /// <summary>Explicit padding rows below the input.</summary>
        public int PadBottom { get { return (pads >> 16) & 255; } }
        /// <summary>Explicit padding columns right of the input.</summary>
        public int PadRight { get { return (pads >> 24) & 255; } }
        /// <summary>Window rows of Conv2D, DepthwiseConv2D and the pools; 0 for other kinds.</summary>
        public int KernelHeight { get { return window & 255; } }
        /// <summary>Window columns of the windowed kinds; 0 for other kinds.</summary>
        public int KernelWidth { get { return (window >> 8) & 255; } }
        /// <summary>Row step of the window (windowed kinds); 0 for other kinds.</summary>
        public int StrideHeight { get { return (window >> 16) & 255; } }
        /// <summary>Column step of the window (windowed kinds); 0 for other kinds.</summary>
        public int StrideWidth { get { return (window >> 24) & 255; } }
        /// <summary>Offset of this operator's int8 weights in <see cref="Model.Weights"/>; -1 without weights.</summary>
        public virtual int WeightsOffset { get { return -1; } }
        /// <summary>Number of int8 weights (bytes) in <see cref="Model.Weights"/>; 0 without weights.</summary>
        public virtual int WeightsLength { get { return 0; } }
        /// <summary>int32 bias per output channel as in the file, or null (none in the file, or dropped after load: see <see cref="Model.Load(IModelSource, bool)"/>).</summary>
        public virtual int[] Bias { get { return null; } }
        /// <summary>Weight scale per output channel of the weighted kinds as in the file; null for other kinds and after load unless the model keeps its reference data.</summary>
        public virtual float[] WeightScales { get { return null; } }
        /// <summary>Multiply-accumulates of one run (docs/FORMAT.md says how each kind counts).</summary>
        public abstract long Macs { get; }

        /// <summary>The kind's name, for messages.</summary>
        internal abstract string KindName { get; }

        /// <summary>True for the kinds whose kernel may write its output over an input of the same size (Add, Softmax, a 1x1 stride-1 Conv2D with InputChannels == OutputChannels); the arena planner then lets them share a buffer.</summary>
        internal virtual bool WritesOverInput { get { return false; } }

        /// <summary>True for the kinds whose entry names a second input (bytes 6..7), false when it must be 0xFFFF.</summary>
        internal virtual bool TakesSecondInput { get { return false; } }

        /// <summary>Set by the reader for kinds that take a second input.</summary>
        internal virtual void SetSecondInput(Tensor t) { }

        /// <summary>
        /// Checks what the kind requires of its entry while the file is read (the common fields are
        /// read and checked already: tensors, clamp, window bytes, padding): shapes, constants
        /// (read into the model's weight store), quantization. ModelFormatException naming the byte.
        /// </summary>
        internal abstract void Decode(ModelReader reader, int entry);

        /// <summary>Builds the kernel's parameters (once, at load, after arena planning) and runs the kernel's Prepare. An ArgumentException from a kernel is reported by the caller as a ModelFormatException.</summary>
        internal abstract void Prepare(Model model);

        /// <summary>Longs of scratch Run needs (after Prepare); the Interpreter allocates the largest over the operators.</summary>
        internal abstract int ScratchSize();

        /// <summary>Drops what only loading and the kernels' Reference loops read (raw bias, weight scales).</summary>
        internal virtual void DropReferenceData() { }

        /// <summary>Runs the kernel: reads its input(s) from the arena, writes its output there. Allocates nothing.</summary>
        internal abstract void Run(sbyte[] arena, long[] scratch);

        /// <summary>"operator i (Kind)", for messages.</summary>
        internal string Describe()
        {
            return "operator " + index.ToString() + " (" + KindName + ")";
        }

        /// <summary>
        /// The window rule of Conv2D, DepthwiseConv2D and the pools: kernel and stride at least 1,
        /// explicit pads smaller than the kernel, and the output height and width the window gives
        /// (Geometry); the output channels must be <paramref name="outputChannels"/>.
        /// </summary>
        internal void DecodeWindow(int entry, int outputChannels)
        {
            Tensor x = input, y = output;
            int kh = KernelHeight, kw = KernelWidth, sh = StrideHeight, sw = StrideWidth;
            if (kh == 0 || kw == 0) throw ModelReader.Fail(Describe() + ": kernel size must be at least 1x1", entry + 10);
            if (sh == 0 || sw == 0) throw ModelReader.Fail(Describe() + ": stride must be at least 1", entry + 12);
            int oh, ow;
            if (Explicit)
            {
                // Each pad smaller than the kernel: every window then touches the input.
                if (PadTop >= kh || PadBottom >= kh || PadLeft >= kw || PadRight >= kw)
                    throw ModelReader.Fail(Describe() + ": explicit padding (" + PadTop.ToString() + ", " + PadLeft.ToString() + ", " + PadBottom.ToString() + ", "
                        + PadRight.ToString() + ") must be smaller than the kernel " + kh.ToString() + "x" + kw.ToString(), entry + ModelFormat.OpOffPads);
                oh = Geometry.OutputSize(x.Height + PadTop + PadBottom, kh, sh, Padding.Valid);
                ow = Geometry.OutputSize(x.Width + PadLeft + PadRight, kw, sw, Padding.Valid);
            }
            else
            {
                oh = Geometry.OutputSize(x.Height, kh, sh, Padding);
                ow = Geometry.OutputSize(x.Width, kw, sw, Padding);
            }
            if (oh < 1 || ow < 1)
                throw ModelReader.Fail(Describe() + ": kernel " + kh.ToString() + "x" + kw.ToString() + " does not fit input " + x.ShapeText() + " with its padding", entry + 10);
            if (y.Height != oh || y.Width != ow || y.Channels != outputChannels)
                throw ModelReader.Fail(Describe() + ": output " + y.ShapeText() + " should be " + oh.ToString() + "x" + ow.ToString() + "x" + outputChannels.ToString() + " for input " + x.ShapeText(), entry + 8);
        }

        /// <summary>The rule of the kinds without a window: kernel, stride and padding bytes zero.</summary>
        internal void DecodeNoWindow(int entry)
        {
            if (window != 0 || ((attributes >> 16) & 255) != ModelFormat.PaddingValid)
                throw ModelReader.Fail(Describe() + ": kernel, stride and padding must be zero for this kind", entry + 10);
        }

        /// <summary>The rule of the kinds without fused activation: the clamp is the full int8 range.</summary>
        internal void DecodeNoClamp(int entry)
        {
            if (ActivationMin != -128 || ActivationMax != 127)
                throw ModelReader.Fail(Describe() + ": this kind has no fused activation; the clamp must be [-128, 127]", entry + 2);
        }

        /// <summary>Kinds whose output keeps the input's quantization (the pools).</summary>
        internal void DecodeSameQuantization(int entry)
        {
            if (input.Scale != output.Scale || input.ZeroPoint != output.ZeroPoint)
                throw ModelReader.Fail(Describe() + ": output scale and zero point must equal the input's", entry + 8);
        }
    }
}
