using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Runs a loaded <see cref="Model"/> on one preallocated arena. Create one per model (it
    /// allocates the arena and the kernels' scratch once); after that, preprocessing and
    /// inference allocate nothing.
    /// <para>
    /// A pass starts with SetInput. RunPart runs operators [0, SplitIndex) and leaves the part
    /// features readable; RunRest then runs [SplitIndex, end), resuming from the split
    /// activation still in the arena (nothing of the part is recomputed); RunFull runs
    /// everything. Calls out of this order throw InvalidOperationException, because the arena
    /// reuses buffers: after a pass the input may be overwritten, so the next pass needs SetInput.
    /// </para>
    /// </summary>
    public sealed class Interpreter
    {
        readonly Model model;
        readonly Operator[] ops;
        readonly long[] scratch;
        readonly int inputLength, partLength, fullLength, inputHeight, inputWidth, inputChannels;
        /// <summary>Next operator of the current pass; -1 before SetInput.</summary>
        int next = -1;

        /// <summary>
        /// The arena holding every activation. Read the features from it at
        /// <see cref="PartFeatureOffset"/> / <see cref="FullFeatureOffset"/> (lengths in the model);
        /// other tensors are valid only while the planner keeps them alive.
        /// </summary>
        public readonly sbyte[] Arena;
        /// <summary>Offset of the model input (tensor 0) in <see cref="Arena"/>; SetInput writes it there.</summary>
        public readonly int InputOffset;
        /// <summary>Offset of the part-feature tensor in <see cref="Arena"/>; valid once <see cref="PartDone"/>.</summary>
        public readonly int PartFeatureOffset;
        /// <summary>Offset of the full-feature tensor in <see cref="Arena"/>; valid once <see cref="FullDone"/>.</summary>
        public readonly int FullFeatureOffset;

        /// <summary>Allocates the arena (<see cref="Model.ArenaSize"/> bytes) and the kernel scratch (<see cref="Model.ScratchLength"/> longs) for a loaded model; ArgumentNullException for null.</summary>
        public Interpreter(Model model)
        {
            if (model == null) throw new ArgumentNullException("model");
            this.model = model;
            ops = model.Operators;
            Arena = new sbyte[model.ArenaSize];
            scratch = model.ScratchLength > 0 ? new long[model.ScratchLength] : null;
            InputOffset = model.input.ArenaOffset;
            PartFeatureOffset = model.partFeature.ArenaOffset;
            FullFeatureOffset = model.fullFeature.ArenaOffset;
            inputLength = model.input.Length;
            inputHeight = model.input.Height;
            inputWidth = model.input.Width;
            inputChannels = model.input.Channels;
            partLength = model.partFeature.Length;
            fullLength = model.fullFeature.Length;
        }

        /// <summary>The model this interpreter runs.</summary>
        public Model Model { get { return model; } }

        /// <summary>True after RunPart (or RunFull) of the current pass: the part features are valid.</summary>
        public bool PartDone { get { return next >= model.splitIndex; } }

        /// <summary>True after RunRest or RunFull of the current pass: the full features are valid.</summary>
        public bool FullDone { get { return next == ops.Length; } }

        /// <summary>
        /// Preprocesses a raw frame (any size) into the input as the model file prescribes
        /// (resize mode, pixel scale/offset, input quantization). Allocates nothing.
        /// ArgumentException when the buffer is not width x height pixels of the format.
        /// </summary>
        public void SetInput(byte[] frame, FrameFormat format, int width, int height)
        {
            FramePreprocessor.Run(frame, format, width, height, model.resizeMode, model.pixelLut,
                Arena, InputOffset, inputHeight, inputWidth, inputChannels);
            next = 0;
        }

        /// <summary>
        /// Copies already quantized input values (NHWC, Height x Width x Channels of the input
        /// tensor) into the arena. ArgumentException naming the expected shape otherwise.
        /// </summary>
        public void SetInput(sbyte[] quantized)
        {
            if (quantized == null) throw new ArgumentNullException("quantized", "expected " + InputShapeText());
            if (quantized.Length != inputLength)
                throw new ArgumentException("input has " + quantized.Length.ToString() + " values; model '" + model.Name
                    + "' expects " + InputShapeText(), "quantized");
            Array.Copy(quantized, 0, Arena, InputOffset, inputLength);
            next = 0;
        }

        /// <summary>Runs the part model, operators [0, SplitIndex). Needs SetInput first.</summary>
        public void RunPart()
        {
            if (next != 0) throw new InvalidOperationException(next < 0 ? "call SetInput before RunPart" : "RunPart needs a new SetInput (this input has been run)");
            Execute(0, model.splitIndex);
        }

        /// <summary>Runs the rest, operators [SplitIndex, end), from the split activation RunPart left in the arena.</summary>
        public void RunRest()
        {
            if (next != model.splitIndex)
                throw new InvalidOperationException(next == ops.Length ? "RunRest: this input has already run to the end" : "RunRest needs RunPart first");
            Execute(model.splitIndex, ops.Length);
        }

        /// <summary>Runs the whole model, operators [0, end). Needs SetInput first.</summary>
        public void RunFull()
        {
            if (next != 0) throw new InvalidOperationException(next < 0 ? "call SetInput before RunFull" : "RunFull needs a new SetInput (this input has been run)");
            Execute(0, ops.Length);
        }

        /// <summary>
        /// Runs operators [first, end) of the current pass; first must be where the pass stands
        /// (0 after SetInput), because each operator reads what the earlier ones left.
        /// </summary>
        public void Run(int first, int end)
        {
            if (first != next || next < 0) throw new InvalidOperationException("Run: the pass stands at operator " + next.ToString() + " (-1: no input), not " + first.ToString());
            if (end < first || end > ops.Length) throw new ArgumentOutOfRangeException("end", "must be in [" + first.ToString() + ", " + ops.Length.ToString() + "]");
            Execute(first, end);
        }

        /// <summary>
        /// Runs the test frames stored in the model file's self-test section (docs/FORMAT.md
        /// "Self-test") and compares the part features, full features and each operator's output
        /// with what the writer's host runtime computed: the device check that it computes what
        /// the PC computed. <paramref name="source"/> is the file the model was loaded from (the
        /// section is read from it again, not kept in RAM). Before the frames and after them it
        /// compares the weights' CRC-32 with the one taken at load (<see cref="Models.Model.WeightsCrc"/>):
        /// weights changed in RAM fail it as "weights changed since load" (<see cref="SelfTestResult.WeightsChanged"/>),
        /// not as a plain output mismatch. Allocates one frame buffer and a
        /// 256-byte block. Ends the current pass (call SetInput again afterwards).
        /// InvalidOperationException when the model has no self-test.
        /// </summary>
        public SelfTestResult SelfTest(IModelSource source)
        {
            return Models.SelfTest.Run(this, source);
        }

        /// <summary>Same as <see cref="SelfTest(IModelSource)"/> for a file held in one array.</summary>
        public SelfTestResult SelfTest(byte[] file)
        {
            if (file == null) throw new ArgumentNullException("file");
            return Models.SelfTest.Run(this, new ByteArraySource(file));
        }

        /// <summary>Copies the part features (PartFeatureLength int8 values) into dest at offset.</summary>
        public void CopyPartFeatures(sbyte[] dest, int offset)
        {
            if (!PartDone) throw new InvalidOperationException("part features need RunPart or RunFull first");
            CopyOut(PartFeatureOffset, partLength, dest, offset);
        }

        /// <summary>Copies the full features (FullFeatureLength int8 values) into dest at offset.</summary>
        public void CopyFullFeatures(sbyte[] dest, int offset)
        {
            if (!FullDone) throw new InvalidOperationException("full features need RunRest or RunFull first");
            CopyOut(FullFeatureOffset, fullLength, dest, offset);
        }

        void CopyOut(int from, int length, sbyte[] dest, int offset)
        {
            if (dest == null) throw new ArgumentNullException("dest");
            if (offset < 0 || offset > dest.Length || dest.Length - offset < length)
                throw new ArgumentException("dest needs " + length.ToString() + " values from offset " + offset.ToString(), "dest");
            Array.Copy(Arena, from, dest, offset, length);
        }

        string InputShapeText()
        {
            return model.input.ShapeText() + " = " + inputLength.ToString() + " int8 values";
        }

        void Execute(int first, int end)
        {
            sbyte[] a = Arena;
            long[] s = scratch;
            // One virtual call per operator: each kind's Run knows its kernel, parameters and tensors.
            for (int i = first; i < end; i++)
            {
                ops[i].Run(a, s);
                next = i + 1;
            }
        }
    }
}
