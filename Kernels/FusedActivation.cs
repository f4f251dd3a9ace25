namespace MicroT.Runtime.Kernels
{
    /// <summary>Fused activation of a layer; turned into clamp bounds once, at load.</summary>
    public enum FusedActivation
    {
        None = 0,
        Relu = 1,
        Relu6 = 2,
    }
}
