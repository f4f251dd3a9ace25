using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// A validated, planned MicroT model: metadata, tensors, operators, weights and the arena
    /// plan. Immutable after <see cref="Load(IModelSource)"/>; create an <see cref="Interpreter"/> per model
    /// to run it. Loading copies what it needs, so the file buffer may be dropped afterwards.
    /// </summary>
    public sealed class Model
    {
        /// <summary>Model name from the header: printable ASCII, 1..32 characters.</summary>
        public string Name;
        /// <summary>All activation tensors in file order; tensor 0 is the input.</summary>
        public Tensor[] Tensors;
        /// <summary>The operators in table (execution) order.</summary>
        public Operator[] Operators;
        /// <summary>All int8 weights of all operators, each operator's from its <see cref="Operator.WeightsOffset"/>.</summary>
        public sbyte[] Weights;

        /// <summary>The model input, always tensor 0 (NHWC, 1 or 3 channels).</summary>
        public Tensor Input;
        /// <summary>Frame preprocessing prescribed by the file: resize mode, and real = pixel * PixelScale + PixelOffset for each 0..255 channel value.</summary>
        public ResizeMode ResizeMode;
        /// <summary>Multiplier from a 0..255 pixel value to the real input value.</summary>
        public float PixelScale;
        /// <summary>Added after scaling: real input = pixel * PixelScale + PixelOffset.</summary>
        public float PixelOffset;
        /// <summary>Quantized input value for every 8-bit pixel value (built at load from PixelScale, PixelOffset and the input quantization).</summary>
        public sbyte[] PixelLut;

        /// <summary>The part model is operators [0, SplitIndex); the rest is [SplitIndex, OperatorCount).</summary>
        public int SplitIndex;
        /// <summary>Feature tensor of the part model (written by an operator before the split, normally the global pool).</summary>
        public Tensor PartFeature;
        /// <summary>Feature tensor of the full model (written by an operator at or after the split).</summary>
        public Tensor FullFeature;
        /// <summary>Multiply-accumulates of operators [0, SplitIndex), recomputed at load and checked against the header.</summary>
        public long PartMacs;
        /// <summary>Multiply-accumulates of all operators (a full run), recomputed at load and checked against the header.</summary>
        public long FullMacs;

        /// <summary>Bytes of the planned arena, and what it would be with every tensor in its own buffer.</summary>
        public int ArenaSize;
        /// <summary>Bytes the arena would need with every tensor in its own 4-byte-aligned buffer (for comparison).</summary>
        public int NaiveArenaSize;
        /// <summary>Longs of kernel scratch an Interpreter allocates (the largest ScratchSize over the operators).</summary>
        public int ScratchLength;

        /// <summary>
        /// The optional self-test section (docs/FORMAT.md "Self-test"): absolute file offset and
        /// length (0 when the file has none) and its frame count. Run it with
        /// <see cref="Interpreter.SelfTest(IModelSource)"/>.
        /// </summary>
        public int SelfTestOffset;
        /// <summary>Length in bytes of the self-test section; 0 when the file has none.</summary>
        public int SelfTestLength;
        /// <summary>Number of test frames in the self-test section (1..64; 0 without one).</summary>
        public int SelfTestFrames;
        /// <summary>Bytes of the file it was loaded from.</summary>
        public int FileLength;
        /// <summary>True when loaded with keepReferenceData (bias and weight scales kept; Reference loops may run).</summary>
        public bool KeepsReferenceData;

        /// <summary>Number of operators (N, 2..256).</summary>
        public int OperatorCount { get { return Operators.Length; } }
        /// <summary>Height of the input tensor in pixels.</summary>
        public int InputHeight { get { return Input.Height; } }
        /// <summary>Width of the input tensor in pixels.</summary>
        public int InputWidth { get { return Input.Width; } }
        /// <summary>Channels of the input tensor: 1 (gray) or 3 (RGB).</summary>
        public int InputChannels { get { return Input.Channels; } }
        /// <summary>Quantization scale of the input: real = (q - InputZeroPoint) * InputScale.</summary>
        public float InputScale { get { return Input.Scale; } }
        /// <summary>Quantization zero point of the input (-128..127).</summary>
        public int InputZeroPoint { get { return Input.ZeroPoint; } }
        /// <summary>Number of int8 values (bytes) of the part features.</summary>
        public int PartFeatureLength { get { return PartFeature.Length; } }
        /// <summary>Number of int8 values (bytes) of the full features.</summary>
        public int FullFeatureLength { get { return FullFeature.Length; } }
        /// <summary>Quantization scale of the part features.</summary>
        public float PartFeatureScale { get { return PartFeature.Scale; } }
        /// <summary>Quantization zero point of the part features.</summary>
        public int PartFeatureZeroPoint { get { return PartFeature.ZeroPoint; } }
        /// <summary>Quantization scale of the full features.</summary>
        public float FullFeatureScale { get { return FullFeature.Scale; } }
        /// <summary>Quantization zero point of the full features.</summary>
        public int FullFeatureZeroPoint { get { return FullFeature.ZeroPoint; } }
        /// <summary>Multiply-accumulates of the rest (the full model resumed from the split).</summary>
        public long RestMacs { get { return FullMacs - PartMacs; } }

        internal Model() { }

        /// <summary>
        /// Validates a model file completely (docs/FORMAT.md), plans its arena and prepares its
        /// operators. Throws <see cref="ModelFormatException"/> for any problem with the content,
        /// <see cref="ArgumentNullException"/> for a null buffer. The model keeps nothing of the
        /// buffer, so it may be dropped afterwards.
        /// </summary>
        public static Model Load(byte[] file)
        {
            if (file == null) throw new ArgumentNullException("file");
            return Load(new ByteArraySource(file));
        }

        /// <summary>
        /// Loads from a source read by position (for example a <see cref="ChunkedSource"/> of
        /// array-initializer chunks), so the whole file is never one array in RAM. Same checks
        /// and exceptions as <see cref="Load(byte[])"/>.
        /// </summary>
        public static Model Load(IModelSource source)
        {
            return Load(source, false);
        }

        /// <summary>
        /// As <see cref="Load(IModelSource)"/>; <paramref name="keepReferenceData"/> true keeps what
        /// only loading and the kernels' Reference loops need (Operator.Bias and WeightScales, the
        /// parameters' Bias), for host tools and tests that run Reference or show them. Without it
        /// (the device default) they are dropped after preparation: the tuned Run paths use the
        /// folded bias and the multipliers, and Reference must not be run on such parameters.
        /// </summary>
        public static Model Load(IModelSource source, bool keepReferenceData)
        {
            if (source == null) throw new ArgumentNullException("source");
            Model model = ModelReader.Read(source);
            model.KeepsReferenceData = keepReferenceData;
            ArenaPlanner.Plan(model);
            if (model.ArenaSize > ModelFormat.MaxArenaBytes)
                throw new ModelFormatException("arena of " + model.ArenaSize.ToString() + " bytes exceeds the limit of "
                    + ModelFormat.MaxArenaBytes.ToString(), -1);
            OperatorPreparation.Prepare(model);
            model.PixelLut = FramePreprocessor.BuildPixelLut(model.PixelScale, model.PixelOffset, model.Input.Scale, model.Input.ZeroPoint);
            ChunkedSource chunked = source as ChunkedSource;
            if (chunked != null) chunked.Release();
            return model;
        }
    }
}
