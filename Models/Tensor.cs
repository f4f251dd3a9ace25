namespace MicroT.Runtime.Models
{
    /// <summary>An activation tensor of the model: NHWC with batch 1, int8, one scale and zero point. Read-only after load.</summary>
    public sealed class Tensor
    {
        // Index | Height << 16 | Width << 32 | Channels << 48 (each at most 65,535): one field
        // instead of four (each field of an object is a 12-byte heap block on nanoFramework).
        readonly long shape;
        /// <summary>Quantization scale: real = (q - ZeroPoint) * Scale, in [1e-12, 1e6].</summary>
        public readonly float Scale;
        /// <summary>Quantization zero point, -128..127.</summary>
        public readonly int ZeroPoint;
        /// <summary>Height * Width * Channels, which is also its size in bytes.</summary>
        public readonly int Length;
        internal int arenaOffset;
        // Operator that writes it and last operator that reads it, packed (each field of an object
        // is a 12-byte heap block on nanoFramework): (first + 2) | (last + 2) << 16.
        int uses;

        /// <summary>
        /// Creates a tensor table entry with its shape and quantization (index and dimensions
        /// 0..65,535, as the file stores them; ArgumentOutOfRangeException otherwise); ArenaOffset,
        /// FirstUse and LastUse are set at load.
        /// </summary>
        public Tensor(int index, int height, int width, int channels, float scale, int zeroPoint)
        {
            if ((index | height | width | channels) < 0 || (index | height | width | channels) > 0xFFFF)
                throw new System.ArgumentOutOfRangeException("index", "index and dimensions must be in 0..65535");
            shape = (long)(uint)index | ((long)height << 16) | ((long)width << 32) | ((long)channels << 48);
            Scale = scale;
            ZeroPoint = zeroPoint;
            Length = height * width * channels;
        }

        /// <summary>Position in the tensor table (0 is the model input).</summary>
        public int Index { get { return (int)(shape & 0xFFFF); } }
        /// <summary>Rows (H of NHWC), at least 1.</summary>
        public int Height { get { return (int)((shape >> 16) & 0xFFFF); } }
        /// <summary>Columns (W of NHWC), at least 1.</summary>
        public int Width { get { return (int)((shape >> 32) & 0xFFFF); } }
        /// <summary>Channels (C of NHWC), at least 1.</summary>
        public int Channels { get { return (int)((shape >> 48) & 0xFFFF); } }

        /// <summary>Where the planner placed it in the arena.</summary>
        public int ArenaOffset { get { return arenaOffset; } internal set { arenaOffset = value; } }

        /// <summary>Operator that writes it (-1 for the model input, written by SetInput).</summary>
        public int FirstUse
        {
            get { return (uses & 0xFFFF) - 2; }
            internal set { uses = (uses & ~0xFFFF) | (value + 2); }
        }

        /// <summary>Last operator that reads it; the part and full features are kept to OperatorCount so they stay readable after a run.</summary>
        public int LastUse
        {
            get { return (uses >> 16) - 2; }
            internal set { uses = (uses & 0xFFFF) | ((value + 2) << 16); }
        }

        /// <summary>"HxWxC", as used in messages.</summary>
        public string ShapeText()
        {
            return Height.ToString() + "x" + Width.ToString() + "x" + Channels.ToString();
        }

        internal bool SameShape(Tensor other)
        {
            return Height == other.Height && Width == other.Width && Channels == other.Channels;
        }
    }
}
