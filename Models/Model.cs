using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// A validated, planned MicroT model: metadata, tensors, operators, weights and the arena
    /// plan. Read-only after <see cref="Load(IModelSource)"/> (no public setters; its Tensors and
    /// Operators neither); create an <see cref="Interpreter"/> per model
    /// to run it. Loading copies what it needs, so the file buffer may be dropped afterwards.
    /// </summary>
    public sealed class Model
    {
        /// <summary>Model name from the header: printable ASCII, 1..32 characters.</summary>
        public string Name { get { return name; } }
        internal string name;
        /// <summary>All activation tensors in file order; tensor 0 is the input.</summary>
        public Tensor[] Tensors { get { return tensors; } }
        internal Tensor[] tensors;
        /// <summary>The operators in table (execution) order.</summary>
        public Operator[] Operators { get { return operators; } }
        internal Operator[] operators;
        /// <summary>All int8 weights of all operators, each operator's from its <see cref="Operator.WeightsOffset"/>.</summary>
        public sbyte[] Weights { get { return weights; } }
        internal sbyte[] weights;

        /// <summary>The model input, always tensor 0 (NHWC, 1 or 3 channels).</summary>
        public Tensor Input { get { return input; } }
        internal Tensor input;
        /// <summary>Frame preprocessing prescribed by the file: resize mode, and real = pixel * PixelScale + PixelOffset for each 0..255 channel value.</summary>
        public ResizeMode ResizeMode { get { return resizeMode; } }
        internal ResizeMode resizeMode;
        /// <summary>Multiplier from a 0..255 pixel value to the real input value.</summary>
        public float PixelScale { get { return pixelScale; } }
        internal float pixelScale;
        /// <summary>Added after scaling: real input = pixel * PixelScale + PixelOffset.</summary>
        public float PixelOffset { get { return pixelOffset; } }
        internal float pixelOffset;
        /// <summary>Quantized input value for every 8-bit pixel value (built at load from PixelScale, PixelOffset and the input quantization).</summary>
        public sbyte[] PixelLut { get { return pixelLut; } }
        internal sbyte[] pixelLut;

        /// <summary>The part model is operators [0, SplitIndex); the rest is [SplitIndex, OperatorCount).</summary>
        public int SplitIndex { get { return splitIndex; } }
        internal int splitIndex;
        /// <summary>Feature tensor of the part model (written by an operator before the split, normally the global pool).</summary>
        public Tensor PartFeature { get { return partFeature; } }
        internal Tensor partFeature;
        /// <summary>Feature tensor of the full model (written by an operator at or after the split).</summary>
        public Tensor FullFeature { get { return fullFeature; } }
        internal Tensor fullFeature;
        /// <summary>Multiply-accumulates of operators [0, SplitIndex), recomputed at load and checked against the header.</summary>
        public long PartMacs { get { return partMacs; } }
        internal long partMacs;
        /// <summary>Multiply-accumulates of all operators (a full run), recomputed at load and checked against the header.</summary>
        public long FullMacs { get { return fullMacs; } }
        internal long fullMacs;

        /// <summary>Bytes of the planned arena, and what it would be with every tensor in its own buffer.</summary>
        public int ArenaSize { get { return arenaSize; } }
        internal int arenaSize;
        /// <summary>Bytes the arena would need with every tensor in its own 4-byte-aligned buffer (for comparison).</summary>
        public int NaiveArenaSize { get { return naiveArenaSize; } }
        internal int naiveArenaSize;
        /// <summary>Longs of kernel scratch an Interpreter allocates (the largest ScratchSize over the operators).</summary>
        public int ScratchLength { get { return scratchLength; } }
        internal int scratchLength;

        /// <summary>
        /// The optional self-test section (docs/FORMAT.md "Self-test"): absolute file offset and
        /// length (0 when the file has none) and its frame count. Run it with
        /// <see cref="Interpreter.SelfTest(IModelSource)"/>.
        /// </summary>
        public int SelfTestOffset { get { return selfTestOffset; } }
        internal int selfTestOffset;
        /// <summary>Length in bytes of the self-test section; 0 when the file has none.</summary>
        public int SelfTestLength { get { return selfTestLength; } }
        internal int selfTestLength;
        /// <summary>Number of test frames in the self-test section (1..64; 0 without one).</summary>
        public int SelfTestFrames { get { return selfTestFrames; } }
        internal int selfTestFrames;
        /// <summary>Bytes of the file it was loaded from.</summary>
        public int FileLength { get { return fileLength; } }
        internal int fileLength;
        /// <summary>True when loaded with keepReferenceData (bias and weight scales kept; Reference loops may run).</summary>
        public bool KeepsReferenceData { get { return keepsReferenceData; } }
        internal bool keepsReferenceData;

        /// <summary>
        /// CRC-32 (<see cref="Crc32"/>) of <see cref="Weights"/> as loading left them.
        /// <see cref="Interpreter.SelfTest(IModelSource)"/> compares it with the weights in RAM, so a
        /// model corrupted after load (docs/DEVICE.md: a CLR defect was seen to set single bits) is
        /// named as such; <see cref="WeightsUnchanged"/> checks it alone.
        /// </summary>
        public uint WeightsCrc { get { return weightsCrc; } }
        internal uint weightsCrc;

        /// <summary>
        /// True when the weights in RAM still have the CRC-32 they had at load (<see cref="WeightsCrc"/>);
        /// one pass over the weight bytes, allocates nothing.
        /// </summary>
        public bool WeightsUnchanged()
        {
            return Crc32.Compute(weights, 0, weights.Length) == weightsCrc;
        }

        /// <summary>Number of operators (N, 2..256).</summary>
        public int OperatorCount { get { return operators.Length; } }
        /// <summary>Height of the input tensor in pixels.</summary>
        public int InputHeight { get { return input.Height; } }
        /// <summary>Width of the input tensor in pixels.</summary>
        public int InputWidth { get { return input.Width; } }
        /// <summary>Channels of the input tensor: 1 (gray) or 3 (RGB).</summary>
        public int InputChannels { get { return input.Channels; } }
        /// <summary>Quantization scale of the input: real = (q - InputZeroPoint) * InputScale.</summary>
        public float InputScale { get { return input.Scale; } }
        /// <summary>Quantization zero point of the input (-128..127).</summary>
        public int InputZeroPoint { get { return input.ZeroPoint; } }
        /// <summary>Number of int8 values (bytes) of the part features.</summary>
        public int PartFeatureLength { get { return partFeature.Length; } }
        /// <summary>Number of int8 values (bytes) of the full features.</summary>
        public int FullFeatureLength { get { return fullFeature.Length; } }
        /// <summary>Quantization scale of the part features.</summary>
        public float PartFeatureScale { get { return partFeature.Scale; } }
        /// <summary>Quantization zero point of the part features.</summary>
        public int PartFeatureZeroPoint { get { return partFeature.ZeroPoint; } }
        /// <summary>Quantization scale of the full features.</summary>
        public float FullFeatureScale { get { return fullFeature.Scale; } }
        /// <summary>Quantization zero point of the full features.</summary>
        public int FullFeatureZeroPoint { get { return fullFeature.ZeroPoint; } }
        /// <summary>Multiply-accumulates of the rest (the full model resumed from the split).</summary>
        public long RestMacs { get { return fullMacs - partMacs; } }

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
            model.keepsReferenceData = keepReferenceData;
            ArenaPlanner.Plan(model);
            if (model.ArenaSize > ModelFormat.MaxArenaBytes)
                throw new ModelFormatException("arena of " + model.ArenaSize.ToString() + " bytes exceeds the limit of "
                    + ModelFormat.MaxArenaBytes.ToString(), -1);
            OperatorPreparation.Prepare(model);
            model.pixelLut = FramePreprocessor.BuildPixelLut(model.PixelScale, model.PixelOffset, model.Input.Scale, model.Input.ZeroPoint);
            model.weightsCrc = Crc32.Compute(model.weights, 0, model.weights.Length);
            ChunkedSource chunked = source as ChunkedSource;
            if (chunked != null) chunked.Release();
            return model;
        }
    }
}
