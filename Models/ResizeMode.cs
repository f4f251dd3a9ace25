namespace MicroT.Runtime.Models
{
    /// <summary>How a raw frame is resized to the model input.</summary>
    public enum ResizeMode : byte
    {
        /// <summary>Nearest neighbour (pixel centres).</summary>
        Nearest = 0,
        /// <summary>Bilinear (pixel centres, edge clamped), 10-bit integer weights.</summary>
        Bilinear = 1,
    }
}
