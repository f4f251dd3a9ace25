namespace MicroT.Runtime.Kernels
{
    /// <summary>Fused activation of a layer; turned into clamp bounds once, at load.</summary>
    public enum FusedActivation
    {
        /// <summary>No activation: clamp to the full int8 range -128..127.</summary>
        None = 0,
        /// <summary>ReLU: clamp below at the output zero point (real 0).</summary>
        Relu = 1,
        /// <summary>ReLU6: clamp to the quantized real range [0, 6].</summary>
        Relu6 = 2,
    }
}
