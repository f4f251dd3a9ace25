using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Outcome of <see cref="Interpreter.SelfTest(IModelSource)"/>: whether every stored test
    /// frame gave the writer's part features, full features and (when stored) every operator's
    /// output, and otherwise the first mismatch.
    /// </summary>
    public sealed class SelfTestResult
    {
        /// <summary>True when every frame matched.</summary>
        public bool Passed;
        /// <summary>Frames run (all of them when passed; up to the failing one otherwise).</summary>
        public int FramesRun;
        /// <summary>Frame of the first mismatch, -1 when passed.</summary>
        public int Frame = -1;
        /// <summary>First operator whose output CRC differs from the writer's, -1 if none (or no CRCs stored).</summary>
        public int Operator = -1;
        /// <summary>"part features" or "full features" for the first differing feature value; null if the features matched.</summary>
        public string Stage;
        /// <summary>Index of the first differing feature value in <see cref="Stage"/>, its expected (writer's) and computed value.</summary>
        public int Index = -1;
        /// <summary>The writer's value at <see cref="Index"/> of the first differing feature.</summary>
        public int Expected;
        /// <summary>The value this runtime computed at <see cref="Index"/>.</summary>
        public int Got;
        /// <summary>
        /// True when the model's weights in RAM no longer have the CRC-32 they had at load
        /// (<see cref="Model.WeightsCrc"/>): checked before the frames and after them (after the first
        /// mismatch, or the last frame), and then the message says "weights changed since load" (the model in RAM is corrupt: load it again).
        /// </summary>
        public bool WeightsChanged;
        /// <summary>One line saying what passed, or the first mismatch.</summary>
        public string Message;

        /// <summary>The message.</summary>
        public override string ToString() { return Message; }
    }

    /// <summary>
    /// The optional self-test section of a model file (docs/FORMAT.md "Self-test"): a few test
    /// frames with the features (and per-operator output CRCs) the writer's host runtime computed.
    /// </summary>
    internal static class SelfTest
    {
        /// <summary>Checks the section's header and length at load; sets Model.SelfTestFrames.</summary>
        internal static void CheckSection(IModelSource source, byte[] buf, Model m)
        {
            int off = m.SelfTestOffset;
            source.Read(off, buf, 0, ModelFormat.SelfTestHeaderSize);
            int frames = ModelReader.U16(buf, 0);
            int format = buf[2], flags = buf[3];
            int width = ModelReader.U16(buf, 4), height = ModelReader.U16(buf, 6);
            if (frames < 1 || frames > ModelFormat.MaxSelfTestFrames)
                throw Fail("self-test frame count " + frames.ToString() + " is outside [1, " + ModelFormat.MaxSelfTestFrames.ToString() + "]", off);
            if (format > 2) throw Fail("self-test frame format " + format.ToString() + " is unknown (0 Gray8, 1 Rgb565, 2 Rgb888)", off + 2);
            if (flags > 1) throw Fail("self-test flags " + flags.ToString() + " are unknown (bit 0: operator CRCs)", off + 3);
            if (width < 1 || height < 1) throw Fail("self-test frame size " + width.ToString() + "x" + height.ToString() + " has a zero side", off + 4);
            long frameBytes = (long)width * height * FramePreprocessor.BytesPerPixel((FrameFormat)format);
            if (frameBytes > ModelFormat.MaxSelfTestFrameBytes)
                throw Fail("self-test frames of " + frameBytes.ToString() + " bytes exceed the limit of " + ModelFormat.MaxSelfTestFrameBytes.ToString(), off + 4);
            long record = RecordBytes((int)frameBytes, m, flags);
            long expected = ModelFormat.SelfTestHeaderSize + frames * record;
            if (m.SelfTestLength != expected)
                throw Fail("self-test section is " + m.SelfTestLength.ToString() + " bytes; " + frames.ToString() + " frames of "
                    + width.ToString() + "x" + height.ToString() + " need " + expected.ToString(), ModelFormat.OffSelfTestLength);
            m.selfTestFrames = frames;
        }

        /// <summary>Bytes per frame record: frame, part and full features, padded to 4, then a CRC per operator (flag bit 0).</summary>
        static long RecordBytes(int frameBytes, Model m, int flags)
        {
            long r = (long)frameBytes + m.PartFeature.Length + m.FullFeature.Length;
            r = (r + 3) / 4 * 4;
            if ((flags & 1) != 0) r += 4L * m.Operators.Length;
            return r;
        }

        internal static SelfTestResult Run(Interpreter it, IModelSource source)
        {
            if (source == null) throw new ArgumentNullException("source");
            Model m = it.Model;
            if (m.SelfTestLength == 0) throw new InvalidOperationException("model '" + m.Name + "' has no self-test section");
            if (source.Length != m.FileLength)
                throw new ArgumentException("source has " + source.Length.ToString() + " bytes; the model was loaded from a file of " + m.FileLength.ToString(), "source");
            byte[] buf = new byte[ModelReader.BlockSize];
            int off = m.SelfTestOffset;
            source.Read(off, buf, 0, ModelFormat.SelfTestHeaderSize);
            int frames = ModelReader.U16(buf, 0);
            FrameFormat format = (FrameFormat)buf[2];
            bool crcs = (buf[3] & 1) != 0;
            int width = ModelReader.U16(buf, 4), height = ModelReader.U16(buf, 6);
            int frameBytes = width * height * FramePreprocessor.BytesPerPixel(format);
            if (frames != m.SelfTestFrames) throw new ArgumentException("source is not the file the model was loaded from (self-test differs)", "source");
            int record = (int)RecordBytes(frameBytes, m, crcs ? 1 : 0);
            int partLength = m.PartFeature.Length, fullLength = m.FullFeature.Length;
            int crcStart = (frameBytes + partLength + fullLength + 3) / 4 * 4;
            SelfTestResult r = new SelfTestResult();
            if (!m.WeightsUnchanged()) return WeightsChanged(r, m, "");
            byte[] frame = new byte[frameBytes];
            Operator[] ops = m.Operators;
            sbyte[] arena = it.Arena;

            for (int f = 0; f < frames; f++)
            {
                int pos = off + ModelFormat.SelfTestHeaderSize + f * record;
                source.Read(pos, frame, 0, frameBytes);
                it.SetInput(frame, format, width, height);
                for (int i = 0; i < ops.Length; i++)
                {
                    it.Run(i, i + 1);
                    if (crcs && r.Operator < 0)
                    {
                        Tensor t = ops[i].Output;
                        source.Read(pos + crcStart + 4 * i, buf, 0, 4);
                        if (Crc32.Compute(arena, t.ArenaOffset, t.Length) != (uint)ModelReader.I32(buf, 0)) r.Operator = i;
                    }
                }
                r.FramesRun = f + 1;
                if (!Compare(source, buf, pos + frameBytes, arena, it.PartFeatureOffset, partLength, "part features", r))
                    Compare(source, buf, pos + frameBytes + partLength, arena, it.FullFeatureOffset, fullLength, "full features", r);
                if (r.Stage != null || r.Operator >= 0)
                {
                    r.Frame = f;
                    string where = r.Operator >= 0
                        ? "operator " + r.Operator.ToString() + " (" + ops[r.Operator].KindName + ") is the first whose output differs from the writer's"
                        : "every operator output matches";
                    string what = r.Stage != null
                        ? r.Stage + " [" + r.Index.ToString() + "] expected " + r.Expected.ToString() + ", got " + r.Got.ToString()
                        : "the features match";
                    r.Message = "self-test of model '" + m.Name + "' failed on frame " + f.ToString() + ": " + where + "; " + what;
                    // The weights may have changed while the frames ran: then that is the cause to name.
                    if (!m.WeightsUnchanged()) return WeightsChanged(r, m, " (" + r.Message + ")");
                    return r;
                }
            }
            // Weights changed while the frames ran but without changing their outputs: still a corrupt model.
            if (!m.WeightsUnchanged()) return WeightsChanged(r, m, " (the frames still gave the writer's outputs)");
            r.Passed = true;
            r.Message = "self-test of model '" + m.Name + "' passed: " + frames.ToString() + " frame(s), part and full features"
                + (crcs ? " and every operator's output" : "") + " equal the writer's; weights unchanged since load";
            return r;
        }

        /// <summary>Marks r as failed because the weights' CRC-32 differs from the one taken at load; detail is appended.</summary>
        static SelfTestResult WeightsChanged(SelfTestResult r, Model m, string detail)
        {
            r.Passed = false;
            r.WeightsChanged = true;
            r.Message = "self-test of model '" + m.Name + "' failed: weights changed since load (CRC-32 of the "
                + m.Weights.Length.ToString() + " weight bytes is " + Crc32.Compute(m.Weights, 0, m.Weights.Length).ToString()
                + ", at load " + m.WeightsCrc.ToString() + "): the model in RAM is corrupt, load it again" + detail;
            return r;
        }

        /// <summary>Compares length stored int8 values at pos with arena[at ..]; records the first mismatch in r.</summary>
        static bool Compare(IModelSource source, byte[] buf, int pos, sbyte[] arena, int at, int length, string stage, SelfTestResult r)
        {
            for (int done = 0; done < length; done += buf.Length)
            {
                int n = length - done < buf.Length ? length - done : buf.Length;
                source.Read(pos + done, buf, 0, n);
                for (int i = 0; i < n; i++)
                {
                    int expected = (sbyte)buf[i];
                    int got = arena[at + done + i];
                    if (expected != got)
                    {
                        r.Stage = stage;
                        r.Index = done + i;
                        r.Expected = expected;
                        r.Got = got;
                        return true;
                    }
                }
            }
            return false;
        }

        static ModelFormatException Fail(string message, int pos) { return new ModelFormatException(message, pos); }
    }
}
