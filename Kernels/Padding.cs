namespace MicroT.Runtime.Kernels
{
    /// <summary>TFLite padding modes.</summary>
    public enum Padding
    {
        Valid = 0,
        Same = 1,
    }
}
