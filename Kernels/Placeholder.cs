namespace MicroT.Runtime.Kernels
{
    /// <summary>Temporary probe for the gate.</summary>
    public static class Probe
    {
        public static int Twice(int x) { return x * 2; }
    }
}
