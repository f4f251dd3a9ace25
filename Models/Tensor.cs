namespace MicroT.Runtime.Models
{
    /// <summary>An activation tensor of the model: NHWC with batch 1, int8, one scale and zero point.</summary>
    public sealed class Tensor
    {
        public readonly int Index;
        public readonly int Height;
        public readonly int Width;
        public readonly int Channels;
        public readonly float Scale;
        public readonly int ZeroPoint;
        /// <summary>Height * Width * Channels, which is also its size in bytes.</summary>
        public readonly int Length;
        /// <summary>Where the planner placed it in the arena.</summary>
        public int ArenaOffset;
        /// <summary>Operator that writes it (-1 for the model input), and the last operator that needs it.</summary>
        public int FirstUse;
        public int LastUse;

        public Tensor(int index, int height, int width, int channels, float scale, int zeroPoint)
        {
            Index = index;
            Height = height;
            Width = width;
            Channels = channels;
            Scale = scale;
            ZeroPoint = zeroPoint;
            Length = height * width * channels;
        }

        /// <summary>"HxWxC", as used in messages.</summary>
        public string ShapeText()
        {
            return Height.ToString() + "x" + Width.ToString() + "x" + Channels.ToString();
        }
    }
}
