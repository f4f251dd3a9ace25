namespace MicroT.Runtime.Kernels
{
    /// <summary>TFLite padding modes.</summary>
    public enum Padding
    {
        /// <summary>No padding: only windows fully inside the input; output = (in - filter) / stride + 1.</summary>
        Valid = 0,
        /// <summary>Pad so that output = ceil(in / stride); pad before = total / 2, the odd one goes after.</summary>
        Same = 1,
    }
}
