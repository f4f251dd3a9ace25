using System;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// A task as a versioned, CRC-checked byte[] (little-endian). Layout, version 2 (version 1,
    /// written before int8 heads, is the same with float weights only; both are read):
    /// <code>
    /// 0   4  magic "MTTK"
    /// 4   2  format version (2; 1 is read too)
    /// 6   2  reserved, 0
    /// 8   4  total length in bytes, CRC included
    /// 12     name (string), threshold (f32), class count (u16), class names (strings),
    ///        part head, full head
    /// end-4  CRC-32 (IEEE) of every byte before it
    /// string: u16 UTF-16 code-unit count, then the code units (u16 each)
    /// head:   u8 kind (1 logistic, 2 ridge), u8 weight encoding (0 float, 1 int8; version 1:
    ///         reserved, always float), i32 feature length d, f32 feature scale, i32 feature zero point,
    ///         then encoding 0: f32 weights[classes x d], f32 bias[classes];
    ///         encoding 1: f32 weight scales[classes], f32 bias[classes], i8 weights[classes x d]
    /// </code>
    /// Load validates every field before allocating anything sized by it.
    /// </summary>
    public static class TaskSerializer
    {
        /// <summary>Format version written at byte 4: 2 (int8 heads possible). Version 1 (float heads
        /// only) is read too; any other is refused with a TaskFormatException naming it.</summary>
        public const ushort Version = 2;
        /// <summary>Oldest format version read.</summary>
        public const ushort OldestVersion = 1;
        const int HeaderSize = 12;
        const int MaxClassNameLength = 256;

        /// <summary>Serializes a task.</summary>
        public static byte[] ToBytes(ClassifierTask task)
        {
            if (task == null) throw new ArgumentNullException("task");
            int size = HeaderSize + StringSize(task.Name) + 4 + 2;
            for (int i = 0; i < task.ClassCount; i++) size += StringSize(task.ClassNames[i]);
            size += HeadSize(task.PartHead) + HeadSize(task.FullHead) + 4;
            var w = new Writer(new byte[size]);
            w.Byte((byte)'M'); w.Byte((byte)'T'); w.Byte((byte)'T'); w.Byte((byte)'K');
            w.UInt16(Version);
            w.UInt16(0);
            w.Int32(size);
            w.String(task.Name);
            w.Single(task.Threshold);
            w.UInt16((ushort)task.ClassCount);
            for (int i = 0; i < task.ClassCount; i++) w.String(task.ClassNames[i]);
            WriteHead(w, task.PartHead);
            WriteHead(w, task.FullHead);
            w.Int32((int)Crc32.Compute(w.Buffer, 0, size - 4));
            return w.Buffer;
        }

        /// <summary>Loads a task from the whole buffer.</summary>
        public static ClassifierTask FromBytes(byte[] data)
        {
            if (data == null) throw new ArgumentNullException("data");
            return FromBytes(data, 0, data.Length);
        }

        /// <summary>Loads a task from data[offset, offset + count). Throws TaskFormatException
        /// naming the problem and its byte offset.</summary>
        public static ClassifierTask FromBytes(byte[] data, int offset, int count)
        {
            if (data == null) throw new ArgumentNullException("data");
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException("count", "offset and count must lie inside data");
            if (count < HeaderSize + 4) throw new TaskFormatException("task data too short: " + count + " bytes", offset);
            if (data[offset] != 'M' || data[offset + 1] != 'T' || data[offset + 2] != 'T' || data[offset + 3] != 'K')
                throw new TaskFormatException("not a saved task: magic is not MTTK", offset);
            var r = new Reader(data, offset, count);
            r.Skip(4);
            int version = r.UInt16();
            if (version < OldestVersion || version > Version)
                throw new TaskFormatException("task format version " + version + " is not supported (this runtime reads versions " + OldestVersion + " to " + Version + ")", offset + 4);
            r.UInt16();
            int length = r.Int32();
            if (length != count) throw new TaskFormatException("length field says " + length + " bytes but the data has " + count, offset + 8);
            uint stored = (uint)(data[offset + count - 4] | data[offset + count - 3] << 8 | data[offset + count - 2] << 16 | data[offset + count - 1] << 24);
            if (stored != Crc32.Compute(data, offset, count - 4))
                throw new TaskFormatException("CRC mismatch: the task data is corrupt or incomplete", offset + count - 4);
            r.Limit(count - 4);

            int at = r.Position;
            string name = r.String(ClassifierTask.MaxNameLength, "task name");
            try { ClassifierTask.CheckName(name); }
            catch (ArgumentException e) { throw new TaskFormatException(e.Message, at); }
            at = r.Position;
            float threshold = r.Single();
            if (!(threshold >= 0f)) throw new TaskFormatException("threshold must be 0 or more", at);
            at = r.Position;
            int classes = r.UInt16();
            if (classes < 1 || classes > SampleStore.MaxClasses) throw new TaskFormatException("class count " + classes + " is outside 1.." + SampleStore.MaxClasses, at);
            string[] names = new string[classes];
            for (int i = 0; i < classes; i++) names[i] = r.String(MaxClassNameLength, "class name " + i);
            LinearHead part = ReadHead(r, classes, version, "part head");
            LinearHead full = ReadHead(r, classes, version, "full head");
            if (r.Position != offset + count - 4) throw new TaskFormatException((count - 4 - (r.Position - offset)) + " unexpected bytes after the full head", r.Position);
            return new ClassifierTask(name, names, part, full, threshold);
        }

        static int StringSize(string s) { return 2 + 2 * s.Length; }

        static int HeadSize(LinearHead h)
        {
            int size = 2 + 4 + 4 + 4 + 4 * h.Bias.Length;
            return h.IsQuantized ? size + 4 * h.WeightScales.Length + h.QuantizedWeights.Length : size + 4 * h.Weights.Length;
        }

        static void WriteHead(Writer w, LinearHead h)
        {
            w.Byte((byte)h.Kind);
            w.Byte((byte)(h.IsQuantized ? 1 : 0));
            w.Int32(h.FeatureLength);
            w.Single(h.FeatureScale);
            w.Int32(h.FeatureZeroPoint);
            if (h.IsQuantized)
            {
                for (int i = 0; i < h.WeightScales.Length; i++) w.Single(h.WeightScales[i]);
                for (int i = 0; i < h.Bias.Length; i++) w.Single(h.Bias[i]);
                sbyte[] q = h.QuantizedWeights;
                for (int i = 0; i < q.Length; i++) w.Byte((byte)q[i]);
                return;
            }
            for (int i = 0; i < h.Weights.Length; i++) w.Single(h.Weights[i]);
            for (int i = 0; i < h.Bias.Length; i++) w.Single(h.Bias[i]);
        }

        static LinearHead ReadHead(Reader r, int classes, int version, string what)
        {
            int at = r.Position;
            int kind = r.Byte();
            if (kind != (int)HeadKind.Logistic && kind != (int)HeadKind.Ridge) throw new TaskFormatException(what + ": unknown head kind " + kind, at);
            at = r.Position;
            int encoding = r.Byte();
            if (version == 1) encoding = 0;     // reserved in version 1: float weights
            else if (encoding != 0 && encoding != 1) throw new TaskFormatException(what + ": unknown weight encoding " + encoding, at);
            int weightBytes = encoding == 1 ? 1 : 4;
            at = r.Position;
            int d = r.Int32();
            if (d < 1 || d > r.Remaining / weightBytes / classes) throw new TaskFormatException(what + ": feature length " + d + " does not fit the remaining " + r.Remaining + " bytes", at);
            at = r.Position;
            float scale = r.Single();
            int zeroPoint = r.Int32();
            try
            {
                if (encoding == 1)
                {
                    float[] scales = new float[classes];
                    for (int i = 0; i < classes; i++) scales[i] = r.Single();
                    float[] qbias = new float[classes];
                    for (int i = 0; i < classes; i++) qbias[i] = r.Single();
                    sbyte[] q = new sbyte[d * classes];
                    for (int i = 0; i < q.Length; i++) q[i] = (sbyte)r.Byte();
                    return new LinearHead((HeadKind)kind, d, classes, scale, zeroPoint, q, scales, qbias);
                }
                float[] weights = new float[d * classes];
                for (int i = 0; i < weights.Length; i++) weights[i] = r.Single();
                float[] bias = new float[classes];
                for (int i = 0; i < classes; i++) bias[i] = r.Single();
                return new LinearHead((HeadKind)kind, d, classes, scale, zeroPoint, weights, bias);
            }
            catch (ArgumentException e) { throw new TaskFormatException(what + ": " + e.Message, at); }
        }

        /// <summary>Little-endian writer into a buffer sized in advance.</summary>
        sealed class Writer
        {
            public readonly byte[] Buffer;
            int _at;
            public Writer(byte[] buffer) { Buffer = buffer; }
            public void Byte(byte v) { Buffer[_at++] = v; }
            public void UInt16(int v) { Buffer[_at++] = (byte)v; Buffer[_at++] = (byte)(v >> 8); }
            public void Int32(int v)
            {
                Buffer[_at++] = (byte)v; Buffer[_at++] = (byte)(v >> 8);
                Buffer[_at++] = (byte)(v >> 16); Buffer[_at++] = (byte)(v >> 24);
            }
            public void Single(float v)
            {
                byte[] b = BitConverter.GetBytes(v);
                bool little = BitConverter.IsLittleEndian;
                for (int i = 0; i < 4; i++) Buffer[_at + i] = b[little ? i : 3 - i];
                _at += 4;
            }
            public void String(string s)
            {
                UInt16(s.Length);
                for (int i = 0; i < s.Length; i++) UInt16(s[i]);
            }
        }

        /// <summary>Little-endian reader that checks every read against the end of the data.</summary>
        sealed class Reader
        {
            readonly byte[] _data;
            readonly int _start;
            int _end;
            int _at;
            readonly byte[] _scratch = new byte[4];

            public Reader(byte[] data, int offset, int count) { _data = data; _start = offset; _at = offset; _end = offset + count; }

            public int Position { get { return _at; } }
            public int Remaining { get { return _end - _at; } }
            public void Limit(int count) { _end = _start + count; }

            void Need(int n, string what)
            {
                if (_end - _at < n) throw new TaskFormatException("data ends inside " + what, _at);
            }

            public void Skip(int n) { Need(n, "the header"); _at += n; }
            public int Byte() { Need(1, "a byte field"); return _data[_at++]; }
            public int UInt16() { Need(2, "a 16-bit field"); int v = _data[_at] | _data[_at + 1] << 8; _at += 2; return v; }
            public int Int32()
            {
                Need(4, "a 32-bit field");
                int v = _data[_at] | _data[_at + 1] << 8 | _data[_at + 2] << 16 | _data[_at + 3] << 24;
                _at += 4;
                return v;
            }
            public float Single()
            {
                Need(4, "a float field");
                float v;
                if (BitConverter.IsLittleEndian) v = BitConverter.ToSingle(_data, _at);
                else
                {
                    for (int i = 0; i < 4; i++) _scratch[i] = _data[_at + 3 - i];
                    v = BitConverter.ToSingle(_scratch, 0);
                }
                _at += 4;
                return v;
            }
            public string String(int maxLength, string what)
            {
                int at = _at;
                int n = UInt16();
                if (n > maxLength) throw new TaskFormatException(what + " has " + n + " characters, at most " + maxLength + " allowed", at);
                Need(2 * n, what);
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) chars[i] = (char)UInt16();
                return new string(chars);
            }
        }
    }
}
