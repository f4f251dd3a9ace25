namespace MicroT.Runtime.Models
{
    /// <summary>Pixel layout of a raw frame given to Interpreter.SetInput.</summary>
    public enum FrameFormat : byte
    {
        /// <summary>One byte per pixel, 0..255.</summary>
        Gray8 = 0,
        /// <summary>Two bytes per pixel, a little-endian 16-bit word RRRRRGGGGGGBBBBB.</summary>
        Rgb565 = 1,
        /// <summary>Three bytes per pixel: R, G, B.</summary>
        Rgb888 = 2,
    }
}
