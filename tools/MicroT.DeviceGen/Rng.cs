namespace MicroT.DeviceGen;

/// <summary>xorshift64*: a fixed, version-independent sequence so generated files never drift.</summary>
public sealed class Rng(ulong seed)
{
    ulong _s = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong Next()
    {
        _s ^= _s >> 12; _s ^= _s << 25; _s ^= _s >> 27;
        return _s * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Uniform in [lo, hi] (inclusive).</summary>
    public int Int(int lo, int hi) => lo + (int)(Next() % (ulong)(hi - lo + 1));

    public double Double(double lo, double hi) => lo + (hi - lo) * ((Next() >> 11) * (1.0 / (1UL << 53)));

    public sbyte[] SBytes(int n, int lo = -128, int hi = 127)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)Int(lo, hi);
        return a;
    }

    public int[] Ints(int n, int lo, int hi)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = Int(lo, hi);
        return a;
    }
}
