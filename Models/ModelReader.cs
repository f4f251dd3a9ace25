using System;
using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Parses and validates a model file (docs/FORMAT.md) into a <see cref="Model"/>. Every count,
    /// offset and length is checked against the buffer and the limits before it is used, so a
    /// crafted file ends in a <see cref="ModelFormatException"/> and never in an index error,
    /// a huge allocation or a long loop.
    /// </summary>
    internal sealed class ModelReader
    {
        /// <summary>Bytes the loader reads from the source at a time (and its one read buffer).</summary>
        internal const int BlockSize = 256;

        internal static Model Read(IModelSource source)
        {
            int length = source.Length;
            if (length < ModelFormat.HeaderSize)
                throw Fail("file is " + length.ToString() + " bytes, shorter than the " + ModelFormat.HeaderSize.ToString() + "-byte header", 0);
            byte[] h = new byte[ModelFormat.HeaderSize];
            source.Read(0, h, 0, ModelFormat.HeaderSize);
            if (U32(h, ModelFormat.OffMagic) != ModelFormat.Magic)
                throw Fail("not a MicroT model: magic is not \"MTMF\"", ModelFormat.OffMagic);
            int version = U16(h, ModelFormat.OffVersion);
            if (version != ModelFormat.Version)
                throw Fail("format version " + version.ToString() + " is not supported (this runtime reads version " + ModelFormat.Version.ToString() + ")", ModelFormat.OffVersion);
            if (U16(h, ModelFormat.OffHeaderSize) != ModelFormat.HeaderSize)
                throw Fail("header size is " + U16(h, ModelFormat.OffHeaderSize).ToString() + ", expected " + ModelFormat.HeaderSize.ToString(), ModelFormat.OffHeaderSize);
            long fileLength = U32(h, ModelFormat.OffFileLength);
            if (fileLength != length)
                throw Fail("header says the file is " + fileLength.ToString() + " bytes but it is " + length.ToString() + " (truncated or padded)", ModelFormat.OffFileLength);
            if (fileLength > ModelFormat.MaxFileBytes)
                throw Fail("file of " + fileLength.ToString() + " bytes exceeds the limit of " + ModelFormat.MaxFileBytes.ToString(), ModelFormat.OffFileLength);
            byte[] buf = new byte[BlockSize];
            uint crc = 0xFFFFFFFFu;
            for (int pos = ModelFormat.CrcStart; pos < length; pos += BlockSize)
            {
                int n = length - pos < BlockSize ? length - pos : BlockSize;
                source.Read(pos, buf, 0, n);
                crc = Crc32.Update(crc, buf, 0, n);
            }
            if ((crc ^ 0xFFFFFFFFu) != U32(h, ModelFormat.OffCrc))
                throw Fail("the file is corrupt: the CRC-32 of bytes [16, " + fileLength.ToString() + ") does not match the stored checksum (damaged or edited somewhere after the CRC field)", -1);

            Model m = new Model();
            m.name = ReadName(h);
            m.fileLength = length;

            int tensorCount = U16(h, ModelFormat.OffTensorCount);
            int opCount = U16(h, ModelFormat.OffOperatorCount);
            if (tensorCount < 2 || tensorCount > ModelFormat.MaxTensors)
                throw Fail("tensor count " + tensorCount.ToString() + " is outside [2, " + ModelFormat.MaxTensors.ToString() + "]", ModelFormat.OffTensorCount);
            if (opCount < 2 || opCount > ModelFormat.MaxOperators)
                throw Fail("operator count " + opCount.ToString() + " is outside [2, " + ModelFormat.MaxOperators.ToString() + "]", ModelFormat.OffOperatorCount);
            long tensorTable = ModelFormat.HeaderSize;
            long opTable = tensorTable + (long)tensorCount * ModelFormat.TensorEntrySize;
            long dataStart = AlignUp(opTable + (long)opCount * ModelFormat.OperatorEntrySize, ModelFormat.DataAlignment);
            ExpectU32(h, ModelFormat.OffTensorTable, tensorTable, "tensor table offset");
            ExpectU32(h, ModelFormat.OffOperatorTable, opTable, "operator table offset");
            ExpectU32(h, ModelFormat.OffData, dataStart, "data offset");
            long dataLength = U32(h, ModelFormat.OffDataLength);
            if (dataStart + dataLength != fileLength)
                throw Fail("data section [" + dataStart.ToString() + ", +" + dataLength.ToString() + ") does not end at the end of the file (" + fileLength.ToString() + ")", ModelFormat.OffDataLength);
            // Header and tables in one array (at most 16,496 bytes; the data section is streamed).
            byte[] f = new byte[(int)dataStart];
            Array.Copy(h, f, ModelFormat.HeaderSize);
            h = null;
            source.Read(ModelFormat.HeaderSize, f, ModelFormat.HeaderSize, (int)dataStart - ModelFormat.HeaderSize);
            for (long p = opTable + (long)opCount * ModelFormat.OperatorEntrySize; p < dataStart; p++)
                if (f[(int)p] != 0) throw Fail("padding before the data section must be zero", (int)p);
            ExpectZero(f, 75, 1);
            ExpectZero(f, 84, 4);
            ReadSelfTestLocation(f, m, (int)dataStart, dataLength);

            int resize = f[ModelFormat.OffResizeMode];
            if (resize > 1) throw Fail("resize mode " + resize.ToString() + " is unknown (0 nearest, 1 bilinear)", ModelFormat.OffResizeMode);
            m.resizeMode = (ResizeMode)resize;
            m.pixelScale = F32(f, ModelFormat.OffPixelScale);
            m.pixelOffset = F32(f, ModelFormat.OffPixelOffset);
            if (!Finite(m.PixelScale) || m.PixelScale == 0f || m.PixelScale > ModelFormat.MaxScale || m.PixelScale < -ModelFormat.MaxScale)
                throw Fail("pixel scale " + m.PixelScale.ToString() + " must be finite, non-zero and within +-1e6", ModelFormat.OffPixelScale);
            if (!Finite(m.PixelOffset) || m.PixelOffset > ModelFormat.MaxScale || m.PixelOffset < -ModelFormat.MaxScale)
                throw Fail("pixel offset " + m.PixelOffset.ToString() + " must be finite and within +-1e6", ModelFormat.OffPixelOffset);

            m.tensors = ReadTensors(f, (int)tensorTable, tensorCount);
            m.input = m.Tensors[0];
            if (m.Input.Channels != 1 && m.Input.Channels != 3)
                throw Fail("input tensor 0 has " + m.Input.Channels.ToString() + " channels; frames map to 1 (gray) or 3 (RGB)", (int)tensorTable + 4);

            m.operators = ReadOperators(f, source, buf, m, (int)opTable, opCount, (int)dataStart, dataLength);

            for (int t = 1; t < tensorCount; t++)
                if (m.Tensors[t].FirstUse == -2)
                    throw Fail("tensor " + t.ToString() + " is written by no operator", (int)tensorTable + t * ModelFormat.TensorEntrySize);

            ReadMicroT(f, m);
            if (m.SelfTestLength > 0) SelfTest.CheckSection(source, buf, m);
            return m;
        }

        /// <summary>Header bytes 104..111: where the optional self-test section lies in the data section.</summary>
        static void ReadSelfTestLocation(byte[] f, Model m, int dataStart, long dataLength)
        {
            long off = U32(f, ModelFormat.OffSelfTestOffset), len = U32(f, ModelFormat.OffSelfTestLength);
            if (off == 0 && len == 0) return;
            if (len < ModelFormat.SelfTestHeaderSize || off % ModelFormat.ConstantAlignment != 0 || off > dataLength || len > dataLength - off)
                throw Fail("self-test section [" + off.ToString() + ", +" + len.ToString() + ") must be 4-byte aligned, at least "
                    + ModelFormat.SelfTestHeaderSize.ToString() + " bytes and inside the data section (" + dataLength.ToString() + " bytes)", ModelFormat.OffSelfTestOffset);
            m.selfTestOffset = dataStart + (int)off;
            m.selfTestLength = (int)len;
        }

        static void ReadMicroT(byte[] f, Model m)
        {
            int split = U16(f, ModelFormat.OffSplitIndex);
            int opCount = m.Operators.Length;
            if (split < 1 || split >= opCount)
                throw Fail("split index " + split.ToString() + " must be in [1, " + (opCount - 1).ToString() + "] so both part and rest have operators", ModelFormat.OffSplitIndex);
            m.splitIndex = split;
            int part = U16(f, ModelFormat.OffPartFeature);
            int full = U16(f, ModelFormat.OffFullFeature);
            if (part < 1 || part >= m.Tensors.Length)
                throw Fail("part-feature tensor " + part.ToString() + " does not exist (or is the input)", ModelFormat.OffPartFeature);
            if (full < 1 || full >= m.Tensors.Length)
                throw Fail("full-feature tensor " + full.ToString() + " does not exist (or is the input)", ModelFormat.OffFullFeature);
            m.partFeature = m.Tensors[part];
            m.fullFeature = m.Tensors[full];
            if (m.PartFeature.FirstUse >= split)
                throw Fail("part-feature tensor " + part.ToString() + " is written by operator " + m.PartFeature.FirstUse.ToString() + ", after the split at " + split.ToString(), ModelFormat.OffPartFeature);
            if (m.FullFeature.FirstUse < split)
                throw Fail("full-feature tensor " + full.ToString() + " is written by operator " + m.FullFeature.FirstUse.ToString() + ", before the split at " + split.ToString(), ModelFormat.OffFullFeature);

            long partMacs = 0, fullMacs = 0;
            for (int i = 0; i < opCount; i++)
            {
                fullMacs += m.Operators[i].Macs;
                if (i < split) partMacs += m.Operators[i].Macs;
            }
            if (fullMacs > ModelFormat.MaxMacs)
                throw Fail("the operators need " + fullMacs.ToString() + " MACs per run, above the limit of " + ModelFormat.MaxMacs.ToString(), ModelFormat.OffFullMacs);
            long storedPart = I64(f, ModelFormat.OffPartMacs), storedFull = I64(f, ModelFormat.OffFullMacs);
            if (storedPart != partMacs)
                throw Fail("part MACs " + storedPart.ToString() + " disagree with the operators (" + partMacs.ToString() + ")", ModelFormat.OffPartMacs);
            if (storedFull != fullMacs)
                throw Fail("full MACs " + storedFull.ToString() + " disagree with the operators (" + fullMacs.ToString() + ")", ModelFormat.OffFullMacs);
            m.partMacs = partMacs;
            m.fullMacs = fullMacs;
        }

        static string ReadName(byte[] f)
        {
            char[] chars = new char[ModelFormat.NameLength];
            int n = 0;
            bool ended = false;
            for (int i = 0; i < ModelFormat.NameLength; i++)
            {
                int b = f[ModelFormat.OffName + i];
                if (ended)
                {
                    if (b != 0) throw Fail("model name has bytes after its terminating zero", ModelFormat.OffName + i);
                }
                else if (b == 0) ended = true;
                else if (b < 0x20 || b > 0x7E) throw Fail("model name byte " + b.ToString() + " is not printable ASCII", ModelFormat.OffName + i);
                else chars[n++] = (char)b;
            }
            if (n == 0) throw Fail("model name is empty", ModelFormat.OffName);
            return new string(chars, 0, n);
        }

        static Tensor[] ReadTensors(byte[] f, int table, int count)
        {
            Tensor[] tensors = new Tensor[count];
            for (int t = 0; t < count; t++)
            {
                int p = table + t * ModelFormat.TensorEntrySize;
                int h = U16(f, p), w = U16(f, p + 2), c = U16(f, p + 4);
                if (h == 0 || w == 0 || c == 0) throw Fail(TensorName(t) + " has a zero dimension", p);
                if (U16(f, p + 6) != 0) throw Fail(TensorName(t) + ": reserved field must be zero", p + 6);
                long bytes = (long)h * w * c;
                if (bytes > ModelFormat.MaxTensorBytes)
                    throw Fail(TensorName(t) + " of " + h.ToString() + "x" + w.ToString() + "x" + c.ToString() + " exceeds " + ModelFormat.MaxTensorBytes.ToString() + " bytes", p);
                float scale = F32(f, p + 8);
                if (!ScaleOk(scale)) throw Fail(TensorName(t) + " scale " + ScaleRule(scale), p + 8);
                int zp = I32(f, p + 12);
                if (zp < -128 || zp > 127) throw Fail(TensorName(t) + " zero point " + zp.ToString() + " is outside [-128, 127]", p + 12);
                Tensor tensor = new Tensor(t, h, w, c, scale, zp);
                // FirstUse: -1 for the input (written by SetInput), -2 "not written yet" until an operator claims it.
                tensor.FirstUse = t == 0 ? -1 : -2;
                tensor.LastUse = -1;
                tensors[t] = tensor;
            }
            return tensors;
        }

        // Read state the operators' Decode uses (ReadConstants, ExpectNoConstants, CheckAccumulatorBound).
        readonly byte[] f;
        readonly IModelSource source;
        readonly byte[] buf;
        readonly Model m;
        readonly int dataStart;
        readonly long dataLength;
        int weightsUsed, channelsUsed;

        ModelReader(byte[] f, IModelSource source, byte[] buf, Model m, int dataStart, long dataLength)
        {
            this.f = f;
            this.source = source;
            this.buf = buf;
            this.m = m;
            this.dataStart = dataStart;
            this.dataLength = dataLength;
        }

        static Operator[] ReadOperators(byte[] f, IModelSource source, byte[] buf, Model m, int table, int count, int dataStart, long dataLength)
        {
            Operator[] ops = new Operator[count];
            Tensor[] tensors = m.Tensors;
            // Weights of all operators go into one array; the lengths are bounded by the data section.
            long totalWeights = 0;
            for (int i = 0; i < count; i++)
            {
                int p = table + i * ModelFormat.OperatorEntrySize;
                totalWeights += U32(f, p + 20);
            }
            if (totalWeights > dataLength)
                throw Fail("operators claim " + totalWeights.ToString() + " weight bytes, more than the data section holds (" + dataLength.ToString() + ")", table);
            m.weights = new sbyte[(int)totalWeights];
            ModelReader reader = new ModelReader(f, source, buf, m, dataStart, dataLength);

            for (int i = 0; i < count; i++)
            {
                int p = table + i * ModelFormat.OperatorEntrySize;
                Operator op = OperatorRegistry.Create(f[p], i, p);
                // The bytes every kind has (docs/FORMAT.md "Operators"); the kind checks the rest in Decode.
                int padding = f[p + 1];
                if (padding > ModelFormat.PaddingExplicit) throw Fail(op.Describe() + ": padding " + padding.ToString() + " is unknown (0 valid, 1 same, 2 explicit)", p + 1);
                int min = (sbyte)f[p + 2], max = (sbyte)f[p + 3];
                if (min > max) throw Fail(op.Describe() + ": activation min " + min.ToString() + " exceeds max " + max.ToString(), p + 2);
                op.attributes = (min & 255) | ((max & 255) << 8) | (padding << 16);
                op.input = InputTensor(f, tensors, op, p + 4, "input");
                int in2 = U16(f, p + 6);
                if (op.TakesSecondInput) op.SetSecondInput(InputTensor(f, tensors, op, p + 6, "second input"));
                else if (in2 != ModelFormat.NoTensor) throw Fail(op.Describe() + ": second input must be 0xFFFF (none)", p + 6);
                int outIndex = U16(f, p + 8);
                if (outIndex == 0 || outIndex >= tensors.Length) throw Fail(op.Describe() + ": output tensor " + outIndex.ToString() + " does not exist (or is the input)", p + 8);
                Tensor output = tensors[outIndex];
                if (output.FirstUse != -2) throw Fail(op.Describe() + ": output tensor " + outIndex.ToString() + " is already written by operator " + output.FirstUse.ToString(), p + 8);
                output.FirstUse = i;
                op.output = output;
                op.window = f[p + 10] | (f[p + 11] << 8) | (f[p + 12] << 16) | (f[p + 13] << 24);
                if (U16(f, p + 14) != 0) throw Fail(op.Describe() + ": reserved field must be zero", p + 14);
                if (padding == ModelFormat.PaddingExplicit)
                {
                    op.pads = I32(f, p + ModelFormat.OpOffPads);
                    ExpectZero(f, p + 44, 4);
                }
                else ExpectZero(f, p + 40, 8);
                op.Decode(reader, p);
                ops[i] = op;
            }
            return ops;
        }

        static Tensor InputTensor(byte[] f, Tensor[] tensors, Operator op, int pos, string slot)
        {
            int t = U16(f, pos);
            if (t >= tensors.Length) throw Fail(op.Describe() + ": " + slot + " tensor " + t.ToString() + " does not exist", pos);
            Tensor tensor = tensors[t];
            if (tensor.FirstUse == -2) throw Fail(op.Describe() + ": " + slot + " tensor " + t.ToString() + " is read before any operator writes it", pos);
            if (tensor.LastUse < op.Index) tensor.LastUse = op.Index;
            return tensor;
        }

        /// <summary>Kinds without constants: the six offset/length fields (bytes 16..39) must be zero.</summary>
        internal void ExpectNoConstants(Operator op, int p)
        {
            for (int i = 16; i < 40; i += 4)
                if (I32(f, p + i) != 0)
                    throw Fail(op.Describe() + ": this kind has no constants; offsets and lengths must be zero", p + 16);
        }

        /// <summary>
        /// A weighted operator's constants (bytes 16..39 of its entry): the weights block must hold
        /// exactly <paramref name="expectedWeights"/> bytes (copied into the model's weight store,
        /// none -128), the scales one float per output channel (each in [1e-12, 1e6]), the bias
        /// one int32 per output channel or nothing. Also counts the output channels against
        /// ModelFormat.MaxChannels.
        /// </summary>
        internal void ReadConstants(Operator op, int p, long expectedWeights, out int weightsOffset, out float[] scales, out int[] bias)
        {
            long wOff = U32(f, p + 16), wLen = U32(f, p + 20);
            long bOff = U32(f, p + 24), bLen = U32(f, p + 28);
            long sOff = U32(f, p + 32), sLen = U32(f, p + 36);
            int channels = op.Output.Channels;
            channelsUsed += channels;
            if (channelsUsed > ModelFormat.MaxChannels)
                throw Fail(op.Describe() + ": the weighted operators so far have " + channelsUsed.ToString() + " output channels in all, above the limit of " + ModelFormat.MaxChannels.ToString(), p + 8);
            CheckBlock(wOff, wLen, expectedWeights, op, "weights", p + 16);
            CheckBlock(sOff, sLen, 4L * channels, op, "weight scales", p + 32);
            if (bLen != 0 || bOff != 0) CheckBlock(bOff, bLen, 4L * channels, op, "bias", p + 24);

            int src = dataStart + (int)wOff;
            int n = (int)wLen;
            sbyte[] weights = m.Weights;
            if (weightsUsed + n > weights.Length) throw Fail(op.Describe() + ": weights overrun the weight store", p + 20); // cannot happen after the sum check
            weightsOffset = weightsUsed;
            for (int done = 0; done < n; done += BlockSize)
            {
                int count = n - done < BlockSize ? n - done : BlockSize;
                source.Read(src + done, buf, 0, count);
                int to = weightsUsed + done;
                for (int i = 0; i < count; i++)
                {
                    int b = buf[i];
                    if (b == 0x80) throw Fail(op.Describe() + ": weight " + (done + i).ToString() + " is -128; weights must be in [-127, 127]", src + done + i);
                    weights[to + i] = (sbyte)b;
                }
            }
            weightsUsed += n;

            scales = new float[channels];
            int sp = dataStart + (int)sOff;
            for (int c0 = 0; c0 < channels; c0 += BlockSize / 4)
            {
                int count = channels - c0 < BlockSize / 4 ? channels - c0 : BlockSize / 4;
                source.Read(sp + 4 * c0, buf, 0, 4 * count);
                for (int j = 0; j < count; j++)
                {
                    float s = F32(buf, 4 * j);
                    if (!ScaleOk(s)) throw Fail(op.Describe() + " weight scale of channel " + (c0 + j).ToString() + " " + ScaleRule(s), sp + 4 * (c0 + j));
                    scales[c0 + j] = s;
                }
            }
            bias = null;
            if (bLen != 0)
            {
                bias = new int[channels];
                int bp = dataStart + (int)bOff;
                for (int c0 = 0; c0 < channels; c0 += BlockSize / 4)
                {
                    int count = channels - c0 < BlockSize / 4 ? channels - c0 : BlockSize / 4;
                    source.Read(bp + 4 * c0, buf, 0, 4 * count);
                    for (int j = 0; j < count; j++) bias[c0 + j] = I32(buf, 4 * j);
                }
            }
        }

        /// <summary>
        /// Every accumulator of the operator must stay well inside int32 whatever the input: per
        /// output channel |bias| + 255 x sum |w| &lt;= 2^30 (an input value minus the input zero
        /// point lies in [-255, 255]). Then the exact sum, the folded bias bias - zp x sum w and
        /// the tuned loops' partial sums and lane offsets (below 2^28 for the largest patch) all
        /// fit int32, so every path computes what Reference computes. Channel c's weights start at
        /// start + c * channelStride, taps values tapStride apart.
        /// </summary>
        internal void CheckAccumulatorBound(Operator op, int p, int start, int taps, int channelStride, int tapStride, int[] bias)
        {
            sbyte[] w = m.Weights;
            int channels = op.Output.Channels;
            for (int c = 0; c < channels; c++)
            {
                long sum = 0;
                int i = start + c * channelStride;
                for (int t = 0; t < taps; t++, i += tapStride)
                {
                    int v = w[i];
                    sum += v < 0 ? -v : v;
                }
                long b = bias == null ? 0 : bias[c];
                long bound = (b < 0 ? -b : b) + 255L * sum;
                if (bound > ModelFormat.MaxAccumulator)
                    throw Fail(op.Describe() + ": output channel " + c.ToString() + " can leave int32: |bias| + 255 x sum |w| = " + bound.ToString() + " exceeds 2^30", p + 16);
            }
        }

        void CheckBlock(long offset, long length, long expected, Operator op, string block, int pos)
        {
            if (length != expected)
                throw Fail(op.Describe() + ": " + block + " are " + length.ToString() + " bytes, the shapes need " + expected.ToString(), pos + 4);
            if (offset % ModelFormat.ConstantAlignment != 0)
                throw Fail(op.Describe() + ": " + block + " offset " + offset.ToString() + " is not " + ModelFormat.ConstantAlignment.ToString() + "-byte aligned", pos);
            if (offset > dataLength || length > dataLength - offset)
                throw Fail(op.Describe() + ": " + block + " [" + offset.ToString() + ", +" + length.ToString() + ") run past the data section (" + dataLength.ToString() + " bytes)", pos);
        }

        /// <summary>A rescale factor (input x weight / output, input / output) the kernels can represent: [2^-31, 2^30).</summary>
        internal static bool EffectiveOk(double s)
        {
            return s >= ModelFormat.MinEffectiveScale && s < ModelFormat.MaxEffectiveScale;
        }

        internal static string EffectiveRule(double s)
        {
            return s.ToString() + " is outside [2^-31, 2^30)";
        }

        static bool ScaleOk(float s)
        {
            return Finite(s) && s >= ModelFormat.MinScale && s <= ModelFormat.MaxScale;
        }

        static string ScaleRule(float s)
        {
            return s.ToString() + " must be finite and within [1e-12, 1e6]";
        }

        // Names for messages, built only when something is wrong (strings cost allocations on the device).
        static string TensorName(int t)
        {
            return "tensor " + t.ToString();
        }

        static bool Finite(float v) { return !float.IsNaN(v) && !float.IsInfinity(v); }

        static long AlignUp(long v, int a) { return (v + a - 1) / a * a; }

        static void ExpectU32(byte[] f, int pos, long expected, string what)
        {
            long v = U32(f, pos);
            if (v != expected) throw Fail(what + " is " + v.ToString() + ", expected " + expected.ToString(), pos);
        }

        static void ExpectZero(byte[] f, int pos, int count)
        {
            for (int i = 0; i < count; i++)
                if (f[pos + i] != 0) throw Fail("reserved byte must be zero", pos + i);
        }

        internal static ModelFormatException Fail(string message, int pos) { return new ModelFormatException(message, pos); }

        // Little-endian readers; callers have checked pos + size <= length.
        internal static int U16(byte[] f, int p) { return f[p] | (f[p + 1] << 8); }
        internal static int I32(byte[] f, int p) { return f[p] | (f[p + 1] << 8) | (f[p + 2] << 16) | (f[p + 3] << 24); }
        internal static long U32(byte[] f, int p) { return (long)(uint)I32(f, p); }
        internal static long I64(byte[] f, int p) { return (long)(uint)I32(f, p) | ((long)I32(f, p + 4) << 32); }
        internal static float F32(byte[] f, int p)
        {
            // BitConverter reads in the machine's byte order; both the ESP32 and x86/ARM hosts are little-endian.
            return BitConverter.ToSingle(f, p);
        }
    }
}
